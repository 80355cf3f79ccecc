import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { phaseVerdict } from "../../src/blog/verdict.js";
import { runsBundle, verdictsBundle } from "../../src/display/report-data.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import { READY_SCRIPT, renderReportHtml } from "../../src/report/render-html.js";
import { chart, code, md, nb, output, sampleNotebooks, seedRun } from "./report-fixtures.js";

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
      [
        "1",
        "The blog&#x27;s conclusions, run by run: the run&#x27;s value, then the blog&#x27;s figure or formula for that run and how far the run is from it",
      ],
      ["2", "The blog&#x27;s conclusions: simulated (blog)"],
      ["3", "Kept table"],
    ]);
  });

  it("numbers the notebooks' tables from 1 when no notebook showed a verdict", async () => {
    const notebooks = sampleNotebooks().map(({ name, notebook }) => ({
      name,
      notebook: {
        ...notebook,
        cells: notebook.cells.filter((c) => !c.source.startsWith("showVerdicts")),
      },
    }));
    const html = await renderReportHtml(notebooks, fixed);
    const tables = [...html.matchAll(/Table (\d+)\.<\/span> ([^<]*)</g)].map((m) => m[1]);
    expect(tables).toEqual(["1", "2"]);
    expect(html).toContain("No notebook showed a per-run verdict");
  });

  it("resolves @fig- and @tbl- references, forward and across notebooks, to numbered links", async () => {
    const warnings: string[] = [];
    const html = await renderReportHtml(sampleNotebooks(), {
      ...fixed,
      onWarning: (w) => warnings.push(w),
    });
    expect(html).toContain(
      'The phases show in <a class="xref" href="#figure-1">Figure 1</a>, the lag in <a class="xref" href="#figure-2">Figure 2</a>; <a class="xref" href="#table-3">Table 3</a> is in the next notebook.',
    );
    for (const id of ["figure-1", "figure-2", "table-3"]) expect(html).toContain(`id="${id}"`);
    expect(warnings).toEqual([]);
  });

  it("marks an unresolved reference in the page and names it in a warning", async () => {
    const notebooks = sampleNotebooks();
    notebooks[1]!.notebook.cells.push(md("See @fig-nowhere and `@fig-code` and a@fig-mail."));
    const warnings: string[] = [];
    const html = await renderReportHtml(notebooks, {
      ...fixed,
      onWarning: (w) => warnings.push(w),
    });
    expect(html).toContain('<span class="xref unresolved">@fig-nowhere?</span>');
    expect(html).toContain("<code>@fig-code</code>");
    expect(html).toContain("a@fig-mail.");
    expect(warnings).toEqual([
      "03-scaling-policies.ipynb: @fig-nowhere refers to no labelled figure or table",
    ]);
  });

  it("ignores a malformed esmlab data output with a warning naming the notebook and cell", async () => {
    const notebooks = sampleNotebooks();
    notebooks[1]!.notebook.cells.push(
      code("recordRuns(x)", [
        {
          output_type: "display_data",
          data: { "application/vnd.esmlab.runs+json": { runs: [{ id: 7 }] }, "text/plain": "x" },
          metadata: {},
        },
      ]),
    );
    const warnings: string[] = [];
    await renderReportHtml(notebooks, { ...fixed, onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^03-scaling-policies\.ipynb, cell 6: esmlab data output ignored: application\/vnd\.esmlab\.runs\+json: runs\.0\.id: /,
    );
  });

  it("keeps code as written: no indentation added to its lines by the layout", async () => {
    const notebook = nb([md("# Code\n\n```\nfirst()\nsecond()\n```"), code("a()\nb()", [])]);
    const html = await renderReportHtml([{ name: "c.ipynb", notebook }], {
      ...fixed,
      showCode: true,
    });
    expect(html).toContain("first()\nsecond()");
    expect(html).toContain("a()\nb()");
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

  it("leaves notebook-only cells out of the report but keeps the runs they recorded", async () => {
    const [one, three] = sampleNotebooks();
    const cells = [
      ...three!.notebook.cells,
      md("## Only in the notebook\n\nThe assumed parameters, as the appendix gives them.", [
        "notebook-only",
      ]),
      code(
        "showTable(assumed); recordRuns([case3])",
        [chart("notebook-only chart"), output(runsBundle([seedRun("case3")]))],
        ["notebook-only"],
      ),
    ];
    const html = await renderReportHtml(
      [one!, { ...three!, notebook: { ...three!.notebook, cells } }],
      { ...fixed, showCode: true },
    );
    expect(html).not.toContain("Only in the notebook");
    expect(html).not.toContain("notebook-only chart");
    expect(html).not.toContain("recordRuns([case3])");
    // the run it recorded is in the scope and the appendix all the same
    expect(html).toMatch(/case3: Seed blog case 3/);
  });

  it("judges runs of another scaler against their own scenario, with no table of the blog's", async () => {
    const run = seedRun("case2", "keda");
    const v = phaseVerdict(run, fitThreePhases(run), { blog: false });
    const notebook = nb([
      md("# KEDA on case 2"),
      code("recordRuns([run])", [output(runsBundle([run]))]),
      code("showVerdicts([v])", [output(verdictsBundle([v]))]),
    ]);
    const html = await renderReportHtml([{ name: "k.ipynb", notebook }], fixed);
    const start = html.indexOf('id="executive-summary"');
    const summary = html.slice(start, html.indexOf("</section>", start));
    // case 2's arrivals: 5 records/s × 3 s ÷ batch 1
    expect(summary).toContain("Keeping up with arrivals takes about 15 concurrent invocations");
    expect(summary).toMatch(/records waited up to [\d.]+\u00a0(s|min) \(99th percentile\)/);
    expect(summary).not.toContain("blog");
    expect(html).not.toContain('id="table-summary"');
  });

  it("writes findings from the verdicts and tabulates the blog's conclusions for them", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    const summary = html.slice(html.indexOf('id="executive-summary"'), html.indexOf("</section>"));
    // the seed blog's cases 1 and 2 under the legacy scaler: 15 min at one invocation, then
    // the partition count (10 and 20) — the blog's figures 1 and 4a
    expect(summary).toContain(
      "In both runs the scaler held concurrency at 1 for the first 15\u00a0min (the tear-up), then rose to 10 and 20, one invocation per partition.",
    );
    // case 2: 5 msg/s = 300 records a minute produced; one 3-s invocation at a time = 20 a minute
    expect(summary).toContain("processed 20 records a minute against 300 produced");
    expect(summary).toMatch(
      /Of the blog&#x27;s figures that could be compared, \d+ of 12 are within 10%/,
    );
    expect(summary).toContain('<a href="#the-seed-blog-s-three-cases">');
    // findings in words: no file, path or script name
    expect(summary.slice(0, summary.indexOf("<figure"))).not.toMatch(/\.ipynb|\.json|\w\/\w/);
    // table 1: the conclusions keyed 1–5 (4a and 4b are two figures of conclusion 4), a row per
    // run, the blog's figure and the gap under each value: 900 / 3 = 300 invocations
    expect(summary).toMatch(
      /<th scope="col" class="num">4a<\/th><th scope="col" class="num">4b<\/th>/,
    );
    expect(summary).toMatch(
      /<tr><th scope="row">case2<\/th><td class="num">1<br><span class="blog">blog 1 · 0%<\/span><\/td><td class="num">300<br><span class="blog">blog 300 · 0%<\/span><\/td>/,
    );
    // and the lines stay where the notebook showed them, as a list
    const body = html.slice(html.indexOf("</section>"));
    expect(body).toMatch(
      /<ul class="verdicts"><li>case1: tear-up 15 min at 1 invocation; [^<]*<\/li><li>case2: /,
    );
  });

  it("lists every recorded run's scenario and the parameters that were not given, by basis", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    const appendix = html.slice(html.indexOf('id="provenance"'));
    // three runs: the first a base, the others as their differences from a named earlier run
    expect(appendix).toContain("a base scenario: its values are in the parameter table");
    // (Handlebars writes "=" as &#x3D;)
    expect(appendix).toContain(
      "as case1 (run 1), except scaler.maxPollers &#x3D; 20; topic.partitions &#x3D; 20; workload.ratePerSec &#x3D; 5<",
    );
    // run 3 (case 2 under KEDA) is told from run 2, the run it differs least from
    expect(appendix).toMatch(/as case2 \(run 2\), except scaler\.policy &#x3D; keda \(/);
    // no scenario as JSON on the page
    expect(appendix).not.toContain("&quot;partitions&quot;");
    // assumed values are named with their reason and the runs that used them
    expect(appendix).toMatch(
      /<tr class="basis-assumed"><td><code>scaler\.scaleUp\.rule<\/code><\/td><td class="wrap">to-max \(1–2\)<\/td><td>assumed<\/td><td class="wrap">blog conclusion 4: [^<]+<\/td><\/tr>/,
    );
    expect(appendix).toMatch(
      /<tr class="basis-documented"><td><code>esm\.batchingWindowSec<\/code><\/td><td class="wrap">0\.5 \(all\)<\/td><td>documented<\/td><td class="wrap">AWS: [^<]+<\/td>/,
    );
    // one table for the report: a parameter has one row
    expect(appendix.match(/<code>workload\.recordBytes<\/code>/g)).toHaveLength(1);
  });

  it("writes the provenance: version, commit, date, parameters, inputs, times", async () => {
    const html = await renderReportHtml(sampleNotebooks(), fixed);
    const appendix = html.slice(html.indexOf('id="provenance"'));
    for (const text of [
      "0123456789abcdef",
      "2026-03-04T05:06:07.000Z",
      "policy &#x3D; legacy-15min, seed &#x3D; 1",
      'data/case1.json <code class="hash">sha256:abc</code>',
      "5.2 s (2.1 s)",
      "tslab 1.0.22",
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
    // the live charts run Vega-Lite 6, whatever version the notebook's MIME type named
    const v6 = { $schema: "https://vega.github.io/schema/vega-lite/v6.json" };
    expect(JSON.parse(specs![2]!)).toEqual({
      "figure-1": { ...v6, title: { text: "case1: concurrent invocations" } },
      "figure-2": { ...v6, title: { text: "offset lag" } },
      "figure-3": { ...v6, title: { text: "policies side by side" } },
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
