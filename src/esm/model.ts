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
 *   partitions are reassigned and polling pauses for the rebalance pause. A policy that asks
 *   for it (`observesCommits`, KEDA) also sees which partitions have never had an offset
 *   committed, computed at the evaluation in O(partitions not yet committed).
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
import type { ScalerObservation, ScalerPolicy } from "../scaler/policy.js";
import type { PollerSettings, Scenario } from "../scenario/types.js";
import { WorkLimitExceeded } from "./budget.js";
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

/** What the model needs of a resolved scenario, flattened. */
export type ModelSettings = Omit<Scenario["function"], "duration"> &
  Pick<Scenario["esm"], "batchSize" | "batchingWindowSec" | "maxPayloadBytes"> &
  PollerSettings & {
    readonly recordBytes: number;
    readonly maxDurationSec: number;
    /** Stop with {@link WorkLimitExceeded} after this many events (default: no limit). */
    readonly maxEvents?: number;
  };

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

/**
 * Run the model to completion (drained and the scaler back at its minimum, or at rest where the
 * policy says it will stay: {@link ScalerPolicy.atRest}) or its time limit.
 */
export function runModel(
  feed: PartitionFeed,
  policy: ScalerPolicy,
  settings: ModelSettings,
  durations: { sample: DurationSampler; rng: Rng },
  errorRng: Rng,
  series: SeriesRecorder,
  onInvocation?: (inv: InvocationTrace) => void,
): ModelResult {
  return new EsmModel(feed, policy, settings, durations, errorRng, series, onInvocation).run();
}

/**
 * The model's state. A class rather than a closure on purpose: V8 keeps a class's double fields
 * in place, while doubles captured by closures are boxed anew on every write — the clock alone
 * would allocate once per event.
 */
class EsmModel {
  private readonly P: number;
  private readonly queue: EventQueue;
  private readonly latencies = new LatencyHistogram();
  private readonly scaleEvents: ScaleEvent[] = [];

  // per partition: committed offset, in-flight batch, when it last became free
  private readonly committed: Float64Array;
  private readonly busy: Uint8Array;
  private readonly batchCount: Float64Array;
  private readonly batchStart: Float64Array;
  private readonly batchFailed: Uint8Array;
  private readonly freeSince: Float64Array;
  // per poller (never more pollers than partitions)
  private readonly slotsUsed: Int32Array;
  private readonly cursor: Int32Array;
  private readonly wakeAt: Float64Array;
  private readonly fetchFreeAt: Float64Array;
  private readonly throttledUntil: Float64Array;

  private readonly batchCap: number;
  private readonly window: number;
  private readonly slots: number;
  private readonly bytesPerSec: number;
  private readonly horizonSec: number;
  private readonly initialLag: number;
  private readonly maxEvents: number;
  /** The feed generates arrivals ahead of the clock (else every answer is computed). */
  private readonly generated: boolean;

  private n: number;
  private now = 0;
  private inflight = 0;
  private invocations = 0;
  private throttlesSinceEval = 0;
  private previousLag: number;
  private pausedUntil = 0;
  private events = 0;
  private finished = false;
  private truncated = false;
  private readonly pending: { target: number; reason: string }[] = [];
  /**
   * For a policy that observes commits: the partitions that may still have no committed offset
   * (a superset, pruned at each evaluation: a partition never loses its commit), and how many.
   */
  private readonly uncommitted: Int32Array | null;
  private uncommittedCount: number;
  /** Warm execution environments: times they went idle, most recent last. */
  private readonly idleEnvs: number[] = [];

