/** Plain-text tables for the terminal: columns padded to their widest cell. */
import { type FormatOptions, formatNumber, MISSING, type NumberKind } from "./format.js";

/** A cell: a number (formatted with {@link fmt}), text, or a missing value shown as "–". */
export type TextCell = string | number | null | undefined;

/** How a table's numbers are written: the number and its column index. */
export type CellFormat = (value: number, column: number) => string;

/**
 * Render rows under a header; numbers right-aligned, text left-aligned, missing cells "–".
 * @param format how numbers are written (default {@link fmt} whatever the column)
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly TextCell[])[],
  format: CellFormat = (value) => fmt(value),
): string {
  const cells = [header, ...rows].map((row) =>
    row.map((c, j) => (typeof c === "number" ? format(c, j) : (c ?? MISSING))),
  );
  const widths = header.map((_, j) => Math.max(...cells.map((row) => (row[j] ?? "").length)));
  // a column of numbers (missing cells allowed) is right-aligned, as in the HTML tables
  const numeric = header.map(
    (_, j) =>
      rows.some((row) => typeof row[j] === "number") &&
      rows.every((row) => typeof row[j] === "number" || row[j] === null || row[j] === undefined),
  );
  const line = (row: readonly string[]) =>
    row
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join("\n");
}

/**
 * A number for the terminal: {@link formatNumber} with separators only from five integer digits
 * (Intl's "min2" grouping: CLI lines such as "2000 (2000)" read as they always have, and
 * "200,000" is grouped): by `kind` (default "auto": integers as they are, others to 1 decimal
 * from 100 and 3 below), a true minus sign, "–" for NaN.
 * @example fmt(356.20000000000005) // "356.2"
 * @example fmt(-0.5) // "−0.5"
 * @example fmt(600060) // "600,060"
 * @example fmt(600060, "duration") // "167 h" (a plain space: terminal text is not wrapped)
 */
export function fmt(n: number | null | undefined, kind: NumberKind = "auto"): string {
  return formatNumber(n, kind, CLI_OPTIONS);
}

/** What the CLI's numbers use: grouping from five digits, a plain space before a unit (see {@link fmt}). */
export const CLI_OPTIONS: FormatOptions = { grouping: "min2", unitSpace: " " };
