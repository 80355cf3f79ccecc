/**
 * The {@link RunSummary} figures that follow from a series alone. Cost: one pass, O(rows).
 */
import type { RunSeries, RunSummary, SeriesColumn } from "./run.js";

/** The fields of {@link RunSummary} that {@link summarizeSeries} computes. */
export type SeriesSummary = Pick<
  RunSummary,
  | "durationSec"
  | "producedRecords"
  | "processedRecords"
  | "invocations"
  | "errors"
  | "throttles"
  | "peakConcurrency"
  | "peakLagRecords"
  | "peakPollers"
>;

/**
 * Totals and peaks of a series, skipping missing cells (d3-array style, as measured data has
 * gaps). A column with no value at all gives `null`: not measured, which is not 0.
 *
 * @param series the run's series
 * @param resolutionSec the interval length, seconds (> 0)
 * @returns `durationSec` = last `t` + `resolutionSec` (0 for an empty series); the sums of
 *   `produced`, `processed`, `invocations`, `errors`, `throttles`; the maxima of
 *   `concurrency`, `lag`, `pollers`
 * @throws RangeError when `resolutionSec` is not a positive finite number
 * @example
 * // t = [0, 1], invocations = [2, NaN], concurrency = [1, 3], lag all NaN
 * summarizeSeries(series, 1); // { durationSec: 2, invocations: 2, peakConcurrency: 3,
 *                             //   peakLagRecords: null, … }
 */
export function summarizeSeries(series: RunSeries, resolutionSec: number): SeriesSummary {
  if (!(resolutionSec > 0) || !Number.isFinite(resolutionSec)) {
    throw new RangeError(`summarizeSeries: resolutionSec ${resolutionSec} is not positive`);
  }
  const { columns, length } = series;
  const sum = (name: SeriesColumn) => {
    const column = columns[name];
    let total = 0;
    let seen = false;
    for (let i = 0; i < length; i++) {
      const v = column[i]!;
      if (Number.isNaN(v)) continue;
      total += v;
      seen = true;
    }
    return seen ? total : null;
  };
  const peak = (name: SeriesColumn) => {
    const column = columns[name];
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < length; i++) {
      const v = column[i]!;
      if (v > max) max = v; // false for NaN, so missing cells are skipped
    }
    return max === Number.NEGATIVE_INFINITY ? null : max;
  };
  return {
    durationSec: length === 0 ? 0 : columns.t[length - 1]! + resolutionSec,
    producedRecords: sum("produced"),
    processedRecords: sum("processed"),
    invocations: sum("invocations"),
    errors: sum("errors"),
    throttles: sum("throttles"),
    peakConcurrency: peak("concurrency"),
    peakLagRecords: peak("lag"),
    peakPollers: peak("pollers"),
  };
}
