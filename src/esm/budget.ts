/**
 * The work budget of a simulation: what a resolved scenario will cost, estimated before it
 * runs, and the limits the run is held to while it runs. A scenario whose work could not finish
 * in about a minute, or whose series or buffered arrivals would take gigabytes, is refused with
 * one line naming the field that makes it large — before any work, and before anything is
 * written.
 *
 * ```
 * Scenario ─▶ records, batches (batch size, window, duration) ─▶ invocations (retries)
 *          ─▶ horizon (production, drain, scale-down) ─▶ evaluations, series rows
 *          ─▶ throttle retries, generated arrivals, held arrivals ─▶ check against budget
 * ```
 *
 * The estimate is an order of magnitude (within a few × of the events a run counts, see
 * test/esm/budget.test.ts), not a bound; the run itself stops once it passes twice its budget,
 * so an estimate that is wrong can cost at most twice the budget. Cost: O(workload pieces).
 */
import { kedaEvaluationIntervalSec } from "../scaler/keda.js";
import type { ResolvedScenario } from "../scenario/resolve.js";
import type { Scenario } from "../scenario/types.js";
import { EsmlabError } from "../util/errors.js";

/**
 * Default budget in simulator events: 5·10^8, about 35 s at the 15 M events/s the simulator
 * runs on this project's shared 2-core machine, a minute on a slower one. The largest
 * benchmark (10^7 invocations of batch 1, bench/simulate.bench.ts) needs about 2·10^7.
 */
export const DEFAULT_MAX_EVENTS = 5e8;

/**
 * Series rows allowed per event of budget: 1/100, so 5·10^6 rows by default — 58 days at 1 s,
 * nine 8-byte columns (360 MB, twice that while they grow), and a series.csv text of about
 * 250 M characters, half of the longest string V8 builds.
 */
const ROWS_PER_EVENT = 1 / 100;
/**
 * Arrivals a generated feed may hold (buffered until committed) per event of budget: 1/10, so
 * 5·10^7 by default (8 bytes each: 400 MB, up to twice that while a buffer grows).
 */
const HELD_PER_EVENT = 1 / 10;
/** A run stops once it passes this multiple of its budget (the estimate was wrong). */
export const RUNTIME_SLACK = 2;

/** The limits of one simulation, derived from its event budget. */
export interface WorkBudget {
  readonly maxEvents: number;
  readonly maxSeriesRows: number;
  readonly maxHeldArrivals: number;
}

/**
 * The budget for `maxEvents` events: series rows and held arrivals scale with it.
 * @example workBudget().maxSeriesRows // 5000000
 */
export function workBudget(maxEvents: number = DEFAULT_MAX_EVENTS): WorkBudget {
  return {
    maxEvents,
    maxSeriesRows: maxEvents * ROWS_PER_EVENT,
    maxHeldArrivals: maxEvents * HELD_PER_EVENT,
  };
}

/** What a scenario is expected to cost. */
export interface WorkEstimate {
  /** Records to process: backlog plus produced. */
  readonly records: number;
  /** Seconds until the last record is produced. */
  readonly productionEndSec: number;
  /** Expected simulated seconds until the run ends (drained, scaler back at its minimum). */
  readonly horizonSec: number;
  /** The field that sets the horizon. */
  readonly horizonField: string;
  readonly batches: number;
  /** Invocations, retries of failed batches included. */
  readonly invocations: number;
  readonly evaluations: number;
  readonly throttleRetries: number;
  /** Arrivals drawn one by one (Poisson, or any workload spread by keys). */
  readonly generatedArrivals: number;
  /** Peak arrivals a generated feed buffers until their batch commits. */
  readonly heldArrivals: number;
  /** Simulator events: completions, wake-ups, evaluations, retries. */
  readonly events: number;
  readonly seriesRows: number;
}

const INF = Number.POSITIVE_INFINITY;

/**
 * Estimate the work of a resolved scenario (see the file comment for the model).
 * @example estimateWork(builtin("case1")).invocations // 4000
 */
