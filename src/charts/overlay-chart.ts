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
import { shortLabel } from "../blog/verdict.js";
import { type MinuteSeries, minuteSeries, viewError } from "../compare/view-error.js";
import { qualifyLabel } from "../run/label.js";
import type { Run } from "../run/run.js";
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
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";
import { timeAxis, windowOf } from "./time-axis.js";

/**
 * Run A solid and wide in vermillion, run B dashed and narrower in blue on top (Okabe–Ito): when
 * the runs agree the lines lie on each other, and A shows through B's gaps.
 */
const OVERLAY_LINES = {
  a: { color: OKABE_ITO.vermillion, dash: LINE_DASHES[0]!, widthPx: LINE_WIDTH_PX + 1.5 },
  b: { color: OKABE_ITO.blue, dash: LINE_DASHES[1]!, widthPx: LINE_WIDTH_PX },
} as const;

/** Ticks of the difference panel: few, so a small difference is not read to six decimals. */
const DIFF_TICK_COUNT = 5;

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
  let activeEnd = 0;
  let differs = false;
  for (let m = start; m < end; m++) {
    const va = at(a, m);
    const vb = at(b, m + offsetMin);
    values.push({ t: m * 60, tEnd: m * 60 + 60, live: va, simulated: vb, diff: vb - va });
    if (va > 0 || vb > 0) activeEnd = m * 60 + 60;
    if (vb !== va) differs = true;
  }
  const time = timeAxis(windowOf(activeEnd, Math.max(60, end * 60), { many: true }));
  const width = options.width ?? DEFAULT_WIDTH_PX;
  const titles = OVERLAY_METRICS[metric];
  const diffTitle = `${labelB} − ${labelA}`;
  const series = [labelA, labelB];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title ?? `${labelA} vs ${labelB}`, time.window, [
      `per minute as CloudWatch shows it; ${labelB} shifted by ${offsetMin * 60} s`,
    ]),
    description:
      options.caption ??
      (differs
        ? `Where the two lines part the runs differ; the bottom panel gives the difference minute by minute (${diffTitle}: above zero, ${labelB} is higher).`
        : `The two runs agree in every minute: the lines lie on each other and the difference (${diffTitle}) is zero throughout.`),
    data: { values },
    transform: time.transforms(["t", "tEnd"]),
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
        mark: { type: "line", interpolate: "step-after", clip: true },
        encoding: {
          x: time.x("t", null),
          y: { field: "value", type: "quantitative", title: titles.title },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            sort: series,
            scale: { domain: series, range: [OVERLAY_LINES.a.color, OVERLAY_LINES.b.color] },
            legend: { orient: "top", direction: "vertical", symbolSize: 500 },
          },
          strokeDash: {
            field: "series",
            type: "nominal",
            title: null,
            sort: series,
            scale: {
              domain: series,
              range: [[...OVERLAY_LINES.a.dash], [...OVERLAY_LINES.b.dash]],
            },
          },
          strokeWidth: {
            field: "series",
            type: "nominal",
            title: null,
            sort: series,
            scale: { domain: series, range: [OVERLAY_LINES.a.widthPx, OVERLAY_LINES.b.widthPx] },
          },
        },
      },
      {
        title: {
          text: differs ? diffTitle : `${diffTitle}: no difference in any minute`,
          anchor: "start",
          fontWeight: "normal",
        },
        width,
        height: Math.round((options.height ?? DEFAULT_HEIGHT_PX) / 2),
        mark: { type: "rect", color: OKABE_ITO.reddishPurple, clip: true },
        encoding: {
          x: time.x("t"),
          x2: time.x2("tEnd"),
          y: {
            field: "diff",
            type: "quantitative",
            title: titles.diffTitle,
            // an all-zero difference still gets an axis from −1 to 1 (Vega's default for a flat
            // domain is one tick, "0.000000"); the panel's title says there is none
            ...(differs ? {} : { scale: { domain: [-1, 1] } }),
            // d3-format (https://d3js.org/d3-format): thousands grouped, insignificant zeros
            // trimmed, so a whole difference reads "2", never "2.000000"
            axis: { format: ",~r", tickCount: DIFF_TICK_COUNT, tickMinStep: 1 },
          },
          tooltip: [
            time.tooltip("t", "minute start"),
            { field: "live", type: "quantitative", title: labelA },
            { field: "simulated", type: "quantitative", title: labelB },
            { field: "diff", type: "quantitative", title: diffTitle },
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
