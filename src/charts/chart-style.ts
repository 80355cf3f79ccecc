/**
 * What every esmlab chart shares: the font (Liberation Sans, whose metrics the renderer uses),
 * sizes, phase colours and axis titles with units.
 */
import type { Config } from "vega-lite";
import type { Run } from "../run/run.js";
import { CHART_FONT } from "./text-width.js";

/** Default plot size in px of one panel (Vega-Lite `width`/`height`, the data rectangle). */
export const DEFAULT_WIDTH_PX = 640;
export const DEFAULT_HEIGHT_PX = 220;
/** Default panel size in small multiples. */
export const SMALL_WIDTH_PX = 260;
export const SMALL_HEIGHT_PX = 160;

/** Size and data options every builder takes. */
export interface ChartOptions {
  /** Plot width in px; default 640 (260 per panel in small multiples). */
  readonly width?: number;
  /** Plot height in px; default 220 (160 per panel in small multiples). */
  readonly height?: number;
  /** Chart title; default names the run(s) and the metric. */
  readonly title?: string;
  /** Most points per series (see chart-data.ts); default 2000. */
  readonly maxPoints?: number;
}

/** Axis titles, units in parentheses. */
export const AXIS_TITLES = {
  time: "Time since start (s)",
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

/** Line colour of single-series charts and of scale-event rules. */
export const LINE_COLOR = "#1f4e79";
export const EVENT_COLOR = "#b2182b";

/** The shared Vega-Lite config: fonts pinned to Liberation Sans, a light grid. */
export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  title: { fontSize: 13, anchor: "start" },
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

/**
 * The time x encoding of every time chart: seconds since the run start over exactly
 * [0, endSec] (no nice rounding), so an x position is proportional to time.
 */
export function timeX(field: string, endSec: number, title: string | null = AXIS_TITLES.time) {
  return {
    field,
    type: "quantitative" as const,
    title,
    scale: { domain: [0, endSec], nice: false, zero: false },
  };
}

/** The mark of a series that holds its value until the next interval: a step line. */
export const STEP_LINE_MARK = {
  type: "line",
  interpolate: "step-after",
  color: LINE_COLOR,
  strokeWidth: 1.5,
  clip: true,
} as const;
