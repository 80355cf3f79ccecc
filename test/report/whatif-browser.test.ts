/// <reference lib="dom" />
/**
 * The what-if panel in a real Chromium: the interactive report of a notebook that asks for a
 * panel (test/fixtures/notebooks/whatif.ipynb, seed case 2) is opened from disk; the partitions
 * and then the policy are changed in the form, and what the page shows — the verdict, the lines,
 * the concurrency chart's data, the scenario JSON it offers to copy — must change and equal
 * what `esmlab simulate` writes and prints for that JSON (same seed). The static report shows
 * the panel's first state, with no form.
 *
 * ESMLAB_SCREENSHOT=<file.png> also writes the panel as the README shows it.
 */
import { existsSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phaseVerdict } from "../../src/blog/verdict.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import { readNotebook } from "../../src/notebooks/nbformat.js";
import { runNotebooks } from "../../src/notebooks/runner.js";
import { renderReportHtml } from "../../src/report/render-html.js";
import { DEFAULT_CHROMIUM, launchChromium } from "../../src/report/render-pdf.js";
import { loadRun } from "../../src/run/run-io.js";
import type { WhatIfOutcome } from "../../src/whatif/engine.js";
import { runCli, tempDir } from "../helpers.js";

const NOTEBOOK = "test/fixtures/notebooks/whatif.ipynb";

/** What the panel shows after its `drawn`-th answer. */
interface Shown {
  verdict: string;
  lines: string;
  json: string;
  outcome: WhatIfOutcome;
  liveCharts: number;
}

