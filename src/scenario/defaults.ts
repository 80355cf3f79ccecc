/**
 * Defaults of the non-scaler scenario fields, tagged like the scaler presets: `documented` by
 * AWS (source in the note) or `assumed` by esmlab (reason in the note). Keys are dotted paths
 * from the scenario root.
 */
import { assumed as assume, documented as doc, type ParameterRecord } from "../run/run.js";

export const MODEL_DEFAULTS: Readonly<Record<string, ParameterRecord>> = {
  "workload.recordBytes": assume(
    1024,
    "record size unknown; matters only for the 6 MB cap and byte limits",
  ),
  "topic.partitioner": assume({ kind: "round-robin" }, "the seed's producer spread records evenly"),
  "topic.backlogRecords": assume(0, "empty topic at the start"),
  "topic.backlogAgeSec": assume(0, "backlog produced just before the start"),
  "esm.batchSize": doc(100, "AWS: BatchSize default 100, maximum 10,000"),
  "esm.batchingWindowSec": doc(0.5, "AWS: MaximumBatchingWindowInSeconds default 500 ms for Kafka"),
  "esm.maxPayloadBytes": doc(6 * 1024 * 1024, "AWS: 6 MB synchronous invocation payload limit"),
  "esm.startingPosition": assume("LATEST", "required by AWS; the seed used LATEST"),
  "esm.batchScope": assume(
    "partition",
    "AWS allows one payload to mix partitions; esmlab builds each batch from one partition",
  ),
  "function.duration": assume({ kind: "constant", sec: 3 }, "the seed's function: time.sleep(3)"),
  "function.perRecordSec": assume(0, "duration independent of batch size"),
  "function.errorRate": assume(0, "no function errors"),
  "function.timeoutSec": doc(840, "AWS: 14 min maximum timeout for Kafka event source mappings"),
  "function.concurrencyLimit": doc(1000, "AWS: default account concurrency quota"),
  "function.coldStartSec": assume(0, "cold starts ignored"),
  "function.keepWarmSec": assume(300, "idle execution environments reused for 5 min"),
  "function.throttleBackoffSec": assume(1, "retry delay after a throttle unpublished"),
};

/** Defaults of run controls (not model parameters, so not recorded as assumptions). */
export const RUN_DEFAULTS = {
  seed: 1,
  resolutionSec: 1,
  /** 30 days: a guard against scenarios that never drain. */
  maxDurationSec: 30 * 24 * 3600,
} as const;
