/**
 * The seed blog's figures of one run, as `esmlab cases` prints them — read by the same rules as
 * the comparison with the blog (`compareWithBlog`, through the three-phase fit), so a command,
 * a notebook and the report never disagree about one run:
 *
 * - first 15 min, counted from the tear-up's start (the first activity): max concurrency (blog:
 *   1) and invocations (blog: 900 / mean duration); null when the run is shorter than that;
 * - the re-evaluation interval: the median gap between scale-ups, the first counted from the
 *   start (blog: every 13–15 min);
 * - peak concurrency (blog: = partitions) and max invocations in one clock minute (blog:
 *   partitions × 60 / mean duration).
 */
import { fitThreePhases, type ThreePhaseFit } from "../fit/three-phase.js";
import type { Run } from "../run/run.js";
import { type BlogFigure, blogComparison } from "./comparison.js";

export { TEAR_UP_SEC } from "./comparison.js";

export interface BlogFigures {
  /** Max concurrency in the first 15 min from the tear-up's start (null: the run is shorter). */
  readonly maxConcurrencyFirst15Min: number | null;
  /** Invocations in the first 15 min from the tear-up's start (null: shorter, or no column). */
  readonly invocationsFirst15Min: number | null;
  /** Median gap between scale-ups, the first counted from the start (null: none seen). */
  readonly evaluationIntervalSec: number | null;
  readonly peakConcurrency: number;
  /** Largest invocation count in one clock minute (null without an invocations column). */
  readonly maxInvocationsPerMinute: number | null;
  /** Last row start with any invocation or in-flight work, seconds (null if none). */
  readonly lastActivitySec: number | null;
}

/**
 * Read the blog's figures off a run.
 * @param fit the run's three-phase fit, when already made (default: fitted here)
 * @example blogFigures(case2Run).invocationsFirst15Min // 300 (the blog: 900 / 3 s)
 */
export function blogFigures(run: Run, fit: ThreePhaseFit = fitThreePhases(run)): BlogFigures {
  const rows = blogComparison(run, fit);
  const observed = (f: BlogFigure) => rows.find((r) => r.figure === f)?.observed ?? null;
  const { t, concurrency, invocations } = run.series.columns;
  let peak = 0;
  let lastActivity: number | null = null;
  for (let i = 0; i < run.series.length; i++) {
    const c = concurrency[i]!;
    if (c > peak) peak = c;
    if (invocations[i]! > 0 || c > 0) lastActivity = t[i]!;
  }
  return {
    maxConcurrencyFirst15Min: observed("maxConcurrencyFirst15Min"),
    invocationsFirst15Min: observed("invocationsFirst15Min"),
    evaluationIntervalSec: observed("evaluationIntervalSec"),
    peakConcurrency: peak,
    maxInvocationsPerMinute: observed("maxInvocationsPerMin"),
    lastActivitySec: lastActivity,
  };
}
