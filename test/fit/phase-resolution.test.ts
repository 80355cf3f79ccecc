/**
 * One run, fitted at 1 s and at 1 minute, finds the same phases, and every boundary of the
 * 1-minute fit lies within a minute (one CloudWatch period) of the 1 s fit's. The 1-minute
 * run is either the scenario simulated at 60 s or the 1 s run's CloudWatch view imported as a
 * measured run — what a user who measured the same run would fit. The sweep covers the seed
 * cases under every scaler preset, runs that disagreed before the fit decided on minutes, and
 * scenarios fast-check draws (seeded): rate, partitions, production time, function time,
 * constant or Poisson arrivals, policy.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/esm/simulate.js";
import { fitThreePhases, type ThreePhaseFit } from "../../src/fit/three-phase.js";
import type { MeasuredInput } from "../../src/import/measured.js";
import { measuredRun } from "../../src/import/measured-run.js";
import { toCloudWatchView } from "../../src/run/cloudwatch-view.js";
import type { Run } from "../../src/run/run.js";
import { POLICIES, type PolicyName } from "../../src/scaler/policy.js";
import { SEED_CASES } from "../../src/scenario/builtins.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

const PERIOD_SEC = 60;
const POLICY_NAMES = Object.keys(POLICIES) as PolicyName[];

/** The 1 s run's CloudWatch view, through the importer, as a measured run would come in. */
function importedView(run: Run): Run {
  const originMs = Date.UTC(2023, 1, 1); // any whole minute
  const input: MeasuredInput = {
    file: `${run.meta.id}.cloudwatch.json`,
    format: "get-metric-data",
    series: toCloudWatchView(run)
      .metrics.filter((m) => m.values.length > 0)
      .map((m) => ({
        names: [m.id],
        what: `${m.id} (${m.stat})`,
        statistic: m.stat,
        timesMs: m.tSec.map((t) => originMs + 1000 * t),
        values: m.values,
      })),
    warnings: [],
  };
  const { run: measured } = measuredRun([input], {
    label: `${run.meta.label} (CloudWatch)`,
    id: `${run.meta.id}-cloudwatch`,
    inputs: [],
  });
  expect([measured.meta.source, measured.meta.resolutionSec]).toEqual(["measured", 60]);
  return measured;
}

/** Each phase's start and end, as "name start–end", for messages. */
const show = (fit: ThreePhaseFit): string =>
  fit.phases.map((p) => `${p.name} ${p.start}–${p.end}`).join(", ") || "no phase";

/**
 * Same phases, and each boundary of `coarse` within a minute of the one of `fine`. The fit puts
 * them less than 60 s apart, but reports them to 6 significant digits (phase-figures.ts): a last
 * record at 1799.9996 s reads 1800 beside its CloudWatch minute's 1740.
 */
function expectAgreement(fine: ThreePhaseFit, coarse: ThreePhaseFit, what: string): void {
  const message = `${what}: 1 s [${show(fine)}] vs 1 min [${show(coarse)}]`;
  expect(coarse.resolutionSec, message).toBe(60);
  expect(coarse.found, message).toEqual(fine.found);
  fine.phases.forEach((p, i) => {
    const q = coarse.phases[i]!;
    for (const edge of ["start", "end"] as const) {
      const gap = Math.abs(q[edge] - p[edge]);
      expect(gap, `${message}: ${p.name} ${edge}`).toBeLessThanOrEqual(PERIOD_SEC);
    }
  });
}

/** Fit the run at 1 s, simulated at 60 s, and its imported CloudWatch view; compare. */
function checkResolutions(fineRun: Run, minuteRun: Run, what: string): ThreePhaseFit {
  expect(fineRun.meta.resolutionSec).toBe(1);
  const fine = fitThreePhases(fineRun);
  expectAgreement(fine, fitThreePhases(minuteRun), `${what}, simulated at 60 s`);
  const measured = fitThreePhases(importedView(fineRun));
  // production's end comes from the Produced sums: only its minute is known
  expect(measured.facts.sources.productionEndSec).toBe("produced column");
  expectAgreement(fine, measured, `${what}, CloudWatch view imported`);
  return fine;
}

interface Shape {
  readonly policy: PolicyName;
  readonly ratePerSec: number;
  readonly partitions: number;
  readonly durationSec: number;
  readonly functionSec: number;
  readonly poisson: boolean;
}

