/**
 * Thinning leaves the drawn line unchanged: every point of the original rows lies on the line
 * through the thinned rows, evaluated here independently (step-after: the value of the last
 * point at or before t; linear: interpolation between the points around t).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ChartRow, chartRows, thinRows } from "../../src/charts/chart-data.js";
import { simulateBuiltin } from "../helpers.js";

/** The step-after line through `rows` at time t. */
function stepAt(rows: readonly ChartRow[], field: string, t: number): unknown {
  let value: unknown;
  for (const r of rows) if ((r.t as number) <= t) value = r[field];
  return value;
}

/** The straight line through `rows` at time t (t within the rows' span). */
function linearAt(rows: readonly ChartRow[], field: string, t: number): number {
  for (let i = 0; i < rows.length; i++) {
    const b = rows[i]!;
    if ((b.t as number) === t) return b[field] as number;
    if ((b.t as number) > t) {
      const a = rows[i - 1]!;
      const [ta, tb] = [a.t as number, b.t as number];
      const [va, vb] = [a[field] as number, b[field] as number];
      return va + ((vb - va) * (t - ta)) / (tb - ta);
    }
  }
  return Number.NaN;
}

const levels = fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), {
  minLength: 1,
  maxLength: 60,
});

describe("thinRows", () => {
  it("step-after: the line through the thinned rows has every original value at its time", () => {
    fc.assert(
      fc.property(levels, (values) => {
        const rows = values.map((c, t) => ({ t, c }));
        const thin = thinRows(rows, ["c"], "step-after");
        expect(thin[0]).toBe(rows[0]);
        expect(thin.at(-1)).toBe(rows.at(-1));
        for (const r of rows) expect(stepAt(thin, "c", r.t)).toBe(r.c);
        // and nothing left is redundant: consecutive thinned rows differ
        for (let i = 1; i < thin.length - 1; i++) expect(thin[i]!.c).not.toBe(thin[i - 1]!.c);
      }),
    );
  });

  it("linear: every original point lies on the thinned line, for each field", () => {
    const slopes = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(slopes, slopes, (da, db) => {
        let a = 0;
        let b = 0;
        const rows = da.map((d, t) => {
          a += d;
          b += db[t % db.length]!;
          return { t: 2 * t, a, b };
        });
        const thin = thinRows(rows, ["a", "b"], "linear");
        for (const r of rows) {
          expect(linearAt(thin, "a", r.t)).toBeCloseTo(r.a, 9);
          expect(linearAt(thin, "b", r.t)).toBeCloseTo(r.b, 9);
        }
      }),
    );
  });

  it("shrinks a seed case's concurrency to its steps and its running totals to their bends", async () => {
    const { run } = await simulateBuiltin("case1");
    const full = chartRows(run, ["concurrency"]).rows;
    const thin = chartRows(run, ["concurrency"], { thin: "step-after" }).rows;
    // one invocation at a time for 15 min, then 10 = partitions, then idle: a handful of steps
    expect(thin.length).toBeLessThan(20);
    for (const r of full) expect(stepAt(thin, "concurrency", r.t as number)).toBe(r.concurrency);
    const totals = chartRows(run, [], { cumulative: ["produced"], thin: "linear" }).rows;
    expect(totals.length).toBeLessThan(full.length / 10);
    expect(totals.at(-1)!.producedCumulative).toBe(run.meta.summary.producedRecords);
  });
});
