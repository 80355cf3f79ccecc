/**
 * How much a run's CloudWatch view moves by chance alone, estimated from the data:
 *
 * - **jitter of the measurement**: the spread of each measured series' minute-to-minute
 *   differences (σ̂ = 1.4826 · median|Δy| / √2, the MAD estimator of `fit/noise.ts`), never
 *   below the rounding of a count to whole numbers per minute (1/√12: a minute's count or
 *   maximum is an integer, so any view is at least that far from the continuous truth). A view
 *   that differs from the best fit by σ̂ in every minute scores σ̂c/peak + σ̂i/peak;
 * - **random draws**: the best-fitting scaler simulated again with other seeds (Poisson
 *   arrivals, random durations), each replicate's view scored against the best fit's, as
 *   calibration scores a measurement (a parametric bootstrap: Efron & Tibshirani 1993, ch. 6);
 * - **the fit's own residual**: the best score is an RMS over n minutes, uncertain by about
 *   score·√(2/n) (twice the standard error of an RMS), which matters when the model cannot
 *   reproduce the measurement exactly.
 *
 * The tolerance is the largest of the three: values whose best fit stays within it of the best
 * cannot be told apart by the data.
 */
import { minuteSeries, pooledViewError, viewErrorOf } from "../compare/view-error.js";
import { quickselect } from "../fit/noise.js";
import type { ScalerSpec } from "../scenario/types.js";
import type { Objective } from "./objective.js";

/** Seeds of the replicates, as offsets from each scenario's own seed. */
export const SEED_OFFSETS = [1, 2, 3] as const;
/** Standard deviation of rounding to whole numbers (a uniform error on ±½). */
export const ROUNDING_SIGMA = 1 / Math.sqrt(12);

export interface NoiseEstimate {
  /** Score distance within which fits are indistinguishable (what the ranges are cut at). */
  readonly tolerance: number;
  /** Score of a view σ̂ away from the best fit in every minute (largest over the runs). */
  readonly jitterScore: number;
  /** Largest score of a replicate (another seed) against the best fit. */
  readonly replicateScore: number;
  /** The best fit's own uncertainty, score·√(2/n). */
  readonly residualScore: number;
  /** Per-minute noise σ̂ of each run's concurrency and invocations, in input order. */
  readonly sigmas: readonly { readonly concurrency: number; readonly invocations: number }[];
}

/**
 * The noise of the measurements around the best fit `scaler`, given that fit (its pooled
 * error and each case's simulated minute series, as {@link Objective.fit} returns them).
 */
export function estimateNoise(
  objective: Objective,
  scaler: ScalerSpec,
  best: ReturnType<Objective["fit"]>,
): NoiseEstimate {
  const cases = objective.problem.cases;
  const peaks = objective.peaks;
  const sigmas = cases.map((c) => ({
    concurrency: jitterSigma(c.measured.concurrency.values),
    invocations: jitterSigma(c.measured.invocations.values),
  }));
  const jitterScore = Math.max(
    ...sigmas.map(
      (s, i) => s.concurrency / peaks[i]!.concurrency + s.invocations / peaks[i]!.invocations,
    ),
  );
  let replicateScore = 0;
  for (const seedOffset of SEED_OFFSETS) {
    const parts = cases.map((c, i) => {
      const scenario = { ...c.base.scenario, seed: c.base.scenario.seed + seedOffset };
      const run = objective.simulateCase({ ...c, base: { ...c.base, scenario } }, scaler);
      return { error: viewErrorOf(minuteSeries(run), best.cases[i]!.minutes), peaks: peaks[i]! };
    });
    replicateScore = Math.max(replicateScore, pooledViewError(parts).score);
  }
  const { score, minutesCompared } = best.error;
  const residualScore = score * Math.sqrt(2 / Math.max(1, minutesCompared));
  return {
    tolerance: Math.max(jitterScore, replicateScore, residualScore),
    jitterScore,
    replicateScore,
    residualScore,
    sigmas,
  };
}

/**
 * Minute-to-minute noise of a measured series: the MAD of its first differences (steps move
 * it once, so they hardly count), at least the rounding of whole counts.
 */
export function jitterSigma(y: Float64Array): number {
  if (y.length < 2) return ROUNDING_SIGMA;
  const d = new Float64Array(y.length - 1);
  for (let i = 0; i < d.length; i++) d[i] = Math.abs(y[i + 1]! - y[i]!);
  const median = quickselect(d, (d.length - 1) >> 1);
  return Math.max(ROUNDING_SIGMA, (1.4826 * median) / Math.SQRT2);
}
