/**
 * The seed blog's figures, read off any run (simulated at 1 s or measured at 1 min) from its
 * series alone, beside the blog's formulas:
 *
 * - first 15 min: max concurrency (blog: 1) and invocations (blog: 900 / mean duration);
 * - first scale-up after one evaluation interval (blog: ~15 min, "every 13–15 minutes");
 * - peak concurrency (blog: = partitions) and max invocations per minute
 *   (blog: partitions × 60 / mean duration);
 * - cool-down: from the end of production until concurrency settles at its floor (blog: ~15 min).
 */
import type { Run } from "../run/run.js";

/** The blog's tear-up length, seconds. */
export const TEAR_UP_SEC = 900;

export interface BlogFigures {
  /** Max concurrency in rows starting before 900 s. */
  readonly maxConcurrencyFirst15Min: number;
  /** Invocations in rows starting before 900 s. */
  readonly invocationsFirst15Min: number;
  /** Start of the first row whose concurrency exceeds the first 15 minutes' maximum (null if none). */
  readonly firstScaleUpSec: number | null;
  readonly peakConcurrency: number;
  /** Largest invocation count in one clock minute (rows grouped by ⌊t / 60⌋). */
  readonly maxInvocationsPerMinute: number;
  /** Last row start with any invocation or in-flight work, seconds (null if none). */
  readonly lastActivitySec: number | null;
}

/** Read the blog's figures off a run's series (missing cells are skipped). */
export function blogFigures(run: Run): BlogFigures {
  const { t, concurrency, invocations } = run.series.columns;
  let max15 = 0;
  let inv15 = 0;
  let peak = 0;
  let lastActivity: number | null = null;
  const perMinute = new Map<number, number>();
  for (let i = 0; i < run.series.length; i++) {
    const ti = t[i]!;
    const c = concurrency[i]!;
    const v = invocations[i]!;
    if (ti < TEAR_UP_SEC) {
      if (c > max15) max15 = c;
      if (!Number.isNaN(v)) inv15 += v;
    }
    if (c > peak) peak = c;
    if (!Number.isNaN(v)) {
      const m = Math.floor(ti / 60);
      perMinute.set(m, (perMinute.get(m) ?? 0) + v);
    }
    if (v > 0 || c > 0) lastActivity = ti;
  }
  let firstScaleUp: number | null = null;
  for (let i = 0; i < run.series.length; i++) {
    if (t[i]! >= TEAR_UP_SEC - 60 && concurrency[i]! > max15) {
      firstScaleUp = t[i]!;
      break;
    }
  }
  return {
    maxConcurrencyFirst15Min: max15,
    invocationsFirst15Min: inv15,
    firstScaleUpSec: firstScaleUp,
    peakConcurrency: peak,
    maxInvocationsPerMinute: Math.max(0, ...perMinute.values()),
    lastActivitySec: lastActivity,
  };
}
