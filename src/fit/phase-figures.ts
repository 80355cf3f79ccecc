/**
 * The figures of one phase — a time window of a run — read off its series: concurrency, work
 * done and its rate, the deepest lag. One pass over the run's rows, O(rows); missing cells are
 * skipped, and a column missing altogether gives null rather than a false 0.
 */
import type { Run } from "../run/run.js";

/** The three phases of the blog's model, in order. */
export const PHASE_NAMES = {
  "tear-up": "tear-up",
  "max-throughput": "max-throughput",
  "cool-down": "cool-down",
} as const;
export type PhaseName = keyof typeof PHASE_NAMES;

export interface PhaseFigures {
  readonly name: PhaseName;
  /** Start, seconds from the run start. */
  readonly start: number;
  /** End (exclusive), seconds from the run start. */
  readonly end: number;
  readonly durationSec: number;
  /** Mean and max of the interval concurrency (max in flight per interval); null without cells. */
  readonly meanConcurrency: number | null;
  readonly maxConcurrency: number | null;
  /** Invocations in the phase; null when the run has no invocations column. */
  readonly invocations: number | null;
  /** Records processed in the phase; null when the run has no processed column. */
  readonly processed: number | null;
  /** Invocations per minute over the phase. */
  readonly invocationsPerMin: number | null;
  /** Records processed per minute over the phase. */
  readonly throughputPerMin: number | null;
  /** Deepest lag at an interval end in the phase, records; null without lag cells. */
  readonly maxLagRecords: number | null;
}

/**
 * Figures of the rows whose interval starts in [start, end).
 *
 * @param run the run
 * @param name which phase this window is
 * @param start window start, seconds
 * @param end window end (exclusive), seconds; > start
 * @example
 * phaseFigures(case1, "tear-up", 0, 900)
 * // { name: "tear-up", start: 0, end: 900, durationSec: 900, meanConcurrency: 1,
 * //   maxConcurrency: 1, invocations: 300, processed: 299, invocationsPerMin: 20, … }
 */
export function phaseFigures(run: Run, name: PhaseName, start: number, end: number): PhaseFigures {
  const { t, concurrency, invocations, processed, lag } = run.series.columns;
  let cSum = 0;
  let cCount = 0;
  let cMax = Number.NEGATIVE_INFINITY;
  let inv = 0;
  let proc = 0;
  let lagMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < run.series.length; i++) {
    const ti = t[i]!;
    if (ti < start || ti >= end) continue;
    const c = concurrency[i]!;
    if (!Number.isNaN(c)) {
      cSum += c;
      cCount++;
      if (c > cMax) cMax = c;
    }
    const v = invocations[i]!;
    if (!Number.isNaN(v)) inv += v;
    const p = processed[i]!;
    if (!Number.isNaN(p)) proc += p;
    const l = lag[i]!;
    if (l > lagMax) lagMax = l;
  }
  const durationSec = end - start;
  const minutes = durationSec / 60;
  const invocationsTotal = hasValues(invocations) ? inv : null;
  const processedTotal = hasValues(processed) ? proc : null;
  return {
    name,
    start: round(start),
    end: round(end),
    durationSec: round(durationSec),
    meanConcurrency: cCount === 0 ? null : round(cSum / cCount),
    maxConcurrency: cCount === 0 ? null : cMax,
    invocations: invocationsTotal,
    processed: processedTotal,
    invocationsPerMin:
      invocationsTotal === null || minutes <= 0 ? null : round(invocationsTotal / minutes),
    throughputPerMin:
      processedTotal === null || minutes <= 0 ? null : round(processedTotal / minutes),
    maxLagRecords: lagMax === Number.NEGATIVE_INFINITY ? null : lagMax,
  };
}

/**
 * True when the column has at least one present cell.
 * @example hasValues(Float64Array.of(NaN, 0)) // true
 */
export function hasValues(column: Float64Array): boolean {
  for (let i = 0; i < column.length; i++) if (!Number.isNaN(column[i]!)) return true;
  return false;
}

/**
 * Six significant digits: plenty for any fitted figure, and short, stable JSON.
 * @example round(2 / 3) // 0.666667
 */
export function round(x: number): number {
  return Number(x.toPrecision(6));
}
