/**
 * The time axis every time chart shares: which stretch of the runs is drawn, and in which unit.
 *
 * ```
 * runs ─▶ activeEndSec (last second with concurrency, lag, production or invocations)
 *      ─▶ + margin, rounded up to a tick ─▶ window end (clipped tail noted) ─▶ unit (s or min)
 * ```
 *
 * A simulated run goes on until its scaler has settled, which can be hours after the last record
 * was processed: drawn in full, that idle tail squeezes the minutes where everything happens into
 * a corner. The window ends a little after the last activity of any run instead, and the chart
 * says how much idle time it leaves out. The data stays in seconds; in minutes a `calculate`
 * transform adds `<field>Min` columns, so the axis, the tooltips and the chart's text
 * description (chart-text.ts, which reads the domain from the spec) all speak the same unit.
 * Cost: one backward scan of five columns per run.
 */
import type { Run, SeriesColumn } from "../run/run.js";
import { formatDuration } from "../util/format.js";
import { runEndSec } from "./chart-data.js";

/** The units a time axis can show, with the seconds in one unit. */
export const TIME_UNITS = {
  s: { sec: 1, title: "Time since start (s)" },
  min: { sec: 60, title: "Time since start (min)" },
} as const;
export type TimeUnit = keyof typeof TIME_UNITS;

/** A drawn window longer than this is labelled in minutes (a 40-minute run in seconds reads 2,400). */
export const MINUTES_FROM_SEC = 600;

/** Columns whose non-zero value means the run is doing something. */
const ACTIVITY_COLUMNS = [
  "concurrency",
  "lag",
  "produced",
  "processed",
  "invocations",
] as const satisfies readonly SeriesColumn[];

/** Margin after the last activity: this share of it, so the drop to idle is seen. */
const MARGIN_SHARE = 0.05;
/** An idle tail shorter than this share of the window is drawn rather than noted. */
const TAIL_SHARE = 0.1;

/** The drawn stretch of time of a chart, and its unit. */
export interface TimeWindow {
  /** End of the x domain, seconds (the domain starts at 0). */
  readonly endSec: number;
  /** End of the last interval with any activity in any run, seconds; 0 when none is active. */
  readonly activeEndSec: number;
  /** End of the longest run, seconds. */
  readonly runEndSec: number;
  /** Unit of the axis: minutes when the window is longer than {@link MINUTES_FROM_SEC}. */
  readonly unit: TimeUnit;
  /** What is left undrawn, for the chart's subtitle ("idle after …; … not drawn"); else null. */
  readonly note: string | null;
}

export interface TimeWindowOptions {
  /** Draw every run to its end, idle tail included; default false. */
  readonly full?: boolean;
  /** A later end the chart must reach (e.g. the last minute bar), seconds. */
  readonly atLeastSec?: number;
}

/**
 * End of a run's last interval with concurrency, lag, records produced or processed, or
 * invocations above zero, seconds; 0 when the run never does anything. Missing cells are idle.
 * @example activeEndSec(case2Run) // 2357 (the last record processed at 2356 s, 1-s rows)
 */
export function activeEndSec(run: Run): number {
  const { columns, length } = run.series;
  for (let i = length - 1; i >= 0; i--) {
    if (ACTIVITY_COLUMNS.some((c) => columns[c][i]! > 0))
      return columns.t[i]! + run.meta.resolutionSec;
  }
  return 0;
}

/**
 * The window a time chart of these runs draws: from 0 to a little after the last activity of
 * any run (5 % more, rounded up to a tick of the axis), or to the end of the longest run when
 * its idle tail beyond that is under a tenth of the window. Minutes when the window is longer
 * than ten minutes, else seconds.
 * @throws RangeError when runs is empty
 * @example timeWindow([case2Run]).note // "idle after 39.3 min; 5.6 min not drawn" (shape)
 */
export function timeWindow(runs: readonly Run[], options: TimeWindowOptions = {}): TimeWindow {
  if (runs.length === 0) throw new RangeError("no runs to chart: need at least one");
  const atLeast = options.atLeastSec ?? 0;
  return windowOf(Math.max(...runs.map(activeEndSec)), Math.max(atLeast, ...runs.map(runEndSec)), {
    ...options,
    many: runs.length > 1,
  });
}

/**
 * {@link timeWindow} from the ends themselves: the last activity and the end of the data,
 * seconds (for charts of derived series, such as per-minute views).
 * @example windowOf(2357, 7800).endSec // 2520 (42 min)
 */