export function estimateWork(resolved: ResolvedScenario): WorkEstimate {
  const sc = resolved.scenario;
  const P = sc.topic.partitions;
  const fn = sc.function;
  const scaler = sc.scaler;
  const cap = Math.max(
    1,
    Math.min(sc.esm.batchSize, Math.floor(sc.esm.maxPayloadBytes / sc.workload.recordBytes)),
  );
  const window = sc.esm.batchingWindowSec;
  const base = meanDurationSec(sc);
  const maxPollers =
    scaler.policy === "fixed"
      ? scaler.pollers
      : scaler.policy === "keda"
        ? scaler.maxReplicas
        : scaler.maxPollers;
  const capacity = Math.max(
    1,
    Math.min(P, maxPollers * scaler.concurrencyPerPoller, fn.concurrencyLimit),
  );

  // rate segments: batches fill to λ·max(window, duration) records per partition, 1 to cap
  const segments = rateSegments(sc, resolved.traceTimesSec);
  let produced = 0;
  let productionEndSec = 0;
  let batches = sc.topic.backlogRecords / cap;
  let peakRate = 0;
  for (const { ratePerSec, durationSec } of segments) {
    const n = ratePerSec * durationSec;
    produced += n;
    productionEndSec += durationSec;
    peakRate = Math.max(peakRate, ratePerSec);
    const size = clamp((ratePerSec / P) * Math.max(window, base), 1, cap);
    batches += n / size;
  }
  if (sc.workload.kind === "trace" && resolved.traceTimesSec !== undefined) {
    const t = resolved.traceTimesSec;
    productionEndSec = t.length > 0 ? t[t.length - 1]! : 0;
  }
  const records = sc.topic.backlogRecords + produced;

  const fullSec = Math.min(fn.timeoutSec, base + fn.perRecordSec * cap);
  const failRate = 1 - (1 - fn.errorRate) * (1 - timeoutShare(sc, fn.perRecordSec * cap));
  const ok = 1 - failRate;

  // throughput when backlogged (full batches), and the time to work the records off
  const bytesPerSec = scaler.pollerBytesPerSec ?? INF;
  const throughput = Math.min(
    (capacity * cap * ok) / fullSec,
    (maxPollers * bytesPerSec) / sc.workload.recordBytes,
  );
  const interval = evaluationIntervalSec(scaler);
  const upDelay = scaler.policy === "fixed" ? 0 : interval + scaler.actuationDelaySec;
  const busyEndSec = Math.max(productionEndSec + fullSec, records / throughput + upDelay);
  const settle = settleSec(scaler);
  const maxDurationSec = sc.run.maxDurationSec;
  const horizonSec = Math.min(maxDurationSec, busyEndSec + settle);
  const horizonField =
    horizonSec === maxDurationSec
      ? "run.maxDurationSec"
      : busyEndSec > productionEndSec + fullSec && sc.topic.backlogRecords > produced
        ? "topic.backlogRecords"
        : workloadField(sc);

  // failed batches retry until they succeed, within the horizon's capacity
  const invocations = Math.min(batches / ok, (horizonSec * capacity) / Math.max(fullSec, 1e-300));
  const evaluations = scaler.policy === "fixed" ? 0 : horizonSec / interval;
  const throttles =
    fn.concurrencyLimit < Math.min(P, maxPollers * scaler.concurrencyPerPoller)
      ? (Math.min(P, maxPollers) * busyEndSec) / fn.throttleBackoffSec
      : 0;
  const generated = sc.workload.kind === "poisson" || sc.topic.partitioner.kind !== "round-robin";
  const generatedArrivals = generated ? produced : 0;
  const heldArrivals = generated
    ? Math.min(
        produced,
        peakRate * (Math.max(1, window) + fullSec + upDelay) +
          Math.max(0, produced - throughput * productionEndSec),
      )
    : 0;
  // a completion and (about) a wake-up per invocation
  const events = 2 * invocations + evaluations + throttles;
  const seriesRows = Math.floor(horizonSec / sc.run.resolutionSec) + 1;
  return {
    records,
    productionEndSec,
    horizonSec,
    horizonField,
    batches,
    invocations,
    evaluations,
    throttleRetries: throttles,
    generatedArrivals,
    heldArrivals,
    events,
    seriesRows,
  };
}

/**
 * Refuse a scenario whose estimated work exceeds the budget of `maxEvents` events.
 * @returns the estimate
 * @throws EsmlabError (exit code 2) naming the scenario, the field that makes the work large,
 *   the estimate and the budget
 * @example checkWork(loaded.resolved) // the estimate, or throws
 * // "scenario spike.json: run.resolutionSec 0.001 makes 2.6e9 series rows over a 2.6e6 s run (set by run.maxDurationSec) (budget 5e6); raise --max-events (simulate option maxEvents) to allow it"
 */
