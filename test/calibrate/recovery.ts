/**
 * The calibration recovery suite: truths drawn at random across every calibratable policy and
 * parameter — near the presets and far from them — each simulated at 1-second resolution,
 * exported as a CloudWatch GetMetricData response, imported like a user's export, calibrated
 * from its preset, and checked against what it was made with. Shared by the tests (a few
 * truths) and `npm run bench` (the recovery rate over many).
 *
 * Noisy truths add what a real measurement has: Poisson arrivals, lognormal durations, a
 * missing minute. Their calibration starts from the same workload description with other
 * random draws (another seed), as a user who knows the workload's shape but cannot replay it:
 * the fit cannot be exact, and the ranges must hold the truth.
 */
import { type CalibrationResult, calibrate } from "../../src/calibrate/calibrate.js";
import { calibrationProblem, Objective } from "../../src/calibrate/objective.js";
import type { ParamValue } from "../../src/calibrate/space.js";
import { Rng } from "../../src/engine/prng.js";
import { simulate } from "../../src/esm/simulate.js";
import { parseGetMetricData } from "../../src/import/get-metric-data.js";
import { measuredRun } from "../../src/import/measured-run.js";
import { cloudWatchSeries, toCloudWatchView } from "../../src/run/cloudwatch-view.js";
import type { Run } from "../../src/run/run.js";
import type { PolicyName } from "../../src/scaler/policy.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

export const RECOVERY_POLICIES = [
  "on-demand-2022",
  "on-demand-current",
  "provisioned",
  "legacy-15min",
  "keda",
] as const satisfies readonly PolicyName[];

/** The "truth's error" a recovered fit must reach: concurrency RMSE per minute. */
export const RECOVERED_RMSE = 0.5;

export interface Truth {
  readonly name: string;
  readonly policy: (typeof RECOVERY_POLICIES)[number];
  readonly noisy: boolean;
  /** The scenario the truth was simulated from. */
  readonly truth: ScenarioInput;
  /** The scenario calibration starts from (the preset, and for noisy truths the plain workload). */
  readonly base: ScenarioInput;
}

/** One truth at random (seeded): a workload, a policy and its scaler values. */
export function randomTruth(seed: number, noisy: boolean): Truth {
  const rng = new Rng(seed);
  const pick = <T>(a: readonly T[]): T => a[rng.int(a.length)]!;
  const between = (lo: number, hi: number) => lo + rng.next() * (hi - lo);
  const whole = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
  const policy = RECOVERY_POLICIES[seed % RECOVERY_POLICIES.length]!;
  const partitions = pick([5, 10, 20, 40]);
  const ratePerSec = Math.round(between(1, 6) * 10) / 10;
  const durationSec = whole(1200, 2400);
  const fnSec = pick([1, 2, 3, 5]);
  const near = rng.next() < 0.4; // near the preset: one or two parameters moved a little
  const scaler = randomScaler(policy, partitions, near, rng);
  const plain: ScenarioInput = {
    workload: { kind: "constant", ratePerSec, durationSec },
    topic: { partitions },
    esm: { batchSize: 1 },
    function: { duration: { kind: "constant", sec: fnSec } },
    seed: 1,
  };
  const truth: ScenarioInput = noisy
    ? {
        ...plain,
        workload: { kind: "poisson", ratePerSec, durationSec },
        function: { duration: { kind: "lognormal", medianSec: fnSec, sigma: 0.2 } },
        seed: 1000 + seed,
        scaler,
      }
    : { ...plain, scaler };
  return {
    name: `${policy}#${seed}${noisy ? " (noisy)" : ""}${near ? " near preset" : ""}`,
    policy,
    noisy,
    truth,
    // the user describes the workload as it is (Poisson, lognormal) but cannot replay its draws
    base: noisy ? { ...truth, seed: 1, scaler: { policy } } : { ...plain, scaler: { policy } },
  };
}

function randomScaler(
  policy: Truth["policy"],
  partitions: number,
  near: boolean,
  rng: Rng,
): NonNullable<ScenarioInput["scaler"]> {
  const between = (lo: number, hi: number) => Math.round(lo + rng.next() * (hi - lo));
  if (policy === "keda") {
    const all = {
      evaluationIntervalSec: between(10, 120),
      lagThresholdRecords: between(2, 200),
      actuationDelaySec: between(0, 60),
      stabilizationWindowSec: between(60, 600),
    };
    return near
      ? {
          policy,
          evaluationIntervalSec: all.evaluationIntervalSec,
          lagThresholdRecords: all.lagThresholdRecords,
        }
      : { policy, ...all };
  }
  const rules = [
    { rule: "add", step: between(1, 4) },
    { rule: "multiply", step: Math.round((1.5 + rng.next() * 1.5) * 20) / 20 },
    { rule: "to-max" },
    { rule: "to-target", targetLagPerPollerRecords: between(20, 2000) },
  ] as const;
  const cadence = policy === "legacy-15min" ? between(300, 1200) : between(30, 300);
  const initialMax = Math.min(partitions, 6);
  const all = {
    evaluationIntervalSec: cadence,
    actuationDelaySec: between(0, 180),
    concurrencyPerPoller: between(1, 5),
    initialPollers: policy === "provisioned" ? undefined : between(1, initialMax),
    scaleUp: rules[rng.int(rules.length)]!,
  };
  if (near) {
    return policy === "legacy-15min"
      ? { policy, evaluationIntervalSec: between(780, 960) }
      : { policy, actuationDelaySec: between(0, 150), evaluationIntervalSec: between(45, 120) };
  }
  const { initialPollers, ...rest } = all;
  return {
    policy,
    ...rest,
    ...(initialPollers === undefined ? {} : { initialPollers }),
    ...(policy === "provisioned" ? { minPollers: 1, maxPollers: partitions } : {}),
  } as NonNullable<ScenarioInput["scaler"]>;
}

