/**
 * The executive summary: the verdict lines the notebooks showed (`showVerdicts`, one per run:
 * tear-up, plateau against partitions, drain after production, blog figures within tolerance),
 * grouped by notebook, and one table of the blog's conclusions across every run with a verdict —
 * observed value, the blog's prediction, relative error — built from the verdicts' data, not
 * read back from rendered HTML.
 */
import { conclusionCell } from "../analysis/conclusions.js";
import type { VerdictRecord } from "../display/report-data.js";
import { BLOG_FIGURES, type BlogFigure } from "../fit/blog-comparison.js";
import type { Section } from "./blocks.js";

/** The verdicts of one notebook. */
export interface VerdictGroup {
  notebook: string;
  /** the notebook section's title and id, for a link */
  title: string;
  sectionId: string;
  verdicts: VerdictRecord[];
}

/** The summary's table of the blog's conclusions. */
export interface SummaryTable {
  number: number;
  id: string;
  caption: string;
  header: string[];
  rows: string[][];
}

/** What the summary partial shows. */
export interface ExecutiveSummary {
  groups: VerdictGroup[];
  /** null when no notebook showed a verdict */
  table: SummaryTable | null;
}

/** The id of the summary's conclusions table; the layout reserves it. */
export const SUMMARY_TABLE_ID = "table-summary";

/**
 * Groups the sections' verdicts and builds the conclusions table (table 1 of the report): one
 * row per run, one column per blog conclusion, so it stays readable however many runs the
 * notebooks judged. A run label used by two notebooks is told apart by the notebook's name.
 *
 * @example executiveSummary(sections).table?.rows.map((r) => r[0])
 * // ["case1", "case2", "case3", "measured", "calibrated"]
 */
export function executiveSummary(
  sections: readonly Pick<Section<unknown>, "id" | "title" | "notebook" | "verdicts">[],
): ExecutiveSummary {
  const groups: VerdictGroup[] = sections
    .filter((s) => s.verdicts.length > 0)
    .map((s) => ({
      notebook: s.notebook,
      title: s.title,
      sectionId: s.id,
      verdicts: [...s.verdicts],
    }));
  if (groups.length === 0) return { groups, table: null };
  const all = groups.flatMap((g) => g.verdicts.map((v) => ({ v, notebook: g.notebook })));
  const count = new Map<string, number>();
  for (const { v } of all) count.set(v.label, (count.get(v.label) ?? 0) + 1);
  const figures = Object.keys(BLOG_FIGURES) as BlogFigure[];
  const header = ["run", ...figures.map((f) => BLOG_FIGURES[f])];
  const rows = all.map(({ v, notebook }) => [
    (count.get(v.label) ?? 0) > 1 ? `${v.label} (${notebook})` : v.label,
    ...figures.map((f) => conclusionCell(v.conclusions.find((c) => c.figure === f))),
  ]);
  return {
    groups,
    table: {
      number: 1,
      id: SUMMARY_TABLE_ID,
      caption:
        "The blog's conclusions for every run with a verdict: observed value (the blog's figure or formula for that run, relative error)",
      header,
      rows,
    },
  };
}
