/**
 * The seed blog's conclusions as one table across runs: for each conclusion, every run's
 * observed figure beside the blog's prediction for that run, and the relative error.
 */
import { BLOG_FIGURES, type BlogFigure } from "../fit/blog-comparison.js";
import type { ThreePhaseFit } from "../fit/three-phase.js";

export interface ConclusionsTable {
  readonly header: string[];
  /** One row per blog figure: the conclusion, then per run "observed (blog: predicted, ±error)". */
  readonly rows: string[][];
}

const num = (x: number | null) => (x === null ? "–" : String(Math.round(x * 100) / 100));

/**
 * Build the conclusions table from three-phase fits (one per run, in column order).
 * @example conclusionsTable([fit1, fit2, fit3]).rows[1] // ["2. invocations in the first 15 min = 900 / mean duration", "300 (blog 300, 0.0 %)", …]
 */
export function conclusionsTable(fits: readonly ThreePhaseFit[]): ConclusionsTable {
  const header = ["blog's conclusion", ...fits.map((f) => f.label.split(":")[0] ?? f.label)];
  const rows = (Object.keys(BLOG_FIGURES) as BlogFigure[]).map((figure) => {
    const cells = fits.map((f) => {
      const row = f.blog.find((b) => b.figure === figure);
      if (row === undefined) return "–";
      const err = row.relativeError === null ? "" : `, ${(100 * row.relativeError).toFixed(1)} %`;
      return `${num(row.observed)} (blog ${num(row.predicted)}${err})`;
    });
    return [BLOG_FIGURES[figure], ...cells];
  });
  return { header, rows };
}
