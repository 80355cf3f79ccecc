/**
 * Live (measured) vs simulated for one case, the way CloudWatch shows both: per-minute values
 * of the two runs overlaid (top) and their difference, simulated − measured, per minute
 * (bottom). Alignment and missing minutes follow {@link viewError}: B is shifted so both runs'
 * first minute with an invocation coincide (or by a given offset), and inside the compared
 * span a minute absent from a view counts as 0 (CloudWatch emits nothing while idle).
 */
import type { TopLevelSpec } from "vega-lite";
import { type MinuteSeries, minuteSeries, viewError } from "../fit/view-error.js";
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
    diffTitle: "Sim − live (invocations)",
  },
  invocations: { title: AXIS_TITLES.invocationsPerMinute, diffTitle: "Sim − live (per minute)" },
} as const;
export type OverlayMetric = keyof typeof OVERLAY_METRICS;

export interface OverlayChartOptions extends ChartOptions {
  /** Default "concurrency" (ConcurrentExecutions Maximum); or "invocations" (Sum). */
  readonly metric?: OverlayMetric;
  /** Shift of the simulated run in seconds (rounded to minutes); default: first invocations. */
  readonly offsetSec?: number;
  /** Legend entries; default "live: <label>" and "simulated: <label>". */
  readonly labels?: readonly [string, string];
}

/**
 * Measured vs simulated per minute, with the difference in a second panel.
 * @param live the measured run (A), any resolution dividing 60 s
 * @param simulated the simulated run (B)
 * @throws EsmlabError when a run's resolution does not divide 60 s (from toCloudWatchView)
 * @example overlayChart(measured, simulated).vconcat?.length // 2
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
  const [labelA, labelB] = options.labels ?? [
    `live: ${live.meta.label}`,
    `simulated: ${simulated.meta.label}`,
  ];
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
      text: options.title ?? `${live.meta.label}: live vs simulated`,
      subtitle: `per minute as CloudWatch shows it; simulated shifted by ${offsetMin * 60} s`,
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
        width,
        height: Math.round((options.height ?? DEFAULT_HEIGHT_PX) / 2),
        mark: { type: "rect", color: "#762a83" },
        encoding: {
          x: timeX("t", endSec),
          x2: { field: "tEnd" },
          y: { field: "diff", type: "quantitative", title: titles.diffTitle },
          tooltip: [
            { field: "t", type: "quantitative", title: "minute start (s)" },
            { field: "live", type: "quantitative" },
            { field: "simulated", type: "quantitative" },
            { field: "diff", type: "quantitative", title: "simulated − live" },
          ],
        },
      },
    ],
    config: CHART_CONFIG,
  };
}

/** Value of a dense minute series at minute m; 0 outside it (an absent minute is idle). */
function at(s: MinuteSeries, m: number): number {
  const i = m - s.firstMinute;
  return i >= 0 && i < s.values.length ? s.values[i]! : 0;
}
