/** Resolved scaler spec → the {@link ScalerPolicy} for one run. */
import type { ScalerSpec } from "../scenario/types.js";
import { kedaScaler } from "./keda.js";
import { lagScaler } from "./lag-scaler.js";
import type { ScalerPolicy } from "./policy.js";

/** Build a fresh (stateful) policy for one run. */
export function createPolicy(spec: ScalerSpec, partitions: number): ScalerPolicy {
  switch (spec.policy) {
    case "keda":
      return kedaScaler(spec, partitions);
    case "fixed":
      return {
        name: "fixed",
        evaluationIntervalSec: Number.POSITIVE_INFINITY,
        actuationDelaySec: 0,
        initialPollers: spec.pollers,
        minPollers: spec.pollers,
        maxPollers: spec.pollers,
        evaluate: (obs) => ({ pollers: obs.pollers, reason: "fixed" }),
      };
    default:
      return lagScaler(spec.policy, spec);
  }
}
