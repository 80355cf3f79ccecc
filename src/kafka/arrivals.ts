/**
 * When records are produced: the arrival processes of the simulator's workloads.
 *
 * Two shapes, chosen so that the common deterministic workloads cost nothing per record:
 * - {@link IndexedArrivals} answer "when does record i arrive" and "how many records by t" in
 *   O(1) (constant rate) or O(log pieces) (piecewise schedule, replayed trace). The simulator
 *   never stores them.
 * - {@link SequentialArrivals} produce one time after another (Poisson); the simulator buffers
 *   only the records not yet consumed.
 *
 * Record i of a rate schedule arrives when the cumulative rate C(t) = ∫rate reaches i, so a
 * constant rate r gives record i at i / r (the seed: record i at i / rate) and N = ⌈C(end)⌉
 * records in all.
 */
import type { Rng } from "../engine/prng.js";

/** A piece of a rate schedule: `ratePerSec` for `durationSec` seconds. */
export interface RatePiece {
  readonly durationSec: number;
  readonly ratePerSec: number;
}

/** Deterministic arrivals addressable by record index. */
export interface IndexedArrivals {
  /** Number of records in all. */
  readonly total: number;
  /** Arrival time of record i (0 ≤ i < total), seconds. */
  timeAt(i: number): number;
  /** Number of records arriving at or before t. */
  countUpTo(t: number): number;
  /** Number of records arriving strictly before t. */
  countBefore(t: number): number;
  /**
   * Spacing of records i, i+stride, i+2·stride… when it is constant over the n records (so a
   * batch's latencies form an arithmetic run), else NaN.
   */
  evenSpacing(i: number, stride: number, n: number): number;
}

/** Arrivals produced one after another: `next()` returns ascending times, then Infinity. */
export interface SequentialArrivals {
  next(): number;
}

/**
 * A constant rate: record i at i / rate, for `durationSec`. The piecewise schedule with one
 * piece gives the same times; this twin skips its piece searches on the hot path.
 */
export class ConstantRate implements IndexedArrivals {
  readonly total: number;

  constructor(
    private readonly ratePerSec: number,
    durationSec: number,
  ) {
    const c = ratePerSec * durationSec;
    this.total = Math.max(0, Math.ceil(c - 1e-9 * Math.max(1, c)));
  }

  timeAt(i: number): number {
    return i / this.ratePerSec;
  }

  countUpTo(t: number): number {
    if (t < 0 || this.total === 0) return 0;
    const r = this.ratePerSec;
    let k = Math.min(this.total, Math.floor(t * r) + 1);
    // settle float round-off against timeAt itself, so both agree exactly
    while (k > 0 && (k - 1) / r > t) k--;
    while (k < this.total && k / r <= t) k++;
    return k;
  }

  countBefore(t: number): number {
    if (t <= 0 || this.total === 0) return 0;
    const r = this.ratePerSec;
    let k = Math.min(this.total, Math.ceil(t * r));
    while (k > 0 && (k - 1) / r >= t) k--;
    while (k < this.total && k / r < t) k++;
    return k;
  }

  evenSpacing(i: number, stride: number, n: number): number {
    return i + stride * (n - 1) < this.total ? stride / this.ratePerSec : Number.NaN;
  }
}

/** A piecewise-constant rate schedule with its cumulative count C(t) and inverse. */
export class RateSchedule implements IndexedArrivals {
  /** Start time of each piece. */
  private readonly starts: Float64Array;
  /** C at the start of each piece. */
  private readonly cums: Float64Array;
  private readonly rates: Float64Array;
  readonly endSec: number;
  readonly total: number;

  constructor(pieces: readonly RatePiece[]) {
    const n = pieces.length;
    this.starts = new Float64Array(n + 1);
    this.cums = new Float64Array(n + 1);
    this.rates = new Float64Array(n + 1);
    let t = 0;
    let c = 0;
    pieces.forEach((piece, j) => {
      this.starts[j] = t;
      this.cums[j] = c;
      this.rates[j] = piece.ratePerSec;
      t += piece.durationSec;
      c += piece.durationSec * piece.ratePerSec;
    });
    this.starts[n] = t;
    this.cums[n] = c;
    this.endSec = t;
    // records i with C^-1(i) < end; a float sum such as 2000 × 5 may land a hair above an integer
    this.total = Math.max(0, Math.ceil(c - 1e-9 * Math.max(1, c)));
  }

