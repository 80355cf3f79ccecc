/**
 * The seed blog's main graph: concurrent invocations over time, the three phases shaded and
 * the scale events marked.
 *
 * ```
 * Run ─┬─▶ chartRows (per-bucket max) ─────────▶ kind "series" rows ─┐
 *      ├─▶ fitThreePhases ─▶ phases ───────────▶ kind "phase" rows  ─┼─▶ one inline dataset
 *      └─▶ meta.scaleEvents ───────────────────▶ kind "event" rows  ─┘   ─▶ rect + line + rule
 * ```
 *
 * One dataset whose rows carry a `kind` (and a `run`) serves both the single chart and the
 * small multiples (a facet cannot give each layer its own data).
 */
import type { TopLevelSpec } from "vega-lite";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import { fitThreePhases, type ThreePhaseFit } from "../fit/three-phase.js";
import type { Run } from "../run/run.js";
import { type ChartRow, chartRows } from "./chart-data.js";
import {
  AXIS_TITLES,
  CHART_CONFIG,
  type ChartOptions,
  chartTitle,
  DEFAULT_HEIGHT_PX,
  DEFAULT_WIDTH_PX,
  EVENT_COLOR,
  PHASE_COLORS,
  STEP_LINE_MARK,
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";
import { type TimeAxis, timeAxis, timeWindow } from "./time-axis.js";

export interface ConcurrencyChartOptions extends ChartOptions {
  /** A fit already made (e.g. with run facts the run lacks); default `fitThreePhases(run)`. */
  readonly fit?: ThreePhaseFit;
  /** Shade the phases; default true. */
  readonly phases?: boolean;
  /** Mark the scale events; default true. */
  readonly scaleEvents?: boolean;
}

/** Mark names of the three layers (vega-lite `name`; the SVG groups carry `<name>_marks`). */
export const CONCURRENCY_LAYERS = {
  phases: "phases",
  concurrency: "concurrency",
  scaleEvents: "scaleEvents",
} as const;

/**
 * Concurrent invocations (per-bucket maximum) over time, the phases of
 * {@link fitThreePhases} shaded behind, a dashed rule at every `meta.scaleEvents` time.
 * The time axis runs from 0 to a little after the run's last activity ({@link timeWindow}: an
 * idle tail is left out and named in the subtitle), in minutes for a window over ten minutes.
 * @throws EsmlabError when the run has no concurrency values to fit (from fitThreePhases;
 *   pass `phases: false` to chart such a run without them)
 * @example concurrencyChart(case1Run).title // { text: "case1: …: concurrent invocations" }
 */
export function concurrencyChart(run: Run, options: ConcurrencyChartOptions = {}): TopLevelSpec {
  const time = timeAxis(timeWindow([run]));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(options.title ?? `${run.meta.label}: concurrent invocations`, time.window),
    description: options.caption ?? concurrencyCaption(options),
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: { values: concurrencyRows(run, options) },
    transform: time.transforms(CONCURRENCY_TIME_FIELDS),
    layer: concurrencyLayers(time),
    config: CHART_CONFIG,
  };
}

/** The time fields of {@link concurrencyRows}: series and event `t`, phase `start` and `end`. */
export const CONCURRENCY_TIME_FIELDS = ["t", "start", "end"] as const;

/**
 * What to look at in a concurrency chart, true of any run: where the line leaves its first
 * level, the plateau's height, and what the shading and rules mark (when drawn); `many` for
 * several lines (small multiples).
 */
export function concurrencyCaption(options: ConcurrencyChartOptions, many = false): string {
  const line = many ? "each line" : "the line";
  const parts = [
    `Look at where ${line} first steps up from its starting level (the scaler adding pollers) and at the level it then holds: the plateau, at most the partition count.`,
  ];
  const marks = [
    ...((options.phases ?? true) ? ["shading marks the phases fitted to the run"] : []),
    ...((options.scaleEvents ?? true) ? ["dashed rules the scaler's scale events"] : []),
  ];
  if (marks.length > 0) parts.push(`${capitalise(marks.join(", "))}.`);
  return parts.join(" ");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The rows of {@link concurrencyChart} for one run, each tagged with `kind`: "series"
 * {t, concurrency}, "phase" {phase, start, end}, "event" {t, from, to, reason}; and with
 * `run: runKey` when a key is given (multi-run charts).
 */
export function concurrencyRows(
  run: Run,
  options: ConcurrencyChartOptions = {},
  runKey?: string,
): ChartRow[] {
  const tag = runKey === undefined ? {} : { run: runKey };
  const series = chartRows(run, ["concurrency"], {
    ...withMaxPoints(options.maxPoints),
    thin: "step-after",
  }).rows;
  const rows: ChartRow[] = series.map((r) => ({ ...tag, kind: "series", ...r }));
  if (options.phases ?? true) {
    const fit = options.fit ?? fitThreePhases(run);
    for (const p of fit.phases)
      rows.push({ ...tag, kind: "phase", phase: p.name, start: p.start, end: p.end });
  }
  if (options.scaleEvents ?? true) {
    for (const e of run.meta.scaleEvents ?? [])
      rows.push({ ...tag, kind: "event", t: e.tSec, from: e.from, to: e.to, reason: e.reason });
  }
  return rows;
}

/**
 * The rect (phases), line (concurrency) and rule (scale events) layers over rows of one kind
 * each, on `time`'s axis (the spec adds `time.transforms(CONCURRENCY_TIME_FIELDS)`).
 */
export function concurrencyLayers(time: TimeAxis): UnitSpec<string>[] {
  return [
    {
      name: CONCURRENCY_LAYERS.phases,
      transform: [{ filter: "datum.kind === 'phase'" }],
      // clipped: a phase may run on into the idle tail the window leaves out
      mark: { type: "rect", opacity: 0.7, clip: true },
      encoding: {
        x: time.x("start"),
        x2: time.x2("end"),
        color: {
          field: "phase",
          type: "nominal",
          title: "Phase",
          scale: { domain: Object.keys(PHASE_COLORS), range: Object.values(PHASE_COLORS) },
          legend: { orient: "top", direction: "horizontal" },
        },
        tooltip: [
          { field: "phase", type: "nominal", title: "phase" },
          time.tooltip("start", "start"),
          time.tooltip("end", "end"),
        ],
      },
    },
    {
      name: CONCURRENCY_LAYERS.concurrency,
      transform: [{ filter: "datum.kind === 'series'" }],
      mark: STEP_LINE_MARK,
      encoding: {
        x: time.x("t"),
        y: { field: "concurrency", type: "quantitative", title: AXIS_TITLES.concurrency },
      },
    },
    {
      name: CONCURRENCY_LAYERS.scaleEvents,
      transform: [{ filter: "datum.kind === 'event'" }],
      mark: { type: "rule", color: EVENT_COLOR, strokeDash: [4, 3], strokeWidth: 1.5, clip: true },
      encoding: {
        x: time.x("t"),
        tooltip: [
          time.tooltip("t", "scale event"),
          { field: "from", type: "quantitative", title: "pollers from" },
          { field: "to", type: "quantitative", title: "pollers to" },
          { field: "reason", type: "nominal", title: "reason" },
        ],
      },
    },
  ];
}

/** `{ maxPoints }` when given, else `{}` (exactOptionalPropertyTypes forbids an explicit undefined). */
export function withMaxPoints(maxPoints: number | undefined): { maxPoints?: number } {
  return maxPoints === undefined ? {} : { maxPoints };
}
