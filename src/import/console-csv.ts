/**
 * CloudWatch console "Download as CSV" exports, read into a {@link MeasuredInput}.
 *
 * The console's CSV layout is not published (docs/aws-esm.md), so the reader goes by the header:
 * - wide: a time column (header `Timestamp`, `Time`, `Date`, `DateTime`, or one containing such
 *   a word) and one series per other column, named by its header — a blank cell is a missing
 *   datapoint;
 * - long: exactly a time column, a label column (`Label`, `Metric`, `MetricName`, `Series`,
 *   `Name`) and a `Value` column, one series per label.
 * Quoted cells (RFC 4180: `"a, b"`, `""` for a quote), `\r\n` line ends and a byte-order mark
 * are accepted. A header or label naming a StandardUnit in a parenthesis — `Duration (Seconds)`,
 * `Duration (Average, Milliseconds)` — gives the series its unit (units.ts). Cost: O(characters).
 */
import { EsmlabError } from "../util/errors.js";
import { type MeasuredInput, type MeasuredSeries, printable, quoteValue } from "./measured.js";
import { statisticSuffix } from "./metric-map.js";
import { parseTimestampMs, timestampHasZone } from "./timestamp.js";
import { parseUnit, unitInName } from "./units.js";

const TIME_HEADER = /^(?:timestamp|time|date|datetime)(?:\s*\(.*\))?$/i;
const TIME_WORD = /\b(?:timestamp|time|date)\b/i;
const LABEL_HEADER = /^(?:label|metric|metric\s*name|series|name)$/i;
const VALUE_HEADER = /^values?$/i;

/**
 * Reads the text of a console CSV export, wide or long (see the file comment).
 *
 * @param text the file content
 * @param file where it came from, for messages
 * @throws EsmlabError naming `file`, the line and the column when: there is no header or no time
 *   column (listing the headers found); a row has more cells than the header; a time cell is
 *   empty or not a timestamp; a value is not a number; a quote is not closed
 * @example
 * parseCloudWatchCsv("Timestamp,Invocations\n2024-01-09T18:30:00Z,5\n2024-01-09T18:31:00Z,\n",
 *   "console.csv").series[0]!.values; // Float64Array [5] — the blank minute stays missing
 */
export function parseCloudWatchCsv(text: string, file: string): MeasuredInput {
  const rows = splitCsv(text, file);
  const header = rows[0];
  if (header === undefined) throw new EsmlabError(`${file}: empty file`);
  const names = header.cells.map((h) => h.trim());
  const timeCol = findTimeColumn(names);
  if (timeCol === -1) {
    throw new EsmlabError(
      `${file} line ${header.line}: no time column (expected a header such as Timestamp, Time` +
        ` or Date; found ${listNames(names)})`,
    );
  }
  const warnings: string[] = [];
  const firstTime = rows[1]?.cells[timeCol];
  if (firstTime !== undefined && !timestampHasZone(firstTime)) {
    warnings.push(
      `${file}: timestamps carry no time zone (e.g. ${quoteValue(firstTime)}); read as UTC`,
    );
  }
  const labelCol = names.findIndex((n) => LABEL_HEADER.test(n));
  const valueCol = names.findIndex((n) => VALUE_HEADER.test(n));
  const long = names.length === 3 && labelCol !== -1 && valueCol !== -1;
  const series = long
    ? readLong(rows, names, timeCol, labelCol, valueCol, file)
    : readWide(rows, names, timeCol, file);
  return { file, format: "csv", series, warnings };
}

