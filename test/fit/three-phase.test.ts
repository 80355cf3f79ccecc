/**
 * The three-phase fit on the seed cases (1 s simulated, and the same runs seen at 1 minute, as
 * CloudWatch would report them), on a measured-like run, and on runs that never leave the
 * tear-up. Known answers come from the blog's setup (900 s tear-up at one invocation, then the
 * partition count; 900 / 3 s = 300 invocations) and from the simulator's own summary
 * (production end, the time the lag drained), not from the fit.
 */
import { describe, expect, it } from "vitest";
import { blogComparison } from "../../src/blog/comparison.js";
import {
  fitThreePhases,
  type ThreePhaseFit,
  type ThreePhaseOptions,
} from "../../src/fit/three-phase.js";
import type { Run } from "../../src/run/run.js";
import { simulateBuiltin, simulateTraced } from "../helpers.js";
import { asMeasured, concurrencyRun, rep, toMinutes } from "./fit-helpers.js";

const SEEDS = [
  ["case1", 10],
  ["case2", 20],
  ["case3", 100],
] as const;

const runs = new Map<string, Run>();
async function seed(name: string): Promise<Run> {
  if (!runs.has(name)) runs.set(name, (await simulateBuiltin(name)).run);
  return runs.get(name)!;
}

const phase = (fit: ThreePhaseFit, name: string) => fit.phases.find((p) => p.name === name)!;
/** The fits made here, by the run they were made from (the blog's comparison needs both). */
const fittedRuns = new WeakMap<ThreePhaseFit, Run>();
function fitRun(run: Run, options?: ThreePhaseOptions): ThreePhaseFit {
  const fit = fitThreePhases(run, options);
  fittedRuns.set(fit, run);
  return fit;
}
const blog = (fit: ThreePhaseFit, figure: string) =>
  blogComparison(fittedRuns.get(fit)!, fit).find((b) => b.figure === figure)!;

/** Every number in a JSON-able value is finite (no NaN or Infinity hiding as null). */
function allFinite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === "object") return Object.values(value).every(allFinite);
  return true;
}

describe.each(SEEDS)("fitThreePhases(%s, legacy-15min, 1 s)", (name, partitions) => {
  it("finds a 900 s tear-up at one invocation, then a step to the partition count", async () => {
    const run = await seed(name);
    const fit = fitRun(run);
    expect(fit.found).toEqual(["tear-up", "max-throughput", "cool-down"]);
    expect(fit.missing).toEqual([]);
    const tearUp = phase(fit, "tear-up");
    expect([tearUp.start, tearUp.end]).toEqual([0, 900]);
    expect(tearUp.maxConcurrency).toBe(1);
    expect(tearUp.invocations).toBe(300);
    expect(fit.steps[0]).toEqual({ tSec: 900, from: 1, to: partitions });
    const plateau = phase(fit, "max-throughput");
    expect(plateau.start).toBe(900);
    expect(plateau.maxConcurrency).toBe(partitions);
    expect(fit.evaluationIntervalSec).toBe(900);
    expect(fit.evaluationIntervalBasis).toBe("pollers");
    expect(fit.initialPollers).toBe(1);
    expect(fit.r2).toBeGreaterThan(0.99);
    expect(allFinite(JSON.parse(JSON.stringify(fit)))).toBe(true);
  });

  it("cools down from the end of production until the lag has drained", async () => {
    const run = await seed(name);
    const fit = fitRun(run);
    const s = run.meta.summary;
    const coolDown = phase(fit, "cool-down");
    expect(coolDown.start).toBe(s.productionEndSec);
    expect(coolDown.end).toBe(s.drainedAtSec);
    expect(fit.levels.at(-1)!.level).toBeLessThan(0.01);
  });

  it("sets the blog's formulas beside the run's figures", async () => {
    const fit = fitRun(await seed(name));
    const inv = blog(fit, "invocationsFirst15Min");
    expect([inv.observed, inv.predicted, inv.relativeError]).toEqual([300, 300, 0]);
    expect(blog(fit, "maxConcurrencyFirst15Min").observed).toBe(1);
    const plateau = blog(fit, "plateauConcurrency");
    expect([plateau.observed, plateau.predicted, plateau.relativeError]).toEqual([
      partitions,
      partitions,
      0,
    ]);
    const perMin = blog(fit, "maxInvocationsPerMin");
    expect([perMin.observed, perMin.predicted]).toEqual([partitions * 20, partitions * 20]);
    expect(blog(fit, "evaluationIntervalSec").relativeError).toBe(0);
    const coolDown = blog(fit, "coolDownSec");
    expect(coolDown.predicted).toBe(900);
    expect(coolDown.observed).toBe(phase(fit, "cool-down").durationSec);
  });

  it("finds the same phases, within a minute, in the run seen at 1-minute resolution", async () => {
    const run = await seed(name);
    const fine = fitRun(run);
    const coarse = fitRun(toMinutes(run));
    expect(coarse.resolutionSec).toBe(60);
    expect(coarse.found).toEqual(fine.found);
    coarse.phases.forEach((p, i) => {
      expect(Math.abs(p.start - fine.phases[i]!.start)).toBeLessThan(60);
      expect(Math.abs(p.end - fine.phases[i]!.end)).toBeLessThan(60);
    });
    expect(phase(coarse, "tear-up").invocations).toBe(300);
    expect(coarse.evaluationIntervalSec).toBe(900);
    expect(blog(coarse, "plateauConcurrency").observed).toBe(partitions);
  });
});

