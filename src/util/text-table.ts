/** Plain-text tables for the terminal: columns padded to their widest cell. */

/** A cell: a number (formatted with {@link fmt}), text, or a missing value shown as "–". */
export type TextCell = string | number | null | undefined;

/** Render rows under a header; numbers right-aligned, text left-aligned, missing cells "–". */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly TextCell[])[],
): string {
  const cells = [header, ...rows].map((row) =>
    row.map((c) => (typeof c === "number" ? fmt(c) : (c ?? "–"))),
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

/** A number for humans: integers as is, others to 3 significant decimals. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "–" : String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toFixed(Math.abs(n) >= 100 ? 1 : 3)));
}
