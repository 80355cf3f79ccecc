/**
 * Measured datapoints → a {@link Run} on a 1-minute grid.
 *
 * ```
 * MeasuredInput[] ─▶ names → columns (mapping, known metrics) ─▶ minute grid [first, last]
 *                 ─▶ place datapoints (duplicates must agree) ─▶ checks ─▶ Run + warnings
 * ```
 *
 * Rules, from docs/aws-esm.md ("CloudWatch: what a measured run looks like"): Lambda publishes
 * 1-minute datapoints, so every timestamp must fall on a minute (a second or millisecond off
 * is an error, not rounded: it means the export is not 1-minute CloudWatch data); "minutes
 * without data are absent, not zero" — a minute with no datapoint stays NaN (an empty cell),
 * and a column no series fills stays all NaN. The same minute twice in one column is accepted
 * only with the same value. Units (units.ts): values are converted to their column's unit
 * (Duration in Milliseconds, counts in Count) with a warning, or refused when the unit does not
 * fit the column. Budgets, so that hostile input is refused before anything large is allocated:
 * timestamps within the years 1970–9999, at most {@link MAX_MEASURED_MINUTES} rows, values within
 * ±2^360 (the range CloudWatch accepts, so sums stay finite). Cost: O(datapoints + minutes ×
 * columns), typed arrays only.
 */
import {
  type InputFile,
  RUN_FORMAT,
  type Run,
  SERIES_COLUMNS,
  type SeriesColumn,
} from "../run/run.js";
import { createSeries } from "../run/series-csv.js";
import { summarizeSeries } from "../run/summary.js";
import { EsmlabError } from "../util/errors.js";
import { ESMLAB_VERSION, gitCommit } from "../version.js";
import type { MeasuredInput, MeasuredSeries } from "./measured.js";
import {
  type ColumnMapping,
  type ImportTarget,
  KNOWN_METRIC_NAMES,
  resolveTarget,
} from "./metric-map.js";
import { formatTimestamp } from "./timestamp.js";
import { columnUnit, convertUnit, STANDARD_UNITS, type StandardUnit } from "./units.js";

/** The run's interval: CloudWatch's 1-minute period, seconds. */
export const MEASURED_RESOLUTION_SEC = 60;
const MINUTE_MS = 60_000;
/**
 * The longest run accepted: 366 days of minutes, 527 040 rows (1-minute data is kept 15 days;
 * a run this long already takes ~40 MB of columns, and a span of centuries would take terabytes).
 */
export const MAX_MEASURED_MINUTES = 366 * 24 * 60;
/**
 * Timestamps accepted: 1970-01-01 up to (not including) 10000-01-01 — the range epoch seconds
 * and four-digit ISO years name; beyond it a number is a mistake (epoch microseconds?), and
 * past ±8.64e15 ms not even a JavaScript Date.
 */
export const MEASURED_TIME_RANGE_MS = [0, Date.UTC(10000, 0, 1)] as const;
/**
 * The largest magnitude of a value: "Values must be in the range of -2^360 to 2^360"
 * (CloudWatch API reference, PutMetricData), so no CloudWatch export holds more — and a sum of
 * 527 040 such values stays finite.
 */
export const MAX_MEASURED_VALUE = 2 ** 360;

const STANDARD = new Set<string>(SERIES_COLUMNS);

export interface MeasuredRunOptions {
  /** The run's label. */
  readonly label: string;
  /** The run's id (deterministic: e.g. derived from the inputs' hashes). */
  readonly id: string;
  /** The files the run was made from, for provenance. */
  readonly inputs: readonly InputFile[];
  /** Label or Id → column overrides; default none. */
  readonly mapping?: ColumnMapping;
  /** Skip series that map to no column (with a warning) instead of refusing them. */
  readonly ignoreUnknown?: boolean;
  /** Further warnings to record in the provenance (e.g. from a live fetch). */
  readonly warnings?: readonly string[];
}

