/**
 * Inline chart data from a Run's typed columns: compact row objects for Vega-Lite `values`,
 * downsampled so a 1-s run stays a few hundred kilobytes of JSON.
 *
 * Downsampling (deterministic, no randomness, no dependence on pixel width): a run of n rows
 * with n > maxPoints is cut into buckets of k = ⌈n / maxPoints⌉ consecutive rows from row 0,
 * giving ⌈n / k⌉ ≤ maxPoints points. Each bucket becomes one row at its first row's `t` with
 * - `concurrency`, `lag`, `pollers` (levels): the bucket's maximum, so peaks survive;
 * - `produced`, `processed`, `invocations`, `errors`, `throttles` (counts): the bucket's sum,
 *   so totals survive (divide by {@link ChartRows.bucketSec} for a per-second rate);
 * - cumulative columns: the value at the bucket's last row, exact at every bucket end.
 * Missing cells (`NaN`) are skipped; a bucket without any value gives `null` (a gap).
 * Cost: O(rows × columns).
 */
import type { Run, SeriesColumn } from "../run/run.js";

/** Default cap on points per series: Vega-Lite stays fast and the SVG small. */
export const DEFAULT_MAX_POINTS = 2000;

/** How each column is reduced over a bucket (see the module comment). */
export const COLUMN_REDUCERS = {
  t: "first",
  produced: "sum",
  processed: "sum",
  invocations: "sum",
  concurrency: "max",
  lag: "max",
  pollers: "max",
  errors: "sum",
  throttles: "sum",
} as const satisfies Record<SeriesColumn, "first" | "sum" | "max">;

/** One chart row: `t` in seconds and the requested columns; `null` marks a gap. */
export type ChartRow = Record<string, number | string | null>;

export interface ChartRowsOptions {
  /** Most points per series; default {@link DEFAULT_MAX_POINTS}. */
  readonly maxPoints?: number;
  /** Columns to turn into running totals (`<name>Cumulative`), e.g. produced and processed. */
  readonly cumulative?: readonly SeriesColumn[];
}

export interface ChartRows {
  readonly rows: ChartRow[];
  /** Rows of the run per chart row (1 when not downsampled). */
  readonly bucketRows: number;
  /** Seconds per chart row: bucketRows × the run's resolution. */
  readonly bucketSec: number;
}

/**
 * A run's columns as chart rows, downsampled to at most `maxPoints` rows.
 * @throws RangeError when maxPoints is not a positive integer
 * @example chartRows(case1Run, ["concurrency"]).rows.length // 1351 (2701 rows, buckets of 2)
 */
export function chartRows(
  run: Run,
  columns: readonly SeriesColumn[],
  options: ChartRowsOptions = {},
): ChartRows {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  if (!(Number.isInteger(maxPoints) && maxPoints > 0))
    throw new RangeError(`invalid maxPoints: ${maxPoints} (chart options): must be an integer > 0`);
  const n = run.series.length;
  const k = Math.max(1, Math.ceil(n / maxPoints));
  const { t } = run.series.columns;
  const cumulative = (options.cumulative ?? []).map((c) => ({
    name: `${c}Cumulative`,
    values: runningTotal(run.series.columns[c]),
  }));
  const rows: ChartRow[] = [];
  for (let start = 0; start < n; start += k) {
    const end = Math.min(n, start + k);
    const row: ChartRow = { t: t[start]! };
    for (const c of columns) {
      if (c === "t") continue;
      row[c] = reduce(run.series.columns[c], start, end, COLUMN_REDUCERS[c]);
    }
    for (const c of cumulative) row[c.name] = orNull(c.values[end - 1]!);
    rows.push(row);
  }
  return { rows, bucketRows: k, bucketSec: k * run.meta.resolutionSec };
}

function reduce(col: Float64Array, start: number, end: number, how: "first" | "sum" | "max") {
  if (how === "first") return orNull(col[start]!);
  let acc = Number.NaN;
  for (let i = start; i < end; i++) {
    const v = col[i]!;
    if (Number.isNaN(v)) continue;
    acc = Number.isNaN(acc) ? v : how === "sum" ? acc + v : Math.max(acc, v);
  }
  return orNull(acc);
}

/** Running total skipping missing cells; NaN until the first value. */
export function runningTotal(col: Float64Array): Float64Array {
  const out = new Float64Array(col.length);
  let sum = Number.NaN;
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (!Number.isNaN(v)) sum = Number.isNaN(sum) ? v : sum + v;
    out[i] = sum;
  }
  return out;
}

/** NaN and ±Infinity → null (JSON has no NaN; Vega-Lite treats null as missing). */
export function orNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** End of a run's last interval, seconds (the summary's, else the last t + resolution). */
export function runEndSec(run: Run): number {
  const { t } = run.series.columns;
  const last = t[run.series.length - 1];
  const fromSeries = last === undefined ? 0 : last + run.meta.resolutionSec;
  const fromSummary = run.meta.summary.durationSec;
  return Number.isFinite(fromSummary) && fromSummary > 0 ? fromSummary : fromSeries;
}
