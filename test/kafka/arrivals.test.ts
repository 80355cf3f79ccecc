import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/prng.js";
import {
  ConstantRate,
  type IndexedArrivals,
  poissonArrivals,
  type RatePiece,
  RateSchedule,
  type SequentialArrivals,
  sequentialFrom,
  TraceArrivals,
} from "../../src/kafka/arrivals.js";

/** Every time of an indexed process, by timeAt. */
const timesOf = (a: IndexedArrivals): number[] =>
  Array.from({ length: a.total }, (_, i) => a.timeAt(i));

/** Every time of a sequential process, up to its first Infinity (at most `limit`). */
function drain(s: SequentialArrivals, limit = 1e7): number[] {
  const out: number[] = [];
  for (let t = s.next(); t !== Number.POSITIVE_INFINITY && out.length < limit; t = s.next()) {
    out.push(t);
  }
  return out;
}

/** Probe times: every record time, its float neighbours, midpoints, and outside the run. */
function probes(times: readonly number[]): number[] {
  const out = [-1, -Number.MIN_VALUE, 0, Number.MIN_VALUE, 1e9];
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    out.push(t, t * (1 - 1e-15) - 1e-300, t * (1 + 1e-15) + 1e-300);
    if (i + 1 < times.length) out.push((t + times[i + 1]!) / 2);
  }
  if (times.length > 0) out.push(times[times.length - 1]! + 1);
  return out;
}

/** #{x in sorted: x ≤ t} (or < t when `strict`), by binary search over a sorted copy. */
function countSorted(sorted: Float64Array, t: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? sorted[mid]! < t : sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** countUpTo and countBefore against counts over the timeAt values themselves. */
function expectCountsMatchTimes(a: IndexedArrivals, extra: readonly number[] = []): void {
  const times = timesOf(a);
  // sorted copy: the counts stay exact even if timeAt were not monotone
  const sorted = Float64Array.from(times).sort();
  for (const t of [...probes(times), ...extra]) {
    const upTo = countSorted(sorted, t, false);
    const before = countSorted(sorted, t, true);
    if (a.countUpTo(t) !== upTo || a.countBefore(t) !== before) {
      // one readable failure instead of thousands of expects
      expect({ t, upTo: a.countUpTo(t), before: a.countBefore(t) }).toEqual({ t, upTo, before });
    }
  }
}

const rateArb = fc.oneof(
  fc.integer({ min: 1, max: 50 }),
  fc.integer({ min: 1, max: 500 }).map((k) => k / 10),
  fc.double({ min: 0.05, max: 20, noNaN: true }),
);
const durationArb = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: 1, max: 1000 }).map((k) => k / 10),
  fc.double({ min: 0.1, max: 100, noNaN: true }),
);
const pieceArb: fc.Arbitrary<RatePiece> = fc.record({
  durationSec: durationArb,
  ratePerSec: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: rateArb }),
});
/** Schedules small enough to enumerate (at most a few thousand records). */
const scheduleArb = fc
  .array(pieceArb, { minLength: 1, maxLength: 5 })
  .filter((ps) => ps.reduce((s, p) => s + p.durationSec * p.ratePerSec, 0) < 3000);

