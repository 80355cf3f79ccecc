/**
 * The analysis commands end to end, as a user chains them (built dist/, child processes):
 * a 1-minute "measured" run → calibrate (writing the calibrated simulation) → compare, and
 * fit / compare reading CloudWatch export files directly.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRun } from "../../src/run/run-io.js";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-analysis-cli-");

const esmlab = runCli;

describe("analysis commands", () => {
  const measured = join(dir, "measured");
  const calibrated = join(dir, "calibrated");

  it("calibrates on-demand-2022 to a run of the legacy scaler and writes the calibrated simulation", async () => {
    expect(esmlab("simulate", "case2", "--resolution", "60", "--out", measured).code).toBe(0);
    const res = esmlab(
      "calibrate",
      measured,
      "--scenario",
      "case2",
      "--policy",
      "on-demand-2022",
      "--out",
      calibrated,
    );
    expect(res.code).toBe(0);
    expect(res.out).toMatch(
      /calibrated on-demand-2022 to measured run .*: [\d,]+ candidates, [\d,]+ simulations in [\d.]+ s/,
    );
    expect(res.out).toMatch(/concurrency RMSE\s+[\d.]+\s+0\b/);
    const run = await loadRun(calibrated);
    expect(run.meta.parameters?.["scaler.evaluationIntervalSec"]?.basis).toBe("calibrated");
  });

  it("compares the measured and calibrated runs with a verdict", () => {
    const res = esmlab("compare", measured, calibrated);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(
      /verdict: B within 1 evaluation interval .*±0 consumers on the plateau; concurrency RMSE 0/,
    );
    const json = JSON.parse(esmlab("compare", measured, calibrated, "--json").out);
    expect(json.view.concurrencyRmse).toBe(0);
    expect(json.boundaries.length).toBeGreaterThan(0);
  });

  it("fits and compares CloudWatch exports read directly", () => {
    const gmd = "test/fixtures/cloudwatch/gmd-cli-v2.json";
    const fit = esmlab("fit", gmd, "--json");
    expect(fit.code).toBe(0);
    expect(JSON.parse(fit.out).source).toBe("measured");
    expect(esmlab("compare", gmd, "test/fixtures/cloudwatch/gmd-iso-z.json").code).toBe(0);
  });

  it("rejects a calibration of the fixed policy, a bad parameter list and mismatched runs in one line", () => {
    const fixed = esmlab("calibrate", measured, "--scenario", "case2", "--policy", "fixed");
    expect(fixed.code).toBe(1);
    expect(fixed.err.trim().split("\n")).toHaveLength(1);
    expect(fixed.err).toMatch(/cannot calibrate policy fixed/);
    const two = esmlab("calibrate", measured, measured, "--scenario", "case2");
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/2 measured runs and 1 scenario/);
    const bad = esmlab("calibrate", measured, "--scenario", "case2", "--params", "colour");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown parameter "colour"/);
    expect(esmlab("compare", measured, join(dir, "nope")).err).toMatch(/cannot read run .*nope/);
  });
});