export function checkWork(
  resolved: ResolvedScenario,
  maxEvents: number = DEFAULT_MAX_EVENTS,
): WorkEstimate {
  const e = estimateWork(resolved);
  const budget = workBudget(maxEvents);
  const sc = resolved.scenario;
  const over = (what: string, budgetText: string): never => {
    throw new EsmlabError(
      `scenario ${resolved.source ?? sc.name}: ${what} (budget ${budgetText}); raise --max-events (simulate option maxEvents) to allow it`,
      { exitCode: 2 },
    );
  };
  if (!(e.records <= Number.MAX_SAFE_INTEGER)) {
    // offsets and counts are doubles: beyond 2^53 records they are no longer exact (no budget
    // lifts this)
    throw new EsmlabError(
      `scenario ${resolved.source ?? sc.name}: ${recordsText(sc, e)} makes ${count(e.records)} records, more than the 9e15 (2^53) a double counts exactly`,
    );
  }
  const run = `over a ${count(e.horizonSec)} s run (set by ${e.horizonField})`;
  if (!(e.seriesRows <= budget.maxSeriesRows)) {
    over(
      `run.resolutionSec ${shown(sc.run.resolutionSec)} makes ${count(e.seriesRows)} series rows ${run}`,
      count(budget.maxSeriesRows),
    );
  }
  if (!(e.heldArrivals <= budget.maxHeldArrivals)) {
    over(
      `${workloadText(sc)} makes a backlog of ${count(e.heldArrivals)} generated arrivals held in memory (${bytes(e.heldArrivals * 8)})`,
      `${count(budget.maxHeldArrivals)} arrivals`,
    );
  }
  const work = e.events + e.generatedArrivals;
  if (!(work <= budget.maxEvents)) {
    const parts: [number, string][] = [
      [
        e.evaluations,
        sc.scaler.policy === "fixed"
          ? ""
          : `scaler.evaluationIntervalSec ${shown(evaluationIntervalSec(sc.scaler))} makes ${count(e.evaluations)} scaler evaluations ${run}`,
      ],
      [
        e.throttleRetries,
        `function.throttleBackoffSec ${shown(sc.function.throttleBackoffSec)} makes ${count(e.throttleRetries)} throttle retries while function.concurrencyLimit ${shown(sc.function.concurrencyLimit)} holds back the pollers`,
      ],
      [
        e.generatedArrivals,
        `${workloadText(sc)} makes ${count(e.generatedArrivals)} generated arrivals`,
      ],
      [e.events - e.evaluations - e.throttleRetries, invocationText(sc, e)],
    ];
    parts.sort((a, b) => (b[0] > a[0] || Number.isNaN(b[0]) ? 1 : -1));
    over(`${parts[0]![1]} (${count(work)} events in all)`, `${count(budget.maxEvents)} events`);
  }
  return e;
}

/** An internal signal: a running simulation passed its limit (the estimate was wrong). */
export class WorkLimitExceeded extends Error {
  constructor(
    readonly what: string,
    readonly limit: number,
    readonly atSec: number,
  ) {
    super(`${what} passed ${limit} at ${atSec} s`);
  }
}

/** The message a run stopped by {@link WorkLimitExceeded} ends with. */
export function describeStop(
  source: string,
  stop: { readonly what: string; readonly limit: number; readonly atSec: number },
  maxEvents: number,
): string {
  return `scenario ${source}: stopped at ${count(stop.atSec)} s of simulated time after ${count(stop.limit)} ${stop.what}, twice the budget of ${count(maxEvents)} events; raise --max-events (simulate option maxEvents) to allow it`;
}

function invocationText(sc: Scenario, e: WorkEstimate): string {
  const fn = sc.function;
  const inv = `${count(e.invocations)} invocations`;
  if (e.invocations > 2 * e.batches) {
    return fn.errorRate >= 0.5
      ? `function.errorRate ${shown(fn.errorRate)} makes ${inv} (each failed batch is retried)`
      : `function.timeoutSec ${shown(fn.timeoutSec)} makes ${inv} (most invocations time out and retry)`;
  }
  const batch = `${count(e.records)} records in batches of ${count(e.records / Math.max(1, e.batches))}`;
  return `${recordsText(sc, e)} makes ${inv} (${batch}, esm.batchSize ${shown(sc.esm.batchSize)})`;
}

/** The field that sets the record count, with its value. */
function recordsText(sc: Scenario, e: WorkEstimate): string {
  return sc.topic.backlogRecords > e.records / 2
    ? `topic.backlogRecords ${shown(sc.topic.backlogRecords)}`
    : workloadText(sc);
}

/** The workload field(s) that set how many records there are, with their values. */
function workloadText(sc: Scenario): string {
  const w = sc.workload;
  if (w.kind === "constant")
    return `workload.ratePerSec ${shown(w.ratePerSec)} × workload.durationSec ${shown(w.durationSec)}`;
  if (w.kind === "poisson" && w.pieces.length === 1) {
    const p = w.pieces[0]!;
    return `workload.ratePerSec ${shown(p.ratePerSec)} × workload.durationSec ${shown(p.durationSec)}`;
  }
  return workloadField(sc);
}

function workloadField(sc: Scenario): string {
  const w = sc.workload;
  if (w.kind === "trace") return w.file === null ? "workload.timestampsSec" : "workload.file";
  return w.kind === "constant" ? "workload.durationSec" : "workload.pieces";
}