  constructor(
    private readonly feed: PartitionFeed,
    private readonly policy: ScalerPolicy,
    private readonly s: ModelSettings,
    private readonly durations: { sample: DurationSampler; rng: Rng },
    private readonly errorRng: Rng,
    private readonly series: SeriesRecorder,
    private readonly onInvocation: ((inv: InvocationTrace) => void) | undefined,
  ) {
    const P = feed.partitions;
    this.P = P;
    this.queue = new EventQueue(Math.max(256, 4 * P));
    this.committed = new Float64Array(P);
    this.busy = new Uint8Array(P);
    this.batchCount = new Float64Array(P);
    this.batchStart = new Float64Array(P);
    this.batchFailed = new Uint8Array(P);
    this.freeSince = new Float64Array(P);
    this.slotsUsed = new Int32Array(P);
    this.cursor = new Int32Array(P);
    this.wakeAt = new Float64Array(P).fill(INF);
    this.fetchFreeAt = new Float64Array(P);
    this.throttledUntil = new Float64Array(P);
    this.batchCap = Math.max(
      1,
      Math.min(s.batchSize, Math.floor(s.maxPayloadBytes / s.recordBytes)),
    );
    this.window = s.batchingWindowSec;
    this.slots = s.concurrencyPerPoller;
    this.bytesPerSec = s.pollerBytesPerSec ?? INF;
    this.horizonSec = Math.max(1, this.window);
    this.initialLag = feed.initialBacklog;
    this.generated = feed.knownUntil() !== INF;
    this.previousLag = this.initialLag;
    this.n = policy.initialPollers;
    this.maxEvents = s.maxEvents ?? INF;
    this.uncommitted =
      policy.observesCommits === true ? Int32Array.from({ length: P }, (_, p) => p) : null;
    this.uncommittedCount = P;
  }

  run(): ModelResult {
    const { queue, feed, series, policy } = this;
    if (!(policy.evaluationIntervalSec > 0)) {
      // the schema guarantees it for scenarios; a programmatic caller gets told
      throw new RangeError(
        `evaluation interval must be > 0 s, got ${policy.evaluationIntervalSec}`,
      );
    }
    series.setPollers(this.n);
    feed.advance(this.horizonSec);
    for (let j = 0; j < this.n; j++) this.dispatch(j);
    if (policy.evaluationIntervalSec !== INF)
      queue.push(policy.evaluationIntervalSec, EVAL, EVAL, 0);

    while (!this.finished && queue.pop()) {
      const now = queue.time;
      if (now > this.s.maxDurationSec) {
        this.now = this.s.maxDurationSec;
        this.truncated = true;
        break;
      }
      this.now = now;
      // a guard against estimates gone wrong (esm/budget.ts): one compare per event
      if (++this.events > this.maxEvents)
        throw new WorkLimitExceeded("events", this.maxEvents, now);
      if (this.generated) feed.advance(now + this.horizonSec);
      series.advance(now);
      const target = queue.target;
      switch (queue.kind) {
        case DONE:
          this.complete(target);
          break;
        case WAKE:
          if (this.wakeAt[target] !== now) break; // superseded by an earlier wake
          this.wakeAt[target] = INF;
          if (target < this.n) this.dispatch(target);
          break;
        case EVAL:
          this.evaluate();
          this.maybeFinish();
          break;
        case APPLY: {
          const change = this.pending.shift()!;
          this.rescale(change.target, change.reason);
          this.maybeFinish();
          break;
        }
      }
    }
    if (!this.finished && !this.truncated && this.lagNow() > 0) this.truncated = true;
    return {
      endSec: this.now,
      truncated: this.truncated,
      events: this.events,
      latencies: this.latencies,
      scaleEvents: this.scaleEvents,
      invocations: this.invocations,
    };
  }

  /** When partition p's next batch is due (Infinity if its next record is not known yet). */
  private readyTime(p: number): number {
    const feed = this.feed;
    const c = this.committed[p]!;
    const first = feed.timeOf(p, c);
    if (first === INF) return INF;
    const free = this.freeSince[p]!;
    const open = Math.max(first, free);
    if (this.batchCap === 1 || this.window === 0) return open;
    const fullAt = Math.max(feed.timeOf(p, c + this.batchCap - 1), free);
    return Math.min(open + this.window, fullAt);
  }

  private scheduleWake(j: number, t: number): void {
    if (t < this.wakeAt[j]!) {
      this.wakeAt[j] = t;
      this.queue.push(t, WAKE, WAKE, j);
    }
  }

