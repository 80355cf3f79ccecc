/**
 * How many partitions a workload needs under a scaler: the smallest partition count whose
 * simulated run drains its backlog within a deadline after production ends — the question
 * notebook 04 answers by a sweep, asked of one scenario (a calibrated one, say).
 *
 * ```
 * scenario ─▶ the same scenario on n partitions (pollers capped at n, as AWS caps them at one
 *   per partition) ─▶ simulate ─▶ drained within the deadline?
 * n: doubled from 1 until a run drains in time, then bisected down to the smallest that does
 * ```
 *
 * Bisection assumes that more partitions never drain later. That holds for the model's steady
 * state (each partition is read by at most one invocation at a time), but a scaler's timing can
 * break it near the edge, so the runs tried are returned too.
 */
import { simulate } from "../esm/simulate.js";
import type { ResolvedScenario } from "../scenario/resolve.js";
import type { ScalerSpec } from "../scenario/types.js";
import { EsmlabError } from "../util/errors.js";

/** One simulated partition count. */
export interface SizingTrial {
  readonly partitions: number;
  /** Seconds from the end of production until the lag reached 0; null when it never did. */
  readonly drainedAfterSec: number | null;
}

export interface PartitionSizing {
  readonly deadlineSec: number;
  /** The scenario's own partition count. */
  readonly partitionsNow: number;
  /** The smallest count found that drains within the deadline; null when none up to `max` does. */
  readonly partitions: number | null;
  /** How the scenario's own count did. */
  readonly drainedAfterSecNow: number | null;
  /** Every count simulated, ascending. */
  readonly trials: readonly SizingTrial[];
  /** The largest count tried. */
  readonly max: number;
}

/**
 * The smallest partition count with which `resolved`'s workload drains within `deadlineSec` of
 * the end of production.
 * @param max the largest count tried (default 2000, a Kafka topic's practical ceiling on MSK)
 * @throws EsmlabError on a deadline that is not a finite number ≥ 0, or max < 1
 * @example sizePartitions(resolved, 300).partitions // 12
 */
export function sizePartitions(
  resolved: ResolvedScenario,
  deadlineSec: number,
  max = 2000,
): PartitionSizing {
  if (!(deadlineSec >= 0 && deadlineSec < Number.POSITIVE_INFINITY)) {
    throw new EsmlabError(
      `invalid deadlineSec: ${deadlineSec} (partition sizing): must be a number of seconds ≥ 0`,
    );
  }
  if (!(Number.isInteger(max) && max >= 1)) {
    throw new EsmlabError(`invalid max: ${max} (partition sizing): must be a whole number ≥ 1`);
  }
  const partitionsNow = resolved.scenario.topic.partitions;
  const tried = new Map<number, SizingTrial>();
  const trial = (n: number): SizingTrial => {
    let t = tried.get(n);
    if (t === undefined) {
      t = { partitions: n, drainedAfterSec: drainedAfter(onPartitions(resolved, n)) };
      tried.set(n, t);
    }
    return t;
  };
  const meets = (n: number) => {
    const after = trial(n).drainedAfterSec;
    return after !== null && after <= deadlineSec;
  };
  const now = trial(Math.min(partitionsNow, max));
  // doubling from 1 to the first count that meets the deadline, then bisection below it
  let high = 1;
  while (high < max && !meets(high)) high = Math.min(max, high * 2);
  let found: number | null = null;
  if (meets(high)) {
    let low = Math.floor(high / 2); // fails (or 0)
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (meets(mid)) high = mid;
      else low = mid;
    }
    found = high;
  }
  return {
    deadlineSec,
    partitionsNow,
    partitions: found,
    drainedAfterSecNow: partitionsNow <= max ? now.drainedAfterSec : null,
    trials: [...tried.values()].sort((a, b) => a.partitions - b.partitions),
    max,
  };
}

/** Seconds from the end of production to the drain, or null when the run never drained. */
function drainedAfter(resolved: ResolvedScenario): number | null {
  const { drainedAtSec, productionEndSec } = simulate(resolved).meta.summary;
  if (drainedAtSec === null || drainedAtSec === undefined) return null;
  return Math.max(0, drainedAtSec - (productionEndSec ?? 0));
}

/**
 * `resolved` on `n` partitions: a poller limit that was the partition count follows it, and
 * every poller count is capped at `n` (one poller per partition at most).
 */
export function onPartitions(resolved: ResolvedScenario, n: number): ResolvedScenario {
  const { scenario } = resolved;
  const was = scenario.topic.partitions;
  return {
    ...resolved,
    scenario: {
      ...scenario,
      topic: { ...scenario.topic, partitions: n },
      scaler: scaledScaler(scenario.scaler, was, n),
    },
  };
}

function scaledScaler(s: ScalerSpec, was: number, n: number): ScalerSpec {
  const limit = (max: number) => (max >= was ? n : Math.min(max, n));
  if (s.policy === "fixed") return { ...s, pollers: limit(s.pollers) };
  if (s.policy === "keda") {
    const maxReplicas = limit(s.maxReplicas);
    return { ...s, maxReplicas, minReplicas: Math.min(s.minReplicas, maxReplicas) };
  }
  const maxPollers = limit(s.maxPollers);
  const minPollers = Math.min(s.minPollers, maxPollers);
  const initialPollers = Math.min(maxPollers, Math.max(minPollers, s.initialPollers));
  return { ...s, maxPollers, minPollers, initialPollers };
}
