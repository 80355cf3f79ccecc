/**
 * CloudWatch units: which a run column takes, and converting between units of one dimension.
 *
 * The unit names are CloudWatch's `StandardUnit` list, the valid values of `Unit` in the
 * CloudWatch API reference, Datapoint (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Datapoint.html)
 * and MetricDatum (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html).
 * CloudWatch itself "does not perform unit conversions" (API reference, MetricStat): a metric
 * published in Seconds one minute and Milliseconds the next comes back as it was published,
 * each GetMetricStatistics datapoint with its own `Unit`. GetMetricData results carry no unit;
 * a label or a CSV header may name one (see {@link unitInName}).
 *
 * Conversions are defined within a dimension only: times (Microseconds, Milliseconds, Seconds),
 * data sizes (Bits … Terabytes), data rates (Bits/Second … Terabytes/Second); Count and None are
 * both plain counts. Percent and Count/Second convert to nothing else. The size prefixes are
 * read as decimal (kilo = 1000), as the CDK's unit docs print them (`kB/s`); CloudWatch does not
 * define them [A] — no run column takes a data size today, so this choice changes no import.
 * Which unit each column is in: Lambda's `Duration` is in milliseconds, the other columns are
 * counts (Lambda developer guide, "Types of metrics for Lambda functions",
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html).
 */
import type { ImportTarget } from "./metric-map.js";

/**
 * Every CloudWatch StandardUnit: its dimension and its size in that dimension's smallest unit
 * (microseconds, bits, bits per second; 1 for the rest). Integers, so a ratio of two is exact.
 */
export const STANDARD_UNITS = {
  Seconds: { dimension: "time", size: 1e6 },
  Microseconds: { dimension: "time", size: 1 },
  Milliseconds: { dimension: "time", size: 1e3 },
  Bytes: { dimension: "data", size: 8 },
  Kilobytes: { dimension: "data", size: 8e3 },
  Megabytes: { dimension: "data", size: 8e6 },
  Gigabytes: { dimension: "data", size: 8e9 },
  Terabytes: { dimension: "data", size: 8e12 },
  Bits: { dimension: "data", size: 1 },
  Kilobits: { dimension: "data", size: 1e3 },
  Megabits: { dimension: "data", size: 1e6 },
  Gigabits: { dimension: "data", size: 1e9 },
  Terabits: { dimension: "data", size: 1e12 },
  Percent: { dimension: "percent", size: 1 },
  Count: { dimension: "count", size: 1 },
  "Bytes/Second": { dimension: "data rate", size: 8 },
  "Kilobytes/Second": { dimension: "data rate", size: 8e3 },
  "Megabytes/Second": { dimension: "data rate", size: 8e6 },
  "Gigabytes/Second": { dimension: "data rate", size: 8e9 },
  "Terabytes/Second": { dimension: "data rate", size: 8e12 },
  "Bits/Second": { dimension: "data rate", size: 1 },
  "Kilobits/Second": { dimension: "data rate", size: 1e3 },
  "Megabits/Second": { dimension: "data rate", size: 1e6 },
  "Gigabits/Second": { dimension: "data rate", size: 1e9 },
  "Terabits/Second": { dimension: "data rate", size: 1e12 },
  "Count/Second": { dimension: "count rate", size: 1 },
  None: { dimension: "count", size: 1 },
} as const satisfies Record<string, { dimension: string; size: number }>;
export type StandardUnit = keyof typeof STANDARD_UNITS;

const BY_LOWER = new Map(
  (Object.keys(STANDARD_UNITS) as StandardUnit[]).map((u) => [u.toLowerCase(), u] as const),
);

/**
 * The StandardUnit a text names (case-insensitive, surrounding blanks ignored), or undefined.
 *
 * @example
 * parseUnit("Milliseconds"); // "Milliseconds"
 * parseUnit("count/second"); // "Count/Second"
 * parseUnit("ms");           // undefined
 */
export function parseUnit(text: unknown): StandardUnit | undefined {
  return typeof text === "string" ? BY_LOWER.get(text.trim().toLowerCase()) : undefined;
}

/**
 * The unit a label or CSV header names in a parenthesis or brackets, among comma-separated
 * words: `Duration (Milliseconds)`, `Duration (Average, Seconds)`, `Duration [Seconds]`.
 * Only whole StandardUnit names count, so `PolledEventCount` or `Count of errors` name none.
 *
 * @returns the unit; undefined when the name gives none
 * @throws Error (a plain message, for the caller to wrap with the file) when it names two
 *   different units
 * @example
 * unitInName("Duration (Average, Seconds)"); // "Seconds"
 * unitInName("Invocations (Sum)");           // undefined
 */
export function unitInName(name: string): StandardUnit | undefined {
  const found = new Set<StandardUnit>();
  for (const group of name.matchAll(/\(([^()]*)\)|\[([^[\]]*)\]/g)) {
    for (const word of (group[1] ?? group[2] ?? "").split(/[,;]/)) {
      const unit = parseUnit(word);
      if (unit !== undefined) found.add(unit);
    }
  }
  if (found.size > 1) throw new Error(`names two units (${[...found].join(", ")})`);
  return [...found][0];
}

/** The unit a run column is kept in, and the units it takes (all of one dimension). */
export interface ColumnUnit {
  readonly unit: StandardUnit;
  readonly accepts: readonly StandardUnit[];
}

const TIME: ColumnUnit = {
  unit: "Milliseconds",
  accepts: ["Microseconds", "Milliseconds", "Seconds"],
};
const COUNT: ColumnUnit = { unit: "Count", accepts: ["Count", "None"] };

/**
 * The unit of a run column: milliseconds for `Duration`, a count for every other column.
 *
 * @example
 * columnUnit("Duration").unit;    // "Milliseconds"
 * columnUnit("invocations").accepts; // ["Count", "None"]
 */
export function columnUnit(target: ImportTarget): ColumnUnit {
  return target === "Duration" ? TIME : COUNT;
}

/**
 * Converts a value between two units of one dimension. The ratio of the two integer sizes is
 * applied by multiplying when it is whole, else by dividing, and the result is kept to 15
 * significant digits — all a double holds of a decimal — so that 3.0008 s reads as 3000.8 ms,
 * not 3000.7999999999997.
 *
 * @throws Error when the units are of different dimensions (callers check with
 *   {@link columnUnit} first)
 * @example
 * convertUnit(3.0008, "Seconds", "Milliseconds"); // 3000.8
 * convertUnit(1500, "Microseconds", "Milliseconds"); // 1.5
 */
export function convertUnit(value: number, from: StandardUnit, to: StandardUnit): number {
  const a = STANDARD_UNITS[from];
  const b = STANDARD_UNITS[to];
  if (a.dimension !== b.dimension) throw new Error(`cannot convert ${from} to ${to}`);
  if (a.size === b.size) return value;
  const scaled = a.size > b.size ? value * (a.size / b.size) : value / (b.size / a.size);
  return Number(scaled.toPrecision(15));
}
