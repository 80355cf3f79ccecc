/**
 * The parameter space's moves keep what CloudWatch shows: a point moved onto another split of
 * concurrency into pollers × invocations per poller, its scale-up step rescaled where the step
 * counts pollers, simulates the same per-minute view (checked by the simulator, not by the
 * space's own code).
 */
import { describe, expect, it } from "vitest";
import { parameterSpace } from "../../src/calibrate/space.js";
import { viewError } from "../../src/compare/view-error.js";
import { simulate } from "../../src/esm/simulate.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ScalerSpec } from "../../src/scenario/types.js";

// a provisioned mapping whose lag builds for 15 minutes, then one scale-up (the shape of the
// recovery suite's provisioned#32, where 1 poller × 4 and 4 pollers × 1 fit the same run)
const workload: ScenarioInput = {
  workload: { kind: "constant", ratePerSec: 1.5, durationSec: 2398 },
  topic: { partitions: 40 },
  esm: { batchSize: 1 },
  function: { duration: { kind: "constant", sec: 5 } },
  seed: 1,
};

const runWith = (scaler: ScalerSpec) =>
  simulate(resolveScenario({ ...workload, scaler } as ScenarioInput, { source: "space test" }));

describe("parameter space moves", () => {
  const base = resolveScenario(
    { ...workload, scaler: { policy: "provisioned", minPollers: 1, maxPollers: 40 } },
    { source: "space test" },
  ).scenario.scaler;
  const space = parameterSpace(base);
  const dim = (b: number, name: string) =>
    space.branches[b]!.dims.findIndex((d) => d.name === name);

  const point = (rule: string, step: number) => {
    const b = space.branches.findIndex((br) => br.name === rule);
    const x = space.branches[b]!.dims.map((d) => d.lo);
    x[dim(b, "evaluationIntervalSec")] = 958;
    x[dim(b, "actuationDelaySec")] = 55;
    x[dim(b, "initialPollers")] = 4;
    x[dim(b, "concurrencyPerPoller")] = 1;
    x[dim(b, "scaleDown.waitSec")] = 300;
    x[dim(b, rule === "add" ? "scaleUp.step" : "scaleUp.targetLagPerPollerRecords")] = step;
    return { branch: b, x };
  };

  it("keeps the view when 4 pollers × 1 becomes 1 × 4 under to-target (lag per poller ×4)", () => {
    const from = point("to-target", 93);
    const b = from.branch;
    const to = space.moveTo(from, dim(b, "initialPollers"), 1);
    expect(to.x[dim(b, "concurrencyPerPoller")]).toBe(4);
    expect(to.x[dim(b, "scaleUp.targetLagPerPollerRecords")]).toBeCloseTo(372, 9);
    expect(space.apply(to)).not.toEqual(space.apply(from));
    const a = runWith(space.apply(from));
    const c = runWith(space.apply(to));
    expect(viewError(a, c).concurrencyRmse).toBe(0);
    expect(viewError(a, c).invocationsRmse).toBe(0);
  });

  it("rescales an add step counted in pollers (add 4 of 1 invocation = add 1 of 4)", () => {
    // (the view is not exactly kept under add: pollers hand over and scale down one at a
    // time, and one poller of 4 is not four of 1 there)
    const from = point("add", 4);
    const b = from.branch;
    const to = space.moveTo(from, dim(b, "concurrencyPerPoller"), 4);
    expect(to.x[dim(b, "initialPollers")]).toBe(1);
    expect(to.x[dim(b, "scaleUp.step")]).toBe(1);
    const back = space.moveTo(to, dim(b, "initialPollers"), 4);
    expect(back.x).toEqual(from.x);
  });
});
