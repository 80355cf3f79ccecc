/**
 * What every esmlab chart shares: the font (Liberation Sans, whose metrics the renderer uses),
 * sizes, phase colours and axis titles with units.
 */
import type { Config } from "vega-lite";
import type { Run } from "../run/run.js";
import { CHART_FONT } from "./text-width.js";
import type { TimeWindow } from "./time-axis.js";

/** Default plot size in px of one panel (Vega-Lite `width`/`height`, the data rectangle). */
export const DEFAULT_WIDTH_PX = 640;
export const DEFAULT_HEIGHT_PX = 220;
/**
 * Default panel size in small multiples: three panels, each with its own y axis, stay within
 * about 800 px, so an A4 page (680 px between margins) shrinks their 10 px labels no further
 * than to 8.5 px.
 */
export const SMALL_WIDTH_PX = 200;
export const SMALL_HEIGHT_PX = 160;

/** Size and data options every builder takes. */
export interface ChartOptions {
  /** Plot width in px; default 640 (200 per panel in small multiples). */
  readonly width?: number;
  /** Plot height in px; default 220 (160 per panel in small multiples). */
  readonly height?: number;
  /** Chart title; default names the run(s) and the metric. */
  readonly title?: string;
  /**
   * What the reader should look at, one or two sentences (the spec's `description`, which the
   * report uses for the figure's caption); default a sentence on how to read the chart.
   */
  readonly caption?: string;
  /** Most points per series (see chart-data.ts); default 2000. */
  readonly maxPoints?: number;
}

/** Axis titles, units in parentheses (the time axis's: `TIME_UNITS` in time-axis.ts). */
export const AXIS_TITLES = {
  concurrency: "Concurrent invocations",
  lag: "Offset lag (records)",
  cumulative: "Records (cumulative)",
  invocationsPerMinute: "Invocations per minute",
  pollers: "Pollers",
  difference: "Difference (invocations)",
} as const;

/** Phase shading colours (ColorBrewer Pastel1), in phase order. */
export const PHASE_COLORS = {
  "tear-up": "#fbb4ae",
  "max-throughput": "#b3cde3",
  "cool-down": "#ccebc5",
} as const;

/**
 * The Okabe–Ito palette, safe for the common colour-vision deficiencies (Okabe & Ito 2008,
 * "Color Universal Design", https://jfly.uni-koeln.de/color/), in the order lines take it:
 * blue, vermillion and bluish green first (apart for every deficiency and in grey print),
 * yellow last (too light for a thin line on white).
 */
export const OKABE_ITO = {
  blue: "#0072B2",
  vermillion: "#D55E00",
  bluishGreen: "#009E73",
  reddishPurple: "#CC79A7",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  black: "#000000",
  yellow: "#F0E442",
} as const;

/**
 * Dash patterns (Vega `strokeDash`, px on / off) paired with the colours of overlapping lines,
 * so lines stay apart where their colours would not (grey print, colour-blind readers) and where
 * one runs on top of another: the gaps of a dashed line show the line under it.
 */
export const LINE_DASHES: readonly (readonly number[])[] = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [12, 4],
  [3, 5],
  [8, 2, 2, 2, 2, 2],
  [1, 3],
];

/** Width of data lines, px: still a clear line when a chart is shrunk to the printed page. */
export const LINE_WIDTH_PX = 2;

/** Line colour of single-series charts and of scale-event rules (Okabe–Ito blue, vermillion). */
export const LINE_COLOR = OKABE_ITO.blue;
export const EVENT_COLOR = OKABE_ITO.vermillion;

/** The shared Vega-Lite config: fonts pinned to Liberation Sans, a light grid. */
export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  // the subtitle carries notes ("idle after …"): never smaller than axis labels
  title: { fontSize: 13, anchor: "start", subtitleFontSize: 11, subtitleColor: "#444444" },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: "#e6e6e6" },
  legend: { labelFontSize: 10, titleFontSize: 11 },
  header: { labelFontSize: 11, titleFontSize: 11 },
  view: { stroke: "#bdbdbd" },
};

/** The Vega-Lite `$schema` the specs declare (the major version the package ships). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * A run's scaler policy name when the run records its scenario (simulated runs), else its label;
 * the legend entry of a run in multi-run charts.
 */
export function policyOrLabel(run: Run): string {
  return run.meta.scenario?.scaler.policy ?? run.meta.label;
}

/** The mark of a series that holds its value until the next interval: a step line. */
export const STEP_LINE_MARK = {
  type: "line",
  interpolate: "step-after",
  color: LINE_COLOR,
  strokeWidth: LINE_WIDTH_PX,
  clip: true,
} as const;

/**
 * A chart's title: its text, and as subtitle lines the given ones and the window's note on the
 * idle tail it leaves out, if any.
 * @example chartTitle("case2: offset lag", window) // { text: "case2: offset lag", subtitle: "idle after …" }
 */
export function chartTitle(
  text: string,
  window: TimeWindow,
  lines: readonly string[] = [],
): { text: string; subtitle?: string | string[] } {
  const subtitle = [...lines, ...(window.note === null ? [] : [window.note])];
  if (subtitle.length === 0) return { text };
  return { text, subtitle: subtitle.length === 1 ? subtitle[0]! : subtitle };
}
