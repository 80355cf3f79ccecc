/**
 * KEDA's Kafka scaler feeding a Kubernetes HorizontalPodAutoscaler, as a peer policy to compare
 * with Lambda's. Sources (docs/aws-esm.md, "KEDA and the HPA"): KEDA docs, "Apache Kafka" scaler
 * (keda.sh/docs/2.x/scalers/apache-kafka: lagThreshold default 10, activationLagThreshold 0,
 * offsetResetPolicy latest, scaleToZeroOnInvalidOffset false, replicas never above the partition
 * count unless allowIdleConsumers) and kedacore/keda pkg/scalers/kafka_scaler.go; KEDA
 * ScaledObject spec (pollingInterval 30 s, cooldownPeriod 300 s, minReplicaCount 0,
 * maxReplicaCount 100) and pkg/scaling/executor/scale_scaledobjects.go; Kubernetes HPA docs and
 * pkg/controller/podautoscaler (sync period 15 s, tolerance 0.1, desired = ⌈metric / target⌉,
 * scale-down stabilisation window 300 s, default scale-up policy: the larger of 4 pods or 100 %
 * per 15 s).
 *
 * Two controllers, two clocks:
 * - KEDA, every pollingInterval, only activates (0 → 1 replica when lag is above the activation
 *   threshold) and deactivates (→ 0 once lag stayed at or below it for the cooldown period, when
 *   minReplicaCount is 0). The cooldown governs nothing else.
 * - The HPA, every sync period, decides between 1 and N replicas: the metric is KEDA's total lag,
 *   capped at partitions × lagThreshold; no change while metric / (lagThreshold × current) is
 *   within the tolerance of 1, else ⌈metric / lagThreshold⌉; a scale-down waits until no
 *   recommendation of the stabilisation window is higher; a scale-up is limited per period. It
 *   does nothing at zero replicas (the HPA is disabled there until KEDA activates the target).
 *
 * KEDA's lag of a partition is latest − committed offset; a partition without a committed offset
 * counts 1 under offsetResetPolicy `latest` (0 with scaleToZeroOnInvalidOffset) and its whole
 * log under `earliest`. In the simulator a partition has no committed offset until its first
 * batch is processed (the consumer group starts with none), so under `latest` a partition that
 * never receives a record keeps KEDA from scaling to zero, as in kedacore/keda#2033.
 */
import {
  clampPollers,
  type ScalerDecision,
  type ScalerObservation,
  type ScalerPolicy,
} from "./policy.js";

/** KEDA's offsetResetPolicy: how it counts the lag of a partition without a committed offset. */
export const OFFSET_RESET_POLICIES = { latest: "latest", earliest: "earliest" } as const;
export type OffsetResetPolicy = keyof typeof OFFSET_RESET_POLICIES;

export interface KedaSettings {
  /** KEDA's pollingInterval: activation and deactivation only. */
  readonly pollingIntervalSec: number;
  /** The HPA's sync period (kube-controller-manager --horizontal-pod-autoscaler-sync-period). */
  readonly hpaSyncPeriodSec: number;
  readonly actuationDelaySec: number;
  readonly lagThresholdRecords: number;
  readonly activationLagThresholdRecords: number;
  /** Lag of a partition without a committed offset: 1 (`latest`) or its whole log (`earliest`). */
  readonly offsetResetPolicy: OffsetResetPolicy;
  /** Count a partition without a committed offset as lag 0 instead. */
  readonly scaleToZeroOnInvalidOffset: boolean;
  readonly minReplicas: number;
  /** Already capped at the partition count. */
  readonly maxReplicas: number;
  /** HPA: no change while |1 − metric / (lagThreshold × current)| ≤ tolerance. */
  readonly tolerance: number;
  readonly stabilizationWindowSec: number;
  readonly cooldownSec: number;
  /** HPA scale-up policy: per period, at most max(pods, percent %) more replicas. */
  readonly scaleUpPods: number;
  readonly scaleUpPercent: number;
  readonly scaleUpPeriodSec: number;
}

/** Whole milliseconds, at least 1: the grain on which the two cadences are laid. */
const toMs = (sec: number): number => Math.max(1, Math.round(sec * 1000));

