/**
 * GetMetricData responses — as printed by `aws cloudwatch get-metric-data` (CLI v2 joins the
 * pages into one `MetricDataResults` list) or saved from the JS SDK v3 (one page, or an array
 * of pages) — read into a {@link MeasuredInput}.
 *
 * Shape (CloudWatch API reference, GetMetricData and MetricDataResult,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html):
 * `{"MetricDataResults": [{"Id", "Label", "Timestamps", "Values", "StatusCode", "Messages"}],
 * "NextToken"?, "Messages"}`; "the number of timestamps always matches the number of values
 * and the value for Timestamps[x] is Values[x]"; newest first unless ScanBy is
 * TimestampAscending. Results sharing an Id (successive pages) are merged; a result whose
 * StatusCode is `Forbidden` or `InternalError` is refused, as its datapoints cannot be
 * trusted. A result carries no unit; a label naming one — `Duration (Seconds)` — gives the
 * series its unit (units.ts). Cost: O(datapoints), one Float64Array pair per Id.
 */
import { EsmlabError } from "../util/errors.js";
import {
  type MeasuredInput,
  type MeasuredSeries,
  notANumber,
  printable,
  quoteValue,
} from "./measured.js";
import { parseTimestampMs, timestampHasZone } from "./timestamp.js";
import { unitInName } from "./units.js";

/** StatusCode values after which a result's datapoints are not imported. */
const REFUSED_STATUS = new Set(["Forbidden", "InternalError"]);

/**
 * Reads the text of a GetMetricData response (one page, or a JSON array of pages).
 *
 * @param text the file content
 * @param file where it came from, for messages
 * @throws EsmlabError naming `file`, and the result and index at fault, when the text is not
 *   JSON (e.g. truncated), lacks `MetricDataResults`, a result's `Timestamps` and `Values`
 *   differ in length, a timestamp or value is not one, or a StatusCode is `Forbidden` or
 *   `InternalError`
 * @example
 * parseGetMetricData('{"MetricDataResults": [{"Id": "m1", "Label": "Invocations",' +
 *   '"Timestamps": ["2024-01-09T18:31:00Z", "2024-01-09T18:30:00Z"], "Values": [4, 2],' +
 *   '"StatusCode": "Complete"}]}', "gmd.json").series[0]!.values; // Float64Array [4, 2]
 */
export function parseGetMetricData(text: string, file: string): MeasuredInput {
  return readGetMetricData(parseJson(text, file), file);
}

/**
 * Reads GetMetricData pages already parsed: JSON values, or JS SDK v3 outputs whose
 * `Timestamps` are `Date`s (what {@link fetchMeasuredRun} receives).
 *
 * @param data one page object or an array of pages, in request order
 * @param file where it came from, for messages
 * @throws EsmlabError as {@link parseGetMetricData}
 */