describe.skipIf(!existsSync(DEFAULT_CHROMIUM))("the what-if panel in Chromium", () => {
  const dir = tempDir("esmlab-whatif-browser-");
  let browser: Browser;
  let page: Page;
  let staticHtml: string;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const [result] = await runNotebooks([NOTEBOOK], { outDir: dir, cellTimeoutMs: 120_000 });
    expect(result?.status).toBe("ok");
    const notebooks = [{ name: "whatif.ipynb", notebook: await readNotebook(result!.outPath) }];
    const fixed = { generatedAt: new Date("2026-03-04T05:06:07Z"), gitCommit: null };
    staticHtml = await renderReportHtml(notebooks, fixed);
    await writeFile(
      join(dir, "live.html"),
      await renderReportHtml(notebooks, { ...fixed, interactive: true }),
    );
    browser = await launchChromium();
    page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    // the worker's own console too: its errors show only there
    page.on("workercreated", (worker) =>
      worker.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warn") errors.push(`worker: ${m.text()}`);
      }),
    );
    page.on("request", (r) => {
      if (!/^(file|data|blob):/.test(r.url())) requests.push(r.url());
    });
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(pathToFileURL(join(dir, "live.html")).href, { waitUntil: "load" });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function change(selector: string, value: string, drawn: number): Promise<Shown> {
    await page.$eval(
      selector,
      (el, v) => {
        const field = el as HTMLInputElement | HTMLSelectElement;
        field.value = v;
        field.dispatchEvent(new Event("change", { bubbles: true }));
      },
      value,
    );
    await page.waitForFunction(
      (n) => (document.querySelector("[data-whatif]") as HTMLElement).dataset.drawn === String(n),
      { timeout: 30_000 },
      drawn,
    );
    return page.$eval("[data-whatif]", (section) => ({
      verdict: section.querySelector(".whatif-verdict")!.textContent!,
      lines: section.querySelector(".whatif-lines")!.textContent!,
      json: (section.querySelector("textarea") as HTMLTextAreaElement).value,
      outcome: (section as unknown as { esmlabOutcome: WhatIfOutcome }).esmlabOutcome,
      liveCharts: section.querySelectorAll(".whatif-chart .vega-embed svg").length,
    }));
  }

  /**
   * `esmlab simulate` on the JSON the panel offers: its printout must be the panel's lines, the
   * verdict of its run the panel's, and its run's concurrency chart (at the panel's size) the
   * data the panel drew.
   */
  async function expectSimulated(shown: Shown, name: string): Promise<void> {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, shown.json);
    const res = runCli("simulate", file, "--out", join(dir, name));
    expect(res.code, res.err).toBe(0);
    expect(shown.lines).toBe(res.out.split("\n").slice(0, -2).join("\n"));
    const run = await loadRun(join(dir, name));
    expect(shown.verdict).toBe(phaseVerdict(run, fitThreePhases(run)).line);
    expect(shown.outcome.charts.concurrency.datasets).toEqual(
      concurrencyChart(run, {
        width: 260,
        height: 90,
        maxPoints: 520,
        title: "Concurrent invocations",
      }).datasets,
    );
  }

  it("opens from disk with its first state and no error or request", async () => {
    const first = await page.$eval("[data-whatif]", (s) => ({
      verdict: s.querySelector(".whatif-verdict")!.textContent!,
      state: (s as HTMLElement).dataset.state,
      svgs: s.querySelectorAll(".whatif-chart svg").length,
    }));
    expect(first).toEqual({
      verdict: expect.stringMatching(
        /^case2: tear-up 15 min at 1 invocation; plateau 20 = partitions;/,
      ),
      state: "ready",
      svgs: 2,
    });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("re-simulates on new partitions as esmlab simulate does", async () => {
    const shown = await change('[name="partitions"]', "40", 1);
    expect(shown.verdict).toMatch(/plateau 40 = partitions/);
    expect(JSON.parse(shown.json).topic.partitions).toBe(40);
    await expectSimulated(shown, "forty");
    expect(shown.liveCharts).toBe(2);
  });

  it("re-simulates under another policy, its preset's parameters listed", async () => {
    const shown = await change('[name="policy"]', "on-demand-current", 2);
    expect(shown.verdict).toMatch(/^what-if: tear-up .*; plateau 40 = partitions;/);
    expect(shown.verdict).not.toMatch(/tear-up 15 min/);
    expect(JSON.parse(shown.json).scaler).toEqual({ policy: "on-demand-current" });
    await expectSimulated(shown, "on-demand");
    const advanced = await page.$$eval("[data-advanced]", (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).dataset.advanced),
    );
    expect(advanced).toContain("actuationDelaySec");
    expect(errors).toEqual([]);
    if (process.env.ESMLAB_SCREENSHOT) {
      const box = await (await page.$("[data-whatif]"))!.boundingBox();
      await page.screenshot({ path: process.env.ESMLAB_SCREENSHOT as `${string}.png`, clip: box! });
    }
  });

  it("takes an assumed parameter changed under advanced, a rule among its choices", async () => {
    const shown = await change('[data-advanced="scaleUp.rule"]', "add", 3);
    expect(JSON.parse(shown.json).scaler).toEqual({
      policy: "on-demand-current",
      scaleUp: { rule: "add" },
    });
    await expectSimulated(shown, "add-rule");
    expect(shown.outcome.parameters["scaler.scaleUp.rule"]).toEqual({
      value: "add",
      basis: "given",
    });
  });

  it("says why a scenario is refused and keeps the last charts", async () => {
    const shown = await page.$eval('[name="partitions"]', (el) => {
      (el as HTMLInputElement).value = "0";
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(shown).toBeUndefined();
    await page.waitForFunction(
      () => (document.querySelector("[data-whatif]") as HTMLElement).dataset.state === "refused",
      { timeout: 30_000 },
    );
    const status = await page.$eval(".whatif-status", (s) => s.textContent);
    expect(status).toMatch(/^invalid topic\.partitions: 0 \(scenario what-if panel\)/);
    expect(await page.$$eval(".whatif-chart .vega-embed svg", (s) => s.length)).toBe(2);
  });

  it("prints its first state in the static report, without a form", () => {
    const start = staticHtml.indexOf("data-whatif");
    const panel = staticHtml.slice(start, staticHtml.indexOf("</section>", start));
    expect(panel).not.toContain("<form");
    expect(panel).toContain("case2: tear-up 15 min at 1 invocation; plateau 20 = partitions;");
    expect(panel.match(/<svg/g)?.length).toBe(2);
    expect(staticHtml).not.toContain("esmlab-whatif-worker");
  });
});
