/**
 * GetMetricStatistics responses (`aws cloudwatch get-metric-statistics` output, or a JS SDK
 * v3 response saved as JSON) read into a {@link MeasuredInput} of one series.
 *
 * Shape (CloudWatch API reference, GetMetricStatistics and Datapoint,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Datapoint.html):
 * `{"Label", "Datapoints": [{"Timestamp", "SampleCount" | "Average" | "Sum" | "Minimum" |
 * "Maximum", "Unit", "ExtendedStatistics"?}]}`. "Data points are not returned in chronological
 * order" (AWS CLI reference, get-metric-statistics), which the minute grid does not mind.
 * The statistic is the one field present; when several are, the one esmlab expects for the
 * metric (Maximum for ConcurrentExecutions …, see metric-map.ts). Each datapoint's `Unit` must
 * be a CloudWatch StandardUnit (units.ts); the units are kept per datapoint, as CloudWatch
 * returns a metric published in several units as it was published, and {@link measuredRun}
 * converts them to the column's unit or refuses them. Cost: O(datapoints).
 */
import { basename, extname } from "node:path";
import { EsmlabError } from "../util/errors.js";
import { isObject, parseJson } from "./get-metric-data.js";
import {
  type MeasuredInput,
  notANumber,
  printable,
  quoteValue,
  type SeriesUnits,
} from "./measured.js";
import { recommendedStatistic } from "./metric-map.js";
import { parseTimestampMs, timestampHasZone } from "./timestamp.js";
import { parseUnit, type StandardUnit } from "./units.js";

const STATISTICS = ["Sum", "Maximum", "Minimum", "Average", "SampleCount"] as const;

/**
 * Reads the text of a GetMetricStatistics response.
 *
 * @param text the file content
 * @param file where it came from, for messages (its base name labels the series when the
 *   response has no `Label`)
 * @throws EsmlabError naming `file` and the datapoint at fault when the text is not JSON, lacks
 *   `Datapoints`, a datapoint lacks its `Timestamp` or the statistic, a value is not a number,
 *   several statistics are present and none is the one expected for the metric, a `Unit` is
 *   not a StandardUnit, or units mix and a datapoint has none
 * @example
 * parseGetMetricStatistics('{"Label": "ConcurrentExecutions", "Datapoints": [' +
 *   '{"Timestamp": "2024-01-09T18:30:00Z", "Maximum": 3, "Unit": "Count"}]}', "c.json")
 *   .series[0]!.statistic; // "Maximum"
 */
export function parseGetMetricStatistics(text: string, file: string): MeasuredInput {
  return readGetMetricStatistics(parseJson(text, file), file);
}

/**
 * Reads a GetMetricStatistics response already parsed (JSON, or an SDK output with `Date`s).
 *
 * @throws EsmlabError as {@link parseGetMetricStatistics}
 */
