import { describe, expect, it } from "vitest";
import { chartRows } from "../../src/charts/chart-data.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { policyComparisonChart, smallMultiplesChart } from "../../src/charts/multi-run-charts.js";
import { overlayChart } from "../../src/charts/overlay-chart.js";
import {
  cumulativeRecordsChart,
  invocationsPerMinuteChart,
  lagChart,
} from "../../src/charts/run-charts.js";
import type { Run } from "../../src/run/run.js";
import { SEED_CASES } from "../../src/scenario/builtins.js";
import { minuteRun, schemaErrors, seedRun } from "./chart-helpers.js";

const PER_RUN = { concurrencyChart, lagChart, cumulativeRecordsChart, invocationsPerMinuteChart };

/** Every `values` array anywhere in a spec. */
function inlineValues(spec: unknown): unknown[][] {
  const out: unknown[][] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (k === "values" && Array.isArray(x)) out.push(x);
        else visit(x);
      }
  };
  visit(spec);
  return out;
}

describe("chart specs validate against the official Vega-Lite schema", () => {
  const runs: [string, () => Promise<Run>][] = [
    ...SEED_CASES.map((name): [string, () => Promise<Run>] => [
      `${name} (1 s)`,
      () => seedRun(name),
    ]),
    ["case1 as a 1-minute measured run", minuteRun],
  ];
  for (const [runName, load] of runs)
    for (const [chartName, build] of Object.entries(PER_RUN))
      it(`${chartName}(${runName}) is a valid spec with a title and inline data only`, async () => {
        const spec = build(await load());
        expect(schemaErrors(spec)).toEqual([]);
        expect(spec.title).toBeDefined();
        const json = JSON.stringify(spec);
        expect(json).not.toMatch(/"url"\s*:/);
        expect(json).not.toContain("NaN");
        for (const values of inlineValues(spec)) expect(values.length).toBeLessThanOrEqual(2100);
      });

  it("smallMultiplesChart(seed cases) and of a 1-minute run are valid, one panel per run", async () => {
    const seeds = await Promise.all(SEED_CASES.map((n) => seedRun(n)));
    const spec = smallMultiplesChart(seeds);
    expect(schemaErrors(spec)).toEqual([]);
    expect(spec).toMatchObject({ columns: 3, facet: { sort: seeds.map((r) => r.meta.label) } });
    expect(schemaErrors(smallMultiplesChart([await minuteRun(), seeds[0]!]))).toEqual([]);
  });

  it("policyComparisonChart(case1 under three policies) is valid, one colour per policy", async () => {
    const policies = ["legacy-15min", "on-demand-current", "keda"];
    const runs = await Promise.all(policies.map((p) => seedRun("case1", p)));
    const spec = policyComparisonChart(runs);
    expect(schemaErrors(spec)).toEqual([]);
    const json = JSON.stringify(spec);
    for (const p of policies) expect(json).toContain(`"run":"${p}"`);
    expect(schemaErrors(policyComparisonChart([await minuteRun(), runs[0]!]))).toEqual([]);
  });

  it("overlayChart(live 1-minute case1, simulated case1) is valid with a difference panel", async () => {
    const spec = overlayChart(await minuteRun(), await seedRun("case1"));
    expect(schemaErrors(spec)).toEqual([]);
    const rows = inlineValues(spec)[0] as { live: number; simulated: number; diff: number }[];
    // the "live" run is the same simulation seen at 1 minute: no difference anywhere
    expect(rows.length).toBe(34); // activity ends at 2011 s: minutes 0 … 33
    expect(rows.every((r) => r.diff === 0 && r.diff === r.simulated - r.live)).toBe(true);
    const invocations = overlayChart(await minuteRun(), await seedRun("case1", "keda"), {
      metric: "invocations",
    });
    expect(schemaErrors(invocations)).toEqual([]);
  });

  it("a schema violation is caught (the validator is not vacuous)", async () => {
    const spec = { ...lagChart(await seedRun("case1")), mark: "no-such-mark" };
    expect(schemaErrors(spec).length).toBeGreaterThan(0);
  });
});

describe("chart data", () => {
  it("concurrencyChart(case1) keeps the peak and every phase and scale event of the run", async () => {
    const run = await seedRun("case1");
    const rows = inlineValues(concurrencyChart(run))[0] as Record<string, unknown>[];
    const series = rows.filter((r) => r.kind === "series");
    // 2701 rows → buckets of 2, then thinned to the steps: the step-after line through the
    // rows has each bucket's value at its time
    const buckets = chartRows(run, ["concurrency"]).rows;
    expect(buckets.length).toBe(Math.ceil(run.series.length / 2));
    expect(series.length).toBeLessThan(buckets.length);
    for (const b of buckets) {
      const before = series.filter((r) => (r.t as number) <= (b.t as number)).at(-1);
      expect(before?.concurrency).toBe(b.concurrency);
    }
    expect(Math.max(...series.map((r) => r.concurrency as number))).toBe(
      run.meta.summary.peakConcurrency,
    );
    expect(rows.filter((r) => r.kind === "phase").map((r) => r.phase)).toEqual([
      "tear-up",
      "max-throughput",
      "cool-down",
    ]);
    expect(rows.filter((r) => r.kind === "event").map((r) => r.t)).toEqual(
      run.meta.scaleEvents!.map((e) => e.tSec),
    );
  });

  it("cumulativeRecordsChart(case1) ends at the run's produced and processed totals", async () => {
    const run = await seedRun("case1");
    const rows = inlineValues(cumulativeRecordsChart(run))[0] as Record<string, number>[];
    expect(rows.at(-1)).toMatchObject({
      produced: run.meta.summary.producedRecords,
      processed: run.meta.summary.processedRecords,
    });
  });

  it("invocationsPerMinuteChart(case1) sums to the run's invocations", async () => {
    const run = await seedRun("case1");
    const rows = inlineValues(invocationsPerMinuteChart(run))[0] as { invocations: number }[];
    expect(rows.reduce((s, r) => s + r.invocations, 0)).toBe(run.meta.summary.invocations);
  });

  it("multi-run charts reject an empty run list and mismatched labels", async () => {
    expect(() => smallMultiplesChart([])).toThrow(/no runs to chart/);
    const run = await seedRun("case1");
    expect(() => policyComparisonChart([run], { labels: ["a", "b"] })).toThrow(
      "invalid labels: 2 labels for 1 runs",
    );
  });
});
