/**
 * A report about the user's own run says only true things about it. Notebook 02 is rendered
 * by `esmlab report` with a measured input that is not the shipped example — the CloudWatch
 * export of a run unlike the blog's (Poisson arrivals at 8 records/s on 30 partitions, batch
 * 10, a lognormal 2-s function; simulated here, exported as GetMetricData returns it, with no
 * esmlab message in it) — and its own scenario file: the report must carry no synthetic notice
 * and no verdict against the blog's conclusions, and its summary must name the run and the
 * calibration's error. The shipped example's notice is checked by the default report's test
 * (test/report/report-numbers.test.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../../src/esm/simulate.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { getMetricDataJson } from "../calibrate/recovery.js";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-own-run-");
const exportFile = join(dir, "orders-march.gmd.json");
const scenarioFile = join(dir, "orders-workload.json");
const out = join(dir, "report");

/** The user's workload, as they would describe it (no scaler: the notebook's policy sets it). */
const workload: ScenarioInput = {
  name: "orders",
  label: "orders: 8 records/s, 30 partitions, batch 10",
  workload: { kind: "poisson", ratePerSec: 8, durationSec: 1800 },
  topic: { partitions: 30 },
  esm: { batchSize: 10 },
  function: { duration: { kind: "lognormal", medianSec: 2, sigma: 0.3 } },
  seed: 7,
};

describe("a report on the user's own run", () => {
  let html = "";
  let summary = "";

  beforeAll(() => {
    // the "measured" run: the same workload under a scaler esmlab does not preset exactly
    const truth = resolveScenario(
      {
        ...workload,
        scaler: { policy: "on-demand-current", evaluationIntervalSec: 90, actuationDelaySec: 30 },
      },
      { source: "own-run truth" },
    );
    writeFileSync(exportFile, getMetricDataJson(simulate(truth)));
    writeFileSync(scenarioFile, JSON.stringify(workload));
    const res = runCli(
      "report",
      "notebooks/02-live-vs-simulated.ipynb",
      "-p",
      `measuredPath=${exportFile}`,
      "-p",
      `scenario=${scenarioFile}`,
      "-p",
      "policy=on-demand-current",
      "--title",
      "My MSK run, March",
      "--no-pdf",
      "--out-dir",
      out,
    );
    expect(res.code, res.err).toBe(0);
    html = readFileSync(join(out, "esmlab-report.html"), "utf8");
    if (process.env.ESMLAB_KEEP_REPORT) writeFileSync(process.env.ESMLAB_KEEP_REPORT, html);
    const start = html.indexOf('id="executive-summary"');
    summary = html.slice(start, html.indexOf("</section>", start)).replace(/<[^>]+>/g, "");
  }, 600_000);

  it("carries no synthetic notice", () => {
    expect(html).not.toContain("This input is synthetic");
    // the title page's scope and the summary name a synthetic input so; a measurement, not
    expect(html).not.toMatch(/synthetic examples?, not (a )?measurements?|The synthetic example/);
    expect(html).not.toContain("Set `measuredPath`");
  });

  it("judges nothing against the blog's conclusions", () => {
    expect(html).not.toContain('id="table-summary"');
    expect(html).not.toMatch(/blog figures: \d+ of \d+/);
    expect(html).not.toMatch(/\(blog [\d,.]+/);
  });

  it("names the measured run and the calibration's error in its summary", () => {
    expect(summary).toContain("The measured run orders-march.gmd");
    expect(summary).toMatch(/Simulated with the on-demand-current preset/);
    expect(summary).toMatch(
      /the calibrated simulation (matches the measured concurrency minute by minute|is (still )?off by [\d.,]+ per minute)/,
    );
    expect(summary).toMatch(/partitions/);
  });
});
