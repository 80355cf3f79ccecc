/**
 * Measured datapoints → a {@link Run} on a 1-minute grid.
 *
 * ```
 * MeasuredInput[] ─▶ names → columns (mapping, known metrics) ─▶ minute grid [first, last]
 *                 ─▶ place datapoints (duplicates must agree) ─▶ checks ─▶ Run + warnings
 * ```
 *
 * Rules, from aws-esm.md ("CloudWatch: what a measured run looks like"): Lambda publishes
 * 1-minute datapoints, so every timestamp must fall on a minute (a second or millisecond off
 * is an error, not rounded: it means the export is not 1-minute CloudWatch data); "minutes
 * without data are absent, not zero" — a minute with no datapoint stays NaN (an empty cell),
 * and a column no series fills stays all NaN. The same minute twice in one column is accepted
 * only with the same value. Cost: O(datapoints + minutes × columns), typed arrays only.
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

/** The run's interval: CloudWatch's 1-minute period, seconds. */
export const MEASURED_RESOLUTION_SEC = 60;
const MINUTE_MS = 60_000;
/** The longest run accepted: 366 days of minutes (1-minute data is kept 15 days). */
export const MAX_MEASURED_MINUTES = 366 * 24 * 60;

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
    throw new EsmlabError(
      `${unknown.join("; ")}: no run column for ${unknown.length > 1 ? "these series" : "this series"} (known metrics: ` +
        `${KNOWN_METRIC_NAMES.join(", ")}); map it in a --mapping file or pass --ignore-unknown`,
    );
  }
  for (const u of unknown) warnings.push(`${u} ignored (no run column for it)`);
  warnings.push(...statusWarnings(inputs), ...periodWarnings(inputs));

  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { input, series } of placed) {
    const { timesMs } = series;
    for (let i = 0; i < timesMs.length; i++) {
      const t = timesMs[i]!;
      if (t % MINUTE_MS !== 0) {
        throw new EsmlabError(
          `${input.file}: ${series.what}: timestamp ${formatTimestamp(t)} is not on a minute` +
            " boundary (esmlab imports 1-minute cloudwatch data, whose timestamps are whole minutes)",
        );
      }
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  if (first === Number.POSITIVE_INFINITY) {
    const files = inputs.map((input) => input.file).join(", ") || "(no input)";
    throw new EsmlabError(`no datapoints to import in ${files}`);
  }
  const rows = (last - first) / MINUTE_MS + 1;
  if (rows > MAX_MEASURED_MINUTES) {
    throw new EsmlabError(
      `datapoints span ${formatTimestamp(first)} to ${formatTimestamp(last)}, more than` +
        ` ${MAX_MEASURED_MINUTES / 1440} days of minutes; check the timestamps (epoch seconds?)`,
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
    let owner = owners.get(target);
    if (owner === undefined) {
      owner = new Int32Array(rows);
      owners.set(target, owner);
    }
    // Inlined: ~10^5 datapoints per 15-day export; `owner` marks who wrote a cell (index + 1).
    const { timesMs, values } = s;
    for (let i = 0; i < timesMs.length; i++) {
      const row = (timesMs[i]! - first) / MINUTE_MS;
      const v = values[i]!;
      if (v < 0 && STANDARD.has(target)) {
        throw new EsmlabError(
          `${input.file}: ${s.what}: value ${v} at ${formatTimestamp(timesMs[i]!)} is negative` +
            ` (column ${target} counts or measures, it cannot be below 0)`,
        );
      }
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

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
