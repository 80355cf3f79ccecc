/**
 * Importing CloudWatch exports from files: the I/O edge around the pure readers.
 *
 * ```
 * file ─▶ stat (a file, size limit) ─▶ read + sha256 ─▶ utf-8 text ─▶ detect format ─▶ parse* ─┐
 * mapping file ─▶ parseColumnMapping ─────────────────────────────────────┴▶ measuredRun ─▶ Run
 * ```
 *
 * Nothing is written here: the caller writes the run (atomically, with `writeRun`), so a bad
 * input leaves no run directory behind.
 */
import { isUtf8 } from "node:buffer";
import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { InputFile } from "../run/run.js";
import { EsmlabError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import { parseCloudWatchCsv } from "./console-csv.js";
import { isObject, parseJson, readGetMetricData } from "./get-metric-data.js";
import { readGetMetricStatistics } from "./get-metric-statistics.js";
import { IMPORT_FORMATS, type ImportFormat, type MeasuredInput } from "./measured.js";
import { type MeasuredRun, measuredRun } from "./measured-run.js";
import { type ColumnMapping, parseColumnMapping } from "./metric-map.js";

/** Files larger than this are refused before reading (bytes): 100 MB. */
export const DEFAULT_MAX_IMPORT_BYTES = 100 * 1024 * 1024;

export interface LoadCloudWatchOptions {
  /** Read every file as this format; default: detect each file's format from its content. */
  readonly format?: ImportFormat;
  /** A mapping file (see {@link parseColumnMapping}); its hash joins the provenance. */
  readonly mappingFile?: string;
  /** The run's label; default the first file's name without extension (+ "and N more"). */
  readonly label?: string;
  /** Skip series that map to no column, with a warning, instead of refusing them. */
  readonly ignoreUnknown?: boolean;
  /** Refuse files larger than this many bytes; default {@link DEFAULT_MAX_IMPORT_BYTES}. */
  readonly maxBytes?: number;
}

/**
 * Reads CloudWatch exports — GetMetricData JSON, GetMetricStatistics JSON, console CSV, in any
 * mix — and combines them into one measured run (see {@link measuredRun}).
 *
 * @param files the exports, e.g. one GetMetricStatistics file per metric
 * @param options format, mapping file, label, size limit
 * @returns the run, the absolute time of `t = 0`, and which series filled each column; the
 *   run's id is `measured-` + 12 hex digits of the inputs' hashes (same files, same id)
 * @throws EsmlabError naming the file and what is wrong: missing, not a file (a directory …),
 *   empty, larger than `maxBytes`, not UTF-8 text (invalid bytes, UTF-16, a NUL byte), JSON
 *   nested too deep, truncated or otherwise unreadable content (see the parse functions), and
 *   everything {@link measuredRun} refuses
 * @example
 * const { run, startMs } = await loadCloudWatch(["concurrency.json", "invocations.json"]);
 * await writeRun(run, "runs/measured-1");
 */
export async function loadCloudWatch(
  files: readonly string[],
  options: LoadCloudWatchOptions = {},
): Promise<MeasuredRun> {
  if (files.length === 0) throw new EsmlabError("no input files to import");
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  const provenance: InputFile[] = [];
  const inputs: MeasuredInput[] = [];
  for (const file of files) {
    const { text, hash } = await readInput(file, maxBytes);
    provenance.push({ path: file, sha256: hash });
    inputs.push(parseCloudWatchExport(text, file, options.format));
  }
  let mapping: ColumnMapping | undefined;
  if (options.mappingFile !== undefined) {
    const { text, hash } = await readInput(options.mappingFile, 1024 * 1024);
    provenance.push({ path: options.mappingFile, sha256: hash });
    mapping = parseColumnMapping(text, options.mappingFile);
  }
  const first = basename(files[0]!, extname(files[0]!));
  const more = files.length > 1 ? ` and ${files.length - 1} more` : "";
  return measuredRun(inputs, {
    label: options.label ?? `${first}${more}`,
    id: `measured-${sha256(provenance.map((p) => p.sha256).join("\n")).slice(0, 12)}`,
    inputs: provenance,
    ...(mapping === undefined ? {} : { mapping }),
    ...(options.ignoreUnknown === undefined ? {} : { ignoreUnknown: options.ignoreUnknown }),
  });
}

/**
 * Reads one export's text in the given format, or the format its content shows: JSON with
 * `MetricDataResults` (or an array of such pages) is GetMetricData, JSON with `Datapoints` is
 * GetMetricStatistics, anything else is CSV.
 *
 * @param text the file content (a leading byte-order mark is ignored)
 * @param file where it came from, for messages
 * @param format force a format instead of detecting it
 * @throws EsmlabError naming `file` when the text is empty, is JSON of neither shape, or the
 *   format's reader refuses it
 * @example
 * parseCloudWatchExport('{"Label": "Throttles", "Datapoints": []}', "t.json").format;
 * // "get-metric-statistics"
 */
export function parseCloudWatchExport(
  text: string,
  file: string,
  format?: ImportFormat,
): MeasuredInput {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") throw new EsmlabError(`${file}: empty file`);
  const looksJson = /^\s*[[{]/.test(body);
  if (format === "csv" || (format === undefined && !looksJson))
    return parseCloudWatchCsv(body, file);
  const data = parseJson(body, file);
  const page = Array.isArray(data) ? data[0] : data;
  const detected: ImportFormat | undefined =
    format ??
    (isObject(page) && "MetricDataResults" in page
      ? "get-metric-data"
      : isObject(page) && "Datapoints" in page
        ? "get-metric-statistics"
        : undefined);
  if (detected === "get-metric-data") return readGetMetricData(data, file);
  if (detected === "get-metric-statistics") return readGetMetricStatistics(data, file);
  const formats = Object.entries(IMPORT_FORMATS).map(([name, what]) => `${name}: ${what}`);
  throw new EsmlabError(
    `${file}: JSON with neither MetricDataResults nor Datapoints; expected one of — ${formats.join("; ")}`,
  );
}

/** Reads a file after checking its size, with its SHA-256. */
async function readInput(file: string, maxBytes: number): Promise<{ text: string; hash: string }> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new EsmlabError(`cannot import ${file}: not a file`);
    size = info.size;
  } catch (err) {
    if (err instanceof EsmlabError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new EsmlabError(`cannot import ${file}: ${why}`, { cause: err });
  }
  if (size > maxBytes) {
    throw new EsmlabError(
      `${file}: ${megabytes(size)} is larger than the ${megabytes(maxBytes)} import limit` +
        " (a 15-day 1-minute export of a few metrics is a few MB: is this the right file?)",
    );
  }
  if (size === 0) throw new EsmlabError(`${file}: empty file`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new EsmlabError(`cannot import ${file}: ${(err as Error).message}`, { cause: err });
  }
  return { text: utf8Text(bytes, file), hash: sha256(bytes) };
}

/**
 * The bytes as text, refusing what is not UTF-8 text: exports are UTF-8 (JSON requires it,
 * RFC 8259 §8.1), and decoding other bytes would turn them into U+FFFD and import them as
 * something they are not. A UTF-8 byte-order mark is kept (the readers skip it).
 */
function utf8Text(bytes: Buffer, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new EsmlabError(
      `${file}: utf-16 text (byte-order mark ${bytes[0].toString(16)} ${bytes[1].toString(16)}),` +
        " expected utf-8: save it as utf-8 (windows powershell: Out-File -Encoding utf8)",
    );
  }
  const text = bytes.toString("utf8");
  if (!isUtf8(bytes)) {
    throw new EsmlabError(
      `${file} line ${lineOf(text, text.indexOf("\ufffd"))}: not utf-8 text (an invalid byte` +
        " sequence); is this the export file?",
    );
  }
  const nul = text.indexOf("\0");
  if (nul !== -1) {
    throw new EsmlabError(
      `${file} line ${lineOf(text, nul)}: a NUL byte: binary, not a text export`,
    );
  }
  return text;
}

/** 1-based line of a character offset. */
function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
