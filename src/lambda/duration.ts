/**
 * How long one invocation of the function runs: a base duration drawn from a model plus an
 * optional cost per record in the batch. The seed's function is `time.sleep(3)`: constant 3 s.
 */
import type { Rng } from "../engine/prng.js";

/** The duration models, as named in scenario files (`function.duration.kind`). */
export const DURATION_KINDS = {
  constant: "constant",
  normal: "normal",
  lognormal: "lognormal",
  empirical: "empirical",
} as const;
export type DurationKind = keyof typeof DURATION_KINDS;

export type DurationModel =
  | { readonly kind: "constant"; readonly sec: number }
  /** Normal, truncated below at `minSec` (redrawn, not clamped, so the mean stays honest). */
  | {
      readonly kind: "normal";
      readonly meanSec: number;
      readonly sdSec: number;
      readonly minSec: number;
    }
  /** exp(N(ln median, sigma²)). */
  | { readonly kind: "lognormal"; readonly medianSec: number; readonly sigma: number }
  /** Drawn uniformly from measured samples. */
  | { readonly kind: "empirical"; readonly samplesSec: readonly number[] };

/** A sampler returning seconds for one invocation. */
export type DurationSampler = (rng: Rng) => number;

/**
 * Build a sampler for a validated model.
 * @example durationSampler({ kind: "constant", sec: 3 })(rng) // 3
 */
export function durationSampler(model: DurationModel): DurationSampler {
  switch (model.kind) {
    case "constant": {
      const sec = model.sec;
      return () => sec;
    }
    case "normal": {
      const { meanSec, sdSec, minSec } = model;
      return (rng) => {
        for (;;) {
          const v = meanSec + sdSec * rng.normal();
          if (v >= minSec) return v;
        }
      };
    }
    case "lognormal": {
      const mu = Math.log(model.medianSec);
      const sigma = model.sigma;
      return (rng) => Math.exp(mu + sigma * rng.normal());
    }
    case "empirical": {
      const samples = Float64Array.from(model.samplesSec);
      return (rng) => samples[rng.int(samples.length)]!;
    }
  }
}

/** Mean of a duration model, seconds (for the blog's formulas). */
export function meanDurationSec(model: DurationModel): number {
  switch (model.kind) {
    case "constant":
      return model.sec;
    case "normal":
      // truncation raises the mean slightly; the untruncated mean is what a user wrote
      return model.meanSec;
    case "lognormal":
      return model.medianSec * Math.exp((model.sigma * model.sigma) / 2);
    case "empirical":
      return model.samplesSec.reduce((a, b) => a + b, 0) / model.samplesSec.length;
  }
}
