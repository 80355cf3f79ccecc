/**
 * The Lambda event source mapping on a Kafka topic, as a discrete-event model on the engine's
 * {@link EventQueue}:
 *
 * ```
 * feed (partitions, offsets) ─▶ pollers ─▶ batches ─▶ invocations ─▶ commit
 *                                 ▲                                    │
 *                                 └──── scaler (evaluate lag, resize) ◀┘
 * ```
 *
 * - Pollers own partitions `p mod n` and serve them round-robin; a poller has
 *   `concurrencyPerPoller` invocations in flight at most, and a partition at most one batch
 *   (AWS: records are read in order per partition, so concurrency ≤ partitions).
 * - A batch takes one partition's next records: it is invoked when it is full (batch size or
 *   the 6 MB payload cap) or when the batching window, opened by its first record, ends.
 * - An invocation that errors or times out is retried as the same batch (whole-batch retry);
 *   a throttled attempt is retried after a back-off and counted in `throttles`.
 * - The scaler evaluates on its interval; a change applies after its actuation delay, then
 *   partitions are reassigned and polling pauses for the rebalance pause.
 *
 * Records are offsets: per partition the model keeps only the committed offset and the
 * in-flight batch, so memory does not depend on the record count. Per event the cost is
 * O(log events) for the queue plus O(partitions per poller) for a poller's scan.
 */
import { EventQueue } from "../engine/event-queue.js";
import { LatencyHistogram } from "../engine/histogram.js";
import type { Rng } from "../engine/prng.js";
import type { PartitionFeed } from "../kafka/feed.js";
import type { DurationSampler } from "../lambda/duration.js";
import type { ScaleEvent } from "../run/run.js";
import type { ScalerPolicy } from "../scaler/policy.js";
import type { SeriesRecorder } from "./series-recorder.js";

/** One finished invocation, for tests and tracing. */
export interface InvocationTrace {
  readonly partition: number;
  readonly firstOffset: number;
  readonly records: number;
  readonly startSec: number;
  readonly endSec: number;
  readonly ok: boolean;
}

export interface ModelSettings {
  readonly batchSize: number;
  readonly batchingWindowSec: number;
  readonly maxPayloadBytes: number;
  readonly recordBytes: number;
  readonly concurrencyPerPoller: number;
  readonly pollerBytesPerSec: number | null;
  readonly rebalancePauseSec: number;
  readonly perRecordSec: number;
  readonly errorRate: number;
  readonly timeoutSec: number;
  readonly concurrencyLimit: number;
  readonly coldStartSec: number;
  readonly keepWarmSec: number;
  readonly throttleBackoffSec: number;
  readonly maxDurationSec: number;
}

export interface ModelResult {
  readonly endSec: number;
  readonly truncated: boolean;
  readonly events: number;
  readonly latencies: LatencyHistogram;
  readonly scaleEvents: ScaleEvent[];
  readonly invocations: number;
}

// event kinds, in tie-break priority order: completions first, so an evaluation at the same
// instant sees them; wakes last, so they see the poller count an evaluation just applied
const DONE = 0;
const APPLY = 1;
const EVAL = 2;
const WAKE = 3;

const INF = Number.POSITIVE_INFINITY;

