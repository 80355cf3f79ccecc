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
import { type ChartRow, chartRows, runEndSec } from "./chart-data.js";
import {
  AXIS_TITLES,
  CHART_CONFIG,
  type ChartOptions,
  DEFAULT_HEIGHT_PX,
  DEFAULT_WIDTH_PX,
  EVENT_COLOR,
  PHASE_COLORS,
  STEP_LINE_MARK,
  timeX,
  VEGA_LITE_SCHEMA,
} from "./chart-style.js";

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
 * The time axis spans exactly [0, run end] so positions are proportional to time.
 * @throws EsmlabError when the run has no concurrency values to fit (from fitThreePhases;
 *   pass `phases: false` to chart such a run without them)
 * @example concurrencyChart(case1Run).title // { text: "case1: …: concurrent invocations" }
 */
export function concurrencyChart(run: Run, options: ConcurrencyChartOptions = {}): TopLevelSpec {
  const endSec = runEndSec(run);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? `${run.meta.label}: concurrent invocations` },
    width: options.width ?? DEFAULT_WIDTH_PX,
    height: options.height ?? DEFAULT_HEIGHT_PX,
    data: { values: concurrencyRows(run, options) },
    layer: concurrencyLayers(endSec),
    config: CHART_CONFIG,
  };
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

/** The rect (phases), line (concurrency) and rule (scale events) layers over rows of one kind each. */
export function concurrencyLayers(endSec: number): UnitSpec<string>[] {
  return [
    {
      name: CONCURRENCY_LAYERS.phases,
      transform: [{ filter: "datum.kind === 'phase'" }],
      mark: { type: "rect", opacity: 0.7 },
      encoding: {
        x: timeX("start", endSec),
        x2: { field: "end" },
        color: {
          field: "phase",
          type: "nominal",
          title: "Phase",
          scale: { domain: Object.keys(PHASE_COLORS), range: Object.values(PHASE_COLORS) },
          legend: { orient: "top", direction: "horizontal" },
        },
        tooltip: [
          { field: "phase", type: "nominal", title: "phase" },
          { field: "start", type: "quantitative", title: "start (s)" },
          { field: "end", type: "quantitative", title: "end (s)" },
        ],
      },
    },
    {
      name: CONCURRENCY_LAYERS.concurrency,
      transform: [{ filter: "datum.kind === 'series'" }],
      mark: STEP_LINE_MARK,
      encoding: {
        x: timeX("t", endSec),
        y: { field: "concurrency", type: "quantitative", title: AXIS_TITLES.concurrency },
      },
    },
    {
      name: CONCURRENCY_LAYERS.scaleEvents,
      transform: [{ filter: "datum.kind === 'event'" }],
      mark: { type: "rule", color: EVENT_COLOR, strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: {
        x: timeX("t", endSec),
        tooltip: [
          { field: "t", type: "quantitative", title: "scale event (s)" },
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
