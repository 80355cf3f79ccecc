import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/engine/histogram.js";

const UNIT = LatencyHistogram.unitSec;
const REL = LatencyHistogram.relativePrecision;

/** The exact q-quantile of raw values: the value of rank ⌈q·n⌉ (at least 1) in sorted order. */
function exactQuantile(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

/** Values spread over 10 decades, 1e-4 … 1e6 s (log-uniform), plus exact zeros and integers. */
const latencyArb = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -4, max: 6, noNaN: true }).map((e) => 10 ** e) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 0.05, noNaN: true }) },
);

function histogramOf(values: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const v of values) h.add(v);
  return h;
}

describe("LatencyHistogram", () => {
  it("returns NaN quantiles and mean when empty", () => {
    const h = new LatencyHistogram();
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.quantile(0)).toBeNaN();
    expect(h.quantile(1)).toBeNaN();
    expect(h.mean()).toBeNaN();
  });

  it("documents a relative precision of 1/128 and a unit of 100 µs", () => {
    expect(REL).toBe(1 / 128);
    expect(UNIT).toBe(1e-4);
  });

  it("gives the TSDoc example: 3 and 6 s have count 2 and median ≈ 3 within 0.78 %", () => {
    const h = histogramOf([3, 6]);
    expect(h.count).toBe(2);
    expect(Math.abs(h.quantile(0.5) - 3)).toBeLessThanOrEqual(3 / 128);
    expect(h.quantile(1)).toBe(6); // clamped to the exact max
    expect(h.mean()).toBe(4.5);
  });

  it("returns a single value exactly at every quantile (clamped to min = max)", () => {
    for (const v of [0, 1e-4, 0.0123, 3, 2999.9, 1e6]) {
      const h = histogramOf([v]);
      for (const q of QS) expect(h.quantile(q)).toBe(v);
    }
  });

  it("counts negative values as 0", () => {
    const h = histogramOf([-2, 1]);
    expect(h.minSec).toBe(0);
    expect(h.sumSec).toBe(1);
    // the median is in the first 100 µs bin, whose middle is clamped to [min, max]
    expect(h.quantile(0.5)).toBeGreaterThanOrEqual(0);
    expect(h.quantile(0.5)).toBeLessThanOrEqual(UNIT);
  });

  it("tracks count, sum, min and max exactly", () => {
    fc.assert(
      fc.property(fc.array(latencyArb, { minLength: 1, maxLength: 300 }), (values) => {
        const h = histogramOf(values);
        expect(h.count).toBe(values.length);
        expect(h.minSec).toBe(Math.min(...values));
        expect(h.maxSec).toBe(Math.max(...values));
        const sum = values.reduce((a, b) => a + b, 0);
        expect(h.sumSec).toBeCloseTo(sum, 6);
        expect(h.mean()).toBeCloseTo(sum / values.length, 6);
      }),
    );
  });

  it("answers every quantile within 1/128 of the exact value plus one 1e-4 s unit", () => {
    fc.assert(
      fc.property(
        fc.array(latencyArb, { minLength: 1, maxLength: 400 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        (values, extraQs) => {
          const h = histogramOf(values);
          const sorted = [...values].sort((a, b) => a - b);
          for (const q of [...QS, ...extraQs]) {
            const exact = exactQuantile(sorted, q);
            const got = h.quantile(q);
            expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * REL + UNIT);
            expect(got).toBeGreaterThanOrEqual(sorted[0]!);
            expect(got).toBeLessThanOrEqual(sorted[sorted.length - 1]!);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("returns non-decreasing quantiles as q grows", () => {
    fc.assert(
      fc.property(fc.array(latencyArb, { minLength: 1, maxLength: 200 }), (values) => {
        const h = histogramOf(values);
        let prev = Number.NEGATIVE_INFINITY;
        for (let k = 0; k <= 100; k++) {
          const v = h.quantile(k / 100);
          expect(v).toBeGreaterThanOrEqual(prev);
          prev = v;
        }
      }),
    );
  });

  it("distinguishes values one unit apart below 256 units (exact 100 µs bins)", () => {
    // 10 values 0.0100 … 0.0109 s: each its own bin, so every rank maps to its own value ±½ unit
    const values = Array.from({ length: 10 }, (_, j) => (100 + j) * 1e-4);
    const h = histogramOf(values);
    for (let j = 0; j < 10; j++) {
      expect(Math.abs(h.quantile((j + 1) / 10) - values[j]!)).toBeLessThanOrEqual(UNIT / 2 + 1e-12);
    }
  });
});

describe("LatencyHistogram.addArithmetic", () => {
  /** Counts as seen through quantiles at 401 levels, plus the exact statistics. */
  function fingerprint(h: LatencyHistogram) {
    const qs = Array.from({ length: 401 }, (_, k) => h.quantile(k / 400));
    return { count: h.count, min: h.minSec, max: h.maxSec, qs };
  }

  /** The run added at once, and the same values `first + step × j` added one by one. */
  function both(first: number, step: number, n: number): [LatencyHistogram, LatencyHistogram] {
    const run = new LatencyHistogram();
    run.addArithmetic(first, step, n);
    const each = new LatencyHistogram();
    for (let j = 0; j < n; j++) each.add(first + step * j);
    return [run, each];
  }

  function expectSameSum(run: LatencyHistogram, each: LatencyHistogram): void {
    expect(Math.abs(run.sumSec - each.sumSec)).toBeLessThanOrEqual(1e-9 * Math.max(1, each.sumSec));
  }

  /** Identical bins: every quantile, count, min and max equal; the sum within float tolerance. */
  function expectSameAsOneByOne(first: number, step: number, n: number): void {
    const [run, each] = both(first, step, n);
    expect(fingerprint(run)).toEqual(fingerprint(each));
    expectSameSum(run, each);
  }

  it("adds nothing for n ≤ 0", () => {
    const h = new LatencyHistogram();
    h.addArithmetic(1, 1, 0);
    h.addArithmetic(1, 1, -3);
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
  });

  it("throws a RangeError for a negative step", () => {
    expect(() => new LatencyHistogram().addArithmetic(1, -0.5, 3)).toThrow(RangeError);
  });

  it("with step 0 counts n copies of one value", () => {
    expectSameAsOneByOne(3, 0, 1000);
    expectSameAsOneByOne(0, 0, 7);
    expectSameAsOneByOne(123456.789, 0, 50);
    const h = new LatencyHistogram();
    h.addArithmetic(2.5, 0, 4);
    expect([h.count, h.sumSec, h.minSec, h.maxSec, h.quantile(0.5)]).toEqual([
      4, 10, 2.5, 2.5, 2.5,
    ]);
  });

  it("with a big step (about one value per bin or fewer) equals adding each value", () => {
    expectSameAsOneByOne(0, 1, 500);
    expectSameAsOneByOne(0.5, 3, 1000);
    expectSameAsOneByOne(1, 1000, 200);
  });

  it("with the seed's batches (records 1/2 s and 1/5 s apart, latencies from 3 s) equals adding each value", () => {
    expectSameAsOneByOne(3, 0.5, 100);
    expectSameAsOneByOne(3, 0.2, 10_000);
  });

  it("with a tiny step (many values per bin) equals adding each value away from bin edges", () => {
    expectSameAsOneByOne(1.5, 1e-5, 5000);
    expectSameAsOneByOne(900, 0.01, 5000);
    expectSameAsOneByOne(0, 1e-5, 1000);
  });

  it("puts a value lying on a bin edge in the bin add() puts it in: addArithmetic(3, 0.001, 9)", () => {
    // 3.008 s = 30080 units = 235 × 128, the lower edge of a bin [3.008, 3.0208) s. add(3.008)
    // counts it there. The many-values-per-bin path of addArithmetic takes the first index past
    // the edge as ⌈(3.008 − 3) / 0.001⌉ = ⌈8.000000000000007⌉ = 9, so j = 8 (3.008 s) is counted
    // one bin lower: quantile(1) is 3.0016 (middle of [2.9952, 3.008)), not the exact max 3.008.
    const [run, each] = both(3, 0.001, 9);
    expect(each.quantile(1)).toBe(3.008);
    expect(run.quantile(1)).toBe(each.quantile(1));
    expect(fingerprint(run)).toEqual(fingerprint(each));
  });

  it("puts every value of addArithmetic(0, 1e-6, 5000) in the bin add() puts it in", () => {
    // 19 of the 5000 ranks differ: values on 100 µs edges (0.0005 s, …) counted one bin low
    expectSameAsOneByOne(0, 1e-6, 5000);
  });

  it("for random runs keeps count, min, max and sum, and every quantile within one bin of adding each value", () => {
    const stepArb = fc.oneof(
      fc.constant(0),
      fc.double({ min: -8, max: -4, noNaN: true }).map((e) => 10 ** e),
      fc.double({ min: -4, max: 0, noNaN: true }).map((e) => 10 ** e),
      fc.double({ min: 0, max: 3, noNaN: true }).map((e) => 10 ** e),
      fc.integer({ min: 1, max: 20 }).map((k) => k / 10),
    );
    const firstArb = fc.oneof(
      fc.constant(0),
      fc.double({ min: -4, max: 5, noNaN: true }).map((e) => 10 ** e),
      fc.integer({ min: 0, max: 2000 }).map((k) => k / 4),
    );
    fc.assert(
      fc.property(firstArb, stepArb, fc.integer({ min: 1, max: 3000 }), (first, step, n) => {
        const [run, each] = both(first, step, n);
        expect([run.count, run.minSec, run.maxSec]).toEqual([each.count, each.minSec, each.maxSec]);
        expectSameSum(run, each);
        // values sitting on bin edges may land one bin off (see the two tests above); the
        // documented precision still holds against the values added one by one
        for (let k = 0; k <= 100; k++) {
          const exact = each.quantile(k / 100);
          expect(Math.abs(run.quantile(k / 100) - exact)).toBeLessThanOrEqual(
            2 * exact * REL + UNIT,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("accumulates on top of earlier values as adding each value does", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (const h of [a, b]) {
      h.add(0.25);
      h.add(4000);
    }
    a.addArithmetic(2, 0.25, 40);
    for (let j = 0; j < 40; j++) b.add(2 + 0.25 * j);
    expect(fingerprint(a)).toEqual(fingerprint(b));
    expect(a.sumSec).toBeCloseTo(b.sumSec, 9);
  });
});