  /** Cumulative expected records by time t. */
  cumulative(t: number): number {
    if (t <= 0) return 0;
    if (t >= this.endSec) return this.cums[this.cums.length - 1]!;
    const j = this.pieceAtTime(t);
    return this.cums[j]! + (t - this.starts[j]!) * this.rates[j]!;
  }

  /** The time at which the cumulative count reaches c (0 ≤ c ≤ C(end)). */
  inverse(c: number): number {
    const j = this.pieceAtCount(c);
    const rate = this.rates[j]!;
    return rate > 0 ? this.starts[j]! + (c - this.cums[j]!) / rate : this.starts[j]!;
  }

  timeAt(i: number): number {
    return this.inverse(i);
  }

  countUpTo(t: number): number {
    if (t < 0 || this.total === 0) return 0;
    let k = Math.min(this.total, Math.floor(this.cumulative(t)) + 1);
    // settle float round-off against timeAt itself, so both agree exactly
    while (k > 0 && this.timeAt(k - 1) > t) k--;
    while (k < this.total && this.timeAt(k) <= t) k++;
    return k;
  }

  countBefore(t: number): number {
    if (t <= 0 || this.total === 0) return 0;
    let k = Math.min(this.total, Math.ceil(this.cumulative(t)));
    while (k > 0 && this.timeAt(k - 1) >= t) k--;
    while (k < this.total && this.timeAt(k) < t) k++;
    return k;
  }

  evenSpacing(i: number, stride: number, n: number): number {
    const j = this.pieceAtCount(i);
    const last = i + stride * (n - 1);
    // the run must sit inside one piece of positive rate
    if (this.rates[j]! <= 0 || last >= this.cums[j + 1]!) return Number.NaN;
    return stride / this.rates[j]!;
  }

  /** Index of the piece whose time span holds t (binary search). */
  private pieceAtTime(t: number): number {
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the positive-rate piece in which the cumulative count reaches c. */
  private pieceAtCount(c: number): number {
    const last = this.cums.length - 2;
    if (last === 0) return 0;
    let lo = 0;
    let hi = last;
    // last piece with cums[j] <= c and rate > 0 whose end exceeds c
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cums[mid]! <= c) lo = mid;
      else hi = mid - 1;
    }
    // skip zero-rate pieces and pieces ending exactly at c
    while (lo < last && (this.rates[lo]! <= 0 || this.cums[lo + 1]! <= c)) lo++;
    return lo;
  }
}

/** Arrivals replayed from sorted timestamps (seconds from the run start). */
export class TraceArrivals implements IndexedArrivals {
  readonly total: number;

  /** @param times ascending, ≥ 0 (validated by the scenario loader) */
  constructor(private readonly times: Float64Array) {
    this.total = times.length;
  }

  timeAt(i: number): number {
    return this.times[i]!;
  }

  countUpTo(t: number): number {
    // first index with time > t
    let lo = 0;
    let hi = this.total;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  countBefore(t: number): number {
    let lo = 0;
    let hi = this.total;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  evenSpacing(): number {
    return Number.NaN;
  }
}

/** Indexed arrivals read one after another. */
export function sequentialFrom(arrivals: IndexedArrivals): SequentialArrivals {
  let i = 0;
  return {
    next: () => (i < arrivals.total ? arrivals.timeAt(i++) : Number.POSITIVE_INFINITY),
  };
}

/**
 * A (non-homogeneous) Poisson process following a rate schedule: unit-rate exponential gaps in
 * cumulative-count space mapped back through C⁻¹ (the time-change theorem), so a piecewise
 * schedule needs no thinning.
 */
export function poissonArrivals(schedule: RateSchedule, rng: Rng): SequentialArrivals {
  const end = schedule.cumulative(schedule.endSec);
  let c = 0;
  return {
    next: () => {
      c += rng.exponential(1);
      return c < end ? schedule.inverse(c) : Number.POSITIVE_INFINITY;
    },
  };
}