describe("ConstantRate and RateSchedule: the seed blog's producers", () => {
  it("case 1: 2 msg/s for 2000 s gives 4000 records, record i at i/2 s", () => {
    for (const a of [
      new ConstantRate(2, 2000),
      new RateSchedule([{ durationSec: 2000, ratePerSec: 2 }]),
    ]) {
      expect(a.total).toBe(4000);
      expect(a.timeAt(0)).toBe(0);
      expect(a.timeAt(1)).toBe(0.5);
      expect(a.timeAt(3999)).toBe(1999.5);
      expect(a.countUpTo(1999.5)).toBe(4000);
      expect(a.countBefore(1999.5)).toBe(3999);
      expect(a.countUpTo(2000)).toBe(4000);
      expect(a.countUpTo(0)).toBe(1);
      expect(a.countBefore(0)).toBe(0);
      expect(a.countUpTo(-0.1)).toBe(0);
      expect(a.countUpTo(900)).toBe(1801); // records 0 … 1800 by the first 15-minute evaluation
      expect(a.countBefore(900)).toBe(1800);
      const wrong = timesOf(a).filter((t, i) => t !== i / 2).length;
      expect(wrong).toBe(0);
    }
  });

  it("case 2: 5 msg/s for 2000 s gives 10000 records, record i at i/5 s", () => {
    for (const a of [
      new ConstantRate(5, 2000),
      new RateSchedule([{ durationSec: 2000, ratePerSec: 5 }]),
    ]) {
      expect(a.total).toBe(10_000);
      expect(a.timeAt(9999)).toBeCloseTo(1999.8, 9);
      const wrong = timesOf(a).filter((t, i) => Math.abs(t - i / 5) > 1e-9).length;
      expect(wrong).toBe(0);
      expect(a.countUpTo(900)).toBe(4501);
      expect(a.countBefore(2000)).toBe(10_000);
      expectCountsMatchTimes(a);
    }
  });

  it("rounds a fractional expected count up: 1.5 msg/s for 3 s gives records at 0, 2/3, …, 4/3·3", () => {
    const a = new ConstantRate(1.5, 3);
    expect(a.total).toBe(5); // C(3) = 4.5: records 0…4, the last at 8/3 s < 3 s
    expect(new RateSchedule([{ durationSec: 3, ratePerSec: 1.5 }]).total).toBe(5);
    expect(new ConstantRate(3, 1 / 3).total).toBe(1); // C = 1 (a hair off in floats): one record
  });

  it("ConstantRate and a one-piece RateSchedule agree on total, timeAt, countUpTo and countBefore", () => {
    fc.assert(
      fc.property(
        rateArb,
        fc.double({ min: 0.1, max: 5000, noNaN: true }),
        fc.array(fc.double({ min: -10, max: 6000, noNaN: true }), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (rate, duration, ts, is) => {
          const c = new ConstantRate(rate, duration);
          const s = new RateSchedule([{ durationSec: duration, ratePerSec: rate }]);
          expect(c.total).toBe(s.total);
          for (const i of is) {
            if (c.total === 0) break;
            const k = i % c.total;
            expect(c.timeAt(k)).toBe(s.timeAt(k));
            ts.push(c.timeAt(k));
          }
          for (const t of ts) {
            expect(c.countUpTo(t)).toBe(s.countUpTo(t));
            expect(c.countBefore(t)).toBe(s.countBefore(t));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("IndexedArrivals counts", () => {
  it("ConstantRate: countUpTo(t) = #{i: timeAt(i) ≤ t} and countBefore(t) = #{i: timeAt(i) < t}", () => {
    fc.assert(
      fc.property(rateArb, durationArb, (rate, duration) => {
        fc.pre(rate * duration < 3000);
        expectCountsMatchTimes(new ConstantRate(rate, duration));
      }),
      { numRuns: 200 },
    );
  });

  it("RateSchedule: countUpTo and countBefore count timeAt exactly, zero-rate pieces included", () => {
    fc.assert(
      fc.property(scheduleArb, (pieces) => {
        const s = new RateSchedule(pieces);
        // probe the piece boundaries too
        const starts = [0];
        for (const p of pieces) starts.push(starts[starts.length - 1]! + p.durationSec);
        expectCountsMatchTimes(s, starts);
      }),
      { numRuns: 200 },
    );
  });

  it("RateSchedule: record times ascend and stay inside [0, end)", () => {
    fc.assert(
      fc.property(scheduleArb, (pieces) => {
        const s = new RateSchedule(pieces);
        const times = timesOf(s);
        const descents = times.filter((t, i) => i > 0 && t < times[i - 1]!);
        expect(descents).toEqual([]);
        if (times.length > 0) {
          expect(times[0]!).toBeGreaterThanOrEqual(0);
          expect(times[times.length - 1]!).toBeLessThan(s.endSec);
        }
        // total = ⌈C(end)⌉ up to the documented float allowance
        expect(Math.abs(s.total - Math.ceil(s.cumulative(s.endSec)))).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it("TraceArrivals: counts follow the replayed timestamps, ties included", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }), (raw) => {
        const times = Float64Array.from(raw.map((k) => k / 4).sort((x, y) => x - y));
        const a = new TraceArrivals(times);
        expect(a.total).toBe(times.length);
        expect(timesOf(a)).toEqual([...times]);
        expectCountsMatchTimes(a);
      }),
    );
  });

  it("RateSchedule with a zero-rate piece: 10 s at 1/s, 10 s silent, 10 s at 2/s", () => {
    const s = new RateSchedule([
      { durationSec: 10, ratePerSec: 1 },
      { durationSec: 10, ratePerSec: 0 },
      { durationSec: 10, ratePerSec: 2 },
    ]);
    expect(s.total).toBe(30);
    expect(s.endSec).toBe(30);
    expect(timesOf(s)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 20 }, (_, i) => 20 + i / 2),
    ]);
    expect(s.countUpTo(15)).toBe(10);
    expect(s.countBefore(20)).toBe(10);
    expect(s.countUpTo(20)).toBe(11);
    expect(s.cumulative(15)).toBe(10);
    expect(s.cumulative(25)).toBe(20);
  });

  it("RateSchedule starting with a silent piece puts the first record at the end of the silence", () => {
    const s = new RateSchedule([
      { durationSec: 60, ratePerSec: 0 },
      { durationSec: 10, ratePerSec: 1 },
    ]);
    expect(s.total).toBe(10);
    expect(s.timeAt(0)).toBe(60);
    expect(s.countUpTo(59.9)).toBe(0);
    expect(s.countUpTo(60)).toBe(1);
  });
});

describe("evenSpacing", () => {
  it("ConstantRate: stride / rate while the run stays inside the records, else NaN", () => {
    const a = new ConstantRate(2, 10); // 20 records
    expect(a.evenSpacing(0, 1, 20)).toBe(0.5);
    expect(a.evenSpacing(3, 4, 5)).toBe(2); // records 3, 7, 11, 15, 19
    expect(a.evenSpacing(3, 4, 6)).toBeNaN(); // record 23 does not exist
  });

  it("RateSchedule: stride / rate inside one piece, NaN across a piece boundary", () => {
    const s = new RateSchedule([
      { durationSec: 10, ratePerSec: 1 },
      { durationSec: 10, ratePerSec: 2 },
    ]);
    expect(s.evenSpacing(0, 1, 10)).toBe(1); // records 0…9, all in the first piece
    expect(s.evenSpacing(5, 1, 6)).toBeNaN(); // records 5…10 cross into the second piece
    expect(s.evenSpacing(10, 2, 5)).toBe(1); // records 10, 12, …, 18 at 2/s
    expect(s.evenSpacing(20, 3, 4)).toBe(1.5); // records 20…29
    expect(s.evenSpacing(20, 3, 5)).toBeNaN(); // record 32 does not exist
  });

  it("RateSchedule across a silent piece is NaN", () => {
    const s = new RateSchedule([
      { durationSec: 10, ratePerSec: 1 },
      { durationSec: 10, ratePerSec: 0 },
      { durationSec: 10, ratePerSec: 1 },
    ]);
    expect(s.evenSpacing(8, 1, 2)).toBe(1);
    expect(s.evenSpacing(8, 1, 3)).toBeNaN(); // 8, 9 at 8 s and 9 s; 10 at 20 s
  });

  it("TraceArrivals is never evenly spaced", () => {
    const trace: IndexedArrivals = new TraceArrivals(Float64Array.of(0, 1, 2, 3));
    expect(trace.evenSpacing(0, 1, 4)).toBeNaN();
  });

  it("whenever it is a number, the run's times are an arithmetic progression with that step", () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.nat(),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 50 }),
        (pieces, i0, stride, n) => {
          const s = new RateSchedule(pieces);
          fc.pre(s.total > 0);
          const i = i0 % s.total;
          const spacing = s.evenSpacing(i, stride, n);
          if (Number.isNaN(spacing)) return;
          const last = i + stride * (n - 1);
          expect(last).toBeLessThan(s.total);
          for (let j = 0; j < n; j++) {
            const t = s.timeAt(i + j * stride);
            expect(Math.abs(t - (s.timeAt(i) + j * spacing))).toBeLessThanOrEqual(
              1e-9 * Math.max(1, t),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("sequentialFrom", () => {
  it("reads an indexed process in order, then Infinity for ever", () => {
    const seq = sequentialFrom(new ConstantRate(2, 2));
    expect([seq.next(), seq.next(), seq.next(), seq.next()]).toEqual([0, 0.5, 1, 1.5]);
    expect(seq.next()).toBe(Number.POSITIVE_INFINITY);
    expect(seq.next()).toBe(Number.POSITIVE_INFINITY);
    expect(drain(sequentialFrom(new TraceArrivals(new Float64Array(0))))).toEqual([]);
  });
});

describe("poissonArrivals", () => {
  it("gives 2 msg/s for 20000 s within 4 sd of the expected 40000 records", () => {
    const schedule = new RateSchedule([{ durationSec: 20_000, ratePerSec: 2 }]);
    const times = drain(poissonArrivals(schedule, new Rng(1)));
    expect(Math.abs(times.length - 40_000)).toBeLessThan(4 * Math.sqrt(40_000));
    // gaps are exponential with mean 1/2 s
    const meanGap = times[times.length - 1]! / (times.length - 1);
    expect(Math.abs(meanGap - 0.5)).toBeLessThan(4 * (0.5 / Math.sqrt(times.length)));
  });

  it("follows a piecewise schedule piece by piece, nothing in a silent piece or after the end", () => {
    const schedule = new RateSchedule([
      { durationSec: 2000, ratePerSec: 5 },
      { durationSec: 1000, ratePerSec: 0 },
      { durationSec: 4000, ratePerSec: 1 },
    ]);
    for (const seed of [1, 2, 3]) {
      const times = drain(poissonArrivals(schedule, Rng.stream(seed, 0)));
      const first = times.filter((t) => t < 2000).length;
      const silent = times.filter((t) => t > 2000 && t < 3000).length;
      const last = times.filter((t) => t >= 3000).length;
      expect(Math.abs(first - 10_000)).toBeLessThan(4 * Math.sqrt(10_000));
      expect(silent).toBe(0);
      expect(Math.abs(last - 4000)).toBeLessThan(4 * Math.sqrt(4000));
      // the total follows C(end) = 14000
      expect(Math.abs(times.length - schedule.cumulative(schedule.endSec))).toBeLessThan(
        4 * Math.sqrt(14_000),
      );
      expect(times[times.length - 1]!).toBeLessThan(schedule.endSec);
      for (let i = 1; i < times.length; i++) {
        if (!(times[i]! >= times[i - 1]!)) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
      }
    }
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const schedule = new RateSchedule([{ durationSec: 100, ratePerSec: 3 }]);
    const a = drain(poissonArrivals(schedule, new Rng(9)));
    expect(drain(poissonArrivals(schedule, new Rng(9)))).toEqual(a);
    expect(drain(poissonArrivals(schedule, new Rng(10)))).not.toEqual(a);
  });

  it("keeps returning Infinity once the schedule is exhausted", () => {
    const s = poissonArrivals(new RateSchedule([{ durationSec: 1, ratePerSec: 1 }]), new Rng(4));
    drain(s);
    expect([s.next(), s.next()]).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });
});
