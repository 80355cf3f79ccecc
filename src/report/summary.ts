/**
 * The executive summary: one verdict line per case, read from the conclusions table that
 * notebook 01 shows (`conclusionsTable` in src/analysis/conclusions.ts: one row per blog
 * conclusion, one column per case, each cell "observed (blog predicted, ±error %)").
 */
import type { ReportSection } from "./collect.js";

/** One case's verdict. */
export interface CaseVerdict {
  /** the column header, e.g. "case1" */
  label: string;
  /** conclusions with a relative error */
  compared: number;
  /** of those, how many are within the tolerance */
  agreeing: number;
  /** the conclusion with the largest error, when any is out of tolerance */
  worst: { conclusion: string; errorPct: number } | null;
  /** the whole verdict as one sentence */
  line: string;
}

/** Options of {@link caseVerdicts}. */
export interface VerdictOptions {
  /** a table whose caption starts with this is the conclusions table (default "The blog's conclusions") */
  captionPrefix?: string;
  /** largest relative error, %, still counted as agreeing (default 10) */
  tolerancePct?: number;
}

/**
 * Finds the conclusions table among the collected sections and gives one verdict per case
 * column; [] when no section shows such a table.
 *
 * @example caseVerdicts(sections)[0].line
 * // "case1: 6 of 7 of the blog's conclusions reproduced within 10 % (largest gap: 5. …, 12.5 %)"
 */
export function caseVerdicts(
  sections: readonly ReportSection[],
  options: VerdictOptions = {},
): CaseVerdict[] {
  const prefix = options.captionPrefix ?? "The blog's conclusions";
  const tolerance = options.tolerancePct ?? 10;
  const table = sections
    .flatMap((s) => s.blocks)
    .find((b) => b.kind === "table" && b.caption?.startsWith(prefix) === true);
  if (table?.body === undefined) return [];
  const rows = tableCells(table.body);
  const header = rows[0] ?? [];
  const verdicts: CaseVerdict[] = [];
  for (let col = 1; col < header.length; col++) {
    const label = header[col]!;
    let compared = 0;
    let agreeing = 0;
    let worst: CaseVerdict["worst"] = null;
    for (const row of rows.slice(1)) {
      const m = /(-?\d+(?:\.\d+)?)\s*%/.exec(row[col] ?? "");
      if (!m) continue;
      const errorPct = Math.abs(Number(m[1]));
      compared++;
      if (errorPct <= tolerance) agreeing++;
      else if (worst === null || errorPct > worst.errorPct)
        worst = { conclusion: row[0] ?? "", errorPct };
    }
    const gap = worst === null ? "" : ` (largest gap: ${worst.conclusion}, ${worst.errorPct} %)`;
    const line =
      compared === 0
        ? `${label}: no conclusion could be compared with the blog`
        : `${label}: ${agreeing} of ${compared} of the blog's conclusions reproduced within ${tolerance} %${gap}`;
    verdicts.push({ label, compared, agreeing, worst, line });
  }
  return verdicts;
}

/** Rows of cell texts (entities decoded, tags removed) from sanitised table HTML. */
function tableCells(html: string): string[][] {
  const rows: string[][] = [];
  for (const tr of html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)) {
    const cells = [...tr[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      decode(c[1]!.replace(/<[^>]*>/g, "")).trim(),
    );
    rows.push(cells);
  }
  return rows;
}

function decode(s: string): string {
  return s
    .replace(/&#(\d{1,7});/g, (all, n: string) =>
      Number(n) > 0 && Number(n) <= 0x10ffff ? String.fromCodePoint(Number(n)) : all,
    )
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