/** A measured run and what the import learned on the way. */
export interface MeasuredRun {
  readonly run: Run;
  /** Epoch milliseconds of `t = 0`, the first minute with a datapoint. */
  readonly startMs: number;
  /** Each filled column → the series that filled it (`file: what`). */
  readonly sources: Readonly<Record<string, readonly string[]>>;
}

/**
 * Places measured series on a 1-minute grid from the first to the last datapoint of all
 * inputs, as a measured {@link Run} (`source: "measured"`, `resolutionSec: 60`, `t` in seconds
 * from the first minute, rows in ascending time).
 *
 * @param inputs what the readers produced, in command-line order
 * @param options label, id, provenance inputs, mapping
 * @throws EsmlabError naming the file and series when: a series maps to no column (listing the
 *   known names) and `ignoreUnknown` is off; a timestamp is not on a minute; a minute has two
 *   different values in one column (naming both sources); a standard column gets a negative
 *   value; no input has a datapoint; the datapoints span more than 366 days
 * @example
 * const { run, startMs } = measuredRun([parseGetMetricData(text, "gmd.json")],
 *   { label: "gmd", id: "measured-1", inputs: [] });
 * run.series.columns.t; // Float64Array [0, 60, 120, …]
 */
export function measuredRun(
  inputs: readonly MeasuredInput[],
  options: MeasuredRunOptions,
): MeasuredRun {
  const mapping = options.mapping ?? new Map();
  const warnings = [...inputs.flatMap((input) => input.warnings), ...(options.warnings ?? [])];
  const placed: { input: MeasuredInput; series: MeasuredSeries; target: ImportTarget }[] = [];
  const unknown: string[] = [];
  for (const input of inputs) {
    for (const series of input.series) {
      const target = resolveTarget(series.names, mapping);
      if (target === null) {
        warnings.push(`${input.file}: ${series.what} skipped (mapping)`);
      } else if (target === undefined) {
        unknown.push(`${input.file}: ${series.what}`);
      } else {
        placed.push({ input, series, target });
      }
    }
  }
  if (unknown.length > 0 && !options.ignoreUnknown) {
    const listed =
      unknown.length > 5 ? [...unknown.slice(0, 4), `${unknown.length - 4} more`] : unknown;
    throw new EsmlabError(
      `${listed.join("; ")}: no run column for ${unknown.length > 1 ? "these series" : "this series"} (known metrics: ` +
        `${KNOWN_METRIC_NAMES.join(", ")}); map it in a --mapping file or pass --ignore-unknown`,
    );
  }
  for (const u of unknown) warnings.push(`${u} ignored (no run column for it)`);
  warnings.push(...statusWarnings(inputs), ...periodWarnings(inputs));

  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let firstFile = "";
  let lastFile = "";
  const [fromMs, toMs] = MEASURED_TIME_RANGE_MS;
  for (const { input, series } of placed) {
    const { timesMs } = series;
    for (let i = 0; i < timesMs.length; i++) {
      const t = timesMs[i]!;
      if (!(t >= fromMs && t < toMs)) {
        throw new EsmlabError(
          `${input.file}: ${series.what}: timestamp ${formatTimestamp(t)} is outside the years` +
            " 1970–9999 (epoch milliseconds or microseconds where seconds were expected?)",
        );
      }
      if (t % MINUTE_MS !== 0) {
        throw new EsmlabError(
          `${input.file}: ${series.what}: timestamp ${formatTimestamp(t)} is not on a minute` +
            " boundary (esmlab imports 1-minute cloudwatch data, whose timestamps are whole minutes)",
        );
      }
      if (t < first) {
        first = t;
        firstFile = input.file;
      }
      if (t > last) {
        last = t;
        lastFile = input.file;
      }
    }
  }
  if (first === Number.POSITIVE_INFINITY) {
    const files = inputs.map((input) => input.file).join(", ") || "(no input)";
    throw new EsmlabError(`no datapoints to import in ${files}`);
  }
  const rows = (last - first) / MINUTE_MS + 1;
  if (rows > MAX_MEASURED_MINUTES) {
    const where = firstFile === lastFile ? firstFile : `${firstFile} and ${lastFile}`;
    throw new EsmlabError(
      `${where}: datapoints span ${formatTimestamp(first)} to ${formatTimestamp(last)}, more than` +
        ` ${MAX_MEASURED_MINUTES / 1440} days of minutes (${spanText(rows - 1)}; the limit is` +
        ` ${MAX_MEASURED_MINUTES} one-minute rows); check the timestamps (epoch seconds?)`,
    );
  }

  const extraNames = [...new Set(placed.map((p) => p.target).filter((t) => !STANDARD.has(t)))];
  const series = createSeries(rows, Number.NaN, extraNames);
  for (let r = 0; r < rows; r++) series.columns.t[r] = r * MEASURED_RESOLUTION_SEC;
  const owners = new Map<ImportTarget, Int32Array>();
  const sources: Record<string, string[]> = {};
  placed.forEach(({ input, series: s, target }, index) => {
    const column = STANDARD.has(target)
      ? series.columns[target as SeriesColumn]
      : series.extra[target]!;
    const units = unitsFor(input.file, s, target, warnings);
    let owner = owners.get(target);
    if (owner === undefined) {
      owner = new Int32Array(rows);
      owners.set(target, owner);
    }
    // Inlined: ~10^5 datapoints per 15-day export; `owner` marks who wrote a cell (index + 1).
    const { timesMs, values } = s;
    for (let i = 0; i < timesMs.length; i++) {
      const row = (timesMs[i]! - first) / MINUTE_MS;
      const raw = values[i]!;
      if (raw < 0) {
        throw new EsmlabError(
          `${input.file}: ${s.what}: value ${raw} at ${formatTimestamp(timesMs[i]!)} is negative` +
            ` (column ${target} counts or measures, it cannot be below 0)`,
        );
      }
      if (!(raw <= MAX_MEASURED_VALUE)) {
        throw new EsmlabError(
          `${input.file}: ${s.what}: value ${raw} at ${formatTimestamp(timesMs[i]!)} is beyond` +
            " 2^360, the largest value cloudwatch accepts",
        );
      }
      const from = units === undefined ? undefined : units.from[units.index?.[i] ?? 0]!;
      const v = from === undefined || from === units!.to ? raw : convertUnit(raw, from, units!.to);
      const prev = owner[row]!;
      if (prev !== 0 && column[row] !== v) {
        const other = placed[prev - 1]!;
        throw new EsmlabError(
          `${input.file}: ${s.what}: ${formatTimestamp(timesMs[i]!)} has value ${v}, but` +
            ` ${other.input.file}: ${other.series.what} gave ${column[row]} for the same minute` +
            ` of column ${target} (duplicate timestamps must agree` +
            `${other.series === s ? "" : "; skip one of these series with a --mapping null entry"})`,
        );
      }
      column[row] = v;
      owner[row] = index + 1;
    }
    sources[target] = [...(sources[target] ?? []), `${input.file}: ${s.what}`];
  });

  const run: Run = {
    meta: {
      format: RUN_FORMAT,
      id: options.id,
      label: options.label,
      source: "measured",
      startTime: new Date(first).toISOString(),
      resolutionSec: MEASURED_RESOLUTION_SEC,
      provenance: {
        esmlabVersion: ESMLAB_VERSION,
        gitCommit: gitCommit(),
        inputs: options.inputs,
        warnings: [...new Set(warnings)],
      },
      summary: summarizeSeries(series, MEASURED_RESOLUTION_SEC),
    },
    series,
  };
  return { run, startMs: first, sources };
}

