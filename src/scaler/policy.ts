/**
 * The scaler interface: how many pollers (Kafka consumers) the event source mapping runs.
 *
 * The simulator asks a policy at every evaluation for the poller count it wants; the change
 * takes effect after the policy's actuation delay. Policies are stateful (a scale-down wait,
 * KEDA's stabilisation window), so one is built per run by {@link createPolicy}.
 */

/** The policy presets, named after the eras in `docs/aws-esm.md`, plus two peer policies. */
export const POLICIES = {
  "legacy-15min": "legacy-15min",
  "on-demand-2022": "on-demand-2022",
  "on-demand-current": "on-demand-current",
  provisioned: "provisioned",
  keda: "keda",
  fixed: "fixed",
} as const;
export type PolicyName = keyof typeof POLICIES;

/** What a policy sees at an evaluation. */
export interface ScalerObservation {
  readonly nowSec: number;
  /** Records produced (or in the initial backlog) and not yet successfully processed. */
  readonly lagRecords: number;
  /** Lag at the previous evaluation (initial backlog at the first). */
  readonly previousLagRecords: number;
  /** Pollers the policy last asked for (the current count, or a pending change). */
  readonly pollers: number;
  readonly partitions: number;
  /** Throttled invocation attempts since the previous evaluation. */
  readonly throttlesSinceLast: number;
  /**
   * Partitions on which the consumer group has never committed an offset: nothing on them has
   * been processed yet (the run started with no committed offsets, at LATEST or TRIM_HORIZON).
   * Present only for a policy that sets {@link ScalerPolicy.observesCommits}.
   */
  readonly partitionsWithoutCommit?: number;
  /**
   * The part of `lagRecords` on those partitions: every record they hold (backlog included)
   * produced before `nowSec`, none processed. Present with `partitionsWithoutCommit`.
   */
  readonly lagWithoutCommitRecords?: number;
}

/** A policy's answer: the poller count it wants and why, in words. */
export interface ScalerDecision {
  readonly pollers: number;
  readonly reason: string;
}

/** One run's scaler. */
export interface ScalerPolicy {
  readonly name: PolicyName;
  /** Seconds between evaluations; Infinity for a policy that never changes its mind. */
  readonly evaluationIntervalSec: number;
  /** Seconds from an evaluation to the new poller count taking effect. */
  readonly actuationDelaySec: number;
  readonly initialPollers: number;
  readonly minPollers: number;
  /** Already capped at the partition count. */
  readonly maxPollers: number;
  evaluate(obs: ScalerObservation): ScalerDecision;
  /**
   * The policy needs `partitionsWithoutCommit` and `lagWithoutCommitRecords` (KEDA's Kafka
   * scaler counts a partition without a committed offset apart). The simulator computes them
   * at each evaluation only for such a policy, in O(partitions not yet committed).
   */
  readonly observesCommits?: boolean;
  /**
   * Whether the policy, seeing `obs` at every evaluation from now on, would keep `obs.pollers`
   * for ever. Asked once the topic is drained and production is over, to end the run; without
   * it a run ends when the policy is back at `minPollers`. (KEDA may never get there: it keeps
   * a consumer while a partition has no committed offset.) Must not change the policy's state.
   */
  atRest?(obs: ScalerObservation): boolean;
}

/** Clamp a wanted poller count into [min, max]. */
export function clampPollers(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}
