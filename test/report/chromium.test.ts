/**
 * The report from the four shipped notebooks, executed here on the tslab kernel, checked by its
 * real consumers: the system Chromium (console, requests, layout, links, a 375 px phone
 * screen, the live charts) and poppler (the printed text, fonts, pages and outline).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readNotebook } from "../../src/notebooks/nbformat.js";
import { runNotebooks } from "../../src/notebooks/runner.js";
import type { ReportNotebook } from "../../src/report/collect.js";
import { renderReportHtml } from "../../src/report/render-html.js";
import { DEFAULT_CHROMIUM, launchChromium, renderReportPdf } from "../../src/report/render-pdf.js";
import { tempDir } from "../helpers.js";
import { expectFontsEmbedded } from "./pdf-checks.js";

const hasTools = existsSync(DEFAULT_CHROMIUM) && existsSync("/usr/bin/pdftotext");
const fixed = { generatedAt: new Date("2026-03-04T05:06:07Z"), gitCommit: "0123456789abcdef" };

/** What a page did while loading. */
interface PageLog {
  errors: string[];
  failed: string[];
  urls: string[];
}

describe.skipIf(!hasTools)("the report of the shipped notebooks in Chromium", () => {
  const dir = tempDir("esmlab-report-chromium-");
  let browser: Browser;
  let html: string;
  let staticUrl: string;
  let liveUrl: string;
  let liveHtml: string;

  beforeAll(async () => {
    const paths = readdirSync("notebooks")
      .filter((f) => f.endsWith(".ipynb"))
      .sort()
      .map((f) => join("notebooks", f));
    const results = await runNotebooks(paths, { outDir: dir, cellTimeoutMs: 120_000 });
    expect(results.map((r) => r.status)).toEqual(paths.map(() => "ok"));
    const notebooks: ReportNotebook[] = [];
    for (const r of results) {
      notebooks.push({
        name: r.outPath.split("/").pop()!,
        notebook: await readNotebook(r.outPath),
      });
    }
    html = await renderReportHtml(notebooks, { ...fixed, title: "Chromium check report" });
    liveHtml = await renderReportHtml(notebooks, { ...fixed, interactive: true });
    await writeFile(join(dir, "report.html"), html);
    await writeFile(join(dir, "live.html"), liveHtml);
    staticUrl = pathToFileURL(join(dir, "report.html")).href;
    liveUrl = pathToFileURL(join(dir, "live.html")).href;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a URL, recording console errors, failed and all requests, until the ready signal. */
  const open = async (url: string, width = 1200): Promise<{ page: Page; log: PageLog }> => {
    const page = await browser.newPage();
    const log: PageLog = { errors: [], failed: [], urls: [] };
    page.on("console", (m) => {
      if (m.type() === "error") log.errors.push(m.text());
    });
    page.on("pageerror", (e) => log.errors.push(String(e)));
    page.on("requestfailed", (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on("request", (r) => log.urls.push(r.url()));
    await page.setViewport({ width, height: 800 });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction("window.__esmlabReady === true");
    return { page, log };
  };

  const expectQuiet = (log: PageLog) => {
    expect(log.errors).toEqual([]);
    expect(log.failed).toEqual([]);
    expect(log.urls.filter((u) => !/^(file|data|about):/.test(u))).toEqual([]);
  };

  it("loads from file:// without console errors or network requests", async () => {
    const { page, log } = await open(staticUrl);
    expectQuiet(log);
    await page.close();
  });

  it("lays out every figure's SVG with a non-zero box", async () => {
    const { page } = await open(staticUrl);
    const boxes = await page.$$eval("figure.chart .svg > svg", (svgs) =>
      svgs.map((s) => {
        const r = s.getBoundingClientRect();
        return [r.width, r.height];
      }),
    );
    expect(boxes.length).toBe((html.match(/<figure class="chart"/g) ?? []).length);
    expect(boxes.length).toBeGreaterThanOrEqual(4);
    for (const [w, h] of boxes) {
      expect(w).toBeGreaterThan(0);
      expect(h).toBeGreaterThan(0);
    }
    await page.close();
  });

  it("links every table-of-contents entry to an element of the page", async () => {
    const { page } = await open(staticUrl);
    const missing = await page.$$eval("nav.toc a", (links) =>
      links
        .map((a) => a.getAttribute("href") ?? "")
        .filter((href) => !href.startsWith("#") || !document.getElementById(href.slice(1))),
    );
    const count = await page.$$eval("nav.toc a", (links) => links.length);
    expect(count).toBeGreaterThan(5);
    expect(missing).toEqual([]);
    await page.close();
  });

  it("links every cross-reference to the figure or table it names", async () => {
    const { page } = await open(staticUrl);
    const refs = await page.$$eval("a.xref", (links) =>
      links.map((a) => {
        const target = document.getElementById((a.getAttribute("href") ?? "").slice(1));
        const label = target?.querySelector("figcaption .label")?.textContent ?? null;
        return { text: a.textContent, label };
      }),
    );
    // the shipped notebooks refer to their figures and tables; each link's text is the
    // number its target shows ("Figure 3" → "Figure 3.")
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(r.label).toBe(`${r.text}.`);
    expect(await page.$$eval(".xref.unresolved", (s) => s.length)).toBe(0);
    await page.close();
  });

  it("fits a 375 px phone screen without horizontal overflow", async () => {
    for (const url of [staticUrl, liveUrl]) {
      const { page } = await open(url, 375);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, url).toBeLessThanOrEqual(375);
      await page.close();
    }
  });

  it("interactive: draws every figure live, within the CSP, keeping the SVG in the page", async () => {
    const { page, log } = await open(liveUrl);
    const figures = (html.match(/<figure class="chart"/g) ?? []).length;
    await page.waitForFunction(
      (n: number) => document.querySelectorAll("figure.chart.is-live").length === n,
      {},
      figures,
    );
    expectQuiet(log);
    const live = await page.$$eval("figure.chart .live svg", (svgs) =>
      svgs.map((s) => s.getBoundingClientRect().width * s.getBoundingClientRect().height),
    );
    expect(live.length).toBe(figures);
    for (const area of live) expect(area).toBeGreaterThan(0);
    expect(await page.$$eval("figure.chart .svg > svg", (s) => s.length)).toBe(figures);
    await page.close();
    // print shows the static SVG: the interactive page prints as the static one does
    const path = join(dir, "live.pdf");
    await writeFile(path, await renderReportPdf(liveHtml, { title: "live" }));
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
    expect(text).toContain(`Figure ${figures}.`);
  });

  it("prints a PDF with the conclusions, embedded fonts, more than 3 pages and an outline", async () => {
    const pdf = await renderReportPdf(html, { title: "Chromium check report" });
    const path = join(dir, "report.pdf");
    await writeFile(path, pdf);
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
    // Table 1: each run's value, and under it the blog's figure and the relative error
    for (const s of ["blog 300 · 0%", "case1", "case2", "case3"]) expect(text).toContain(s);
    expectFontsEmbedded(path);
    const info = execFileSync("pdfinfo", [path], { encoding: "utf8" });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThan(3);
    const bytes = readFileSync(path).toString("latin1");
    expect(bytes).toMatch(/\/Outlines\s+\d+\s+0\s+R/);
    expect(bytes).toMatch(/\/Type\s*\/Outlines/);
  });
});
