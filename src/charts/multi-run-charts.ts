/**
 * Several runs in one chart: small multiples (one panel per run, e.g. the three seed cases)
 * and scaler policies side by side on one workload (one colour per run).
 */
import type { TopLevelSpec } from "vega-lite";
import type { Run } from "../run/run.js";
import { type ChartRow, chartRows } from "./chart-data.js";
import {
  AXIS_TITLES,
  CHART_CONFIG,
  type ChartOptions,
  chartTitle,
  DEFAULT_HEIGHT_PX,
  DEFAULT_WIDTH_PX,
  LINE_DASHES,
  LINE_WIDTH_PX,
  OKABE_ITO,
  policyOrLabel,
  SMALL_HEIGHT_PX,
  SMALL_WIDTH_PX,
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";
import {
  CONCURRENCY_TIME_FIELDS,
  type ConcurrencyChartOptions,
  concurrencyCaption,
  concurrencyLayers,
  concurrencyRows,
  withMaxPoints,
} from "./concurrency-chart.js";
import { timeAxis, timeWindow } from "./time-axis.js";

export interface SmallMultiplesOptions extends ConcurrencyChartOptions {
  /** Panels per row; default the number of runs (one row). */
  readonly columns?: number;
  /** Panel titles, one per run; default each run's label. */
  readonly labels?: readonly string[];
}

/**
 * One concurrency panel per run (phases shaded, scale events marked, as
 * {@link concurrencyChart}), side by side on a shared time axis (the window of the run active
 * longest) with a concurrency scale of its own each. `options.fit` is ignored (each run is
 * fitted).
 *
 * Why independent y scales: the runs are compared by shape — when the line leaves its starting
 * level, how long it holds its plateau — and their plateaus differ by the partition count
 * (10, 20, 100 for the seed cases): on a shared scale the smaller runs sit in the bottom fifth
 * and their tear-up at 1 invocation is a line on the axis. Heights are read from each panel's
 * own labelled axis (the caption says so).
 * @throws RangeError when runs is empty or labels do not match the runs
 * @example smallMultiplesChart(seedRuns).facet // { field: "runLabel", … }
 */
export function smallMultiplesChart(
  runs: readonly Run[],
  options: SmallMultiplesOptions = {},
): TopLevelSpec {
  const labels = runLabels(runs, options.labels, (r) => r.meta.label);
  const { fit: _ignored, ...rowOptions } = options;
  const values = runs.flatMap((run, i) => concurrencyRows(run, rowOptions, String(i)));
  const time = timeAxis(timeWindow(runs));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title ?? "Concurrent invocations, one panel per run", time.window, [
      "each panel has its own concurrency scale",
    ]),
    description:
      options.caption ??
      `One panel per run, each with its own concurrency scale: read heights on each panel's axis. ${concurrencyCaption(options, true)}`,
    data: { values },
    transform: [
      // rows carry the run's index, not its (long) label: the label is looked up once here
      { calculate: `${JSON.stringify(labels)}[+datum.run]`, as: "runLabel" },
      ...time.transforms(CONCURRENCY_TIME_FIELDS),
    ],
    facet: { field: "runLabel", type: "nominal", sort: labels, title: null },
    columns: options.columns ?? runs.length,
    spec: {
      width: options.width ?? SMALL_WIDTH_PX,
      height: options.height ?? SMALL_HEIGHT_PX,
      layer: concurrencyLayers(time),
    },
    // see the function comment: shapes are compared, heights read per panel
    resolve: { scale: { y: "independent" } },
    config: CHART_CONFIG,
  };
}

export interface PolicyComparisonOptions extends ChartOptions {
  /** Legend entries, one per run; default the run's scaler policy, else its label. */
  readonly labels?: readonly string[];
}

/**
 * Colours of the runs in {@link policyComparisonChart}: the Okabe–Ito palette (see
 * {@link OKABE_ITO}), cycled, each run also with its own dash pattern ({@link LINE_DASHES}).
 */
export const RUN_COLORS: readonly string[] = Object.values(OKABE_ITO);

/**
 * Scaler policies side by side on one workload: concurrency (top) and offset lag (bottom)
 * of every run over time, one colour and dash pattern per run, shared time axis ending a little
 * after the last activity of any run.
 * @throws RangeError when runs is empty or labels do not match the runs
 */
export function policyComparisonChart(
  runs: readonly Run[],
  options: PolicyComparisonOptions = {},
): TopLevelSpec {
  const labels = runLabels(runs, options.labels, policyOrLabel);
  const values: ChartRow[] = runs.flatMap((run, i) =>
    chartRows(run, ["concurrency", "lag"], {
      ...withMaxPoints(options.maxPoints),
      thin: "step-after",
    }).rows.map((r) => ({
      run: labels[i]!,
      ...r,
    })),
  );
  const time = timeAxis(timeWindow(runs));
  // colour and dash by the same field: one legend showing both, and lines told apart without
  // colour (grey print, colour-blind readers) or where one lies on another
  const byRun = { field: "run", type: "nominal" as const, title: "Policy", sort: [...labels] };
  const color = {
    ...byRun,
    scale: { domain: [...labels], range: labels.map((_, i) => RUN_COLORS[i % RUN_COLORS.length]!) },
    // above the panels, not beside them: the chart stays as wide as its panels (the printed
    // page shrinks it less) and a phone scrolling the chart sideways still sees the legend
    legend: {
      orient: "top" as const,
      direction: "horizontal" as const,
      columns: 3,
      symbolStrokeWidth: LINE_WIDTH_PX,
      symbolSize: 500,
    },
  };
  const strokeDash = {
    ...byRun,
    scale: {
      domain: [...labels],
      range: labels.map((_, i) => [...LINE_DASHES[i % LINE_DASHES.length]!]),
    },
  };
  const panel = (field: "concurrency" | "lag", title: string, withAxisTitle: boolean) => ({
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX / 1.25,
    mark: {
      type: "line" as const,
      interpolate: "step-after" as const,
      strokeWidth: LINE_WIDTH_PX,
      clip: true,
    },
    encoding: {
      x: withAxisTitle ? time.x("t") : time.x("t", null),
      y: { field, type: "quantitative" as const, title },
      color,
      strokeDash,
    },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title ?? `Scaler policies on ${runs[0]!.meta.label}`, time.window),
    description:
      options.caption ??
      "Compare when each policy's concurrency (top) rises and how high and for how long its lag (bottom) climbs: the policy whose lag returns to zero first drains the backlog first.",
    data: { values },
    transform: time.transforms(["t"]),
    vconcat: [
      panel("concurrency", AXIS_TITLES.concurrency, false),
      panel("lag", AXIS_TITLES.lag, true),
    ],
    config: CHART_CONFIG,
  };
}

/** One label per run: the given ones (checked), else `fallback` of each run. */
export function runLabels(
  runs: readonly Run[],
  given: readonly string[] | undefined,
  fallback: (run: Run) => string,
): string[] {
  if (runs.length === 0) throw new RangeError("no runs to chart: need at least one");
  if (given !== undefined && given.length !== runs.length)
    throw new RangeError(
      `invalid labels: ${given.length} labels for ${runs.length} runs (chart options, field labels)`,
    );
  const labels = given === undefined ? runs.map(fallback) : [...given];
  // equal labels would merge runs into one panel or one colour: number the repeats
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}
