/**
 * compareRuns: identical runs agree exactly; a run shifted in time is re-aligned on its first
 * invocation; different scalers on the same workload differ where the blog says they should
 * (tear-up length), with the figures pointing the right way.
 */
import { describe, expect, it } from "vitest";
import { compareRuns } from "../../src/compare/compare.js";
import type { Run } from "../../src/run/run.js";
import { SERIES_COLUMNS } from "../../src/run/run.js";
import { seriesFromColumns } from "../../src/run/series-csv.js";
import { measuredMeta, simulateBuiltin } from "../helpers.js";

/** The same run with `minutes` idle minutes in front (a measurement that started earlier). */
function delayed(run: Run, minutes: number): Run {
  const rows = (minutes * 60) / run.meta.resolutionSec;
  const cols = Object.fromEntries(
    SERIES_COLUMNS.map((c) => {
      const src = run.series.columns[c];
      const out = new Float64Array(src.length + rows);
      if (c === "t") for (let i = 0; i < out.length; i++) out[i] = i * run.meta.resolutionSec;
      else if (c === "pollers") out.fill(src[0]!, 0, rows);
      if (c !== "t") out.set(src, rows);
      return [c, out];
    }),
  ) as Record<(typeof SERIES_COLUMNS)[number], Float64Array>;
  const s = run.meta.summary;
  const summary = { ...s, productionEndSec: (s.productionEndSec ?? 0) + minutes * 60 };
  // a measurement has no scenario, parameters or scale events
  const meta = measuredMeta(run.meta);
  return {
    meta: { ...meta, id: `${run.meta.id}-delayed`, summary },
    series: seriesFromColumns(cols),
  };
}

describe("compareRuns", async () => {
  const legacy = (await simulateBuiltin("case2")).run;
  const current = (await simulateBuiltin("case2", { policy: "on-demand-current" })).run;

  it("finds no difference between a run and itself", () => {
    const c = compareRuns(legacy, legacy);
    expect(c.offsetSec).toBe(0);
    expect(c.view.concurrencyRmse).toBe(0);
    expect(c.boundaries.every((d) => d.diffSec === 0)).toBe(true);
    expect(c.plateau?.diff).toBe(0);
    expect(c.peakLag?.diff).toBe(0);
    expect(c.verdict).toMatch(/^B within 1 evaluation interval \(900 s\).*±0 consumers/);
  });

  it("aligns a run that starts later on its first invocation", () => {
    const c = compareRuns(legacy, delayed(legacy, 5));
    expect(c.alignment).toBe("first invocation");
    expect(c.offsetSec).toBe(300);
    expect(c.view.concurrencyRmse).toBe(0);
    expect(c.boundaries).toHaveLength(6);
    for (const d of c.boundaries) expect(d.diffSec, d.boundary).toBeCloseTo(0, 9);
  });

  it("uses a given offset as is", () => {
    const c = compareRuns(legacy, delayed(legacy, 5), { offsetSec: 0 });
    expect(c.alignment).toBe("given offset");
    expect(c.view.concurrencyRmse).toBeGreaterThan(0);
  });

  it("shows the legacy scaler's 15-minute tear-up against the current scaler's", () => {
    const c = compareRuns(legacy, current);
    const tearUpEnd = c.boundaries.find((d) => d.boundary === "tear-up end");
    expect(tearUpEnd?.aSec).toBe(900);
    expect(tearUpEnd!.diffSec).toBeLessThan(-600); // the current scaler leaves tear-up minutes earlier
    // it processes more in the first 15 minutes and never builds the legacy backlog
    const by900 = c.cumulativeProcessed?.find((p) => p.boundary === "tear-up end");
    expect(by900!.b).toBeGreaterThan(by900!.a);
    expect(c.peakLag!.b).toBeLessThan(c.peakLag!.a);
    expect(c.evaluationIntervalSec).toBe(60); // B's scenario
    expect(c.verdict).toMatch(/evaluation intervals \(60 s\)/);
  });
});