  private launch(j: number, p: number): void {
    const { feed, s, now, batchCap } = this;
    const c = this.committed[p]!;
    // a full batch needs one lookup; counting what arrived is the slower path
    const count =
      feed.timeOf(p, c + batchCap - 1) <= now
        ? batchCap
        : Math.min(batchCap, feed.countUpTo(p, now) - c);
    let d = this.durations.sample(this.durations.rng) + s.perRecordSec * count;
    if (s.coldStartSec > 0) d += this.coldStart();
    let failed = 0;
    if (d >= s.timeoutSec) {
      d = s.timeoutSec;
      failed = 1;
    } else if (s.errorRate > 0 && this.errorRng.next() < s.errorRate) {
      failed = 1;
    }
    this.busy[p] = 1;
    this.batchCount[p] = count;
    this.batchStart[p] = now;
    this.batchFailed[p] = failed;
    this.slotsUsed[j]!++;
    this.inflight++;
    this.invocations++;
    this.series.invocation();
    this.series.setInflight(this.inflight);
    if (this.bytesPerSec !== INF)
      this.fetchFreeAt[j] = now + (count * s.recordBytes) / this.bytesPerSec;
    this.queue.push(now + d, DONE, DONE, p);
  }

  /** Cold-start penalty of the next invocation: 0 when a warm environment is free. */
  private coldStart(): number {
    const idle = this.idleEnvs;
    const last = idle.length > 0 ? idle[idle.length - 1]! : -INF;
    if (last >= this.now - this.s.keepWarmSec) {
      idle.pop();
      return 0;
    }
    idle.length = 0; // the rest went idle even earlier: all expired
    return this.s.coldStartSec;
  }

  /** Let poller j start every batch it can; schedule its next wake-up. */
  private dispatch(j: number): void {
    const now = this.now;
    if (now < this.pausedUntil) {
      this.scheduleWake(j, this.pausedUntil);
      return;
    }
    if (now < this.throttledUntil[j]!) {
      this.scheduleWake(j, this.throttledUntil[j]!);
      return;
    }
    const n = this.n;
    const owned = Math.floor((this.P - 1 - j) / n) + 1;
    let earliest = INF;
    let k = this.cursor[j]! % owned;
    for (let scanned = 0; scanned < owned && this.slotsUsed[j]! < this.slots; scanned++) {
      const p = j + k * n;
      k = k + 1 === owned ? 0 : k + 1;
      if (this.busy[p] === 1) continue;
      const ready = this.readyTime(p);
      if (ready > now) {
        if (ready < earliest) earliest = ready;
        continue;
      }
      if (this.fetchFreeAt[j]! > now) {
        earliest = this.fetchFreeAt[j]!;
        break;
      }
      if (this.inflight >= this.s.concurrencyLimit) {
        this.series.throttle();
        this.throttlesSinceEval++;
        this.throttledUntil[j] = now + this.s.throttleBackoffSec;
        this.cursor[j] = k;
        this.scheduleWake(j, this.throttledUntil[j]!);
        return;
      }
      this.cursor[j] = k;
      this.launch(j, p);
    }
    if (this.slotsUsed[j]! >= this.slots) return; // a completion will call again
    // records not generated yet arrive at or after knownUntil (> now + horizon): look again then
    const known = this.feed.knownUntil();
    if (earliest > known) earliest = known;
    if (earliest !== INF) this.scheduleWake(j, earliest);
  }

  private complete(p: number): void {
    const now = this.now;
    const count = this.batchCount[p]!;
    this.busy[p] = 0;
    this.freeSince[p] = now;
    this.inflight--;
    this.series.setInflight(this.inflight);
    if (this.s.coldStartSec > 0) this.idleEnvs.push(now);
    const ok = this.batchFailed[p] === 0;
    const first = this.committed[p]!;
    if (this.onInvocation !== undefined) {
      this.onInvocation({
        partition: p,
        firstOffset: first,
        records: count,
        startSec: this.batchStart[p]!,
        endSec: now,
        ok,
      });
    }
    if (ok) {
      this.feed.commit(p, first, count, now, this.latencies);
      this.committed[p] = first + count;
      this.series.processedRecords(count);
    } else {
      this.series.error(this.batchStart[p]!);
    }
    if (this.n > 0) {
      const j = p % this.n;
      this.slotsUsed[j]!--;
      this.dispatch(j);
    }
    this.maybeFinish();
  }

