/**
 * Two runs of one case, the way CloudWatch shows both — typically measured vs simulated, or a
 * preset vs its calibration: per-minute values of the two runs overlaid (top) and their
 * difference, B − A, per minute (bottom). The chart names each run by its label's short name
 * ("case2 (on-demand-2022, calibrated)"), a measured run marked "(measured)", and titles itself
 * "A vs B". Alignment and missing minutes follow {@link viewError}: B is shifted so both runs'
 * first minute with an invocation coincide (or by a given offset), and inside the compared
 * span a minute absent from a view counts as 0 (CloudWatch emits nothing while idle).
 */
import type { TopLevelSpec } from "vega-lite";
import { type MinuteSeries, minuteSeries, viewError } from "../compare/view-error.js";
import { shortLabel } from "../fit/verdict.js";
import { qualifyLabel } from "../run/label.js";
import type { Run } from "../run/run.js";
import {
  AXIS_TITLES,
  CHART_CONFIG,
  type ChartOptions,
  DEFAULT_HEIGHT_PX,
  DEFAULT_WIDTH_PX,
  EVENT_COLOR,
  LINE_COLOR,
  timeX,
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";

/** The per-minute metrics the overlay can show. */
export const OVERLAY_METRICS = {
  concurrency: {
    title: "Concurrent invocations (1-min max)",
    diffTitle: "Difference (invocations)",
  },
  invocations: { title: AXIS_TITLES.invocationsPerMinute, diffTitle: "Difference (per minute)" },
} as const;
export type OverlayMetric = keyof typeof OVERLAY_METRICS;

export interface OverlayChartOptions extends ChartOptions {
  /** Default "concurrency" (ConcurrentExecutions Maximum); or "invocations" (Sum). */
  readonly metric?: OverlayMetric;
  /** Shift of run B in seconds (rounded to minutes); default: first invocations aligned. */
  readonly offsetSec?: number;
  /**
   * The runs' names in the legend and the title; default each label's short name, "(measured)"
   * added for a measured run, "[A]" / "[B]" added when both would read the same.
   */
  readonly labels?: readonly [string, string];
}

/**
 * Run A and run B per minute, with the difference B − A in a second panel.
 * @param live run A, usually the measured one; any resolution dividing 60 s
 * @param simulated run B, usually a simulation
 * @throws EsmlabError when a run's resolution does not divide 60 s (from toCloudWatchView)
 * @example overlayChart(measured, calibrated).title
 * // { text: "example-case2-synthetic.gmd (measured) vs case2 (on-demand-2022, calibrated)", … }
 */
export function overlayChart(
  live: Run,
  simulated: Run,
  options: OverlayChartOptions = {},
): TopLevelSpec {
  const metric = options.metric ?? "concurrency";
  const offsetMin = viewError(live, simulated, options.offsetSec).offsetSec / 60;
  const a = minuteSeries(live)[metric];
  const b = minuteSeries(simulated)[metric];
  const [labelA, labelB] = options.labels ?? runNames(live, simulated);
  const start = Math.min(a.firstMinute, b.firstMinute - offsetMin);
  const end = Math.max(
    a.firstMinute + a.values.length,
    b.firstMinute + b.values.length - offsetMin,
  );
  const values = [];
  for (let m = start; m < end; m++) {
    const va = at(a, m);
    const vb = at(b, m + offsetMin);
    values.push({ t: m * 60, tEnd: m * 60 + 60, live: va, simulated: vb, diff: vb - va });
  }
  const endSec = Math.max(60, end * 60);
  const width = options.width ?? DEFAULT_WIDTH_PX;
  const titles = OVERLAY_METRICS[metric];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? `${labelA} vs ${labelB}`,
      subtitle: `per minute as CloudWatch shows it; ${labelB} shifted by ${offsetMin * 60} s`,
    },
    data: { values },
    vconcat: [
      {
        width,
        height: options.height ?? DEFAULT_HEIGHT_PX,
        transform: [
          { fold: ["live", "simulated"], as: ["which", "value"] },
          // labels are data, not field names: a "." in a field name would mean nesting
          {
            calculate: `datum.which === 'live' ? ${JSON.stringify(labelA)} : ${JSON.stringify(labelB)}`,
            as: "series",
          },
        ],
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
        encoding: {
          x: timeX("t", endSec, null),
          y: { field: "value", type: "quantitative", title: titles.title },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            sort: [labelA, labelB],
            scale: { domain: [labelA, labelB], range: [EVENT_COLOR, LINE_COLOR] },
            legend: { orient: "top", direction: "vertical" },
          },
        },
      },
      {
        title: { text: `${labelB} − ${labelA}`, anchor: "start", fontWeight: "normal" },
        width,
        height: Math.round((options.height ?? DEFAULT_HEIGHT_PX) / 2),
        mark: { type: "rect", color: "#762a83" },
        encoding: {
          x: timeX("t", endSec),
          x2: { field: "tEnd" },
          y: {
            field: "diff",
            type: "quantitative",
            title: titles.diffTitle,
            // d3-format: an all-zero difference reads "0", not Vega's "0.000000" for a flat domain
            axis: { format: ",~r" },
          },
          tooltip: [
            { field: "t", type: "quantitative", title: "minute start (s)" },
            { field: "live", type: "quantitative", title: labelA },
            { field: "simulated", type: "quantitative", title: labelB },
            { field: "diff", type: "quantitative", title: `${labelB} − ${labelA}` },
          ],
        },
      },
    ],
    config: CHART_CONFIG,
  };
}

/**
 * A run's name in the chart: its label's short name, "(measured)" added for a measured run
 * whose name does not say so already.
 * @example runName(measured) // "example-case2-synthetic.gmd (measured)"
 */
function runName(run: Run): string {
  const short = shortLabel(run.meta.label);
  const saysSo = /\bmeasured\b/i.test(short);
  return run.meta.source === "measured" && !saysSo ? qualifyLabel(short, "measured") : short;
}

/** The two runs' names, told apart by "[A]" / "[B]" when they would read the same. */
function runNames(a: Run, b: Run): [string, string] {
  const [nameA, nameB] = [runName(a), runName(b)];
  return nameA === nameB ? [`${nameA} [A]`, `${nameB} [B]`] : [nameA, nameB];
}

/** Value of a dense minute series at minute m; 0 outside it (an absent minute is idle). */
function at(s: MinuteSeries, m: number): number {
  const i = m - s.firstMinute;
  return i >= 0 && i < s.values.length ? s.values[i]! : 0;
}
