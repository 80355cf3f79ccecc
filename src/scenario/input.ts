/**
 * A scenario as written in a file, before defaults: plain types, so that what esmlab's main
 * entry declares reaches no validation library (a tslab notebook type-checks every cell against
 * that graph, see issue 14). `schema.ts` validates files against the zod schema and proves at
 * compile time that the schema's type is exactly this one.
 *
 * Units are in the names: `…Sec` seconds, `…Bytes` bytes, `…PerSec` per second.
 */

/**
 * Marker value of the `legacy-15min` preset's `initialPollers`: ⌈maxPollers / 2⌉. An
 * alternative to the default of one consumer, on the word of a Jan 2022 AWS What's New;
 * `esmlab scenario` shows it as given, with {@link HALF_MAX_POLLERS_SOURCE} as its note.
 */
export const HALF_MAX_POLLERS = "halfMaxPollers";
/** The source of {@link HALF_MAX_POLLERS}, as the parameter's note (docs/aws-esm.md). */
export const HALF_MAX_POLLERS_SOURCE =
  "Jan 2022 AWS What's New (aws.amazon.com/about-aws/whats-new/2022/01/): the legacy scaler 'started with 50 % of the maximum consumers'; the 2021 docs and the seed blog say one";

/** A stretch of a piecewise workload: this rate for this long. */
export interface RatePiece {
  durationSec: number;
  ratePerSec: number;
}

/** How records arrive on the topic. */
export type WorkloadInput =
  | {
      kind: "constant";
      ratePerSec: number;
      durationSec: number;
      recordBytes?: number | undefined;
    }
  | { kind: "piecewise"; pieces: RatePiece[]; recordBytes?: number | undefined }
  | {
      /** Poisson arrivals at a constant rate for a duration, or at piecewise rates */
      kind: "poisson";
      ratePerSec?: number | undefined;
      durationSec?: number | undefined;
      pieces?: RatePiece[] | undefined;
      recordBytes?: number | undefined;
    }
  | {
      kind: "trace";
      /** a text file of timestamps (seconds), one per line, relative to the scenario file */
      file?: string | undefined;
      timestampsSec?: number[] | undefined;
      recordBytes?: number | undefined;
    };

/** How a producer spreads records over partitions. */
export type PartitionerInput =
  | { kind: "round-robin" }
  | { kind: "key-hash"; keySpace: number }
  | { kind: "zipf"; keySpace: number; exponent: number };

/** The function's duration per batch. */
export type DurationInput =
  | { kind: "constant"; sec: number }
  | { kind: "normal"; meanSec: number; sdSec: number; minSec?: number | undefined }
  | { kind: "lognormal"; medianSec: number; sigma: number }
  | { kind: "empirical"; samplesSec: number[] };

/** Fields every lag-driven and KEDA policy shares. */
export interface CommonScalerInput {
  initialPollers?: number | undefined;
  minPollers?: number | undefined;
  maxPollers?: number | undefined;
  concurrencyPerPoller?: number | undefined;
  /** a poller's read throughput; null for unlimited */
  pollerBytesPerSec?: number | null | undefined;
  evaluationIntervalSec?: number | undefined;
  actuationDelaySec?: number | undefined;
  rebalancePauseSec?: number | undefined;
}

/** The scale-up, scale-down and throttle rules of the lag-driven policies. */
export interface LagRulesInput {
  scaleUp?:
    | {
        when?: "lag-not-decreasing" | "lag-above-threshold" | undefined;
        rule?: "add" | "multiply" | "to-target" | "to-max" | undefined;
        step?: number | undefined;
        lagThresholdRecords?: number | undefined;
        targetLagPerPollerRecords?: number | undefined;
      }
    | undefined;
  scaleDown?:
    | {
        rule?: "to-min" | "subtract" | "halve" | undefined;
        step?: number | undefined;
        lagThresholdRecords?: number | undefined;
        waitSec?: number | undefined;
      }
    | undefined;
  onThrottle?:
    | {
        rule?: "none" | "subtract" | "halve" | undefined;
        step?: number | undefined;
      }
    | undefined;
}

/** The scaler: a policy and any of its parameters to override. */
export type ScalerInput =
  | (Omit<CommonScalerInput, "initialPollers"> &
      LagRulesInput & {
        policy: "legacy-15min";
        initialPollers?: number | typeof HALF_MAX_POLLERS | undefined;
      })
  | (CommonScalerInput & LagRulesInput & { policy: "on-demand-2022" })
  | (CommonScalerInput & LagRulesInput & { policy: "on-demand-current" })
  | (CommonScalerInput &
      LagRulesInput & {
        policy: "provisioned";
        usdPerEpuHour?: number | undefined;
        pollersPerEpu?: number | undefined;
        epuBytesPerSec?: number | undefined;
      })
  | (CommonScalerInput & {
      policy: "keda";
      /** the Kubernetes HPA's sync period; `evaluationIntervalSec` is KEDA's pollingInterval */
      hpaSyncPeriodSec?: number | undefined;
      lagThresholdRecords?: number | undefined;
      activationLagThresholdRecords?: number | undefined;
      offsetResetPolicy?: "latest" | "earliest" | undefined;
      scaleToZeroOnInvalidOffset?: boolean | undefined;
      tolerance?: number | undefined;
      stabilizationWindowSec?: number | undefined;
      cooldownSec?: number | undefined;
      scaleUpPods?: number | undefined;
      scaleUpPercent?: number | undefined;
      scaleUpPeriodSec?: number | undefined;
    })
  | {
      policy: "fixed";
      pollers?: number | undefined;
      concurrencyPerPoller?: number | undefined;
      pollerBytesPerSec?: number | null | undefined;
      rebalancePauseSec?: number | undefined;
    };

/** A scenario as written in a file (before defaults); see `data/scenario.schema.json`. */
export interface ScenarioInput {
  $schema?: string | undefined;
  name?: string | undefined;
  label?: string | undefined;
  description?: string | undefined;
  seed?: number | undefined;
  workload: WorkloadInput;
  topic: {
    partitions: number;
    partitioner?: PartitionerInput | undefined;
    backlogRecords?: number | undefined;
    backlogAgeSec?: number | undefined;
  };
  esm?:
    | {
        batchSize?: number | undefined;
        batchingWindowSec?: number | undefined;
        maxPayloadBytes?: number | undefined;
        startingPosition?: "LATEST" | "TRIM_HORIZON" | undefined;
        /** where a batch's records come from: one partition (the only model so far) */
        batchScope?: "partition" | undefined;
      }
    | undefined;
  function?:
    | {
        duration?: DurationInput | undefined;
        perRecordSec?: number | undefined;
        errorRate?: number | undefined;
        timeoutSec?: number | undefined;
        concurrencyLimit?: number | undefined;
        coldStartSec?: number | undefined;
        keepWarmSec?: number | undefined;
        throttleBackoffSec?: number | undefined;
      }
    | undefined;
  scaler?: ScalerInput | undefined;
  run?:
    | {
        resolutionSec?: number | undefined;
        maxDurationSec?: number | undefined;
      }
    | undefined;
}
