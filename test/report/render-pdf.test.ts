import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderReportHtml } from "../../src/report/render-html.js";
import { DEFAULT_CHROMIUM, renderReportPdf } from "../../src/report/render-pdf.js";
import { expectFontsEmbedded } from "./pdf-checks.js";
import { sampleNotebooks } from "./report-fixtures.js";

const hasTools = existsSync(DEFAULT_CHROMIUM) && existsSync("/usr/bin/pdftotext");

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
