/**
 * A topic's partitions as the consumer sees them: for every partition, when each offset
 * arrived. Records are offsets, never objects.
 *
 * - {@link IndexedFeed}: deterministic arrivals spread round-robin (record i on partition
 *   i mod P, the seed's producer). Every answer is computed, nothing is stored: memory does
 *   not depend on the record count.
 * - {@link GeneratedFeed}: any arrival process with any partitioner. Arrivals are generated
 *   in time order a short horizon ahead of the clock and buffered per partition until they are
 *   committed, so memory follows the backlog, not the total.
 *
 * Both may start with a backlog (TRIM_HORIZON): `backlog[p]` records already in partition p,
 * produced `backlogAgeSec` before the run started.
 */
import { F64Deque } from "../engine/buffers.js";
import type { LatencyHistogram } from "../engine/histogram.js";
import type { IndexedArrivals, SequentialArrivals } from "./arrivals.js";
import type { RecordPartitioner } from "./partitioner.js";

/** A generated feed went past one of its limits (see {@link GeneratedFeed}'s constructor). */
export class FeedLimitExceeded extends Error {
  constructor(
    readonly what: "generated arrivals" | "held arrivals",
    readonly limit: number,
    readonly atSec: number,
  ) {
    super(`${what} passed ${limit} at ${atSec} s`);
  }
}

export interface PartitionFeed {
  readonly partitions: number;
  /** Records already in the topic at the start (all partitions). */
  readonly initialBacklog: number;
  /**
   * Arrival time of offset k of partition p, or Infinity when it is not known by
   * {@link PartitionFeed.knownUntil} (it may still arrive later).
   */
  timeOf(p: number, k: number): number;
  /** Records of partition p arrived at or before t (t ≤ knownUntil). */
  countUpTo(p: number, t: number): number;
  /** Records produced during the run (all partitions) strictly before t; t never decreases. */
  producedBefore(t: number): number;
  /** Make arrivals up to time t known. */
  advance(t: number): void;
  /** Every record not yet known arrives after this time (Infinity when all are known). */
  knownUntil(): number;
  /** Time of the last record, once known (Infinity until then; -Infinity when none). */
  lastArrival(): number;
  /** Records [k0, k0 + n) of partition p completed at doneSec: count their latencies, free them. */
  commit(p: number, k0: number, n: number, doneSec: number, latencies: LatencyHistogram): void;
}

/** Deterministic arrivals, record i on partition i mod P. */
export class IndexedFeed implements PartitionFeed {
  readonly initialBacklog: number;

  constructor(
    private readonly arrivals: IndexedArrivals,
    readonly partitions: number,
    private readonly backlog: Float64Array,
    private readonly backlogAgeSec: number,
  ) {
    this.initialBacklog = backlog.reduce((a, b) => a + b, 0);
  }

  timeOf(p: number, k: number): number {
    const b = this.backlog[p]!;
    if (k < b) return -this.backlogAgeSec;
    const i = p + (k - b) * this.partitions;
    return i < this.arrivals.total ? this.arrivals.timeAt(i) : Number.POSITIVE_INFINITY;
  }

  countUpTo(p: number, t: number): number {
    const last = this.arrivals.countUpTo(t) - 1; // index of the last record at or before t
    const own = last < p ? 0 : Math.floor((last - p) / this.partitions) + 1;
    return this.backlog[p]! + own;
  }

  producedBefore(t: number): number {
    return this.arrivals.countBefore(t);
  }

  advance(): void {}

  knownUntil(): number {
    return Number.POSITIVE_INFINITY;
  }

  lastArrival(): number {
    const n = this.arrivals.total;
    return n > 0 ? this.arrivals.timeAt(n - 1) : Number.NEGATIVE_INFINITY;
  }