export function windowOf(
  activeEnd: number,
  dataEnd: number,
  options: TimeWindowOptions & { readonly many?: boolean } = {},
): TimeWindow {
  const runEnd = Math.max(dataEnd, options.atLeastSec ?? 0);
  const rounded = roundUpToTick(Math.max(options.atLeastSec ?? 0, activeEnd * (1 + MARGIN_SHARE)));
  const clip = !options.full && activeEnd > 0 && runEnd - rounded > TAIL_SHARE * rounded;
  const endSec = clip ? rounded : runEnd;
  return {
    endSec,
    activeEndSec: activeEnd,
    runEndSec: runEnd,
    unit: unitFor(endSec),
    note: clip ? idleNote(activeEnd, runEnd - endSec, options.many ?? false) : null,
  };
}

/** Minutes when the window is longer than ten minutes. */
export function unitFor(endSec: number): TimeUnit {
  return endSec > MINUTES_FROM_SEC ? "min" : "s";
}

function idleNote(activeEnd: number, hiddenSec: number, many: boolean): string {
  const who = many ? "every run idle" : "idle";
  return `${who} after ${formatDuration(activeEnd)}; ${formatDuration(hiddenSec)} of idle tail not drawn`;
}

/**
 * `sec` rounded up to a step of 1, 2 or 5 × 10^k of the unit its window is drawn in (d3's tick
 * steps, https://d3js.org/d3-array/ticks), at most 50 steps in the window: a round end ("42 min",
 * "330 s") that adds at most 2 % to it.
 * @example roundUpToTick(2474) // 2520 (41.2 min → 42 min)
 */
export function roundUpToTick(sec: number): number {
  if (!(sec > 0)) return sec;
  const unitSec = TIME_UNITS[unitFor(sec)].sec;
  const value = sec / unitSec;
  const raw = value / 50;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return Math.ceil(value / step - 1e-9) * step * unitSec;
}

/** The time encodings and transforms of one chart, in its window's unit. */
export interface TimeAxis {
  readonly window: TimeWindow;
  /** `calculate` transforms adding `<field>Min` for each field (none in seconds). */
  transforms(fields: readonly string[]): { calculate: string; as: string }[];
  /** The x encoding of a time field: the window's domain, exactly, in its unit. */
  x(field: string, title?: string | null): TimeX;
  /** The x2 encoding of a time field (the end of a rect). */
  x2(field: string): { field: string };
  /** A tooltip entry of a time field, titled with the unit: "start (min)". */
  tooltip(field: string, title: string): TimeTooltip;
}

/** Vega-Lite x encoding of a time field. */
export interface TimeX {
  readonly field: string;
  readonly type: "quantitative";
  readonly title: string | null;
  readonly scale: { readonly domain: [number, number]; readonly nice: false; readonly zero: false };
  readonly axis: { readonly tickMinStep: number };
}

/** Vega-Lite tooltip entry of a time field. */
export interface TimeTooltip {
  readonly field: string;
  readonly type: "quantitative";
  readonly title: string;
  readonly format: string;
}

/**
 * The time axis of a chart drawing `window`: fields in seconds are encoded as they are, or
 * through `<field>Min` columns (see {@link TimeAxis.transforms}) when the window is in minutes.
 * @example timeAxis(timeWindow([case2Run])).x("t").field // "tMin"
 */
export function timeAxis(window: TimeWindow): TimeAxis {
  const { unit } = window;
  const unitSec = TIME_UNITS[unit].sec;
  const name = (field: string) => (unit === "s" ? field : `${field}Min`);
  return {
    window,
    transforms: (fields) =>
      unit === "s"
        ? []
        : fields.map((f) => ({ calculate: `datum.${f} / ${unitSec}`, as: name(f) })),
    x: (field, title = TIME_UNITS[unit].title) => ({
      field: name(field),
      type: "quantitative",
      title,
      // exactly [0, end], not niced: a position is proportional to time and the window's end
      // (already rounded to a tick) is not pushed further out
      scale: { domain: [0, window.endSec / unitSec], nice: false, zero: false },
      // no tick between whole minutes or seconds: "2.5" min reads as an odd unit
      axis: { tickMinStep: 1 },
    }),
    x2: (field) => ({ field: name(field) }),
    tooltip: (field, title) => ({
      field: name(field),
      type: "quantitative",
      title: `${title} (${unit})`,
      // seconds whole, minutes to a tenth (6 s): the precision the runs' rows carry
      format: unit === "s" ? ",d" : ",.1f",
    }),
  };
}
