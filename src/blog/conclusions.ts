/**
 * The seed blog's conclusions as one table across runs: for each conclusion, every run's
 * observed figure beside the blog's prediction for that run, and how far apart they are.
 */

import { formatNumber, formatRelativeError, MISSING, type NumberKind } from "../util/format.js";
import { BLOG_FIGURES, type BlogComparisonRow, type BlogFigure } from "./comparison.js";
import { type PhaseVerdict, shortLabel } from "./verdict.js";

export interface ConclusionsTable {
  readonly header: string[];
  /** One row per blog figure: the conclusion, then per run "observed (blog predicted, error)". */
  readonly rows: string[][];
}

/**
 * A column of the table: a run's label and its blog comparison rows (a {@link PhaseVerdict}
 * judged against the blog is one).
 */
export interface ConclusionsColumn {
  readonly label: string;
  readonly conclusions: readonly Pick<
    BlogComparisonRow,
    "figure" | "observed" | "predicted" | "relativeError"
  >[];
}

/**
 * How each figure's numbers are rounded: the two in seconds (their unit is in the conclusion's
 * words, "(s)") as durations in seconds are, the others as plain numbers ("auto": integers
 * whole and grouped, a formula's fraction to 1 decimal from 100).
 */
const FIGURE_KINDS: Readonly<Record<BlogFigure, NumberKind>> = {
  maxConcurrencyFirst15Min: "auto",
  invocationsFirst15Min: "auto",
  evaluationIntervalSec: "seconds",
  plateauConcurrency: "auto",
  maxInvocationsPerMin: "auto",
  coolDownSec: "seconds",
};

/** One comparison row, as {@link conclusionCell} takes it; `figure` picks the rounding. */
export type ConclusionRow = Pick<BlogComparisonRow, "observed" | "predicted" | "relativeError"> & {
  readonly figure?: BlogFigure;
};

/** The three parts of a conclusion cell, each formatted for a reader. */
export interface ConclusionParts {
  /** The run's value ("11.5"), "–" when not found. */
  readonly observed: string;
  /** The blog's figure or formula for the run ("900"), "–" when it has none. */
  readonly predicted: string;
  /**
   * How far the run is from the blog, by `formatRelativeError`: "+10%", "−98.7%", "×20" beyond
   * ±100 %, a signed difference when the blog's figure is 0; "–" when either value is missing.
   */
  readonly error: string;
}

/**
 * Build the conclusions table from three-phase fits (one per run, in column order); a column is
 * headed by the label's short name ("case2: 5 msg/s …" → "case2").
 * @example conclusionsTable([fit1, fit2, fit3]).rows[1] // ["2. invocations in the first 15 min = 900 / mean duration", "300 (blog 300, 0%)", …]
 */
export function conclusionsTable(fits: readonly ConclusionsColumn[]): ConclusionsTable {
  const header = ["blog's conclusion", ...fits.map((f) => shortLabel(f.label))];
  const rows = (Object.keys(BLOG_FIGURES) as BlogFigure[]).map((figure) => {
    const cells = fits.map((f) => conclusionCell(f.conclusions.find((b) => b.figure === figure)));
    return [BLOG_FIGURES[figure], ...cells];
  });
  return { header, rows };
}

/**
 * The parts of one cell, formatted by the shared number formatter (grouping, true minus sign);
 * for a table that shows them in columns of their own.
 * @example conclusionParts({ figure: "coolDownSec", observed: 11.5, predicted: 900, relativeError: -0.987 })
 * // { observed: "11.5", predicted: "900", error: "−98.7%" }
 */
export function conclusionParts(row: ConclusionRow | undefined): ConclusionParts {
  if (row === undefined) return { observed: MISSING, predicted: MISSING, error: MISSING };
  const kind = row.figure === undefined ? "auto" : FIGURE_KINDS[row.figure];
  return {
    observed: formatNumber(row.observed, kind),
    predicted: formatNumber(row.predicted, kind),
    error: formatRelativeError(row.observed, row.predicted),
  };
}

/**
 * One cell of the table: "observed (blog predicted, error)", "–" without a row. The error is
 * left out when either value is missing; its "%" is attached to its number, so it never wraps
 * onto a line of its own.
 * @example conclusionCell({ observed: 330, predicted: 300, relativeError: 0.1 }) // "330 (blog 300, +10%)"
 * @example conclusionCell({ observed: 20, predicted: 1, relativeError: 19 }) // "20 (blog 1, ×20)"
 */
export function conclusionCell(row: ConclusionRow | undefined): string {
  if (row === undefined) return MISSING;
  const { observed, predicted, error } = conclusionParts(row);
  const err = error === MISSING ? "" : `, ${error}`;
  return `${observed} (blog ${predicted}${err})`;
}