/**
 * The truth's run as a user would have it: simulated at 1-s resolution, its CloudWatch view
 * written as a GetMetricData response (newest first, as the API returns it), imported.
 * @param dropMinute a minute index whose datapoints are left out (a gap in the export)
 */
export function exportAndImport(run: Run, dropMinute?: number): Run {
  const text = getMetricDataJson(run, dropMinute);
  return measuredRun([parseGetMetricData(text, `${run.meta.id}.json`)], {
    label: `${run.meta.label} (export)`,
    id: `${run.meta.id}-export`,
    inputs: [],
  }).run;
}

/**
 * A run's CloudWatch view as the GetMetricData response a user exports (newest first, as the
 * API returns it; ConcurrentExecutions and Invocations), with no esmlab message in it.
 * @param dropMinute a minute index whose datapoints are left out (a gap in the export)
 */
export function getMetricDataJson(run: Run, dropMinute?: number): string {
  const view = toCloudWatchView(run);
  const start = Date.UTC(2026, 0, 5, 10, 0, 0);
  const results = (["ConcurrentExecutions", "Invocations"] as const).map((id) => {
    const s = cloudWatchSeries(view, id);
    const pairs = Array.from(s.tSec, (t, i) => [t, s.values[i]!] as const).filter(
      ([t]) => dropMinute === undefined || t !== dropMinute * 60,
    );
    pairs.reverse();
    return {
      Id: id === "ConcurrentExecutions" ? "concurrency" : "invocations",
      Label: id,
      Timestamps: pairs.map(([t]) => new Date(start + t * 1000).toISOString()),
      Values: pairs.map(([, v]) => v),
      StatusCode: "Complete",
    };
  });
  return JSON.stringify({ MetricDataResults: results, Messages: [] });
}

export interface RecoveryOutcome {
  readonly truth: Truth;
  readonly result: CalibrationResult;
  /** The truth's own error against its export (0 unless the model is not the truth's). */
  readonly truthRmse: number;
  readonly recovered: boolean;
  /** Parameters reported as pinned whose range misses the truth's value. */
  readonly pinnedMisses: readonly string[];
  /** Parameters (pinned or not) whose range misses the truth's value. */
  readonly rangeMisses: readonly string[];
}

/** Simulate, export, import and calibrate one truth; compare with what it was made of. */
export async function recover(truth: Truth, workers?: number): Promise<RecoveryOutcome> {
  const resolvedTruth = resolveScenario(truth.truth, { source: truth.name });
  const exact = simulate(resolvedTruth);
  const measured = exportAndImport(exact, truth.noisy ? 8 : undefined);
  const base = resolveScenario(truth.base, { source: `${truth.name} base` });
  const result = await calibrate(measured, base, workers === undefined ? {} : { workers });
  // the truth's own error, measured as calibration measures: its scaler on the base workload
  const objective = new Objective(calibrationProblem([measured], [base], undefined));
  const truthRmse = objective.errorOf(resolvedTruth.scenario.scaler).concurrencyRmse;
  // the truth's values as calibration reports them (the space's own reader)
  const truthValues: Partial<Record<string, ParamValue>> = objective.space.read(
    resolvedTruth.scenario.scaler,
  );
  const pinnedMisses: string[] = [];
  const rangeMisses: string[] = [];
  for (const p of result.parameters) {
    const v = truthValues[p.path.slice("scaler.".length)];
    if (v === undefined) continue;
    if (!contains(p, v)) {
      rangeMisses.push(
        `${p.path}: truth ${JSON.stringify(v)}, range ${JSON.stringify(p.range ?? p.rules)}`,
      );
      if (p.pinned) pinnedMisses.push(p.path);
    }
  }
  return {
    truth,
    result,
    truthRmse,
    recovered: result.errorAfter.concurrencyRmse <= Math.max(RECOVERED_RMSE, truthRmse),
    pinnedMisses,
    rangeMisses,
  };
}

/** Whether a reported parameter's range (or rules) holds a value. */
export function contains(p: CalibrationResult["parameters"][number], v: ParamValue): boolean {
  if (typeof v === "number") {
    if (p.range === null) return true;
    const slack = 1e-9 * Math.max(1, Math.abs(v));
    return v >= p.range.low - slack && v <= p.range.high + slack;
  }
  const rule = p.rules?.find((r) => r.rule === v.rule);
  if (rule === undefined) return false;
  if (rule.step === null) return true;
  const x = v.rule === "to-target" ? v.targetLagPerPollerRecords : v.step;
  if (x === undefined) return true;
  // a to-target or multiply step is searched on a grid: the truth is held within one grid step
  const tol = v.rule === "add" ? 0 : 0.05 * x;
  return x >= rule.step.low - tol && x <= rule.step.high + tol;
}