/** The workload as rate segments (a trace as its mean rate over its span). */
function rateSegments(
  sc: Scenario,
  traceTimesSec: Float64Array | undefined,
): { ratePerSec: number; durationSec: number }[] {
  const w = sc.workload;
  switch (w.kind) {
    case "constant":
      return [{ ratePerSec: w.ratePerSec, durationSec: w.durationSec }];
    case "piecewise":
    case "poisson":
      return [...w.pieces];
    case "trace": {
      const n = traceTimesSec?.length ?? w.records;
      const span = traceTimesSec && n > 0 ? traceTimesSec[n - 1]! - traceTimesSec[0]! : 0;
      // all at one instant: one segment of n records "per second"
      return [{ ratePerSec: span > 0 ? n / span : n, durationSec: span > 0 ? span : 1 }];
    }
  }
}

/** Mean of the duration model, seconds (without the per-record cost). */
function meanDurationSec(sc: Scenario): number {
  const d = sc.function.duration;
  const mean =
    d.kind === "constant"
      ? d.sec
      : d.kind === "normal"
        ? Math.max(d.meanSec, d.minSec)
        : d.kind === "lognormal"
          ? d.medianSec * Math.exp((d.sigma * d.sigma) / 2)
          : d.samplesSec.reduce((a, b) => a + b, 0) / d.samplesSec.length;
  return Math.min(sc.function.timeoutSec, mean + sc.function.coldStartSec);
}

/** Share of invocations (of a full batch, `extraSec` of per-record cost) reaching the timeout. */
function timeoutShare(sc: Scenario, extraSec: number): number {
  const d = sc.function.duration;
  const t = sc.function.timeoutSec - extraSec - sc.function.coldStartSec;
  if (t <= 0) return 1;
  switch (d.kind) {
    case "constant":
      return d.sec >= t ? 1 : 0;
    case "normal": {
      if (d.sdSec === 0) return d.meanSec >= t ? 1 : 0;
      // truncated below at minSec: P(X ≥ t | X ≥ min)
      const above = (x: number) => normalTail((x - d.meanSec) / d.sdSec);
      return Math.min(1, above(Math.max(t, d.minSec)) / Math.max(above(d.minSec), 1e-300));
    }
    case "lognormal":
      if (d.sigma === 0) return d.medianSec >= t ? 1 : 0;
      return normalTail((Math.log(t) - Math.log(d.medianSec)) / d.sigma);
    case "empirical":
      return d.samplesSec.filter((s) => s >= t).length / d.samplesSec.length;
  }
}

/** P(Z ≥ z) of a standard normal: erfc by Numerical Recipes' erfcc (relative error < 1.2e-7). */
function normalTail(z: number): number {
  const x = z / Math.SQRT2;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.5 * a);
  const erfc =
    t *
    Math.exp(
      -a * a -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return 0.5 * (x >= 0 ? erfc : 2 - erfc);
}

/**
 * The scaler's evaluation interval (for keda the tick that serves both KEDA's pollingInterval
 * and the HPA's sync period); Infinity for `fixed`.
 */
function evaluationIntervalSec(s: Scenario["scaler"]): number {
  if (s.policy === "fixed") return INF;
  return s.policy === "keda" ? kedaEvaluationIntervalSec(s) : s.evaluationIntervalSec;
}

/** Seconds from the last busy moment until the scaler is back at its minimum. */
function settleSec(s: Scenario["scaler"]): number {
  switch (s.policy) {
    case "fixed":
      return 0;
    case "keda":
      return (
        Math.max(s.cooldownSec, s.stabilizationWindowSec) +
        2 * Math.max(s.pollingIntervalSec, s.hpaSyncPeriodSec) +
        s.actuationDelaySec
      );
    default: {
      const down = s.scaleDown;
      const span = Math.max(0, s.maxPollers - s.minPollers);
      const steps =
        down.rule === "to-min"
          ? 1
          : down.rule === "subtract"
            ? Math.ceil(span / down.step)
            : Math.ceil(Math.log2(Math.max(1, s.maxPollers) / Math.max(1, s.minPollers))) + 1;
      return (
        steps * (Math.max(down.waitSec, s.evaluationIntervalSec) + s.actuationDelaySec) +
        s.evaluationIntervalSec
      );
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/** A count for a message: "4000", "2.4e9", "more than 1e308" (the arithmetic overflowed). */
function count(n: number): string {
  if (!Number.isFinite(n)) return "more than 1e308";
  if (Math.abs(n) < 1e6) return String(Math.round(n));
  return n.toPrecision(2).replace(".0e", "e").replace("e+", "e");
}

/** A value from the scenario as JSON writes it, without the exponent's "+" (1e308, not 1e+308). */
function shown(x: number): string {
  return String(x).replace("e+", "e");
}

function bytes(n: number): string {
  if (!Number.isFinite(n)) return "too many bytes to count";
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${Math.ceil(n / 1e6)} MB`;
}