  private evaluate(): void {
    const lag = this.lagNow();
    const pending = this.pending;
    const wanted = pending.length > 0 ? pending[pending.length - 1]!.target : this.n;
    const observation: ScalerObservation = {
      nowSec: this.now,
      lagRecords: lag,
      previousLagRecords: this.previousLag,
      pollers: wanted,
      partitions: this.P,
      throttlesSinceLast: this.throttlesSinceEval,
    };
    const decision = this.policy.evaluate(
      this.uncommitted === null ? observation : { ...observation, ...this.commitView(true) },
    );
    this.previousLag = lag;
    this.throttlesSinceEval = 0;
    if (decision.pollers !== wanted) {
      pending.push({ target: decision.pollers, reason: decision.reason });
      this.queue.push(this.now + this.policy.actuationDelaySec, APPLY, APPLY, decision.pollers);
    }
    this.queue.push(this.now + this.policy.evaluationIntervalSec, EVAL, EVAL, 0);
  }

  private lagNow(): number {
    return this.initialLag + this.feed.producedBefore(this.now) - this.series.processedTotal;
  }

  /**
   * Partitions with no committed offset (nothing processed on them yet), and the records they
   * hold before now (the lag's share of them; skipped, as 0, when the caller knows lag is 0).
   * Prunes the candidate list as it goes, so a run pays per partition until its first commit.
   */
  private commitView(withLag: boolean): {
    partitionsWithoutCommit: number;
    lagWithoutCommitRecords: number;
  } {
    const list = this.uncommitted!;
    const { feed, now, committed } = this;
    let kept = 0;
    let records = 0;
    for (let i = 0; i < this.uncommittedCount; i++) {
      const p = list[i]!;
      if (committed[p]! > 0) continue;
      list[kept++] = p;
      if (!withLag) continue;
      // countUpTo counts arrivals at or before now; lagNow those strictly before
      let n = feed.countUpTo(p, now);
      while (n > 0 && feed.timeOf(p, n - 1) >= now) n--;
      records += n;
    }
    this.uncommittedCount = kept;
    return { partitionsWithoutCommit: kept, lagWithoutCommitRecords: records };
  }

  private maybeFinish(): void {
    if (this.inflight > 0 || this.pending.length > 0) return;
    const policy = this.policy;
    // without atRest a policy rests at its minimum: checked first, as it is the cheapest
    if (policy.atRest === undefined && this.n !== policy.minPollers) return;
    if (!(this.feed.lastArrival() < this.now)) return;
    if (this.lagNow() !== 0) return;
    if (policy.atRest !== undefined) {
      // drained and nothing left to produce: the observation every evaluation will see
      const atRest = policy.atRest({
        nowSec: this.now,
        lagRecords: 0,
        previousLagRecords: 0,
        pollers: this.n,
        partitions: this.P,
        throttlesSinceLast: 0,
        ...(this.uncommitted === null ? {} : this.commitView(false)),
      });
      if (!atRest) return;
    }
    this.finished = true;
  }

  private rescale(target: number, reason: string): void {
    if (target === this.n) return;
    this.scaleEvents.push({ tSec: this.now, from: this.n, to: target, reason });
    const n = target;
    this.n = n;
    this.series.setPollers(n);
    this.slotsUsed.fill(0);
    this.cursor.fill(0);
    if (n > 0) for (let p = 0; p < this.P; p++) if (this.busy[p] === 1) this.slotsUsed[p % n]!++;
    if (this.s.rebalancePauseSec > 0) this.pausedUntil = this.now + this.s.rebalancePauseSec;
    for (let j = 0; j < n; j++) this.dispatch(j);
  }
}
