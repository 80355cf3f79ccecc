/**
 * Step detection against series whose change points are known by construction: exact without
 * noise, within a point or two under Gaussian noise of 0.3 × the step, across missing points.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/prng.js";
import { type SegmentMethod, segment } from "../../src/fit/change-points.js";
import { rep } from "./fit-helpers.js";

/** A step series from (level, length) pieces, and its true change points. */
function steps(pieces: readonly (readonly [number, number])[]): {
  values: Float64Array;
  truth: number[];
} {
  const values: number[] = [];
  const truth: number[] = [];
  for (const [level, length] of pieces) {
    if (values.length > 0) truth.push(values.length);
    values.push(...rep(level, length));
  }
  return { values: Float64Array.from(values), truth };
}

/** 3–5 steps of 30–80 points, each a jump of ±`step`, with N(0, (0.3 · step)²) noise. */
function noisy(seed: number, step: number) {
  const rng = new Rng(seed);
  const pieces: [number, number][] = [];
  let level = 0;
  for (let k = 0, count = 4 + rng.int(3); k < count; k++) {
    pieces.push([level, 30 + rng.int(51)]);
    level += rng.next() < 0.5 ? step : -step;
  }
  const { values, truth } = steps(pieces);
  for (let i = 0; i < values.length; i++) values[i]! += 0.3 * step * rng.normal();
  return { values, truth, rng };
}

/** Share of true change points found within `tolerance` points, when the counts agree. */
function hits(found: readonly number[], truth: readonly number[], tolerance: number): number {
  if (found.length !== truth.length) return 0;
  return truth.filter((c, i) => Math.abs(found[i]! - c) <= tolerance).length;
}

const METHODS: SegmentMethod[] = ["exact", "binary"];

