import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportNotebook } from "../../src/report/collect.js";
import { destinationPages } from "../../src/report/pdf-destinations.js";
import { renderReportHtml } from "../../src/report/render-html.js";
import { DEFAULT_CHROMIUM, renderReportPdf } from "../../src/report/render-pdf.js";
import {
  expectFontsEmbedded,
  pagesInOrder,
  pdfPageCount,
  pdfPageTexts,
  printedContents,
} from "./pdf-checks.js";
import { chart, code, md, nb, sampleNotebooks } from "./report-fixtures.js";

const hasTools = existsSync(DEFAULT_CHROMIUM) && existsSync("/usr/bin/pdftotext");

/**
 * Notebooks whose sections end on different pages: each has a heading, sub-headings (one of
 * them, "Findings", in every notebook) and a number of paragraphs that grows from one notebook
 * to the next, and a chart. No heading's text is printed elsewhere as a line of its own.
 */
function longNotebooks(): ReportNotebook[] {
  const paragraph = (n: number) =>
    `Paragraph ${n}. The backlog grows while the scaler waits for its next evaluation, then drains at the rate the partitions allow; this sentence is here to fill the page.`;
  return [1, 2, 3, 4].map((k) => ({
    name: `0${k}-part.ipynb`,
    notebook: nb([
      md(`# Part ${k} of the study\n\n${paragraph(0)}`),
      md(
        `## Setting ${k}\n\n${Array.from({ length: 6 + 5 * k }, (_v, i) => paragraph(i)).join("\n\n")}`,
      ),
      code("showChart(x)", [chart(`chart ${k}`)]),
      md(`## Findings\n\n${Array.from({ length: 4 * k }, (_v, i) => paragraph(i)).join("\n\n")}`),
    ]),
  }));
}

describe.skipIf(!hasTools)("renderReportPdf (system chromium, checked with poppler)", () => {
  it("prints text, page numbers and embedded fonts; blocks network loads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "esmlab-pdf-"));
    let html = await renderReportHtml(sampleNotebooks(), {
      title: "PDF check report",
      generatedAt: new Date("2026-03-04T05:06:07Z"),
      gitCommit: null,
    });
    // a remote image must not stall or reach the network (the CSP and the request filter block it)
    html = html.replace("</main>", '<img src="http://192.0.2.1/x.png" alt=""></main>');
    const pdf = await renderReportPdf(html, { title: "PDF check report", paper: "letter" });
    const path = join(dir, "report.pdf");
    await writeFile(path, pdf);
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
    expect(text).toContain("PDF check report");
    expect(text).toContain("Executive summary");
    expect(text).toContain("Figure 1.");
    expect(text).toMatch(/page 1 of \d+/);
    expectFontsEmbedded(path);
    const info = execFileSync("pdfinfo", [path], { encoding: "utf8" });
    expect(info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    expect(info).toMatch(/Tagged:\s+yes/);
  });

  it("numbers each contents entry with the page its heading is printed on", async () => {
    const dir = await mkdtemp(join(tmpdir(), "esmlab-pdf-toc-"));
    const html = await renderReportHtml(longNotebooks(), {
      title: "Contents check",
      generatedAt: new Date("2026-03-04T05:06:07Z"),
      gitCommit: null,
    });
    const warnings: string[] = [];
    const path = join(dir, "toc.pdf");
    const pdf = await renderReportPdf(html, {
      title: "Contents check",
      onWarning: (w) => warnings.push(w),
    });
    await writeFile(path, pdf);
    expect(warnings).toEqual([]);
    // the PDF reader the printer uses agrees with poppler's on every named destination
    const dests = execFileSync("pdfinfo", ["-dests", path], { encoding: "utf8" });
    const poppler = [...dests.matchAll(/^\s*(\d+)\s+\[.*\]\s+"(.*)"$/gm)].map((m) => [
      m[2],
      Number(m[1]),
    ]);
    expect(poppler.length).toBeGreaterThan(10);
    expect([...destinationPages(pdf)].sort()).toEqual(poppler.sort());
    const pages = pdfPageTexts(path);
    expect(pages.length).toBe(pdfPageCount(path));
    const toc = printedContents(pages);
    // every entry of the page's own contents list is printed with a number
    const listed = [...html.matchAll(/<span class="toc-text">([^<]*)<\/span>/g)].map((m) =>
      m[1]!.replace(/&#x27;/g, "'"),
    );
    expect(toc.entries.map((e) => e.text)).toEqual(listed);
    // the headings spread over several pages, so a constant or off-by-one number fails
    expect(new Set(toc.entries.map((e) => e.page)).size).toBeGreaterThan(4);
    // each heading is looked for after the one before it, so the four "Findings" are told apart
    const printed = pagesInOrder(
      pages,
      toc.entries.map((e) => e.text),
      { page: toc.page, line: "Contents" },
    );
    expect(printed).toEqual(toc.entries.map((e) => e.page));

    // a re-render guesses the numbers from the previous PDF (no layout-only print): a right
    // guess and a wrong one both end with the numbers where the headings are
    const right = destinationPages(pdf);
    const wrong = new Map([...right.keys()].map((id) => [id, 1]));
    for (const [name, pagesGuess] of [
      ["right", right],
      ["wrong", wrong],
    ] as const) {
      const again = join(dir, `toc-${name}.pdf`);
      await writeFile(
        again,
        await renderReportPdf(html, {
          title: "Contents check",
          pagesGuess,
          onWarning: (w) => warnings.push(w),
        }),
      );
      expect(printedContents(pdfPageTexts(again)).entries, name).toEqual(toc.entries);
    }
    expect(warnings).toEqual([]);
  });
});

describe("renderReportPdf without chromium", () => {
  it("names the apt command when chromium is missing", async () => {
    await expect(
      renderReportPdf("<p>x</p>", { title: "t", executablePath: "/nonexistent/chromium" }),
    ).rejects.toThrow(
      "chromium not found at /nonexistent/chromium: install it with: apt-get install -y --no-install-recommends chromium fonts-liberation poppler-utils",
    );
  });
});