/**
 * GetMetricData StatusCodes worth a warning: the last page of each Id (an earlier page's
 * PartialData is completed by the next), and a NextToken left on the last page read.
 */
function statusWarnings(inputs: readonly MeasuredInput[]): string[] {
  const last = new Map<string, { file: string; what: string; status: string }>();
  const gmd = inputs.filter((input) => input.format === "get-metric-data");
  for (const input of gmd) {
    for (const s of input.series) {
      if (s.id !== undefined && s.status !== undefined) {
        last.set(s.id, { file: input.file, what: s.what, status: s.status });
      }
    }
  }
  const out: string[] = [];
  for (const { file, what, status } of last.values()) {
    if (status === "PartialData") {
      out.push(
        `${file}: ${what}: StatusCode PartialData — cloudwatch returned only part of the datapoints`,
      );
    } else if (status !== "Complete") {
      out.push(`${file}: ${what}: unexpected StatusCode ${JSON.stringify(status)}`);
    }
  }
  const final = gmd[gmd.length - 1];
  if (final?.nextToken !== undefined) {
    out.push(`${final.file}: has a NextToken — the pages after it are missing`);
  }
  return out;
}

/** Warns when an input's timestamps all lie a multiple of more than a minute apart. */
function periodWarnings(inputs: readonly MeasuredInput[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    let count = 0;
    let step = 0;
    let origin = Number.NaN;
    for (const { timesMs } of input.series) {
      for (let i = 0; i < timesMs.length; i++, count++) {
        if (Number.isNaN(origin)) origin = timesMs[i]!;
        step = gcd(step, Math.abs(timesMs[i]! - origin));
      }
    }
    if (count >= 10 && step > MINUTE_MS && step % MINUTE_MS === 0) {
      out.push(
        `${input.file}: all ${count} timestamps are multiples of ${step / 1000} s apart — is this` +
          ` ${step / 1000}-second data? each datapoint is read as one minute`,
      );
    }
  }
  return out;
}

