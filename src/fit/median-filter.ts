/**
 * Running median of three (Tukey 1977, "Exploratory Data Analysis", ch. 7): deletes one-point
 * spikes and keeps every step edge and every plateau of two or more points exactly. The
 * three-phase fit smooths concurrency with it before looking for steps, because a minimum
 * segment length alone does not hide a blip — a two-point segment can hold the blip and its
 * neighbour at their average. Cost O(n), one output array.
 */

/**
 * Each present value replaced by the median of itself and its present neighbours; NaN
 * (missing) cells stay NaN and are stepped over, and the first and last present values are
 * kept as they are.
 *
 * @param values the series; NaN = missing
 * @returns a new array of the same length
 * @example medianFilter3(Float64Array.of(1, 1, 9, 1, 1, NaN, 4, 4)) // [1, 1, 1, 1, 1, NaN, 4, 4]
 */
export function medianFilter3(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let prev = Number.NaN;
  let cur = -1;
  for (let i = 0; i <= values.length; i++) {
    const v = i < values.length ? values[i]! : Number.NaN;
    if (i < values.length && Number.isNaN(v)) {
      out[i] = Number.NaN;
      continue;
    }
    if (cur >= 0) {
      const c = values[cur]!;
      // an end point (no neighbour on one side) is kept
      out[cur] =
        Number.isNaN(prev) || i === values.length
          ? c
          : Math.max(Math.min(prev, c), Math.min(Math.max(prev, c), v));
      prev = c;
    }
    cur = i;
  }
  return out;
}