/** Run the model to completion (drained and scaler back at its minimum) or its time limit. */
export function runModel(
  feed: PartitionFeed,
  policy: ScalerPolicy,
  s: ModelSettings,
  durations: { sample: DurationSampler; rng: Rng },
  errorRng: Rng,
  series: SeriesRecorder,
  onInvocation?: (inv: InvocationTrace) => void,
): ModelResult {
  const P = feed.partitions;
  const queue = new EventQueue(Math.max(256, 4 * P));
  const latencies = new LatencyHistogram();
  const scaleEvents: ScaleEvent[] = [];

  // per partition: committed offset, in-flight batch, when it last became free
  const committed = new Float64Array(P);
  const busy = new Uint8Array(P);
  const batchCount = new Float64Array(P);
  const batchStart = new Float64Array(P);
  const batchFailed = new Uint8Array(P);
  const freeSince = new Float64Array(P);
  // per poller (never more pollers than partitions)
  const slotsUsed = new Int32Array(P);
  const cursor = new Int32Array(P);
  const wakeAt = new Float64Array(P).fill(INF);
  const fetchFreeAt = new Float64Array(P);
  const throttledUntil = new Float64Array(P);

  const batchCap = Math.max(1, Math.min(s.batchSize, Math.floor(s.maxPayloadBytes / s.recordBytes)));
  const window = s.batchingWindowSec;
  const slots = s.concurrencyPerPoller;
  const bytesPerSec = s.pollerBytesPerSec ?? INF;
  const horizonSec = Math.max(1, window);
  const initialLag = feed.initialBacklog;

  let n = policy.initialPollers;
  let now = 0;
  let inflight = 0;
  let invocationCount = 0;
  let throttlesSinceEval = 0;
  let previousLag = initialLag;
  let pausedUntil = 0;
  let events = 0;
  let finished = false;
  let truncated = false;
  const pending: { target: number; reason: string }[] = [];
  // warm execution environments: times they went idle, most recent last
  const idleEnvs: number[] = [];

  /** When partition p's next batch is due (Infinity if its next record is not known yet). */
  const readyTime = (p: number): number => {
    const c = committed[p]!;
    const first = feed.timeOf(p, c);
    if (first === INF) return INF;
    const free = freeSince[p]!;
    const open = first > free ? first : free;
    if (batchCap === 1 || window === 0) return open;
    const full = feed.timeOf(p, c + batchCap - 1);
    const fullAt = full > free ? full : free;
    return open + window < fullAt ? open + window : fullAt;
  };

  const scheduleWake = (j: number, t: number): void => {
    if (t < wakeAt[j]!) {
      wakeAt[j] = t;
      queue.push(t, WAKE, WAKE, j);
    }
  };

  const launch = (j: number, p: number): void => {
    const c = committed[p]!;
    let count = feed.countUpTo(p, now) - c;
    if (count > batchCap) count = batchCap;
    let d = durations.sample(durations.rng) + s.perRecordSec * count;
    if (s.coldStartSec > 0) {
      const last = idleEnvs.length > 0 ? idleEnvs[idleEnvs.length - 1]! : -INF;
      if (last >= now - s.keepWarmSec) idleEnvs.pop();
      else {
        idleEnvs.length = 0; // the rest went idle even earlier: all expired
        d += s.coldStartSec;
      }
    }
    let failed = 0;
    if (d >= s.timeoutSec) {
      d = s.timeoutSec;
      failed = 1;
    } else if (s.errorRate > 0 && errorRng.next() < s.errorRate) {
      failed = 1;
    }
    busy[p] = 1;
    batchCount[p] = count;
    batchStart[p] = now;
    batchFailed[p] = failed;
    slotsUsed[j]!++;
    inflight++;
    invocationCount++;
    series.invocation();
    series.setInflight(inflight);
    if (bytesPerSec !== INF) fetchFreeAt[j] = now + (count * s.recordBytes) / bytesPerSec;
    queue.push(now + d, DONE, DONE, p);
  };

  /** Let poller j start every batch it can; schedule its next wake-up. */
  const dispatch = (j: number): void => {
    if (now < pausedUntil) return scheduleWake(j, pausedUntil);
    if (now < throttledUntil[j]!) return scheduleWake(j, throttledUntil[j]!);
    const owned = Math.floor((P - 1 - j) / n) + 1;
    let earliest = INF;
    let k = cursor[j]! % owned;
    for (let scanned = 0; scanned < owned && slotsUsed[j]! < slots; scanned++) {
      const p = j + k * n;
      k = k + 1 === owned ? 0 : k + 1;
      if (busy[p] === 1) continue;
      const ready = readyTime(p);
      if (ready > now) {
        if (ready < earliest) earliest = ready;
        continue;
      }
      if (fetchFreeAt[j]! > now) {
        earliest = fetchFreeAt[j]!;
        break;
      }
      if (inflight >= s.concurrencyLimit) {
        series.throttle();
        throttlesSinceEval++;
        throttledUntil[j] = now + s.throttleBackoffSec;
        cursor[j] = k;
        return scheduleWake(j, throttledUntil[j]!);
      }
      cursor[j] = k;
      launch(j, p);
    }
    if (slotsUsed[j]! >= slots) return; // a completion will call again
    // records not generated yet arrive at or after knownUntil (> now + horizon): look again then
    const known = feed.knownUntil();
    if (earliest > known) earliest = known;
    if (earliest !== INF) scheduleWake(j, earliest);
  };

  const lagNow = (): number => initialLag + feed.producedBefore(now) - series.processedTotal;

  const maybeFinish = (): void => {
    if (inflight > 0 || pending.length > 0 || n !== policy.minPollers) return;
    if (!(feed.lastArrival() < now)) return;
    if (lagNow() === 0) finished = true;
  };

  const rescale = (target: number, reason: string): void => {
    if (target === n) return;
    scaleEvents.push({ tSec: now, from: n, to: target, reason });
    n = target;
    series.setPollers(n);
    slotsUsed.fill(0);
    cursor.fill(0);
    if (n > 0) for (let p = 0; p < P; p++) if (busy[p] === 1) slotsUsed[p % n]!++;
    if (s.rebalancePauseSec > 0) pausedUntil = now + s.rebalancePauseSec;
    for (let j = 0; j < n; j++) dispatch(j);
  };

  series.setPollers(n);
  feed.advance(horizonSec);
  for (let j = 0; j < n; j++) dispatch(j);
  if (policy.evaluationIntervalSec !== INF) queue.push(policy.evaluationIntervalSec, EVAL, EVAL, 0);

  while (!finished && queue.pop()) {
    now = queue.time;
    if (now > s.maxDurationSec) {
      now = s.maxDurationSec;
      truncated = true;
      break;
    }
    events++;
    feed.advance(now + horizonSec);
    series.advance(now);
    const target = queue.target;
    switch (queue.kind) {
      case DONE: {
        const p = target;
        const count = batchCount[p]!;
        busy[p] = 0;
        freeSince[p] = now;
        inflight--;
        series.setInflight(inflight);
        if (s.coldStartSec > 0) idleEnvs.push(now);
        const ok = batchFailed[p] === 0;
        if (onInvocation !== undefined) {
          onInvocation({ partition: p, firstOffset: committed[p]!, records: count, startSec: batchStart[p]!, endSec: now, ok });
        }
        if (ok) {
          feed.commit(p, committed[p]!, count, now, latencies);
          committed[p] = committed[p]! + count;
          series.processedRecords(count);
        } else {
          series.error(batchStart[p]!);
        }
        if (n > 0) {
          const j = p % n;
          slotsUsed[j]!--;
          dispatch(j);
        }
        maybeFinish();
        break;
      }
      case WAKE:
        if (wakeAt[target] !== now) break; // superseded by an earlier wake
        wakeAt[target] = INF;
        if (target < n) dispatch(target);
        break;
      case EVAL: {
        const lag = lagNow();
        const wanted = pending.length > 0 ? pending[pending.length - 1]!.target : n;
        const decision = policy.evaluate({
          nowSec: now,
          lagRecords: lag,
          previousLagRecords: previousLag,
          pollers: wanted,
          partitions: P,
          throttlesSinceLast: throttlesSinceEval,
        });
        previousLag = lag;
        throttlesSinceEval = 0;
        if (decision.pollers !== wanted) {
          pending.push({ target: decision.pollers, reason: decision.reason });
          queue.push(now + policy.actuationDelaySec, APPLY, APPLY, decision.pollers);
        }
        queue.push(now + policy.evaluationIntervalSec, EVAL, EVAL, 0);
        break;
      }
      case APPLY: {
        const change = pending.shift()!;
        rescale(change.target, change.reason);
        maybeFinish();
        break;
      }
    }
  }
  if (!finished && !truncated && lagNow() > 0) truncated = true;
  return { endSec: now, truncated, events, latencies, scaleEvents, invocations: invocationCount };
}
