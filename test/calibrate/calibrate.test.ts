/**
 * Calibration recovers known scaler parameters from a run made with them. The "measured" runs
 * are simulations with chosen (non-default) parameters, exported as CloudWatch would show them
 * and imported — synthetic known answers — and calibration starts from the preset.
 */
import { describe, expect, it } from "vitest";
import { calibrate } from "../../src/calibrate/calibrate.js";
import { viewError } from "../../src/compare/view-error.js";
import { simulate } from "../../src/esm/simulate.js";
import { BUILTIN_SCENARIOS } from "../../src/scenario/builtins.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { EsmlabError } from "../../src/util/errors.js";
import { contains, exportAndImport } from "./recovery.js";

const measuredWith = (scaler: ScenarioInput["scaler"], name = "case2") =>
  exportAndImport(
    simulate(resolveScenario({ ...BUILTIN_SCENARIOS[name]!, scaler }, { source: `${name} truth` })),
  );

const byPath = (r: Awaited<ReturnType<typeof calibrate>>) =>
  Object.fromEntries(r.parameters.map((p) => [p.path, p]));

describe("calibrate", () => {
  it("finds the truth the issue's grid search missed: three parameters far from the on-demand-2022 preset", async () => {
    // the issue: evaluation interval, actuation delay and invocations per poller moved; the
    // old search ended at RMSE 2.65 and called wrong values pinned
    const truth = {
      policy: "on-demand-2022",
      evaluationIntervalSec: 240,
      actuationDelaySec: 150,
      concurrencyPerPoller: 3,
    } as const;
    const measured = measuredWith(truth);
    const base = (await loadScenario("case2", { policy: "on-demand-2022" })).resolved;
    const r = await calibrate(measured, base);
    expect(r.errorAfter.concurrencyRmse).toBeLessThanOrEqual(0.5);
    expect(r.errorBefore.concurrencyRmse).toBeGreaterThan(2);
    const p = byPath(r);
    for (const [path, value] of [
      ["scaler.evaluationIntervalSec", 240],
      ["scaler.actuationDelaySec", 150],
      ["scaler.concurrencyPerPoller", 3],
      ["scaler.initialPollers", 1],
      ["scaler.scaleUp", { rule: "add", step: 1 }],
    ] as const) {
      // every range holds the truth, pinned or not
      expect(contains(p[path]!, value), path).toBe(true);
    }
    // the scale-down wait hardly shows in Lambda's metrics: never pinned down by this run
    expect(p["scaler.scaleDown.waitSec"]?.pinned).toBe(false);
    expect(r.noise.tolerance).toBeGreaterThan(0);
  });

  it("recovers on-demand-current's initial pollers (the issue: 1 came back as 2, pinned)", async () => {
    const measured = measuredWith({ policy: "on-demand-current", initialPollers: 1 });
    const base = (await loadScenario("case2", { policy: "on-demand-current" })).resolved;
    const r = await calibrate(measured, base, {
      params: ["initialPollers", "concurrencyPerPoller", "evaluationIntervalSec"],
    });
    expect(r.errorAfter.concurrencyRmse).toBeLessThanOrEqual(0.5);
    const initial = byPath(r)["scaler.initialPollers"]!;
    expect(contains(initial, 1)).toBe(true);
  });

  it("says when two parameters trade off: a 13-minute cadence with a 1-minute delay", async () => {
    const measured = measuredWith({
      policy: "legacy-15min",
      evaluationIntervalSec: 780,
      actuationDelaySec: 60,
    });
    const base = (await loadScenario("case2", { policy: "legacy-15min" })).resolved;
    const r = await calibrate(measured, base, {
      params: ["evaluationIntervalSec", "actuationDelaySec"],
    });
    expect(r.errorAfter.concurrencyRmse).toBe(0);
    const p = byPath(r);
    const evalSec = p["scaler.evaluationIntervalSec"]!.after as number;
    const delaySec = p["scaler.actuationDelaySec"]!.after as number;
    // CloudWatch shows the scale-up in minute 14: any split of 14 min into cadence + delay fits
    expect(Math.floor((evalSec + delaySec) / 60)).toBe(14);
    expect(contains(p["scaler.evaluationIntervalSec"]!, 780)).toBe(true);
    expect(contains(p["scaler.actuationDelaySec"]!, 60)).toBe(true);
    expect(p["scaler.actuationDelaySec"]!.pinned).toBe(false);
    expect(p["scaler.evaluationIntervalSec"]!.tradesOffWith).toContain("scaler.actuationDelaySec");
  });

  it("fits one scaler to several runs at once, each run's minutes weighing the same", async () => {
    const truth = { policy: "legacy-15min", evaluationIntervalSec: 600 } as const;
    const names = ["case1", "case2", "case3"];
    const measured = names.map((n) => measuredWith(truth, n));
    const bases = await Promise.all(names.map(async (n) => (await loadScenario(n)).resolved));
    const r = await calibrate(measured, bases, { params: ["evaluationIntervalSec"] });
    expect(r.measuredIds).toHaveLength(3);
    expect(r.errorsAfter).toHaveLength(3);
    for (const e of r.errorsAfter) expect(e.concurrencyRmse).toBe(0);
    const p = byPath(r)["scaler.evaluationIntervalSec"]!;
    expect(contains(p, 600)).toBe(true);
    // each run's calibrated scenario keeps its own partitions as the poller cap
    expect(r.resolvedAll.map((s) => s.scenario.topic.partitions)).toEqual([10, 20, 100]);
    expect(r.resolvedAll.map((s) => s.scenario.scaler)).toMatchObject([
      { maxPollers: 10 },
      { maxPollers: 20 },
      { maxPollers: 100 },
    ]);
  });

  it("marks fitted parameters as calibrated, and the calibrated scenario reproduces the fit", async () => {
    const measured = measuredWith({ policy: "legacy-15min", evaluationIntervalSec: 600 });
    const base = (await loadScenario("case2")).resolved;
    const r = await calibrate(measured, base, { params: ["evaluationIntervalSec"] });
    const fitted = byPath(r)["scaler.evaluationIntervalSec"]!.after as number;
    expect(r.resolved.parameters["scaler.evaluationIntervalSec"]).toMatchObject({
      value: fitted,
      basis: "calibrated",
    });
    expect(r.resolved.assumed).not.toContain("scaler.evaluationIntervalSec");
    expect(viewError(measured, simulate(r.resolved)).concurrencyRmse).toBe(
      r.errorAfter.concurrencyRmse,
    );
    expect(r.resolved.scenario.label).toContain("calibrated");
  });

  it("gives the same answer in process and on worker threads (same seed, same output)", async () => {
    const measured = measuredWith({ policy: "on-demand-2022", evaluationIntervalSec: 120 });
    const base = (await loadScenario("case2", { policy: "on-demand-2022" })).resolved;
    const params = ["evaluationIntervalSec", "actuationDelaySec"] as const;
    const a = await calibrate(measured, base, { params, workers: 0 });
    const b = await calibrate(measured, base, { params, workers: 2 });
    expect(b.parameters).toEqual(a.parameters);
    expect(b.errorAfter).toEqual(a.errorAfter);
    expect(b.candidates).toBe(a.candidates);
  });

  it("refuses the fixed policy, unknown parameters and mismatched runs", async () => {
    const measured = measuredWith({ policy: "legacy-15min" });
    const fixed = (await loadScenario("case2", { policy: "fixed" })).resolved;
    await expect(calibrate(measured, fixed)).rejects.toThrow(EsmlabError);
    const legacy = (await loadScenario("case2")).resolved;
    await expect(calibrate(measured, legacy, { params: ["lagThresholdRecords"] })).rejects.toThrow(
      /cannot calibrate scaler.lagThresholdRecords for policy legacy-15min/,
    );
    await expect(calibrate([measured, measured], [legacy])).rejects.toThrow(
      /2 measured runs and 1 scenarios/,
    );
  });
});