export function readGetMetricData(data: unknown, file: string): MeasuredInput {
  const pages = Array.isArray(data) ? data : [data];
  if (pages.length === 0)
    throw new EsmlabError(`${file}: empty array, expected GetMetricData pages`);
  const warnings: string[] = [];
  const groups = new Map<string, Group>();
  let nextToken: string | undefined;
  let zoneWarned = false;
  pages.forEach((page: unknown, p) => {
    const at = pages.length > 1 ? `page ${p + 1}, ` : "";
    if (!isObject(page) || !Array.isArray(page.MetricDataResults)) {
      throw new EsmlabError(
        `${file}: ${at}expected a GetMetricData response with a MetricDataResults array`,
      );
    }
    nextToken =
      typeof page.NextToken === "string" && page.NextToken !== "" ? page.NextToken : undefined;
    for (const m of messages(page.Messages)) warnings.push(`${file}: ${at}${m}`);
    page.MetricDataResults.forEach((result: unknown, r) => {
      const where = `${at}MetricDataResults[${r}]`;
      if (!isObject(result)) throw new EsmlabError(`${file}: ${where} is not an object`);
      const id = typeof result.Id === "string" ? result.Id : where;
      const label = typeof result.Label === "string" ? result.Label : "";
      const what = `result "${printable(id)}"${label && label !== id ? ` (${printable(label)})` : ""}`;
      const times = optionalArray(result.Timestamps, file, `${at}${what}`, "Timestamps");
      const values = optionalArray(result.Values, file, `${at}${what}`, "Values");
      if (times.length !== values.length) {
        throw new EsmlabError(
          `${file}: ${at}${what}: ${times.length} Timestamps but ${values.length} Values` +
            " (they must pair one to one)",
        );
      }
      const status = typeof result.StatusCode === "string" ? result.StatusCode : "Complete";
      const notes = messages(result.Messages);
      if (REFUSED_STATUS.has(status)) {
        const why = notes.length > 0 ? ` (${notes.join("; ")})` : "";
        const hint =
          status === "Forbidden"
            ? "the credentials used may not read this metric (cloudwatch:GetMetricData)"
            : "cloudwatch failed on its side; fetch it again";
        throw new EsmlabError(`${file}: ${at}${what}: StatusCode ${status}${why}: ${hint}`);
      }
      for (const m of notes) warnings.push(`${file}: ${at}${what}: ${m}`);
      if (!zoneWarned && times.length > 0 && !timestampHasZone(times[0])) {
        warnings.push(
          `${file}: timestamps carry no time zone (e.g. ${quoteValue(times[0])}); read as UTC`,
        );
        zoneWarned = true;
      }
      let group = groups.get(id);
      if (group === undefined) {
        group = { id, label, what, chunks: [], count: 0, status };
        groups.set(id, group);
      }
      if (group.label === "" && label !== "") group.label = label;
      group.chunks.push({ times, values, where: `${at}${what}` });
      group.count += times.length;
      group.status = status;
    });
  });
  const series = [...groups.values()].map((g) => toSeries(g, file));
  return {
    file,
    format: "get-metric-data",
    series,
    warnings,
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

interface Group {
  readonly id: string;
  label: string;
  readonly what: string;
  readonly chunks: { times: readonly unknown[]; values: readonly unknown[]; where: string }[];
  count: number;
  status: string;
}

function toSeries(g: Group, file: string): MeasuredSeries {
  const timesMs = new Float64Array(g.count);
  const values = new Float64Array(g.count);
  let k = 0;
  for (const { times, values: vs, where } of g.chunks) {
    for (let i = 0; i < times.length; i++, k++) {
      const t = parseTimestampMs(times[i]);
      if (Number.isNaN(t)) {
        throw new EsmlabError(
          `${file}: ${where}: Timestamps[${i}] is ${quoteValue(times[i])}, not a timestamp` +
            " (expected ISO 8601 or epoch seconds)",
        );
      }
      const v = vs[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new EsmlabError(`${file}: ${where}: Values[${i}] is ${notANumber(v)}`);
      }
      timesMs[k] = t;
      values[k] = v;
    }
  }
  const names = g.label !== "" && g.label !== g.id ? [g.id, g.label] : [g.id];
  const what =
    g.label !== "" && g.label !== g.id
      ? `result "${printable(g.id)}" (${printable(g.label)})`
      : g.what;
  let unit: ReturnType<typeof unitInName>;
  try {
    unit = unitInName(g.label);
  } catch (err) {
    throw new EsmlabError(`${file}: ${what}: the label ${(err as Error).message}`);
  }
  const units = unit === undefined ? {} : { units: { names: [unit] } };
  return { names, what, timesMs, values, id: g.id, status: g.status, ...units };
}

function optionalArray(value: unknown, file: string, what: string, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new EsmlabError(`${file}: ${what}: ${field} is ${quoteValue(value)}, not an array`);
  }
  return value;
}

/**
 * CloudWatch `Messages` ([{Code, Value}]) as text, each cut to MESSAGE_CHARS (an export's note
 * about itself is read in full; a hostile one cannot flood the output).
 */
function messages(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isObject)
    .map((m) => printable(`${text(m.Code ?? "message")}: ${text(m.Value ?? "")}`, MESSAGE_CHARS));
}

/** Longest message kept from an export, characters. */
const MESSAGE_CHARS = 400;

function text(value: unknown): string {
  return typeof value === "string" ? value : quoteValue(value);
}

/**
 * How deep JSON may nest: a GetMetricData export is 6 deep (pages › page › MetricDataResults ›
 * result › Messages › message); deeper is not an export, and 10^5 nested arrays would overflow
 * the stack of whatever walks the parsed value recursively.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses JSON, naming the file and the position on failure (e.g. a truncated download).
 *
 * @throws EsmlabError naming `file` when the text is not JSON or nests deeper than
 *   {@link MAX_JSON_DEPTH} (checked first, in one pass over the text)
 */
export function parseJson(text: string, file: string): unknown {
  checkDepth(text, file);
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text around the fault, line breaks and all
    const why = printable((err as Error).message, 160);
    throw new EsmlabError(`${file}: not valid JSON (truncated?): ${why}`, {
      cause: err,
    });
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Refuses JSON nested deeper than {@link MAX_JSON_DEPTH}, by brackets outside strings. O(n). */
function checkDepth(text: string, file: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_JSON_DEPTH) {
        const line = text.slice(0, i).split("\n").length;
        throw new EsmlabError(
          `${file} line ${line}: JSON nested deeper than ${MAX_JSON_DEPTH} levels` +
            " (a cloudwatch export nests 6): not an export",
        );
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
}
