/**
 * Calibration recovers known scaler parameters from a run made with them. The "measured" runs
 * here are simulations at 1-minute resolution with chosen (non-default) parameters — synthetic
 * known answers, compared through the CloudWatch view as a real export would be.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/esm/simulate.js";
import { calibrate } from "../../src/fit/calibrate.js";
import { viewError } from "../../src/fit/view-error.js";
import { BUILTIN_SCENARIOS } from "../../src/scenario/builtins.js";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { EsmlabError } from "../../src/util/errors.js";

const measuredWith = (scaler: ScenarioInput["scaler"]) =>
  simulate(
    resolveScenario(
      { ...BUILTIN_SCENARIOS.case2!, scaler, run: { resolutionSec: 60 } },
      { source: "truth" },
    ),
  );

describe("calibrate", () => {
  it("recovers an on-demand scaler's cadence, delay and step from case 2's workload", async () => {
    const measured = measuredWith({
      policy: "on-demand-2022",
      evaluationIntervalSec: 120,
      actuationDelaySec: 90,
      scaleUp: { rule: "add", step: 2 },
    });
    const base = (await loadScenario("case2", { policy: "on-demand-2022" })).resolved;
    const r = calibrate(measured, base);
    const after = Object.fromEntries(r.parameters.map((p) => [p.path, p.after]));
    expect(after["scaler.evaluationIntervalSec"]).toBeCloseTo(120, -1);
    expect(after["scaler.actuationDelaySec"]).toBeCloseTo(90, -1);
    expect(after["scaler.scaleUp"]).toEqual({ rule: "add", step: 2 });
    expect(r.errorAfter.concurrencyRmse).toBe(0);
    expect(r.errorBefore.score).toBeGreaterThan(r.errorAfter.score);
    expect(r.simulations).toBeGreaterThan(50);
    // Lambda's metrics do not show idle pollers: the scale-down wait is not in the data
    expect(r.parameters.find((p) => p.path === "scaler.scaleDown.waitSec")?.pinned).toBe(false);
  });

  it("finds the blog's legacy behaviour from an on-demand start, and says when two parameters trade off", async () => {
    // a 13-minute evaluation with a 1-minute actuation: the first scale-up at 14 min
    const measured = measuredWith({
      policy: "legacy-15min",
      evaluationIntervalSec: 780,
      actuationDelaySec: 60,
    });
    const base = (await loadScenario("case2", { policy: "on-demand-2022" })).resolved;
    const r = calibrate(measured, base);
    expect(r.errorAfter.concurrencyRmse).toBe(0);
    const byPath = Object.fromEntries(r.parameters.map((p) => [p.path, p]));
    expect(byPath["scaler.concurrencyPerPoller"]?.after).toBe(1);
    const evalSec = byPath["scaler.evaluationIntervalSec"]!.after as number;
    const delaySec = byPath["scaler.actuationDelaySec"]!.after as number;
    expect(Math.floor((evalSec + delaySec) / 60)).toBe(14);
    expect(byPath["scaler.evaluationIntervalSec"]?.tradesOffWith).toContain(
      "scaler.actuationDelaySec",
    );
    expect(byPath["scaler.evaluationIntervalSec"]?.pinned).toBe(false);
  });

  it("marks fitted parameters as calibrated, and the calibrated scenario reproduces the fit", async () => {
    const measured = measuredWith({ policy: "legacy-15min", evaluationIntervalSec: 600 });
    const base = (await loadScenario("case2")).resolved;
    const r = calibrate(measured, base, { params: ["evaluationIntervalSec"] });
    expect(r.resolved.parameters["scaler.evaluationIntervalSec"]).toMatchObject({
      value: 600,
      basis: "calibrated",
    });
    expect(r.resolved.assumed).not.toContain("scaler.evaluationIntervalSec");
    expect(viewError(measured, simulate(r.resolved)).score).toBe(r.errorAfter.score);
  });

  it("refuses the peer policies", async () => {
    const measured = measuredWith({ policy: "legacy-15min" });
    const base = (await loadScenario("case2", { policy: "keda" })).resolved;
    expect(() => calibrate(measured, base)).toThrow(EsmlabError);
  });
});
