/**
 * Optimal partitioning of a series into constant steps by dynamic programming (Jackson et al.
 * 2005, "An algorithm for optimal partitioning of data on an interval", IEEE Signal Processing
 * Letters 12(2)), pruned as in PELT (Killick, Fearnhead & Eckley 2012, "Optimal detection of
 * changepoints with a linear computational cost", JASA 107(500)). Cost O(R²) over R candidate
 * cuts at worst (few changes: nothing to prune), near O(R) when changes are many.
 */

/**
 * SSE of y[a..b) from prefix sums s1 = Σy, s2 = Σy²: Σy² − (Σy)²/(b − a). O(1).
 * @example cost(Float64Array.of(0, 1, 3), Float64Array.of(0, 1, 5), 0, 2) // y = [1, 2]: 5 − 3²/2 = 0.5
 */
export function cost(s1: Float64Array, s2: Float64Array, a: number, b: number): number {
  const s = s1[b]! - s1[a]!;
  return s2[b]! - s2[a]! - (s * s) / (b - a);
}

/**
 * Positions 0 = e₀ < … < e_R = n where the value changes (the edges of runs of equal values).
 * @param runs the number of runs, R
 * @example runEdges(Float64Array.of(1, 1, 2, 2, 2), 2) // [0, 2, 5]
 */
export function runEdges(y: Float64Array, runs: number): Uint32Array {
  const e = new Uint32Array(runs + 1);
  let k = 1;
  for (let j = 1; j < y.length; j++) if (y[j] !== y[j - 1]) e[k++] = j;
  e[runs] = y.length;
  return e;
}

/**
 * Optimal partitioning over the run edges: F(k) = min over τ of F(τ) + SSE(e_τ, e_k) + β,
 * F(0) = −β, every segment ≥ minLen points. PELT's pruning with the minimum length done
 * exactly: a candidate is only used (and used to prune others) once the segment after it is
 * long enough, so when s is admitted and F(τ) + SSE(τ, s) > F(s), τ loses to s at every later
 * end (SSE(τ, T) ≥ SSE(τ, s) + SSE(s, T)) and is dropped for good.
 *
 * @param s1 prefix sums of y (length n + 1)
 * @param s2 prefix sums of y² (length n + 1)
 * @param e the candidate cut positions, from {@link runEdges}
 * @param minLen fewest points in a segment
 * @param beta the penalty per segment, in squared units of y
 * @returns the optimal cuts (positions in y), ascending; none when n < 2 · minLen
 * @example
 * // y = [0, 0, 0, 4, 4, 4]: one cut, at 3
 * optimalPartition(s1, s2, runEdges(y, 2), 2, 1) // [3]
 */
export function optimalPartition(
  s1: Float64Array,
  s2: Float64Array,
  e: Uint32Array,
  minLen: number,
  beta: number,
): number[] {
  const runs = e.length - 1;
  const f = new Float64Array(runs + 1).fill(Number.POSITIVE_INFINITY);
  const last = new Int32Array(runs + 1).fill(-1);
  f[0] = -beta;
  const cand = new Int32Array(runs + 1);
  let nc = 0;
  let next = 0;
  for (let k = 1; k <= runs; k++) {
    const end = e[k]!;
    for (; next < k && end - e[next]! >= minLen; next++) {
      const fs = f[next]!;
      if (fs === Number.POSITIVE_INFINITY) continue;
      const at = e[next]!;
      let kept = 0;
      for (let i = 0; i < nc; i++) {
        const tau = cand[i]!;
        if (f[tau]! + cost(s1, s2, e[tau]!, at) <= fs) cand[kept++] = tau;
      }
      nc = kept;
      cand[nc++] = next;
    }
    let best = Number.POSITIVE_INFINITY;
    let arg = -1;
    for (let i = 0; i < nc; i++) {
      const tau = cand[i]!;
      const v = f[tau]! + cost(s1, s2, e[tau]!, end) + beta;
      if (v < best) {
        best = v;
        arg = tau;
      }
    }
    f[k] = best;
    last[k] = arg;
  }
  const cuts: number[] = [];
  if (f[runs] === Number.POSITIVE_INFINITY) return cuts; // shorter than two minimum segments
  for (let k = last[runs]!; k > 0; k = last[k]!) cuts.push(e[k]!);
  return cuts.reverse();
}
