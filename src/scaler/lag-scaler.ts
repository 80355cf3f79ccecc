/**
 * The lag-driven scaler behind the AWS presets (`legacy-15min`, `on-demand-2022`,
 * `on-demand-current`, `provisioned`). AWS documents *that* it evaluates offset lag on an
 * interval and adds or removes consumers, never the rule itself, so every step of the rule is
 * a parameter (see `presets.ts` for which values are documented and which assumed):
 *
 * - scale up when lag exceeds a threshold (`lag-above-threshold`) or, as the blog's legacy
 *   scaler behaved, when lag is positive and not smaller than at the previous evaluation
 *   (`lag-not-decreasing`); by `add` k, `multiply` by k, `to-target` (⌈lag / target lag per
 *   poller⌉) or `to-max`;
 * - scale down after lag stayed at or below a threshold for `waitSec`: `to-min`, `subtract` k
 *   or `halve`;
 * - on throttles, remove pollers (AWS: "throttling reduces pollers"; legacy: fewer consumers
 *   when the function is overloaded).
 */
import {
  clampPollers,
  type PolicyName,
  type ScalerDecision,
  type ScalerObservation,
  type ScalerPolicy,
} from "./policy.js";

export const SCALE_UP_WHEN = {
  "lag-not-decreasing": "lag-not-decreasing",
  "lag-above-threshold": "lag-above-threshold",
} as const;
export type ScaleUpWhen = keyof typeof SCALE_UP_WHEN;

export const SCALE_UP_RULES = {
  add: "add",
  multiply: "multiply",
  "to-target": "to-target",
  "to-max": "to-max",
} as const;
export type ScaleUpRule = keyof typeof SCALE_UP_RULES;

export const SCALE_DOWN_RULES = {
  "to-min": "to-min",
  subtract: "subtract",
  halve: "halve",
} as const;
export type ScaleDownRule = keyof typeof SCALE_DOWN_RULES;

export const THROTTLE_RULES = { none: "none", subtract: "subtract", halve: "halve" } as const;
export type ThrottleRule = keyof typeof THROTTLE_RULES;

/** Fully resolved settings of a lag-driven scaler. */
export interface LagScalerSettings {
  readonly evaluationIntervalSec: number;
  readonly actuationDelaySec: number;
  readonly initialPollers: number;
  readonly minPollers: number;
  /** Already capped at the partition count. */
  readonly maxPollers: number;
  readonly scaleUp: {
    readonly when: ScaleUpWhen;
    readonly rule: ScaleUpRule;
    /** k for `add` (pollers) and `multiply` (factor). */
    readonly step: number;
    /** Lag must exceed this to scale up, records. */
    readonly lagThresholdRecords: number;
    /** For `to-target`: lag each poller should carry, records. */
    readonly targetLagPerPollerRecords: number;
  };
  readonly scaleDown: {
    readonly rule: ScaleDownRule;
    readonly step: number;
    /** Lag at or below this counts as idle, records. */
    readonly lagThresholdRecords: number;
    /** How long lag must stay idle before a step down, seconds. */
    readonly waitSec: number;
  };
  readonly onThrottle: { readonly rule: ThrottleRule; readonly step: number };
}

/** Build a lag-driven scaler for one run. */
export function lagScaler(name: PolicyName, s: LagScalerSettings): ScalerPolicy {
  let idleSinceSec = Number.NaN;
  const clamp = (n: number) => clampPollers(n, s.minPollers, s.maxPollers);

  const scaleUpTo = (obs: ScalerObservation): number => {
    const n = obs.pollers;
    switch (s.scaleUp.rule) {
      case "add":
        return n + s.scaleUp.step;
      case "multiply":
        return Math.ceil(Math.max(1, n) * s.scaleUp.step);
      case "to-target":
        return Math.ceil(obs.lagRecords / s.scaleUp.targetLagPerPollerRecords);
      case "to-max":
        return s.maxPollers;
    }
  };
  const scaleDownTo = (n: number): number => {
    switch (s.scaleDown.rule) {
      case "to-min":
        return s.minPollers;
      case "subtract":
        return n - s.scaleDown.step;
      case "halve":
        return Math.floor(n / 2);
    }
  };

  return {
    name,
    evaluationIntervalSec: s.evaluationIntervalSec,
    actuationDelaySec: s.actuationDelaySec,
    initialPollers: s.initialPollers,
    minPollers: s.minPollers,
    maxPollers: s.maxPollers,
    evaluate(obs): ScalerDecision {
      const n = obs.pollers;
      const lag = obs.lagRecords;
      if (obs.throttlesSinceLast > 0 && s.onThrottle.rule !== "none") {
        idleSinceSec = Number.NaN;
        const to = s.onThrottle.rule === "halve" ? Math.floor(n / 2) : n - s.onThrottle.step;
        return { pollers: clamp(to), reason: `${obs.throttlesSinceLast} throttles` };
      }
      const growing =
        s.scaleUp.when === "lag-not-decreasing"
          ? lag > s.scaleUp.lagThresholdRecords && lag >= obs.previousLagRecords
          : lag > s.scaleUp.lagThresholdRecords;
      if (growing) {
        idleSinceSec = Number.NaN;
        const to = clamp(Math.max(n, scaleUpTo(obs)));
        const why =
          s.scaleUp.when === "lag-not-decreasing"
            ? `lag ${lag} not smaller than ${obs.previousLagRecords}`
            : `lag ${lag} above ${s.scaleUp.lagThresholdRecords}`;
        return { pollers: to, reason: `${why}: ${s.scaleUp.rule}` };
      }
      if (lag <= s.scaleDown.lagThresholdRecords) {
        if (Number.isNaN(idleSinceSec)) idleSinceSec = obs.nowSec;
        if (obs.nowSec - idleSinceSec >= s.scaleDown.waitSec && n > s.minPollers) {
          idleSinceSec = obs.nowSec; // a further step waits again
          return {
            pollers: clamp(scaleDownTo(n)),
            reason: `lag ${lag} idle for ${s.scaleDown.waitSec} s: ${s.scaleDown.rule}`,
          };
        }
        return { pollers: n, reason: "idle, waiting" };
      }
      idleSinceSec = Number.NaN;
      return { pollers: n, reason: `lag ${lag} falling` };
    },
  };
}