function scenario(s: Shape, resolutionSec: number): ScenarioInput {
  return {
    name: "sweep",
    label: `sweep: ${s.ratePerSec} msg/s × ${s.durationSec} s, ${s.partitions} partitions, ${s.functionSec} s function`,
    workload: {
      kind: s.poisson ? "poisson" : "constant",
      ratePerSec: s.ratePerSec,
      durationSec: s.durationSec,
    },
    topic: { partitions: s.partitions, partitioner: { kind: "round-robin" } },
    esm: { batchSize: 1, startingPosition: "LATEST" },
    function: { duration: { kind: "constant", sec: s.functionSec } },
    scaler: { policy: s.policy } as ScenarioInput["scaler"],
    run: { resolutionSec },
  };
}

function checkShape(s: Shape): ThreePhaseFit {
  const [fine, minute] = [1, 60].map((r) =>
    simulate(resolveScenario(scenario(s, r), { source: "sweep" })),
  );
  return checkResolutions(fine!, minute!, JSON.stringify(s));
}

describe("fitThreePhases at 1 s and at 1 minute", () => {
  const seeds = SEED_CASES.flatMap((name) =>
    POLICY_NAMES.map((policy): [string, PolicyName] => [name, policy]),
  );
  it.each(seeds)("%s under %s: same phases, boundaries ≤ 60 s apart", async (name, policy) => {
    const [fine, minute] = await Promise.all(
      [1, 60].map(async (resolutionSec) => {
        const { resolved } = await loadScenario(name, { policy, resolutionSec });
        return simulate(resolved);
      }),
    );
    const fit = checkResolutions(fine!, minute!, `${name} under ${policy}`);
    if (policy === "legacy-15min") {
      // the blog's tear-up: 900 s, at 1 s and at 1 min alike
      expect(fit.phases[0]!.end).toBe(900);
    }
  });

  it("reads case 1's CloudWatch view: a cool-down from mid-minute, the minute production ended", async () => {
    const { resolved } = await loadScenario("case1");
    const run = simulate(resolved);
    // 2 msg/s for 2000 s: the last record at 1999.5 s, in the minute [1980, 2040); the lag
    // drained at 2011 s, in the same minute
    expect([run.meta.summary.productionEndSec, run.meta.summary.drainedAtSec]).toEqual([
      1999.5, 2011,
    ]);
    const coolDown = (fit: ThreePhaseFit) => fit.phases.find((p) => p.name === "cool-down")!;
    const fine = coolDown(fitThreePhases(run));
    const measured = coolDown(fitThreePhases(importedView(run)));
    expect([fine.start, fine.end]).toEqual([1999.5, 2011]);
    // only the minute is known: production's end is its middle, the drain its end
    expect([measured.start, measured.end]).toEqual([2010, 2040]);
  });

  // How each of these disagreed when steps were found on the run's own rows (with the
  // simulator of this test's writing): policy, msg/s, partitions, production s, function s.
  const shape = (
    policy: PolicyName,
    ratePerSec: number,
    partitions: number,
    durationSec: number,
    functionSec: number,
    poisson = false,
  ): Shape => ({ policy, ratePerSec, partitions, durationSec, functionSec, poisson });
  const before: [string, Shape][] = [
    ["tear-up to 211 s at 1 s, to 120 s at 1 min", shape("keda", 3.3, 63, 604, 5)],
    ["no step up at 1 s, a plateau from 900 s at 1 min", shape("legacy-15min", 4.1, 99, 519, 4.7)],
    ["a 5 s drain at 1 s, no cool-down at 1 min", shape("legacy-15min", 3, 8, 600, 5)],
    [
      "Poisson arrivals: a tear-up only at 1 s, three phases at 1 min",
      shape("legacy-15min", 0.3, 2, 970, 1.9, true),
    ],
  ];
  it.each(before)("%s: now the same phases, boundaries ≤ 60 s apart", (_why, shape) => {
    checkShape(shape);
  });

  it("agrees on scenarios drawn at random (seeded), with and without a plateau", () => {
    const phaseCounts = new Set<number>();
    const shape = fc.record({
      policy: fc.constantFrom(...POLICY_NAMES),
      ratePerSec: fc.integer({ min: 3, max: 300 }).map((tenths) => tenths / 10),
      partitions: fc.integer({ min: 2, max: 100 }),
      durationSec: fc.integer({ min: 300, max: 3000 }),
      functionSec: fc.integer({ min: 5, max: 60 }).map((tenths) => tenths / 10),
      poisson: fc.boolean(),
    });
    fc.assert(
      fc.property(shape, (s) => {
        phaseCounts.add(checkShape(s).found.length);
      }),
      { numRuns: 80, seed: 2023 },
    );
    // the draws reach every outcome: a tear-up alone, no cool-down, all three phases
    expect([...phaseCounts].sort()).toEqual([1, 2, 3]);
  });
});
