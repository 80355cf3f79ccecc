/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in Chromium, against the DOM)
/**
 * Chart text on a phone: a report holding esmlab's widest charts, rendered as showChart writes
 * them, opened in the system Chromium at 375 px. The size a reader sees is the text's font size
 * times the scale the page draws its SVG at (the text's screen transform), measured by the
 * browser itself.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { policyComparisonChart, smallMultiplesChart } from "../../src/charts/multi-run-charts.js";
import { overlayChart } from "../../src/charts/overlay-chart.js";
import { chartBundle } from "../../src/display/bundle.js";
import { renderReportHtml } from "../../src/report/render-html.js";
import { DEFAULT_CHROMIUM, launchChromium } from "../../src/report/render-pdf.js";
import { minuteRun, seedRun } from "../charts/chart-helpers.js";
import { tempDir } from "../helpers.js";
import { code, md, nb, output } from "./report-fixtures.js";

const PHONE_PX = 375;
/** The smallest chart text a phone reader should get, CSS px. */
const MIN_TEXT_PX = 9;
const fixed = { generatedAt: new Date("2026-03-04T05:06:07Z"), gitCommit: "0123456789abcdef" };

/** Rendered size of every chart text of the shown charts (hidden ones skipped), CSS px. */
function chartTextSizes(page: Page): Promise<{ text: string; px: number }[]> {
  return page.$$eval("figure.chart svg", (svgs) =>
    svgs
      .filter((svg) => svg.getBoundingClientRect().width > 0)
      .flatMap((svg) =>
        Array.from(svg.querySelectorAll("text"))
          .filter((t) => (t.textContent ?? "").trim() !== "")
          .map((t) => {
            const m = t.getScreenCTM();
            // the length of the transformed x unit: rotated axis titles included
            const scale = m === null ? 0 : Math.hypot(m.a, m.b);
            return {
              text: t.textContent ?? "",
              px: Number.parseFloat(getComputedStyle(t).fontSize) * scale,
            };
          }),
      ),
  );
}

describe.skipIf(!existsSync(DEFAULT_CHROMIUM))("chart text in the report on a phone", () => {
  const dir = tempDir("esmlab-charts-mobile-");
  let browser: Browser;
  const urls: Record<"static" | "live", string> = { static: "", live: "" };

  beforeAll(async () => {
    const policies = ["legacy-15min", "on-demand-2022", "keda"];
    const cases = await Promise.all(["case1", "case2", "case3"].map((c) => seedRun(c)));
    const byPolicy = await Promise.all(policies.map((p) => seedRun("case2", p)));
    const specs = [
      smallMultiplesChart(cases),
      concurrencyChart(cases[1]!),
      policyComparisonChart(byPolicy),
      overlayChart(await minuteRun(), cases[0]!),
    ];
    const outputs = [];
    for (const spec of specs) outputs.push(output(await chartBundle(spec)));
    const notebooks = [
      { name: "charts.ipynb", notebook: nb([md("# Charts"), code("showChart(…)", outputs)]) },
    ];
    for (const mode of ["static", "live"] as const) {
      const html = await renderReportHtml(notebooks, { ...fixed, interactive: mode === "live" });
      const path = join(dir, `${mode}.html`);
      await writeFile(path, html);
      urls[mode] = pathToFileURL(path).href;
    }
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  const open = async (url: string, width: number): Promise<Page> => {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 800 });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction("window.__esmlabReady === true");
    return page;
  };

  it(`at ${PHONE_PX} px every chart text renders at ${MIN_TEXT_PX} px or more, the charts scrolling inside their box, not the page`, async () => {
    const page = await open(urls.static, PHONE_PX);
    const sizes = await chartTextSizes(page);
    // four charts, each with titles, axes and legends
    expect(sizes.length).toBeGreaterThan(100);
    const small = sizes.filter((s) => s.px < MIN_TEXT_PX);
    expect(small).toEqual([]);
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(PHONE_PX);
    const boxes = await page.$$eval("figure.chart .svg", (divs) =>
      divs.map((d) => ({ scroll: d.scrollWidth, client: d.clientWidth })),
    );
    expect(boxes).toHaveLength(4);
    for (const b of boxes) expect(b.scroll).toBeGreaterThan(b.client);
    await page.close();
  });

  it(`the live charts (vega-embed) keep their text at ${MIN_TEXT_PX} px or more at ${PHONE_PX} px too`, async () => {
    const page = await open(urls.live, PHONE_PX);
    await page.waitForFunction(
      () => document.querySelectorAll("figure.chart.is-live .live svg").length === 4,
    );
    const sizes = await chartTextSizes(page);
    expect(sizes.length).toBeGreaterThan(100);
    expect(sizes.filter((s) => s.px < MIN_TEXT_PX)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE_PX,
    );
    await page.close();
  });

  it("on a desktop screen the charts fit their column at full size, without a scroll bar", async () => {
    const page = await open(urls.static, 1200);
    const boxes = await page.$$eval("figure.chart .svg", (divs) =>
      divs.map((d) => ({ scroll: d.scrollWidth, client: d.clientWidth })),
    );
    for (const b of boxes) expect(b.scroll).toBeLessThanOrEqual(b.client);
    const sizes = await chartTextSizes(page);
    expect(Math.min(...sizes.map((s) => s.px))).toBeGreaterThanOrEqual(10 - 1e-6);
    await page.close();
  });
});
