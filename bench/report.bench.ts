/**
 * Report speed (issue 5 targets on this 2-core machine): the whole `esmlab report` from
 * scratch under 30 s, a re-render from the notebook cache under 5 s, the PDF step alone
 * under 3 s — from the finished HTML to the PDF, Chromium having started while the HTML
 * rendered, as `esmlab report` runs it; the figure with Chromium's own start and close is
 * printed beside it. Runs the real notebooks in-process into a temporary folder.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { registerReport } from "../src/cli/commands/report.js";
import { DEFAULT_CHROMIUM, renderReportPdf, startPrinter } from "../src/report/render-pdf.js";

export async function benchReport(): Promise<void> {
  console.log("== report");
  const paths = readdirSync("notebooks")
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join("notebooks", f));
  const withPdf = existsSync(DEFAULT_CHROMIUM);
  if (!withPdf)
    console.log(`  ${DEFAULT_CHROMIUM} missing: HTML only (npm run report installs it)`);
  const out = mkdtempSync(join(tmpdir(), "esmlab-bench-report-"));
  const report = async (): Promise<number> => {
    const program = new Command().exitOverride();
    registerReport(program);
    const args = [...paths, "--out-dir", out, ...(withPdf ? [] : ["--no-pdf"])];
    const t0 = performance.now();
    await program.parseAsync(["node", "esmlab", "report", ...args]);
    return (performance.now() - t0) / 1000;
  };
  try {
    const scratch = await report();
    console.log(`  whole report from scratch: ${scratch.toFixed(2)} s  [target < 30 s]`);
    const cached = await report();
    console.log(`  re-render from the notebook cache: ${cached.toFixed(2)} s  [target < 5 s]`);
    if (!withPdf) return;
    const html = readFileSync(join(out, "esmlab-report.html"), "utf8");
    // as `esmlab report` prints: Chromium and its page started while the HTML renders
    const printer = await startPrinter();
    let pdf: Uint8Array;
    let pdfSec: number;
    try {
      const t0 = performance.now();
      pdf = await renderReportPdf(html, { title: "esmlab report", ...printer });
      pdfSec = (performance.now() - t0) / 1000;
    } finally {
      await printer.browser.close();
    }
    const t1 = performance.now();
    await renderReportPdf(html, { title: "esmlab report" });
    const coldSec = (performance.now() - t1) / 1000;
    console.log(
      `  PDF step alone (${(pdf.byteLength / 1024).toFixed(0)} KiB, two prints; Chromium started while the HTML renders, as esmlab report does): ${pdfSec.toFixed(2)} s  [target < 3 s]; with Chromium's start and close: ${coldSec.toFixed(2)} s`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
