/**
 * Defaults of the non-scaler scenario fields, tagged like the scaler presets: `documented` by
 * AWS (source in the note) or `assumed` by esmlab (reason in the note). Keys are dotted paths
 * from the scenario root, checked against the scenario's type: a misspelt key, a missing one
 * or a value of the wrong type does not compile.
 */
import type { DurationModel } from "../lambda/duration.js";
import { assumed as assume, documented as doc, type ParameterRecord } from "../run/run.js";
import type { Path, PathValue } from "../util/paths.js";
import type { PartitionerSpec, Scenario } from "./types.js";

/** Values given whole, never field by field: which fields they have depends on their `kind`. */
export type WholeValue = DurationModel | PartitionerSpec;

/** A dotted path into a resolved scenario: "esm.batchSize", "function.duration", "scaler.policy", … */
export type ScenarioPath = Path<Scenario, WholeValue>;

/**
 * The scenario paths {@link MODEL_DEFAULTS} gives a default for: every topic, ESM and function
 * field but the partition count (a scenario must give it), and the workload's record size. The
 * scaler's come from the policy presets; the run controls are not model parameters.
 */
export type ModelPath = Exclude<
  Extract<ScenarioPath, `${"topic" | "esm" | "function"}.${string}` | "workload.recordBytes">,
  "topic.partitions"
>;

/** The type of a model path's value: `ModelValue<"esm.startingPosition">` is `"LATEST" | "TRIM_HORIZON"`. */
export type ModelValue<P extends ModelPath> = PathValue<Scenario, P>;

/** One record per model path, its value of the path's type. */
export type ModelDefaults = { readonly [P in ModelPath]: ParameterRecord<ModelValue<P>> };

/**
 * The model defaults by path.
 * @example MODEL_DEFAULTS["esm.batchSize"] // { value: 100, basis: "documented", note: "AWS: BatchSize default 100, maximum 10,000" }
 */
export const MODEL_DEFAULTS = {
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
} satisfies ModelDefaults;

/** Defaults of run controls (not model parameters, so not recorded as assumptions). */
export const RUN_DEFAULTS = {
  seed: 1,
  resolutionSec: 1,
  /** 30 days: a guard against scenarios that never drain. */
  maxDurationSec: 30 * 24 * 3600,
} as const;