describe("fitThreePhases on other runs", () => {
  it("case 3 falls from 100 to the steady 5/s × 3 s = 15 while production goes on", async () => {
    const fit = fitRun(await seed("case3"));
    expect(fit.steps.map((s) => Math.round(s.to))).toEqual([100, 15, 0]);
    expect(Math.abs(fit.steps[1]!.tSec - 1050)).toBeLessThan(5);
    expect(fit.notes.join()).toContain("belongs to no phase");
  });

  it("reads a measured-like run with given partitions and a Duration column", async () => {
    const run = asMeasured(await seed("case2"), 3000);
    const fit = fitRun(run, { partitions: 20 });
    expect(fit.facts.sources).toEqual({
      partitions: "given",
      meanDurationSec: "duration column",
      productionEndSec: "unknown",
    });
    expect(fit.evaluationIntervalBasis).toBe("concurrency");
    expect(fit.evaluationIntervalSec).toBe(900);
    expect(fit.initialPollers).toBe(1);
    expect(fit.found).toEqual(["tear-up", "max-throughput"]);
    expect(fit.missingReasons["cool-down"]).toContain("production end unknown");
    expect(blog(fit, "invocationsFirst15Min").predicted).toBe(300);
    expect(blog(fit, "maxInvocationsPerMin").predicted).toBe(400);

    const told = fitRun(run, { partitions: 20, productionEndSec: 2000 });
    const coolDown = phase(told, "cool-down");
    expect([coolDown.start, coolDown.end]).toEqual([2000, 2400]); // drained at 2356, in minute 2340
  });

  it("says a prediction is unknown rather than invent one", async () => {
    const fit = fitRun(asMeasured(await seed("case1"), Number.NaN));
    expect(fit.facts.partitions).toBeNull();
    expect(fit.facts.meanDurationSec).toBeNull();
    const perMin = blog(fit, "maxInvocationsPerMin");
    expect([perMin.predicted, perMin.relativeError]).toEqual([null, null]);
    expect(perMin.note).toContain("unknown");
    expect(blog(fit, "plateauConcurrency").predicted).toBeNull();
  });

  it("finds only the tear-up in a short run at a low rate, and says why", () => {
    const { run } = simulateTraced({
      name: "trickle",
      workload: { kind: "constant", ratePerSec: 0.1, durationSec: 300 },
      topic: { partitions: 10 },
      esm: { batchSize: 1 },
      function: { duration: { kind: "constant", sec: 3 } },
      scaler: { policy: "legacy-15min" },
    });
    const fit = fitRun(run);
    expect(fit.found).toEqual(["tear-up"]);
    expect(fit.missing).toEqual(["max-throughput", "cool-down"]);
    expect(fit.missingReasons["max-throughput"]).toMatch(/never rose in a sustained step/);
    expect(fit.steps).toEqual([]);
    expect(fit.evaluationIntervalSec).toBeNull();
    expect(blog(fit, "invocationsFirst15Min").observed).toBeNull();
    expect(blog(fit, "coolDownSec").note).toContain("no cool-down phase");
    expect(allFinite(JSON.parse(JSON.stringify(fit)))).toBe(true);
  });

  it("reports a plateau below the partition count as such", async () => {
    const fit = fitRun(await seed("case2"), { partitions: 40 });
    const row = blog(fit, "plateauConcurrency");
    expect([row.observed, row.predicted, row.relativeError]).toEqual([20, 40, -0.5]);
  });

  it("ignores a one-minute blip: a sustained step lasts two minutes or more", () => {
    const values = [...rep(1, 15), ...rep(10, 20), ...rep(0, 10)];
    values[5] = 10;
    const fit = fitRun(concurrencyRun(values, 60));
    expect(fit.steps.map((s) => s.tSec)).toEqual([900, 2100]);
    expect(phase(fit, "tear-up").end).toBe(900);
    expect(phase(fit, "tear-up").maxConcurrency).toBe(10); // the figures keep what was measured
  });

  it("reads scale-ups of the pollers column under a 1-minute scaler", async () => {
    const { run } = await simulateBuiltin("case2", { policy: "on-demand-2022" });
    const fit = fitRun(run);
    expect(fit.evaluationIntervalSec).toBe(60);
    expect(fit.found).toContain("max-throughput");
  });

  it("fits an idle run to no phase, and refuses a run without concurrency", () => {
    const idle = fitRun(concurrencyRun(rep(0, 30), 60));
    expect(idle.found).toEqual([]);
    expect(idle.missing).toEqual(["tear-up", "max-throughput", "cool-down"]);
    expect(() => fitRun(concurrencyRun(rep(Number.NaN, 30), 60))).toThrow(
      "run hand-made: no concurrency values (column missing or empty), nothing to fit",
    );
  });

  it("rejects invalid options, naming them", async () => {
    const run = await seed("case1");
    expect(() => fitRun(run, { partitions: 0 })).toThrow(
      "invalid partitions: 0 (fit options): must be a whole number ≥ 1",
    );
    expect(() => fitRun(run, { meanDurationSec: -3 })).toThrow("invalid meanDurationSec");
    expect(() => fitRun(run, { minStepSec: 0 })).toThrow("invalid minStepSec: 0");
  });
});