describe("segment", () => {
  it.each(METHODS)("%s: recovers noiseless steps exactly", (method) => {
    const { values, truth } = steps([
      [1, 50],
      [10, 30],
      [4, 80],
      [0, 40],
    ]);
    const seg = segment(values, { method });
    expect(seg.breakpoints).toEqual(truth);
    expect(seg.means).toEqual([1, 10, 4, 0]);
    expect(seg.r2).toBe(1);
    expect(seg.method).toBe(method);
  });

  it("picks exact for few runs of equal values and binary for many", () => {
    const few = steps([
      [0, 5000],
      [3, 5000],
    ]).values;
    expect(segment(few).method).toBe("exact");
    expect(segment(noisy(1, 10).values, { exactMaxRuns: 50 }).method).toBe("binary");
  });

  it.each(METHODS)(
    "%s: finds every step within ±2 points under noise of 0.3 × the step",
    (method) => {
      let total = 0;
      let within1 = 0;
      let within2 = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const { values, truth } = noisy(seed, 5);
        const found = segment(values, { method }).breakpoints;
        expect(found.length, `seed ${seed}: ${found} vs ${truth}`).toBe(truth.length);
        total += truth.length;
        within1 += hits(found, truth, 1);
        within2 += hits(found, truth, 2);
      }
      // The least-squares estimate of a change at signal/noise 3.3 misses by ≥ 2 points about
      // 2 % of the time and by ≥ 3 about 0.6 % (a random walk with drift): allow for that.
      expect(within1 / total).toBeGreaterThanOrEqual(0.9);
      expect(within2 / total).toBeGreaterThanOrEqual(0.97);
    },
  );

  it("places a change inside a gap of missing points at the first point after it", () => {
    const { values } = steps([
      [2, 40],
      [7, 40],
    ]);
    values.fill(Number.NaN, 35, 45); // ten missing minutes around the change at 40
    values[10] = Number.NaN;
    const seg = segment(values);
    expect(seg.breakpoints).toEqual([45]);
    expect(seg.means).toEqual([2, 7]);
    expect(seg.present).toBe(69);
    expect(seg.segments.map((s) => [s.start, s.end, s.count])).toEqual([
      [0, 45, 34],
      [45, 80, 35],
    ]);
  });

  it("finds noisy steps through 10 % missing points", () => {
    let total = 0;
    let within2 = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { values, truth, rng } = noisy(100 + seed, 5);
      for (let i = 0; i < values.length; i++) if (rng.next() < 0.1) values[i] = Number.NaN;
      const found = segment(values).breakpoints;
      expect(found.length, `seed ${seed}`).toBe(truth.length);
      total += truth.length;
      within2 += hits(found, truth, 2);
    }
    expect(within2 / total).toBeGreaterThanOrEqual(0.95);
  });

  it("respects the minimum segment length: a short blip is absorbed, not a step", () => {
    const { values } = steps([
      [1, 100],
      [30, 3],
      [1, 100],
    ]);
    expect(segment(values, { minSegmentLength: 10 }).breakpoints.length).toBeLessThanOrEqual(2);
    expect(segment(values, { minSegmentLength: 2 }).breakpoints).toEqual([100, 103]);
    expect(segment(values, { minSegmentLength: 120 }).breakpoints).toEqual([]);
  });

  it("binary segmentation finds the steps of a long noisy series", () => {
    const n = 200_000;
    const rng = new Rng(9);
    const truth = [30_000, 80_000, 81_000, 150_000];
    const levels = [0, 4, -2, 3, 0];
    const values = new Float64Array(n);
    for (let i = 0, k = 0; i < n; i++) {
      if (i === truth[k]) k++;
      values[i] = levels[k]! + rng.normal();
    }
    const seg = segment(values);
    expect(seg.method).toBe("binary");
    expect(seg.breakpoints.length).toBe(truth.length);
    for (const [i, b] of seg.breakpoints.entries()) {
      expect(Math.abs(b - truth[i]!)).toBeLessThanOrEqual(3);
    }
    expect(seg.sigma).toBeCloseTo(1, 1);
  });

  it("keeps a constant series whole, with R² 1", () => {
    const seg = segment(new Float64Array(100).fill(0.1));
    expect(seg.breakpoints).toEqual([]);
    expect(seg.means[0]).toBeCloseTo(0.1, 15);
    expect(seg.r2).toBe(1);
  });

  it("has segments that tile the input, each the mean of its present values", () => {
    const cell = fc.oneof(fc.constant(Number.NaN), fc.integer({ min: -50, max: 50 }));
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom<SegmentMethod>("exact", "binary"),
        (cells, minLen, method) => {
          const values = Float64Array.from(cells);
          if (values.every(Number.isNaN)) return;
          const seg = segment(values, { minSegmentLength: minLen, method });
          expect(seg.segments[0]!.start).toBe(0);
          expect(seg.segments.at(-1)!.end).toBe(values.length);
          seg.segments.forEach((s, k) => {
            if (k > 0) expect(s.start).toBe(seg.segments[k - 1]!.end);
            const present = [...values.subarray(s.start, s.end)].filter((v) => !Number.isNaN(v));
            expect(s.count).toBe(present.length);
            if (seg.segments.length > 1) expect(s.count).toBeGreaterThanOrEqual(minLen);
            expect(s.level).toBeCloseTo(present.reduce((a, b) => a + b, 0) / present.length, 9);
          });
          expect(seg.breakpoints).toEqual(seg.segments.slice(1).map((s) => s.start));
          expect(seg.r2).toBeGreaterThanOrEqual(0);
          expect(seg.r2).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("the exact method's cost is never above binary segmentation's", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 120 }),
        (cells) => {
          const values = Float64Array.from(cells);
          const exact = segment(values, { method: "exact", penalty: 4 });
          const binary = segment(values, { method: "binary", penalty: 4, maxChangePoints: 1000 });
          const cost = (s: typeof exact) => s.sse + 4 * s.segments.length;
          expect(cost(exact)).toBeLessThanOrEqual(cost(binary) + 1e-9);
        },
      ),
    );
  });

  it("rejects what it cannot fit, naming the value and where", () => {
    expect(() => segment(Float64Array.of(Number.NaN, Number.NaN))).toThrow(
      "segment: no values (all 2 missing)",
    );
    expect(() => segment(Float64Array.of(1, Number.POSITIVE_INFINITY))).toThrow(
      "segment: value Infinity at index 1",
    );
    expect(() => segment(Float64Array.of(1), { minSegmentLength: 0 })).toThrow(
      "invalid minSegmentLength: 0 (segment options): must be a whole number ≥ 1",
    );
    expect(() => segment(Float64Array.of(1), { penalty: -1 })).toThrow("invalid penalty: -1");
    expect(() => segment(Float64Array.of(1), { method: "fast" as SegmentMethod })).toThrow(
      'invalid method: "fast"',
    );
  });
});
