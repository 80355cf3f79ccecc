/**
 * The seed blog's other per-run graphs: offset lag, records produced vs processed (cumulative),
 * invocations per minute. The concurrency graph is in concurrency-chart.ts.
 */
import type { TopLevelSpec } from "vega-lite";
import { cloudWatchSeries, toCloudWatchView } from "../run/cloudwatch-view.js";
import type { Run } from "../run/run.js";
import { chartRows, runEndSec } from "./chart-data.js";
import {
  AXIS_TITLES,
  CHART_CONFIG,
  type ChartOptions,
  DEFAULT_HEIGHT_PX,
  DEFAULT_WIDTH_PX,
  LINE_COLOR,
  STEP_LINE_MARK,
  timeX,
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";
import { withMaxPoints } from "./concurrency-chart.js";

/** Colours of the produced and processed lines. */
export const RECORD_SERIES_COLORS = { produced: "#969696", processed: "#1f4e79" } as const;

/**
 * Offset lag (records, per-bucket maximum so the deepest lag shows) over time.
 * @example lagChart(case1Run).layer // undefined: a single line mark
 */
export function lagChart(run: Run, options: ChartOptions = {}): TopLevelSpec {
  const { rows } = chartRows(run, ["lag"], {
    ...withMaxPoints(options.maxPoints),
    thin: "step-after",
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? `${run.meta.label}: offset lag` },
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: { values: rows },
    mark: STEP_LINE_MARK,
    encoding: {
      x: timeX("t", runEndSec(run)),
      y: { field: "lag", type: "quantitative", title: AXIS_TITLES.lag },
    },
    config: CHART_CONFIG,
  };
}

/**
 * Records produced and records processed, each as a running total over time (the gap between
 * the lines is the backlog). Cumulative values are exact at every chart point (bucket ends).
 */
export function cumulativeRecordsChart(run: Run, options: ChartOptions = {}): TopLevelSpec {
  const { rows } = chartRows(run, [], {
    ...withMaxPoints(options.maxPoints),
    cumulative: ["produced", "processed"],
    thin: "linear",
  });
  const series = Object.keys(RECORD_SERIES_COLORS);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? `${run.meta.label}: records produced vs processed` },
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: {
      values: rows.map((r) => ({
        t: r.t ?? null,
        produced: r.producedCumulative ?? null,
        processed: r.processedCumulative ?? null,
      })),
    },
    transform: [{ fold: series, as: ["series", "records"] }],
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: timeX("t", runEndSec(run)),
      y: { field: "records", type: "quantitative", title: AXIS_TITLES.cumulative },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: series, range: Object.values(RECORD_SERIES_COLORS) },
        legend: { orient: "top-left" },
      },
    },
    config: CHART_CONFIG,
  };
}

/**
 * Invocations per minute as CloudWatch shows them (1-minute Sum, idle minutes absent: see
 * {@link toCloudWatchView}), one bar per minute.
 * @throws EsmlabError when the run's resolution does not divide 60 s (from toCloudWatchView)
 */
export function invocationsPerMinuteChart(run: Run, options: ChartOptions = {}): TopLevelSpec {
  const s = cloudWatchSeries(toCloudWatchView(run), "Invocations");
  const values = Array.from(s.tSec, (t, i) => ({ t, tEnd: t + 60, invocations: s.values[i]! }));
  const endSec = Math.max(runEndSec(run), values.at(-1)?.tEnd ?? 0);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? `${run.meta.label}: invocations per minute` },
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: { values },
    mark: { type: "rect", color: LINE_COLOR, stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: timeX("t", endSec),
      x2: { field: "tEnd" },
      y: { field: "invocations", type: "quantitative", title: AXIS_TITLES.invocationsPerMinute },
      tooltip: [
        { field: "t", type: "quantitative", title: "minute start (s)" },
        { field: "invocations", type: "quantitative", title: "invocations" },
      ],
    },
    config: CHART_CONFIG,
  };
}