function gcd(a: number, b: number): number {
  // an interval too long to count in milliseconds (1e308 s is Infinity ms) never comes round:
  // the other one is the clock (Infinity % b is NaN, and NaN !== 0 would loop for ever)
  if (!Number.isFinite(a)) return b;
  if (!Number.isFinite(b)) return a;
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The policy's single evaluation clock: the greatest common divisor of KEDA's pollingInterval
 * and the HPA's sync period, both taken to the millisecond (15 s with the defaults 30 s and
 * 15 s; 5 s for a 5 s or 10 s pollingInterval).
 */
export function kedaEvaluationIntervalSec(
  s: Pick<KedaSettings, "pollingIntervalSec" | "hpaSyncPeriodSec">,
): number {
  return gcd(toMs(s.pollingIntervalSec), toMs(s.hpaSyncPeriodSec)) / 1000;
}

/** Build a KEDA-style scaler for one run. */
export function kedaScaler(s: KedaSettings, partitions: number): ScalerPolicy {
  // The simulator evaluates a policy on one clock, so the policy ticks every
  // g = gcd(pollingInterval, sync period) and tells the two controllers' turns apart by the tick
  // index k = round(now / g), computed from the clock rather than counted, so float drift in the
  // clock cannot shift it and a direct caller may skip ticks: KEDA polls when k is a multiple of
  // pollingInterval / g, the HPA syncs when k is a multiple of syncPeriod / g, both at
  // t = 0, g, 2g… as the clocks of two controllers started together. On a tick that is both,
  // KEDA goes first and, if it activates or deactivates the target, the HPA sits that sync out.
  const gMs = gcd(toMs(s.pollingIntervalSec), toMs(s.hpaSyncPeriodSec));
  const pollEvery = toMs(s.pollingIntervalSec) / gMs;
  const syncEvery = toMs(s.hpaSyncPeriodSec) / gMs;
  const floor = Math.max(1, s.minReplicas);
  const thr = s.lagThresholdRecords;
  // (time, recommendation) over the stabilisation window, oldest first
  const history: { t: number; n: number }[] = [];
  // the HPA's own scale events (time, replicas added, negative when removed), oldest first
  const events: { t: number; change: number }[] = [];
  let lastActiveSec = Number.NEGATIVE_INFINITY;

  /** KEDA's total lag: partitions without a committed offset counted as the settings say. */
  const kedaLag = (obs: ScalerObservation): number => {
    const without = obs.partitionsWithoutCommit ?? 0;
    if (without === 0) return obs.lagRecords;
    if (s.offsetResetPolicy === "earliest" && !s.scaleToZeroOnInvalidOffset) {
      return obs.lagRecords; // their whole log: everything they hold, as in the simulator
    }
    const each = s.scaleToZeroOnInvalidOffset ? 0 : 1;
    return obs.lagRecords - (obs.lagWithoutCommitRecords ?? 0) + without * each;
  };
  /** KEDA's metric for the HPA: total lag capped at partitions × lagThreshold (Go's int division). */
  const metricOf = (lag: number): number =>
    Math.floor(lag / thr) > partitions ? partitions * thr : lag;
  /** The HPA's recommendation for `current` replicas, tolerance applied, within [floor, max]. */
  const recommend = (metric: number, current: number): number => {
    const ratio = metric / (thr * current);
    const proposal = Math.abs(1 - ratio) <= s.tolerance ? current : Math.ceil(metric / thr);
    return clampPollers(proposal, floor, s.maxReplicas);
  };
  const invalidNote = (obs: ScalerObservation): string => {
    const without = obs.partitionsWithoutCommit ?? 0;
    if (without === 0) return "";
    const each = s.scaleToZeroOnInvalidOffset
      ? "0"
      : s.offsetResetPolicy === "latest"
        ? "1"
        : "their log";
    return ` (${without} partition${without === 1 ? "" : "s"} without a committed offset counted as ${each})`;
  };

  /** KEDA's scale loop: activation and deactivation only; null when it leaves things alone. */
  const kedaPoll = (obs: ScalerObservation, lag: number): ScalerDecision | null => {
    const now = obs.nowSec;
    const current = obs.pollers;
    const active = lag > s.activationLagThresholdRecords;
    if (active) lastActiveSec = now;
    if (current === 0) {
      // kedacore/keda pkg/scaling/executor/scale_scaledobjects.go: an active trigger scales a
      // target at zero to max(minReplicaCount, 1); an inactive one leaves it there
      return active
        ? {
            pollers: floor,
            reason: `lag ${lag}${invalidNote(obs)} above activation ${s.activationLagThresholdRecords}: activate`,
          }
        : { pollers: 0, reason: "inactive" };
    }
    if (!active && s.minReplicas === 0 && now - lastActiveSec > s.cooldownSec) {
      // from any replica count, straight to zero: the cooldown's only use
      return {
        pollers: 0,
        reason: `inactive for more than the ${s.cooldownSec} s cooldown: deactivate`,
      };
    }
    return null;
  };

  /** The HPA's sync: recommendation, stabilisation, scale-up limit. */
  const hpaSync = (obs: ScalerObservation, lag: number): ScalerDecision => {
    const now = obs.nowSec;
    const current = obs.pollers;
    const metric = metricOf(lag);
    const desired = recommend(metric, current);
    // a recommendation counts while strictly newer than now − window (HPA's horizontal.go,
    // stabilizeRecommendationWithBehaviors); a scale event while strictly newer than
    // now − period (getReplicasChangePerPeriod)
    history.push({ t: now, n: desired });
    while (history.length > 0 && history[0]!.t <= now - s.stabilizationWindowSec) history.shift();
    while (events.length > 0 && events[0]!.t <= now - s.scaleUpPeriodSec) events.shift();
    let target = current;
    let limitNote = "";
    if (desired < current) {
      // scale-down stabilisation: the highest recommendation in the window (the default
      // scale-down policy, 100 % per 15 s, limits nothing)
      target = desired;
      for (const h of history) target = Math.max(target, h.n);
      target = Math.min(target, current);
      if (target > desired)
        limitNote = `; held at ${target} by the ${s.stabilizationWindowSec} s window`;
    } else if (desired > current) {
      // scale-up policy: from the replica count at the start of the period (the HPA's own
      // changes within the last period undone), the larger of +pods and +percent
      let changed = 0;
      for (const e of events) changed += e.change;
      const start = current - changed;
      const limit = Math.max(
        current,
        start + s.scaleUpPods,
        Math.ceil(start * (1 + s.scaleUpPercent / 100)),
      );
      target = Math.min(desired, limit);
      if (target < desired) limitNote = `; limited to ${target} per ${s.scaleUpPeriodSec} s`;
    }
    if (target !== current) events.push({ t: now, change: target - current });
    const ratio = metric / (thr * current);
    const rule =
      Math.abs(1 - ratio) <= s.tolerance
        ? `${metric}/(${thr}×${current}) within ${s.tolerance} of 1: keep ${current}`
        : `⌈${metric}/${thr}⌉ = ${Math.ceil(metric / thr)}`;
    return { pollers: target, reason: `lag ${lag}${invalidNote(obs)} → ${rule}${limitNote}` };
  };

  return {
    name: "keda",
    evaluationIntervalSec: gMs / 1000,
    actuationDelaySec: s.actuationDelaySec,
    initialPollers: s.minReplicas,
    minPollers: s.minReplicas,
    maxPollers: s.maxReplicas,
    // under earliest without scaleToZeroOnInvalidOffset KEDA's lag is the real lag
    observesCommits: s.offsetResetPolicy === "latest" || s.scaleToZeroOnInvalidOffset,
    evaluate(obs) {
      const lag = kedaLag(obs);
      const tick = Math.round((obs.nowSec * 1000) / gMs);
      if (tick % pollEvery === 0) {
        const decision = kedaPoll(obs, lag);
        if (decision !== null) return decision;
      }
      if (obs.pollers === 0) return { pollers: 0, reason: "zero replicas: KEDA's turn" };
      if (tick % syncEvery !== 0) return { pollers: obs.pollers, reason: "between HPA syncs" };
      return hpaSync(obs, lag);
    },
    atRest(obs) {
      const lag = kedaLag(obs);
      const active = lag > s.activationLagThresholdRecords;
      const n = obs.pollers;
      // at zero KEDA activates an active trigger; above zero with minReplicaCount 0 it
      // deactivates an inactive one after the cooldown; else the HPA, whose recommendation
      // for a fixed metric is a fixed point once it equals the current count
      if (n === 0) return !active && s.minReplicas === 0;
      if (!active && s.minReplicas === 0) return false;
      return recommend(metricOf(lag), n) === n;
    },
  };
}
