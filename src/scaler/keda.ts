/**
 * KEDA's Kafka scaler feeding a Kubernetes HorizontalPodAutoscaler, as a peer policy to compare
 * with Lambda's. Sources: KEDA docs, "Apache Kafka" scaler (keda.sh/docs/2.x/scalers/apache-kafka:
 * lagThreshold default 10, activationLagThreshold, replicas never above the partition count
 * unless allowIdleConsumers); KEDA ScaledObject spec (pollingInterval 30 s, cooldownPeriod 300 s,
 * minReplicaCount 0, maxReplicaCount 100); Kubernetes HPA docs (desired = ⌈metric / target⌉,
 * scale-down stabilisation window 300 s, default scale-up policy: the larger of 4 pods or 100 %
 * per 15 s).
 *
 * The metric is total lag capped at partitions × lagThreshold (KEDA caps each partition's
 * contribution); replicas = ⌈metric / lagThreshold⌉. Scaling to zero is KEDA's own: after
 * lag stayed at or below the activation threshold for the cooldown period.
 */
import { clampPollers, type ScalerPolicy } from "./policy.js";

export interface KedaSettings {
  readonly pollingIntervalSec: number;
  readonly actuationDelaySec: number;
  readonly lagThresholdRecords: number;
  readonly activationLagThresholdRecords: number;
  readonly minReplicas: number;
  /** Already capped at the partition count. */
  readonly maxReplicas: number;
  readonly stabilizationWindowSec: number;
  readonly cooldownSec: number;
  /** HPA scale-up policy: per period, at most max(pods, percent %) more replicas. */
  readonly scaleUpPods: number;
  readonly scaleUpPercent: number;
  readonly scaleUpPeriodSec: number;
}

/** Build a KEDA-style scaler for one run. */
export function kedaScaler(s: KedaSettings, partitions: number): ScalerPolicy {
  // (time, recommendation) over the stabilisation window, oldest first
  let history: { t: number; n: number }[] = [];
  let lastActiveSec = Number.NEGATIVE_INFINITY;
  return {
    name: "keda",
    evaluationIntervalSec: s.pollingIntervalSec,
    actuationDelaySec: s.actuationDelaySec,
    initialPollers: s.minReplicas,
    minPollers: s.minReplicas,
    maxPollers: s.maxReplicas,
    evaluate(obs) {
      const lag = obs.lagRecords;
      const now = obs.nowSec;
      const active = lag > s.activationLagThresholdRecords;
      if (active) lastActiveSec = now;
      const current = obs.pollers;
      if (current === 0) {
        // KEDA itself activates a target at zero to one replica; the HPA scales from there
        // (kedacore/keda pkg/scaling/executor/scale_scaledobjects.go, RequestScale)
        return active
          ? {
              pollers: 1,
              reason: `lag ${lag} above activation ${s.activationLagThresholdRecords}: activate`,
            }
          : { pollers: 0, reason: "inactive" };
      }
      if (!active && s.minReplicas === 0 && now - lastActiveSec > s.cooldownSec) {
        history = [];
        return {
          pollers: 0,
          reason: `inactive for more than the ${s.cooldownSec} s cooldown: deactivate`,
        };
      }
      const metric = Math.min(lag, partitions * s.lagThresholdRecords);
      // the HPA's recommendation, never below one replica
      const desired = clampPollers(
        Math.ceil(metric / s.lagThresholdRecords),
        Math.max(1, s.minReplicas),
        s.maxReplicas,
      );
      history.push({ t: now, n: desired });
      // a recommendation counts while strictly newer than now − window (HPA's horizontal.go)
      while (history.length > 0 && history[0]!.t <= now - s.stabilizationWindowSec) history.shift();
      let target = current;
      if (desired < current) {
        // scale-down stabilisation: the highest recommendation in the window
        target = desired;
        for (const h of history) target = Math.max(target, h.n);
        target = Math.min(target, current);
      } else if (desired > current) {
        let limit = current;
        const periods = Math.max(1, Math.round(s.pollingIntervalSec / s.scaleUpPeriodSec));
        // the limit only grows, so once it reaches the recommendation further periods change
        // nothing: stop there (at most `desired − current` steps, whatever the period count)
        for (let i = 0; i < periods && limit < desired; i++) {
          limit = Math.max(limit + s.scaleUpPods, Math.ceil(limit * (1 + s.scaleUpPercent / 100)));
        }
        target = Math.min(desired, limit);
      }
      return {
        pollers: target,
        reason: `lag ${lag} → ⌈${metric}/${s.lagThresholdRecords}⌉ = ${desired}`,
      };
    },
  };
}
