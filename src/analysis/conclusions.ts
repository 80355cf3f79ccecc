/**
 * The seed blog's conclusions as one table across runs: for each conclusion, every run's
 * observed figure beside the blog's prediction for that run, and the relative error.
 */
import { BLOG_FIGURES, type BlogComparisonRow, type BlogFigure } from "../fit/blog-comparison.js";
import { shortLabel } from "../fit/verdict.js";

export interface ConclusionsTable {
  readonly header: string[];
  /** One row per blog figure: the conclusion, then per run "observed (blog: predicted, ±error)". */
  readonly rows: string[][];
}

const num = (x: number | null) => (x === null ? "–" : String(Math.round(x * 100) / 100));

/** A column of the table: a run's label and its blog comparison (a ThreePhaseFit is one). */
export interface ConclusionsColumn {
  readonly label: string;
  readonly blog: readonly Pick<
    BlogComparisonRow,
    "figure" | "observed" | "predicted" | "relativeError"
  >[];
}

/**
 * Build the conclusions table from three-phase fits (one per run, in column order); a column is
 * headed by the label's short name ("case2: 5 msg/s …" → "case2").
 * @example conclusionsTable([fit1, fit2, fit3]).rows[1] // ["2. invocations in the first 15 min = 900 / mean duration", "300 (blog 300, 0.0 %)", …]
 */
export function conclusionsTable(fits: readonly ConclusionsColumn[]): ConclusionsTable {
  const header = ["blog's conclusion", ...fits.map((f) => shortLabel(f.label))];
  const rows = (Object.keys(BLOG_FIGURES) as BlogFigure[]).map((figure) => {
    const cells = fits.map((f) => conclusionCell(f.blog.find((b) => b.figure === figure)));
    return [BLOG_FIGURES[figure], ...cells];
  });
  return { header, rows };
}

/**
 * One cell of the table: "observed (blog predicted, relative error %)", "–" without a row.
 * @example conclusionCell({ observed: 330, predicted: 300, relativeError: 0.1 }) // "330 (blog 300, 10.0 %)"
 */
export function conclusionCell(
  row: Pick<BlogComparisonRow, "observed" | "predicted" | "relativeError"> | undefined,
): string {
  if (row === undefined) return "–";
  const err = row.relativeError === null ? "" : `, ${(100 * row.relativeError).toFixed(1)} %`;
  return `${num(row.observed)} (blog ${num(row.predicted)}${err})`;
}
