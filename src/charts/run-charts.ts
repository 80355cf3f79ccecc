/**
 * The seed blog's other per-run graphs: offset lag, records produced vs processed (cumulative),
 * invocations per minute. The concurrency graph is in concurrency-chart.ts.
 */
import type { TopLevelSpec } from "vega-lite";
import { cloudWatchSeries, toCloudWatchView } from "../run/cloudwatch-view.js";
import type { Run } from "../run/run.js";
import { chartRows } from "./chart-data.js";
import {
  AXIS_TITLES,
  CHART_CONFIG,
  type ChartOptions,
  chartTitle,
  DEFAULT_HEIGHT_PX,
  DEFAULT_WIDTH_PX,
  LINE_COLOR,
  LINE_DASHES,
  LINE_WIDTH_PX,
  OKABE_ITO,
  STEP_LINE_MARK,
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";
import { withMaxPoints } from "./concurrency-chart.js";
import { timeAxis, timeWindow } from "./time-axis.js";

/**
 * Colours of the produced and processed lines (Okabe–Ito vermillion and blue). The lines lie on
 * each other whenever nothing is backlogged, so processed is also dashed (see
 * {@link LINE_DASHES}): where the two meet, produced shows through the gaps.
 */
export const RECORD_SERIES_COLORS = {
  produced: OKABE_ITO.vermillion,
  processed: OKABE_ITO.blue,
} as const;

/**
 * Offset lag (records, per-bucket maximum so the deepest lag shows) over time.
 * @example lagChart(case1Run).layer // undefined: a single line mark
 */
export function lagChart(run: Run, options: ChartOptions = {}): TopLevelSpec {
  const { rows } = chartRows(run, ["lag"], {
    ...withMaxPoints(options.maxPoints),
    thin: "step-after",
  });
  const time = timeAxis(timeWindow([run]));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title ?? `${run.meta.label}: offset lag`, time.window),
    description:
      options.caption ??
      "The lag grows while records arrive faster than they are processed: its peak is the deepest backlog, and where it returns to zero the backlog has drained.",
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: { values: rows },
    transform: time.transforms(["t"]),
    mark: STEP_LINE_MARK,
    encoding: {
      x: time.x("t"),
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
  const time = timeAxis(timeWindow([run]));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(
      options.title ?? `${run.meta.label}: records produced vs processed`,
      time.window,
    ),
    description:
      options.caption ??
      "The vertical gap between the produced and processed lines is the backlog; where the lines meet again, every record produced so far has been processed.",
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: {
      values: rows.map((r) => ({
        t: r.t ?? null,
        produced: r.producedCumulative ?? null,
        processed: r.processedCumulative ?? null,
      })),
    },
    transform: [{ fold: series, as: ["series", "records"] }, ...time.transforms(["t"])],
    mark: { type: "line", strokeWidth: LINE_WIDTH_PX, clip: true },
    encoding: {
      x: time.x("t"),
      y: { field: "records", type: "quantitative", title: AXIS_TITLES.cumulative },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: series, range: Object.values(RECORD_SERIES_COLORS) },
        legend: { orient: "top-left" },
      },
      strokeDash: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: series, range: LINE_DASHES.slice(0, series.length).map((d) => [...d]) },
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
  // a minute with invocations is drawn whole, even when it ends after the run's last row
  const busyEnd = values.reduce((end, v) => (v.invocations > 0 ? Math.max(end, v.tEnd) : end), 0);
  const time = timeAxis(timeWindow([run], { atLeastSec: busyEnd }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title ?? `${run.meta.label}: invocations per minute`, time.window),
    description:
      options.caption ??
      "Each bar is one minute's invocations as CloudWatch sums them (a minute without a bar had none): the bars grow when the scaler adds pollers and stop once every record is processed.",
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: { values },
    transform: time.transforms(["t", "tEnd"]),
    mark: { type: "rect", color: LINE_COLOR, stroke: "white", strokeWidth: 0.5, clip: true },
    encoding: {
      x: time.x("t"),
      x2: time.x2("tEnd"),
      y: { field: "invocations", type: "quantitative", title: AXIS_TITLES.invocationsPerMinute },
      tooltip: [
        time.tooltip("t", "minute start"),
        { field: "invocations", type: "quantitative", title: "invocations" },
      ],
    },
    config: CHART_CONFIG,
  };
}