/**
 * The units a series' values convert from and to, for its column; undefined when the export
 * names none (the values are taken as they are). Warns when a conversion happens.
 *
 * @throws EsmlabError naming the file, the series and the units found when one does not fit the
 *   column (Percent on invocations, None or Count on Duration …)
 */
function unitsFor(
  file: string,
  s: MeasuredSeries,
  target: ImportTarget,
  warnings: string[],
): { from: readonly StandardUnit[]; index?: Uint8Array; to: StandardUnit } | undefined {
  if (s.units === undefined || s.units.names.length === 0) return undefined;
  const { names, index } = s.units;
  const column = columnUnit(target);
  const found = names.length > 1 ? `units found: ${names.join(", ")}` : `unit ${names[0]}`;
  const misfit = names.find((u) => !column.accepts.includes(u));
  if (misfit !== undefined) {
    throw new EsmlabError(
      `${file}: ${s.what}: ${found}; ${misfit} does not fit column ${target}, which takes` +
        ` ${column.accepts.join(", ")}`,
    );
  }
  // None is a count too: only a change of size is a conversion worth saying
  const size = STANDARD_UNITS[column.unit].size;
  const converted = names.filter((u) => STANDARD_UNITS[u].size !== size);
  if (converted.length > 0) {
    let count = s.timesMs.length;
    if (index !== undefined) {
      count = 0;
      for (let i = 0; i < index.length; i++) if (converted.includes(names[index[i]!]!)) count++;
    }
    warnings.push(
      `${file}: ${s.what}: ${count} of ${s.timesMs.length} values converted from` +
        ` ${converted.join(", ")} to ${column.unit} (${found})`,
    );
  }
  return { from: names, ...(index === undefined ? {} : { index }), to: column.unit };
}

/** A span of minutes for a message: "400 days" up to ten years, then "8030 years". */
function spanText(minutes: number): string {
  const days = minutes / 1440;
  if (days < 3650) return `${Math.round(days)} days`;
  return `${Math.round(days / 365.2425)} years`;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
