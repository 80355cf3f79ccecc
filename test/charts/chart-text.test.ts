/**
 * A chart in words: title, axes with their ranges, series and panels, from the spec and the
 * rows vega drew. Hand-made specs and rows check each rule; the seed charts are checked against
 * ranges worked out from the runs' own columns.
 */
import type { TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { runEndSec } from "../../src/charts/chart-data.js";
import { describeChart } from "../../src/charts/chart-text.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { policyComparisonChart, smallMultiplesChart } from "../../src/charts/multi-run-charts.js";
import { type PlottedMark, renderChart } from "../../src/charts/render.js";
import { lagChart } from "../../src/charts/run-charts.js";
import { seedRun } from "./chart-helpers.js";

const mark = (rows: Record<string, unknown>[], name = "marks"): PlottedMark => ({
  name,
  marktype: "line",
  rows,
});

/** A Vega-Lite spec written loosely, as JSON would be. */
const spec = (s: Record<string, unknown>) => s as unknown as TopLevelSpec;

describe("describeChart", () => {
  it("names the title, each axis with its title and the extent drawn, and the series in legend order", () => {
    const s = spec({
      title: { text: "Backlog" },
      mark: "line",
      encoding: {
        x: { field: "t", type: "quantitative", title: "Time (s)" },
        y: { field: "lag", type: "quantitative", title: "Lag (records)" },
        color: { field: "run", type: "nominal", title: "Run", scale: { domain: ["b", "a"] } },
      },
    });
    const rows = [
      { t: 0, lag: 5, run: "a" },
      { t: 1800, lag: 12_345.6, run: "a" },
      { t: 60, lag: -2, run: "b" },
    ];
    expect(describeChart(s, [mark(rows)])).toBe(
      [
        "[chart] Backlog",
        "x: Time (s): 0 to 1,800",
        "y: Lag (records): −2 to 12,345.6",
        "Run: b; a",
      ].join("\n"),
    );
  });

  it("takes a fixed scale domain as the axis range, and the x2 field's values into the extent", () => {
    const s = spec({
      title: "Phases",
      layer: [
        {
          mark: "rect",
          encoding: {
            x: { field: "start", title: "Time (s)", scale: { domain: [0, 3000] } },
            x2: { field: "end" },
          },
        },
        {
          mark: "rect",
          encoding: { x: { field: "start", title: "Time (s)" }, x2: { field: "end" } },
          transform: [],
        },
      ],
    });
    const rows = [{ start: 100, end: 400 }];
    expect(describeChart(s, [mark(rows)])).toBe("[chart] Phases\nx: Time (s): 0 to 3,000");
    const unfixed = spec({
      mark: "rect",
      encoding: { x: { field: "start", title: "Time (s)" }, x2: { field: "end" } },
    });
    expect(describeChart(unfixed, [mark(rows)])).toBe("[chart] chart\nx: Time (s): 100 to 400");
  });

  it("titles an axis by its field when the spec gives no title, and leaves out a hidden one", () => {
    const s = spec({
      mark: "point",
      encoding: { x: { field: "t" }, y: { field: "v", title: null } },
    });
    expect(
      describeChart(s, [
        mark([
          { t: 1, v: 0.25 },
          { t: 2, v: 0.5 },
        ]),
      ]),
    ).toBe("[chart] chart\nx: t: 1 to 2\ny: 0.25 to 0.5");
  });

  it("inherits a layer's encoding into its layers", () => {
    const s = spec({
      encoding: { x: { field: "t", title: "Time (s)" } },
      layer: [{ mark: "line", encoding: { y: { field: "v", title: "Value" } } }, { mark: "rule" }],
    });
    expect(
      describeChart(s, [
        mark([
          { t: 0, v: 3 },
          { t: 9, v: 4 },
        ]),
      ]),
    ).toBe("[chart] chart\nx: Time (s): 0 to 9\ny: Value: 3 to 4");
  });

  it("stacked panels: one x line when they share it (the upper one untitled), a y line per panel, named by its title", () => {
    const s = spec({
      title: { text: "Two panels", subtitle: ["per minute,", "shifted by 60 s"] },
      vconcat: [
        {
          mark: "line",
          encoding: { x: { field: "t", title: null }, y: { field: "a", title: "A" } },
        },
        {
          title: "b − a",
          mark: "rect",
          encoding: { x: { field: "t", title: "T (s)" }, y: { field: "b", title: "B" } },
        },
      ],
    });
    const rows = [
      { t: 0, a: 1, b: -3 },
      { t: 120, a: 2, b: 3 },
    ];
    expect(describeChart(s, [mark(rows)])).toBe(
      [
        "[chart] Two panels",
        "per minute, shifted by 60 s",
        "x: T (s): 0 to 120",
        "y, panel 1: A: 1 to 2",
        "y, panel 2 (b − a): B: −3 to 3",
      ].join("\n"),
    );
  });

  it("lists facet panels in the spec's sort order, then any others drawn", () => {
    const s = spec({
      description: "Small multiples",
      facet: { field: "name", sort: ["z", "y"] },
      spec: { mark: "line", encoding: { y: { field: "v", title: "V" } } },
    });
    const rows = [
      { name: "x", v: 1 },
      { name: "y", v: 2 },
      { name: "z", v: 3 },
    ];
    expect(describeChart(s, [mark(rows)])).toBe(
      "[chart] Small multiples\ny: V: 1 to 3\npanels: z; y; x",
    );
  });

  it("skips missing and non-numeric values; an axis with none drawn has its title only", () => {
    const s = spec({ mark: "line", encoding: { y: { field: "v", title: "V" } } });
    const rows = [{ v: null }, { v: "n/a" }, { v: Number.NaN }];
    expect(describeChart(s, [mark(rows)])).toBe("[chart] chart\ny: V");
  });
});

describe("describeChart on esmlab's charts, rendered", () => {
  /** The min and max of a run's column (what the chart's rows keep: per-bucket extremes). */
  const extent = (values: ArrayLike<number>) => {
    const finite = Array.from(values).filter(Number.isFinite);
    return [Math.min(...finite), Math.max(...finite)];
  };
  const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

  it("concurrencyChart(case1): time in minutes to just after the drain, concurrency from 0 to its peak, the three phases", async () => {
    const run = await seedRun("case1");
    const chart = concurrencyChart(run);
    const text = describeChart(chart, (await renderChart(chart)).marks);
    const [lo, hi] = extent(run.series.columns.concurrency);
    const lines = text.split("\n");
    expect(lines).toEqual([
      `[chart] ${run.meta.label}: concurrent invocations`,
      expect.stringMatching(/^idle after 33\.5\smin; .+ of idle tail not drawn$/),
      expect.stringMatching(/^x: Time since start \(min\): 0 to \d+$/),
      `y: Concurrent invocations: ${fmt(lo!)} to ${fmt(hi!)}`,
      "Phase: tear-up; max-throughput; cool-down",
    ]);
    // case1's backlog drains at 2011 s (33.5 min): the axis ends a few minutes after, not at
    // the run's end (45 min)
    const endMin = Number(/ to (\d+)$/.exec(lines[2]!)![1]);
    expect(run.meta.summary.drainedAtSec).toBe(2011);
    expect(endMin * 60).toBeGreaterThan(2011);
    expect(endMin * 60).toBeLessThanOrEqual(2011 * 1.1);
    expect(runEndSec(run)).toBe(2701);
  });

  it("lagChart(case1): the lag's extent in records", async () => {
    const run = await seedRun("case1");
    const chart = lagChart(run);
    const text = describeChart(chart, (await renderChart(chart)).marks);
    const [lo, hi] = extent(run.series.columns.lag);
    expect(text).toContain(`\ny: Offset lag (records): ${fmt(lo!)} to ${fmt(hi!)}`);
  });

  it("smallMultiplesChart(seed cases) names every panel; policyComparisonChart every policy", async () => {
    const runs = await Promise.all(["case1", "case2", "case3"].map((c) => seedRun(c)));
    const small = smallMultiplesChart(runs);
    expect(describeChart(small, (await renderChart(small)).marks)).toContain(
      `\npanels: ${runs.map((r) => r.meta.label).join("; ")}`,
    );
    const policies = policyComparisonChart([runs[0]!, await seedRun("case1", "keda")]);
    const lines = describeChart(policies, (await renderChart(policies)).marks).split("\n");
    expect(lines.filter((l) => l.startsWith("y, panel"))).toHaveLength(2);
    expect(lines.at(-1)).toBe("Policy: legacy-15min; keda");
  });
});