/** Headers for a message: quoted, each cut short, at most 8 of them. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => quoteValue(n));
  return names.length > 8 ? `${shown.join(", ")} and ${names.length - 8} more` : shown.join(", ");
}

interface Row {
  readonly line: number;
  readonly cells: string[];
}

function findTimeColumn(names: readonly string[]): number {
  const exact = names.findIndex((n) => TIME_HEADER.test(n));
  return exact !== -1 ? exact : names.findIndex((n) => TIME_WORD.test(n));
}

function readWide(rows: Row[], names: string[], timeCol: number, file: string): MeasuredSeries[] {
  const cols = names.map((_, c) => c).filter((c) => c !== timeCol);
  const times = cols.map(() => [] as number[]);
  const values = cols.map(() => [] as number[]);
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    checkWidth(row, names, file);
    const t = readTime(row, timeCol, names, file);
    cols.forEach((c, k) => {
      const cell = (row.cells[c] ?? "").trim();
      if (cell === "") return; // a blank cell is a minute without a datapoint
      times[k]!.push(t);
      values[k]!.push(readNumber(cell, row.line, names[c]!, file));
    });
  }
  return cols.map((c, k) =>
    series(names[c]!, `column "${printable(names[c]!)}"`, times[k]!, values[k]!, file),
  );
}

function readLong(
  rows: Row[],
  names: string[],
  timeCol: number,
  labelCol: number,
  valueCol: number,
  file: string,
): MeasuredSeries[] {
  const byLabel = new Map<string, { times: number[]; values: number[] }>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    checkWidth(row, names, file);
    const label = (row.cells[labelCol] ?? "").trim();
    if (label === "") {
      throw new EsmlabError(
        `${file} line ${row.line}, column ${printable(names[labelCol]!)}: empty label`,
      );
    }
    const cell = (row.cells[valueCol] ?? "").trim();
    const t = readTime(row, timeCol, names, file);
    if (cell === "") continue;
    let entry = byLabel.get(label);
    if (entry === undefined) {
      entry = { times: [], values: [] };
      byLabel.set(label, entry);
    }
    entry.times.push(t);
    entry.values.push(readNumber(cell, row.line, names[valueCol]!, file));
  }
  return [...byLabel].map(([label, e]) =>
    series(label, `label "${printable(label)}"`, e.times, e.values, file),
  );
}

function series(
  name: string,
  what: string,
  times: number[],
  values: number[],
  file: string,
): MeasuredSeries {
  let unit: ReturnType<typeof unitInName>;
  try {
    unit = unitInName(name);
  } catch (err) {
    throw new EsmlabError(`${file}: ${what} ${(err as Error).message}`);
  }
  const suffix = statisticSuffix(name);
  // `Duration (Seconds)`: the parenthesis names the unit, not a statistic
  const statistic = suffix === undefined || parseUnit(suffix) !== undefined ? undefined : suffix;
  return {
    names: [name],
    what,
    timesMs: Float64Array.from(times),
    values: Float64Array.from(values),
    ...(statistic === undefined ? {} : { statistic }),
    ...(unit === undefined ? {} : { units: { names: [unit] } }),
  };
}

function checkWidth(row: Row, names: readonly string[], file: string): void {
  if (row.cells.length > names.length) {
    throw new EsmlabError(
      `${file} line ${row.line}: ${row.cells.length} cells but the header has ${names.length}`,
    );
  }
}

function readTime(row: Row, timeCol: number, names: readonly string[], file: string): number {
  const cell = (row.cells[timeCol] ?? "").trim();
  const t = parseTimestampMs(cell);
  if (Number.isNaN(t)) {
    const found = cell === "" ? "empty" : `${quoteValue(cell)}, not a timestamp`;
    throw new EsmlabError(
      `${file} line ${row.line}, column ${printable(names[timeCol]!)}: ${found}`,
    );
  }
  return t;
}

function readNumber(cell: string, line: number, column: string, file: string): number {
  const v = Number(cell);
  if (!Number.isFinite(v) || /^0[xob]/i.test(cell)) {
    // `1e999` is a number, too large for a double; `Infinity` and `NaN` are words
    const why =
      /^[+-]?\.?\d/.test(cell) && !Number.isNaN(v) ? "overflows a double" : "is not a number";
    throw new EsmlabError(
      `${file} line ${line}, column ${printable(column)}: ${quoteValue(cell)} ${why}`,
    );
  }
  return v;
}

/** Splits CSV text into rows of cells, skipping blank lines; keeps 1-based line numbers. */
function splitCsv(text: string, file: string): Row[] {
  const rows: Row[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]!.trim() !== "") rows.push({ line: rowLine, cells });
    cells = [];
    cell = "";
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
      rowLine = ++line;
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new EsmlabError(`${file} line ${rowLine}: a quoted cell is not closed`);
  if (cell !== "" || cells.length > 0) endRow();
  return rows;
}
