/**
 * Several runs in one chart: small multiples (one panel per run, e.g. the three seed cases)
 * and scaler policies side by side on one workload (one colour per run).
 */
import type { TopLevelSpec } from "vega-lite";
import type { Run } from "../run/run.js";
import { type ChartRow, chartRows, runEndSec } from "./chart-data.js";
import {
  AXIS_TITLES,
  CHART_CONFIG,
  type ChartOptions,
  DEFAULT_HEIGHT_PX,
  DEFAULT_WIDTH_PX,
  policyOrLabel,
  SMALL_HEIGHT_PX,
  SMALL_WIDTH_PX,
  timeX,
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";
import {
  type ConcurrencyChartOptions,
  concurrencyLayers,
  concurrencyRows,
  withMaxPoints,
} from "./concurrency-chart.js";

export interface SmallMultiplesOptions extends ConcurrencyChartOptions {
  /** Panels per row; default the number of runs (one row). */
  readonly columns?: number;
  /** Panel titles, one per run; default each run's label. */
  readonly labels?: readonly string[];
}

/**
 * One concurrency panel per run (phases shaded, scale events marked, as
 * {@link concurrencyChart}), side by side with a shared time and concurrency scale so panels
 * compare at a glance. `options.fit` is ignored (each run is fitted).
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
  const endSec = Math.max(...runs.map(runEndSec));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? "Concurrent invocations, one panel per run" },
    data: { values },
    // rows carry the run's index, not its (long) label: the label is looked up once here
    transform: [{ calculate: `${JSON.stringify(labels)}[+datum.run]`, as: "runLabel" }],
    facet: { field: "runLabel", type: "nominal", sort: labels, title: null },
    columns: options.columns ?? runs.length,
    spec: {
      width: options.width ?? SMALL_WIDTH_PX,
      height: options.height ?? SMALL_HEIGHT_PX,
      layer: concurrencyLayers(endSec),
    },
    config: CHART_CONFIG,
  };
}

export interface PolicyComparisonOptions extends ChartOptions {
  /** Legend entries, one per run; default the run's scaler policy, else its label. */
  readonly labels?: readonly string[];
}

/** Colours of the runs in {@link policyComparisonChart} (Tableau 10), cycled. */
export const RUN_COLORS = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

/**
 * Scaler policies side by side on one workload: concurrency (top) and offset lag (bottom)
 * of every run over time, one colour per run, shared time axis.
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
  const endSec = Math.max(...runs.map(runEndSec));
  const color = {
    field: "run",
    type: "nominal" as const,
    title: "Policy",
    sort: [...labels],
    scale: { domain: [...labels], range: labels.map((_, i) => RUN_COLORS[i % RUN_COLORS.length]!) },
  };
  const panel = (field: "concurrency" | "lag", title: string, withAxisTitle: boolean) => ({
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX / 1.25,
    mark: {
      type: "line" as const,
      interpolate: "step-after" as const,
      strokeWidth: 1.5,
      clip: true,
    },
    encoding: {
      x: timeX("t", endSec, withAxisTitle ? AXIS_TITLES.time : null),
      y: { field, type: "quantitative" as const, title },
      color,
    },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? `Scaler policies on ${runs[0]!.meta.label}` },
    data: { values },
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
