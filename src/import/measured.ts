/**
 * What every CloudWatch reader produces: the datapoints of each metric in an export, before
 * they are placed on the run's minute grid by {@link measuredRun} (measured-run.ts).
 *
 * ```
 * file ─▶ parseGetMetricData | parseGetMetricStatistics | parseCloudWatchCsv ─▶ MeasuredInput
 * MeasuredInput[] ─▶ measuredRun (names → columns, minute grid, checks) ─▶ Run
 * ```
 */

/** The export formats esmlab reads, and what each is. */
export const IMPORT_FORMATS = {
  "get-metric-data": "GetMetricData JSON (AWS CLI output or JS SDK response; pages merged by Id)",
  "get-metric-statistics": "GetMetricStatistics JSON (one metric; the statistic present)",
  csv: "CloudWatch console CSV (a time column and one column per series, or timestamp,label,value)",
} as const;
export type ImportFormat = keyof typeof IMPORT_FORMATS;

/** One metric's datapoints as read from an export, in file order (not sorted, maybe repeated). */
export interface MeasuredSeries {
  /** Names to match against the column mapping: a GetMetricData Id and Label, a CSV header. */
  readonly names: readonly string[];
  /** How messages name the series, e.g. `result "m1" (ConcurrentExecutions)`. */
  readonly what: string;
  /** Datapoint times, epoch milliseconds; `timesMs[i]` pairs with `values[i]`. */
  readonly timesMs: Float64Array;
  readonly values: Float64Array;
  /** The CloudWatch statistic when the export names it (GetMetricStatistics, a CSV header). */
  readonly statistic?: string;
  /** GetMetricData: the result's Id and the StatusCode of its last page. */
  readonly id?: string;
  readonly status?: string;
}

/** Everything read from one export. */
export interface MeasuredInput {
  /** Where it came from, for messages and provenance. */
  readonly file: string;
  readonly format: ImportFormat;
  readonly series: readonly MeasuredSeries[];
  /** Non-fatal notes (CloudWatch Messages, zone-less timestamps …), each naming `file`. */
  readonly warnings: readonly string[];
  /** GetMetricData: the NextToken of the last page, when more pages exist. */
  readonly nextToken?: string;
}

/** Quotes a value from an export for a message, cut short. */
export function quoteValue(value: unknown): string {
  const text =
    value instanceof Date ? value.toISOString() : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
