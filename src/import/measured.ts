/**
 * What every CloudWatch reader produces: the datapoints of each metric in an export, before
 * they are placed on the run's minute grid by {@link measuredRun} (measured-run.ts).
 *
 * ```
 * file ─▶ parseGetMetricData | parseGetMetricStatistics | parseCloudWatchCsv ─▶ MeasuredInput
 * MeasuredInput[] ─▶ measuredRun (names → columns, minute grid, checks) ─▶ Run
 * ```
 */
import type { StandardUnit } from "./units.js";

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
  /** The CloudWatch unit of the values, when the export says (see {@link SeriesUnits}). */
  readonly units?: SeriesUnits;
  /** GetMetricData: the result's Id and the StatusCode of its last page. */
  readonly id?: string;
  readonly status?: string;
}

/**
 * The units of a series' datapoints: a GetMetricStatistics datapoint's `Unit`, or the unit a
 * GetMetricData label or CSV header names (units.ts). {@link measuredRun} converts them to the
 * column's unit or refuses them.
 */
export interface SeriesUnits {
  /** The distinct units, in order of first appearance. */
  readonly names: readonly StandardUnit[];
  /** Datapoint i is in `names[index[i]]`; absent when every datapoint is in `names[0]`. */
  readonly index?: Uint8Array;
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

/**
 * Quotes a value from an export for a one-line message, cut short. A number JSON.parse could
 * only read as infinity (`1e999`) is said so, never as `null` (what JSON.stringify prints).
 *
 * @example
 * quoteValue("38");                     // '"38"'
 * quoteValue(Number.POSITIVE_INFINITY); // "a number beyond 1.8e308"
 */
export function quoteValue(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    return Number.isNaN(value) ? "NaN" : `a number beyond ${value < 0 ? "−" : ""}1.8e308`;
  }
  let text: string;
  try {
    text =
      value instanceof Date
        ? Number.isNaN(value.getTime())
          ? "an invalid Date"
          : value.toISOString()
        : (JSON.stringify(value) ?? String(value));
  } catch {
    // a cycle, or nesting deeper than the stack (SDK objects; files are depth-checked first)
    text = Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : "?";
  }
  return printable(text, 40);
}

/**
 * Why a value read where a number belongs is not one, for a message: `missing`,
 * `"38", not a number`, or, for `1e999` (read as infinity), that it overflows.
 *
 * @example
 * notANumber(Number.POSITIVE_INFINITY); // "a number beyond 1.8e308, which overflows a double"
 */
export function notANumber(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "number") return `${quoteValue(value)}, which overflows a double`;
  return `${quoteValue(value)}, not a number`;
}

/**
 * A name or value from an export made safe for a one-line message: control characters (line
 * breaks included) escaped as `\uXXXX`, cut to `max` characters with "…" — at a space when
 * there is one in the last third, so a word is not cut in two.
 *
 * @example
 * printable("Invo\ncations"); // "Invo\\u000acations"
 * printable("under legacy-15min with evaluationIntervalSec 780", 40); // "under legacy-15min with…"
 */
export function printable(text: string, max = 60): string {
  let cut = text;
  if (text.length > max) {
    const space = text.lastIndexOf(" ", max);
    cut = `${text.slice(0, space >= (2 * max) / 3 ? space : max).trimEnd()}…`;
  }
  return cut.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
