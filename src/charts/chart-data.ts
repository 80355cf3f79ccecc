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
 *
 * Thinning (option `thin`): a row the chart's line would draw the same without is left out —
 * for a step-after line, a row whose values all equal the previous row's; for a straight line,
 * a row whose values all lie on the straight line through its neighbours. The first and last
 * rows always stay. The drawn line is unchanged (every original point is on it), while a
 * simulated run's long constant stretches shrink to their ends: fewer rows for vega to
 * process, a smaller SVG path and notebook.
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
  /** Leave out rows the line draws the same without (see the module comment); default none. */
  readonly thin?: Interpolation;
}

/** How the chart's line joins its points (Vega-Lite `interpolate`). */
export type Interpolation = "step-after" | "linear";

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
  const fields = [...columns.filter((c) => c !== "t"), ...cumulative.map((c) => c.name)];
  return {
    rows: options.thin === undefined ? rows : thinRows(rows, fields, options.thin),
    bucketRows: k,
    bucketSec: k * run.meta.resolutionSec,
  };
}

/**
 * The rows without those the line draws the same without (the first and last always stay).
 * Step-after: row i goes when every field equals row i − 1's (`null` = `null`: a gap stays a
 * gap). Linear: row i goes when every field is on the straight line through rows i − 1 and
 * i + 1 (exact arithmetic on the cross product; a `null` neighbour keeps it).
 * @example thinRows([{t:0,c:1},{t:1,c:1},{t:2,c:1},{t:3,c:4}], ["c"], "step-after").length // 3
 */
export function thinRows(
  rows: readonly ChartRow[],
  fields: readonly string[],
  interpolate: Interpolation,
): ChartRow[] {
  const out: ChartRow[] = [];
  const last = rows.length - 1;
  for (let i = 0; i <= last; i++) {
    const row = rows[i]!;
    if (i > 0 && i < last) {
      const prev = rows[i - 1]!;
      const next = rows[i + 1]!;
      const redundant =
        interpolate === "step-after"
          ? fields.every((f) => row[f] === prev[f])
          : fields.every((f) => collinear(prev, row, next, f));
      if (redundant) continue;
    }
    out.push(row);
  }
  return out;
}

function collinear(a: ChartRow, b: ChartRow, c: ChartRow, field: string): boolean {
  const [ta, tb, tc, va, vb, vc] = [a.t, b.t, c.t, a[field], b[field], c[field]];
  if (typeof ta !== "number" || typeof tb !== "number" || typeof tc !== "number") return false;
  if (typeof va !== "number" || typeof vb !== "number" || typeof vc !== "number") return false;
  return (vb - va) * (tc - tb) === (vc - vb) * (tb - ta);
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