export function readGetMetricStatistics(data: unknown, file: string): MeasuredInput {
  if (!isObject(data) || !Array.isArray(data.Datapoints)) {
    throw new EsmlabError(
      `${file}: expected a GetMetricStatistics response with a Datapoints array`,
    );
  }
  const points: unknown[] = data.Datapoints;
  const label =
    typeof data.Label === "string" && data.Label !== ""
      ? data.Label
      : basename(file, extname(file));
  const statistic = chooseStatistic(points, label, file);
  if (statistic === undefined && points.length > 0) {
    throw new EsmlabError(
      `${file}: no datapoint carries a statistic (one of ${STATISTICS.join(", ")} or ExtendedStatistics)`,
    );
  }
  const warnings: string[] = [];
  const expected = recommendedStatistic([label]);
  if (statistic !== undefined && expected !== undefined && statistic !== expected) {
    warnings.push(
      `${file}: ${printable(label)} read from statistic ${printable(statistic)}; esmlab expects ${expected} for it`,
    );
  }
  const timesMs = new Float64Array(points.length);
  const values = new Float64Array(points.length);
  const unitNames: StandardUnit[] = [];
  const unitIndex = new Uint8Array(points.length).fill(NO_UNIT);
  let unitless = -1;
  points.forEach((point, i) => {
    const where = `${file}: Datapoints[${i}]`;
    if (!isObject(point)) throw new EsmlabError(`${where} is not an object`);
    const t = parseTimestampMs(point.Timestamp);
    if (Number.isNaN(t)) {
      const found = point.Timestamp === undefined ? "missing" : quoteValue(point.Timestamp);
      throw new EsmlabError(`${where}.Timestamp is ${found}, not a timestamp`);
    }
    if (i === 0 && !timestampHasZone(point.Timestamp)) {
      warnings.push(
        `${file}: timestamps carry no time zone (e.g. ${quoteValue(point.Timestamp)}); read as UTC`,
      );
    }
    const v = statisticValue(point, statistic!);
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new EsmlabError(`${where}.${printable(statistic!)}: ${notANumber(v)}`);
    }
    timesMs[i] = t;
    values[i] = v;
    if (point.Unit === undefined || point.Unit === null) {
      if (unitless === -1) unitless = i;
      return;
    }
    const unit = parseUnit(point.Unit);
    if (unit === undefined) {
      throw new EsmlabError(
        `${where}.Unit is ${quoteValue(point.Unit)}, not a cloudwatch StandardUnit` +
          " (Seconds, Milliseconds, Count, Percent, None …)",
      );
    }
    let k = unitNames.indexOf(unit);
    if (k === -1) k = unitNames.push(unit) - 1;
    unitIndex[i] = k;
  });
  const what = `"${printable(label)}"${statistic === undefined ? "" : ` (${printable(statistic)})`}`;
  // One unit, with or without some datapoints that name none: the series is in that unit.
  // Several: each datapoint keeps its own, and one that names none cannot be converted.
  if (unitNames.length > 1 && unitless !== -1) {
    throw new EsmlabError(
      `${file}: ${what}: Datapoints[${unitless}] has no Unit, and the others mix` +
        ` ${unitNames.join(", ")}: cannot tell what to convert it from`,
    );
  }
  const units: SeriesUnits | undefined =
    unitNames.length === 0
      ? undefined
      : unitNames.length === 1
        ? { names: unitNames }
        : { names: unitNames, index: unitIndex };
  const series = {
    names: [label],
    what,
    timesMs,
    values,
    ...(statistic ? { statistic } : {}),
    ...(units === undefined ? {} : { units }),
  };
  return { file, format: "get-metric-statistics", series: [series], warnings };
}

/** `unitIndex` of a datapoint without a Unit (there are 27 StandardUnits). */
const NO_UNIT = 255;

/** The statistic to read: the only one present, or the expected one among several. */
function chooseStatistic(points: unknown[], label: string, file: string): string | undefined {
  const present = new Set<string>();
  for (const point of points) {
    if (!isObject(point)) continue;
    for (const s of STATISTICS) if (point[s] !== undefined) present.add(s);
    if (isObject(point.ExtendedStatistics)) {
      for (const s of Object.keys(point.ExtendedStatistics)) present.add(s);
    }
  }
  if (present.size <= 1) return [...present][0];
  const expected = recommendedStatistic([label]);
  if (expected !== undefined && present.has(expected)) return expected;
  throw new EsmlabError(
    `${file}: datapoints carry several statistics (${printable([...present].join(", "), 120)})` +
      ` and esmlab cannot tell which one to use for "${printable(label)}"; export a single statistic`,
  );
}

function statisticValue(point: Record<string, unknown>, statistic: string): unknown {
  // own properties only: a percentile named "constructor" must not read Object's
  if (Object.hasOwn(point, statistic) && point[statistic] !== undefined) return point[statistic];
  const extended = point.ExtendedStatistics;
  return isObject(extended) && Object.hasOwn(extended, statistic) ? extended[statistic] : undefined;
}
