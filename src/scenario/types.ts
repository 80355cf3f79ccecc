/**
 * A fully resolved scenario: every default filled in, every value concrete. This is what the
 * simulator runs and what `run.json` records under `scenario`.
 */
import type { PartitionerKind } from "../kafka/partitioner.js";
import type { DurationModel } from "../lambda/duration.js";
import type { KedaSettings } from "../scaler/keda.js";
import type { LagScalerSettings } from "../scaler/lag-scaler.js";

export type WorkloadSpec =
  | { readonly kind: "constant"; readonly ratePerSec: number; readonly durationSec: number }
  | { readonly kind: "piecewise"; readonly pieces: readonly RatePieceSpec[] }
  | { readonly kind: "poisson"; readonly pieces: readonly RatePieceSpec[] }
  /** Replayed timestamps; `file` as written in the scenario, `records` its length. */
  | { readonly kind: "trace"; readonly file: string | null; readonly records: number };

export interface RatePieceSpec {
  readonly durationSec: number;
  readonly ratePerSec: number;
}

export type PartitionerSpec =
  | { readonly kind: Extract<PartitionerKind, "round-robin"> }
  | { readonly kind: Extract<PartitionerKind, "key-hash">; readonly keySpace: number }
  | {
      readonly kind: Extract<PartitionerKind, "zipf">;
      readonly keySpace: number;
      readonly exponent: number;
    };

/** Settings every policy has. */
export interface PollerSettings {
  /** Concurrent invocations one poller may have in flight (each on its own partition). */
  readonly concurrencyPerPoller: number;
  /** Bytes per second one poller can fetch; null = unlimited. */
  readonly pollerBytesPerSec: number | null;
  /** Pause of all polling after the poller count changes (consumer-group rebalance), seconds. */
  readonly rebalancePauseSec: number;
}

export type ScalerSpec =
  | ({ readonly policy: "legacy-15min" | "on-demand-2022" | "on-demand-current" } & PollerSettings &
      LagScalerSettings)
  | ({
      readonly policy: "provisioned";
      readonly usdPerEpuHour: number;
      readonly pollersPerEpu: number;
      readonly epuBytesPerSec: number;
    } & PollerSettings &
      LagScalerSettings)
  | ({ readonly policy: "keda" } & PollerSettings & KedaSettings)
  | ({ readonly policy: "fixed"; readonly pollers: number } & PollerSettings);

export interface Scenario {
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  readonly seed: number;
  readonly workload: WorkloadSpec & { readonly recordBytes: number };
  readonly topic: {
    readonly partitions: number;
    readonly partitioner: PartitionerSpec;
    readonly backlogRecords: number;
    readonly backlogAgeSec: number;
  };
  readonly esm: {
    readonly batchSize: number;
    readonly batchingWindowSec: number;
    readonly maxPayloadBytes: number;
    readonly startingPosition: "LATEST" | "TRIM_HORIZON";
    readonly batchScope: "partition";
  };
  readonly function: {
    readonly duration: DurationModel;
    readonly perRecordSec: number;
    readonly errorRate: number;
    readonly timeoutSec: number;
    readonly concurrencyLimit: number;
    readonly coldStartSec: number;
    readonly keepWarmSec: number;
    readonly throttleBackoffSec: number;
  };
  readonly scaler: ScalerSpec;
  readonly run: { readonly resolutionSec: number; readonly maxDurationSec: number };
}