  commit(p: number, k0: number, n: number, doneSec: number, latencies: LatencyHistogram): void {
    const b = this.backlog[p]!;
    if (n === 1) {
      // batch size 1: one record, no run to build
      latencies.add(doneSec - this.timeOf(p, k0));
      return;
    }
    let k = k0;
    let left = n;
    if (k < b) {
      const m = Math.min(left, b - k);
      latencies.addArithmetic(doneSec + this.backlogAgeSec, 0, m);
      k += m;
      left -= m;
    }
    if (left === 0) return;
    const P = this.partitions;
    const first = p + (k - b) * P;
    const spacing = this.arrivals.evenSpacing(first, P, left);
    if (!Number.isNaN(spacing)) {
      // evenly spaced batch: latencies are an arithmetic run, newest record first
      latencies.addArithmetic(
        doneSec - this.arrivals.timeAt(first + (left - 1) * P),
        spacing,
        left,
      );
      return;
    }
    for (let j = 0; j < left; j++) latencies.add(doneSec - this.arrivals.timeAt(first + j * P));
  }
}

/** Any arrivals with any partitioner, generated a horizon ahead and buffered until committed. */
export class GeneratedFeed implements PartitionFeed {
  readonly initialBacklog: number;
  private readonly queues: F64Deque[];
  /** Offset of the first buffered (uncommitted) record of each partition, backlog included. */
  private readonly base: Float64Array;
  /** Run records generated but not yet counted by producedBefore. */
  private readonly uncounted = new F64Deque(1024);
  private counted = 0;
  private nextTime: number;
  private lastTime = Number.NEGATIVE_INFINITY;
  /** Arrivals generated, and those buffered (generated, not committed). */
  private generated = 0;
  private held = 0;

  /**
   * @param limits stop with {@link FeedLimitExceeded} past this many arrivals generated or held
   *   at once (memory follows the held ones; default: no limits)
   */
  constructor(
    private readonly source: SequentialArrivals,
    private readonly partitioner: RecordPartitioner,
    readonly partitions: number,
    private readonly backlog: Float64Array,
    private readonly backlogAgeSec: number,
    private readonly limits: { readonly generated: number; readonly held: number } = {
      generated: Number.POSITIVE_INFINITY,
      held: Number.POSITIVE_INFINITY,
    },
  ) {
    this.initialBacklog = backlog.reduce((a, b) => a + b, 0);
    this.queues = Array.from({ length: partitions }, () => new F64Deque());
    this.base = new Float64Array(partitions);
    this.nextTime = source.next();
  }

  timeOf(p: number, k: number): number {
    if (k < this.backlog[p]!) return -this.backlogAgeSec;
    const j = k - Math.max(this.base[p]!, this.backlog[p]!);
    const q = this.queues[p]!;
    return j < q.length ? q.at(j) : Number.POSITIVE_INFINITY;
  }

  countUpTo(p: number, t: number): number {
    const q = this.queues[p]!;
    const start = Math.max(this.base[p]!, this.backlog[p]!);
    // queues hold ascending times: binary search for the first one after t
    let lo = 0;
    let hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (q.at(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return start + lo;
  }

  producedBefore(t: number): number {
    this.advance(t);
    const u = this.uncounted;
    while (u.length > 0 && u.at(0) < t) {
      u.shift();
      this.counted++;
    }
    return this.counted;
  }

  advance(t: number): void {
    while (this.nextTime <= t && this.nextTime !== Number.POSITIVE_INFINITY) {
      const time = this.nextTime;
      if (++this.generated > this.limits.generated)
        throw new FeedLimitExceeded("generated arrivals", this.limits.generated, time);
      if (++this.held > this.limits.held)
        throw new FeedLimitExceeded("held arrivals", this.limits.held, time);
      const p = this.partitioner.next();
      this.queues[p]!.push(time);
      this.uncounted.push(time);
      this.lastTime = time;
      this.nextTime = this.source.next();
    }
  }

  knownUntil(): number {
    return this.nextTime;
  }

  lastArrival(): number {
    return this.nextTime === Number.POSITIVE_INFINITY ? this.lastTime : Number.POSITIVE_INFINITY;
  }

  commit(p: number, k0: number, n: number, doneSec: number, latencies: LatencyHistogram): void {
    const b = this.backlog[p]!;
    let left = n;
    if (k0 < b) {
      const m = Math.min(left, b - k0);
      latencies.addArithmetic(doneSec + this.backlogAgeSec, 0, m);
      left -= m;
    }
    const q = this.queues[p]!;
    for (let j = 0; j < left; j++) latencies.add(doneSec - q.shift());
    this.held -= left;
    this.base[p] = k0 + n;
  }
}
