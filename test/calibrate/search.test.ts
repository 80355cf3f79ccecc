/**
 * The search on functions whose optima are known (Jamil & Yang 2013, "A literature survey of
 * benchmark functions for global optimisation problems"): Rastrigin's many local minima, a
 * narrow Rosenbrock valley, integers, a log scale, and branches whose optima differ.
 */
import { describe, expect, it } from "vitest";
import {
  type BatchObjective,
  type Branch,
  decodeValue,
  encodeValue,
  minimise,
} from "../../src/calibrate/search.js";

const each =
  (f: (x: readonly number[], branch: number) => number): BatchObjective =>
  async (points) =>
    points.map((p) => f(p.x, p.branch));

describe("minimise", () => {
  it("finds Rastrigin's global minimum 0 at the origin among ~10^3 local minima (3-D)", async () => {
    const rastrigin = (x: readonly number[]) =>
      10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
    const dims = [0, 1, 2].map((i) => ({ name: `x${i}`, lo: -5.12, hi: 5.12 }));
    const r = await minimise([{ name: "r", dims }], each(rastrigin), {
      seed: 3,
      populationPerDim: 10,
      patience: 20,
      restarts: 3,
    });
    expect(r.best.score).toBeLessThan(1e-3);
    for (const v of r.best.x) expect(Math.abs(v)).toBeLessThan(0.01);
  });

  it("follows Rosenbrock's curved valley to (1, 1)", async () => {
    const rosenbrock = (x: readonly number[]) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const dims = [
      { name: "a", lo: -2, hi: 2 },
      { name: "b", lo: -1, hi: 3 },
    ];
    const r = await minimise([{ name: "r", dims }], each(rosenbrock), { seed: 1 });
    expect(r.best.x[0]).toBeCloseTo(1, 1);
    expect(r.best.x[1]).toBeCloseTo(1, 1);
  });

  it("snaps integers and searches a log scale: (n − 7)² + (log10 t − 3)² is 0 at n 7, t 1000", async () => {
    const dims = [
      { name: "n", lo: 1, hi: 50, quantum: 1 },
      { name: "t", lo: 1, hi: 1e6, log: true, quantum: 0.01 },
    ];
    const r = await minimise(
      [{ name: "m", dims }],
      each((x) => (x[0]! - 7) ** 2 + (Math.log10(x[1]!) - 3) ** 2),
      { seed: 2 },
    );
    expect(r.best.x[0]).toBe(7);
    expect(Number.isInteger(r.best.x[0])).toBe(true);
    expect(Math.abs(Math.log10(r.best.x[1]!) - 3)).toBeLessThan(0.01);
  });

  it("picks the branch with the lower optimum and keeps every branch's best", async () => {
    const branches: Branch[] = [
      { name: "high", dims: [{ name: "x", lo: -10, hi: 10 }] },
      { name: "low", dims: [{ name: "x", lo: -10, hi: 10 }] },
      { name: "none", dims: [] },
    ];
    const f = (x: readonly number[], b: number) =>
      b === 0 ? 5 + (x[0]! - 3) ** 2 : b === 1 ? 1 + (x[0]! + 4) ** 2 : 7;
    const r = await minimise(branches, each(f), { seed: 5 });
    expect(r.best.branch).toBe(1);
    expect(r.best.x[0]).toBeCloseTo(-4, 2);
    expect(r.branchBest.map((b) => Math.round(b.score))).toEqual([5, 1, 7]);
  });

  it("is deterministic for a seed and caches repeated points", async () => {
    let calls = 0;
    const f: BatchObjective = async (points) => {
      calls += points.length;
      return points.map((p) => Math.abs(p.x[0]! - 12));
    };
    const dims = [{ name: "k", lo: 0, hi: 20, quantum: 1 }];
    const a = await minimise([{ name: "k", dims }], f, { seed: 9 });
    const evaluated = calls;
    const b = await minimise([{ name: "k", dims }], f, { seed: 9 });
    expect(b.cache.archive).toEqual(a.cache.archive);
    expect(a.best.x).toEqual([12]);
    // 21 integer values: never more than 21 distinct evaluations
    expect(evaluated).toBeLessThanOrEqual(21);
  });

  it("encodes and decodes values onto their grids", () => {
    const lin = { name: "s", lo: 0, hi: 300, quantum: 1 };
    expect(decodeValue(lin, encodeValue(lin, 137.4))).toBe(137);
    const log = { name: "t", lo: 1, hi: 1e5, log: true, quantum: 0.05 };
    const v = decodeValue(log, encodeValue(log, 500));
    expect(Math.abs(v / 500 - 1)).toBeLessThanOrEqual(0.05);
    expect(decodeValue(lin, 2)).toBe(300);
  });
});
