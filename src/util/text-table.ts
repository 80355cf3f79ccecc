/** Plain-text tables for the terminal: columns padded to their widest cell. */
import { formatNumber, MISSING } from "./format.js";

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
  format: CellFormat = fmt,
): string {
  const cells = [header, ...rows].map((row) =>
    row.map((c, j) => (typeof c === "number" ? format(c, j) : (c ?? MISSING))),
  );
  const widths = header.map((_, j) => Math.max(...cells.map((row) => (row[j] ?? "").length)));
  const numeric = header.map((_, j) => rows.every((row) => typeof row[j] === "number"));
  const line = (row: readonly string[]) =>
    row
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join("\n");
}

/**
 * A number for the terminal: {@link formatNumber}'s "auto" kind without thousands separators
 * (CLI lines such as "2000 (2000)" read as they always have): integers as they are, others to
 * 1 decimal from 100 and 3 below, a true minus sign, "–" for NaN.
 * @example fmt(356.20000000000005) // "356.2"
 * @example fmt(-0.5) // "−0.5"
 */
export function fmt(n: number): string {
  return formatNumber(n, "auto", { grouping: false });
}
