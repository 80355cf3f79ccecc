import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { READY_SCRIPT, renderReportHtml } from "../../src/report/render-html.js";
import { sampleNotebooks } from "./report-fixtures.js";

const fixed = { generatedAt: new Date("2026-03-04T05:06:07Z"), gitCommit: "0123456789abcdef" };

const ids = (html: string) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);

describe("renderReportHtml", () => {
  it("keeps a run label containing <script> as text in headings, captions and tables", async () => {
    const label = "<script>alert(1)</script>";
    const html = await renderReportHtml(sampleNotebooks(label), {
      ...fixed,
      title: `Report ${label}`,
    });
    const scripts = [...html.matchAll(/<script\b/gi)];
    expect(scripts).toHaveLength(1); // only the page's own ready signal
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
  });

  it("links every table-of-contents entry to an id present once in the page", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    const all = ids(html);
    expect(new Set(all).size).toBe(all.length);
    const toc = html.slice(html.indexOf('<nav class="toc"'), html.indexOf("</nav>"));
    const links = [...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual([
      "executive-summary",
      "the-seed-blog-s-three-cases",
      "simulate-and-fit",
      "the-blog-s-conclusions",
      "scaling-policies",
      "simulate-and-fit-2",
      "provenance",
    ]);
    for (const id of links) expect(all).toContain(id);
  });

  it("numbers figures and tables in report order, with their captions", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    const figures = [...html.matchAll(/Figure (\d+)\.<\/span> ([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(figures).toEqual([
      ["1", "case1: concurrent invocations"],
      ["2", "offset lag"],
      ["3", "policies side by side"],
    ]);
    const tables = [...html.matchAll(/Table (\d+)\.<\/span> ([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(tables).toEqual([
      ["1", "The blog&#x27;s conclusions: simulated (blog)"],
      ["2", "Kept table"],
    ]);
  });

  it("makes chart ids unique across charts", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    expect(html).toContain('id="figure-1-clip1"');
    expect(html).toContain('clip-path="url(#figure-2-clip1)"');
    expect(html).not.toContain('id="clip1"');
  });

  it("honours remove-cell, remove-output and hide-input, and hides code by default", async () => {
    const hidden = await renderReportHtml(sampleNotebooks(), fixed);
    expect(hidden).not.toContain("removed chart");
    expect(hidden).not.toContain("output removed");
    expect(hidden).toContain("Kept table");
    expect(hidden).not.toContain("showChart(a)");
    expect(hidden).not.toContain('{"k":1}');
    const shown = await renderReportHtml(sampleNotebooks(), { ...fixed, showCode: true });
    expect(shown).toContain("showChart(a)");
    expect(shown).not.toContain("hidden()");
    expect(shown).not.toContain("secret()");
  });

  it("gives one verdict line per case from the conclusions table", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    expect(html).toContain("case1: 3 of 3 of the blog&#x27;s conclusions reproduced within 10 %");
    expect(html).toContain(
      "case2: 2 of 3 of the blog&#x27;s conclusions reproduced within 10 % (largest gap: 3. re-evaluation (s), 33.3 %)",
    );
  });

  it("writes the provenance: version, commit, date, parameters, inputs, times", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    const appendix = html.slice(html.indexOf('id="provenance"'));
    for (const text of [
      "0123456789abcdef",
      "2026-03-04T05:06:07.000Z",
      "parameter policy",
      "&quot;legacy-15min&quot;",
      "input data/case1.json",
      "sha256:abc",
      "5.2 s (kernel start 2.1 s)",
      "tslab",
    ])
      expect(appendix).toContain(text);
  });

  it("is self-contained: no external URL loads, a CSP that forbids the network", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).not.toMatch(/\ssrc=/i);
    const csp = /Content-Security-Policy" content="([^"]*)"/
      .exec(html)?.[1]
      ?.replace(/&#x27;/g, "'");
    expect(csp).toMatch(/^default-src 'none'; /);
  });

  it("interactive: inlines vega-embed and the figures' specs, allowed by the CSP's hashes", async () => {
    const html = await renderReportHtml(sampleNotebooks(), { ...fixed, interactive: true });
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    const specs = scripts.find((m) => m[1]!.includes('type="application/json"'));
    expect(JSON.parse(specs![2]!)).toEqual({
      "figure-1": { title: { text: "case1: concurrent invocations" } },
      "figure-2": { title: { text: "offset lag" } },
      "figure-3": { title: { text: "policies side by side" } },
    });
    const code = scripts.filter((m) => m[1] === "").map((m) => m[2]!);
    expect(code).toHaveLength(2);
    expect(code[1]).toContain("vegaEmbed");
    const csp = /Content-Security-Policy" content="([^"]*)"/
      .exec(html)![1]!
      .replace(/&#x27;/g, "'")
      .replace(/&#x3D;/g, "=");
    const { createHash } = await import("node:crypto");
    for (const c of code)
      expect(csp).toContain(`'sha256-${createHash("sha256").update(c).digest("base64")}'`);
    expect(csp).not.toContain("unsafe-eval");
    // the static SVG stays as the fallback
    expect(html).toContain('<div class="svg"><svg');
  });

  it("without interactive, has no script but the ready signal", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]);
    expect(scripts).toEqual([READY_SCRIPT]);
    expect(html).not.toContain("vegaEmbed");
  });

  it("takes the layout, partials and CSS from a user folder, falling back to the defaults", async () => {
    const dir = await mkdtemp(join(tmpdir(), "esmlab-tpl-"));
    await mkdir(join(dir, "partials"));
    await writeFile(join(dir, "style.css"), "body { color: rebeccapurple; }");
    await writeFile(
      join(dir, "partials", "summary.hbs"),
      '<p id="executive-summary">mine: {{title}}</p>',
    );
    const html = await renderReportHtml(sampleNotebooks(), {
      ...fixed,
      templateDir: dir,
      title: "T&C",
    });
    expect(html).toContain("rebeccapurple");
    expect(html).toContain("mine: T&amp;C");
    expect(html).toContain("Figure 1.");
  });
});
