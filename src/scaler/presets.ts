/**
 * Default parameters of every scaler policy, each tagged with its basis: `documented` (AWS or
 * KEDA/Kubernetes documentation says so, source in `note`) or `assumed` (undocumented: a
 * default to calibrate against measured runs, reason in `note`). Reports must never present an
 * assumed value as a fact; the run records the basis of every value it used.
 *
 * Sources: AWS Lambda Developer Guide, "Using Lambda with Amazon MSK" (scaling sections of the
 * 2020, 2022 and 2023 versions), "All Amazon MSK event source configuration parameters"
 * (docs.aws.amazon.com/lambda/latest/dg/msk-esm-parameters.html: MinimumPollers default 1,
 * MaximumPollers default 200), provisioned-mode pages (5 MB/s or 5 concurrent invocations per
 * poller; EPU = 20 MB/s, 10 pollers); the seed blog (Hexaview, Feb 2023); KEDA and HPA docs
 * (see keda.ts).
 */
import { assumed as assume, documented as doc, type ParameterRecord } from "../run/run.js";
import type { HALF_MAX_POLLERS } from "../scenario/input.js";
import type { ScalerSpec } from "../scenario/types.js";
import type { Path, PathValue } from "../util/paths.js";
import type { LagScalerSettings } from "./lag-scaler.js";
import type { PolicyName } from "./policy.js";

/** Marker value of `maxPollers` meaning "the partition count". */
export const PARTITIONS = "partitions";

/** The resolved scaler of policy `P` (the three on-demand and legacy presets share one form). */
export type ScalerSpecOf<P extends PolicyName> = ScalerSpec & { readonly policy: P };

/**
 * The settings a policy's table gives, by the scenario file's names: the policy's resolved
 * settings, except that KEDA's table gives the names every policy shares (`evaluationIntervalSec`,
 * `initialPollers`, `minPollers`, `maxPollers`), which resolveScaler copies to KEDA's own.
 */
export type PresetSettings<P extends PolicyName> = Omit<
  ScalerSpecOf<P>,
  "policy" | "pollingIntervalSec" | "minReplicas" | "maxReplicas"
> &
  (P extends "keda"
    ? Pick<
        LagScalerSettings,
        "evaluationIntervalSec" | "initialPollers" | "minPollers" | "maxPollers"
      >
    : unknown);

/** A key of a policy's table, relative to `scaler.`: "maxPollers", "scaleUp.rule", … */
export type PresetPath<P extends PolicyName> = Path<PresetSettings<P>>;

/**
 * Marker values of the poller counts, replaced by resolveScaler: {@link PARTITIONS} (the
 * partition count), "minPollers" (the resolved minimum), "halfMaxPollers" (⌈maxPollers / 2⌉).
 */
export type PollerMarker = typeof PARTITIONS | "minPollers" | typeof HALF_MAX_POLLERS;

/** The poller counts, which a table may give as a {@link PollerMarker}. */
export type PollerCount = "initialPollers" | "minPollers" | "maxPollers" | "pollers";

/** The type of a table's value at `K`: the setting's type, or a marker for a poller count. */
export type PresetValue<P extends PolicyName, K extends PresetPath<P>> =
  | PathValue<PresetSettings<P>, K>
  | (K extends PollerCount ? PollerMarker : never);

/** A policy's table: a record for every setting of the policy, its value of the setting's type. */
export type PresetTable<P extends PolicyName> = {
  readonly [K in PresetPath<P>]: ParameterRecord<PresetValue<P, K>>;
};

/** The settings {@link common} gives every policy's table. */
type CommonPath = "rebalancePauseSec" | "pollerBytesPerSec";

/**
 * A policy's table as written below, before {@link common}: every setting but those common
 * gives. Each is checked with `satisfies`, so a misspelt or missing key, or a value of the
 * wrong type, does not compile.
 */
type Own<P extends PolicyName> = Omit<PresetTable<P>, CommonPath> & {
  readonly [K in CommonPath & keyof PresetTable<P>]?: PresetTable<P>[K];
};

/**
 * Every policy's table; also indexable by a path held in a string (messages, tests), which
 * finds a record or undefined.
 */
export type PolicyDefaults = {
  readonly [P in PolicyName]: PresetTable<P> & Readonly<Record<string, ParameterRecord>>;
};

const lagRulesLegacy = {
  "scaleUp.when": assume(
    "lag-not-decreasing",
    "blog: re-evaluates every 13–15 min and raises parallelism while backlog grows",
  ),
  "scaleUp.rule": assume(
    "to-max",
    "blog conclusion 4: jumps to the partition count at the first evaluation",
  ),
  "scaleUp.step": assume(1, "unused by to-max"),
  "scaleUp.lagThresholdRecords": assume(0, "AWS: 'if the lag is too high' — threshold unpublished"),
  "scaleUp.targetLagPerPollerRecords": assume(100, "unused by to-max"),
  "scaleDown.rule": assume("to-min", "blog: back to one consumer once lag is 0; rule unpublished"),
  "scaleDown.step": assume(1, "unused by to-min"),
  "scaleDown.lagThresholdRecords": assume(0, "scale down only when fully drained"),
  "scaleDown.waitSec": assume(0, "acts at the first evaluation that sees no lag"),
  "onThrottle.rule": assume(
    "subtract",
    "AWS: fewer consumers when the function is overloaded; amount unpublished",
  ),
  "onThrottle.step": assume(1, "amount unpublished"),
} satisfies Partial<PresetTable<"legacy-15min">>;

const common = <T extends object>(over: T) => ({
  rebalancePauseSec: assume(0, "consumer-group rebalance pause unpublished"),
  pollerBytesPerSec: assume(null, "per-poller throughput unpublished outside provisioned mode"),
  ...over,
});

/** Defaults per policy, keys relative to `scaler.` */
export const POLICY_DEFAULTS: PolicyDefaults = {
  "legacy-15min": common({
    initialPollers: doc(
      1,
      "AWS docs (2021) and the blog: one consumer at creation; a Jan 2022 AWS What's New says the old scaler started at 50 % of the maximum consumers (give 'halfMaxPollers' for ⌈maxPollers / 2⌉)",
    ),
    minPollers: assume(1, "never below one consumer"),
    maxPollers: doc(PARTITIONS, "AWS: at most one consumer per partition"),
    concurrencyPerPoller: assume(1, "blog: one invocation at a time for 15 min"),
    evaluationIntervalSec: doc(900, "AWS docs until Jan 2022: every 15 minutes"),
    actuationDelaySec: assume(0, "blog sees the jump right at 15 min"),
    ...lagRulesLegacy,
  } satisfies Own<"legacy-15min">),
  "on-demand-2022": common({
    initialPollers: doc(1, "AWS: starts with one consumer"),
    minPollers: assume(1, "never below one consumer"),
    maxPollers: doc(PARTITIONS, "AWS: at most one consumer per partition"),
    concurrencyPerPoller: assume(
      5,
      "AWS: 'each consumer has multiple processors running in parallel'; count unpublished",
    ),
    evaluationIntervalSec: doc(60, "AWS: lag evaluated every minute"),
    actuationDelaySec: assume(60, "AWS: changes occur 'within three minutes of evaluation'"),
    "scaleUp.when": assume("lag-not-decreasing", "unpublished"),
    "scaleUp.rule": assume("add", "unpublished"),
    "scaleUp.step": assume(1, "unpublished"),
    "scaleUp.lagThresholdRecords": assume(0, "unpublished"),
    "scaleUp.targetLagPerPollerRecords": assume(100, "unused by add"),
    "scaleDown.rule": assume("subtract", "unpublished"),
    "scaleDown.step": assume(1, "unpublished"),
    "scaleDown.lagThresholdRecords": assume(0, "unpublished"),
    "scaleDown.waitSec": assume(180, "unpublished"),
    "onThrottle.rule": assume("subtract", "AWS: throttling reduces consumers; amount unpublished"),
    "onThrottle.step": assume(1, "unpublished"),
  } satisfies Own<"on-demand-2022">),
  "on-demand-current": common({
    initialPollers: assume(2, "AWS: a 'default number', raised in Nov 2023, value unpublished"),
    minPollers: assume(1, "never below one poller"),
    maxPollers: doc(PARTITIONS, "AWS: at most one poller per partition"),
    concurrencyPerPoller: assume(5, "as provisioned mode documents per poller"),
    evaluationIntervalSec: doc(60, "AWS: lag evaluated every minute"),
    actuationDelaySec: assume(60, "AWS: within three minutes of evaluation"),
    "scaleUp.when": assume("lag-above-threshold", "unpublished"),
    "scaleUp.rule": assume("multiply", "AWS: scales up faster than before; rule unpublished"),
    "scaleUp.step": assume(2, "doubling assumed"),
    "scaleUp.lagThresholdRecords": assume(0, "unpublished"),
    "scaleUp.targetLagPerPollerRecords": assume(100, "unused by multiply"),
    "scaleDown.rule": assume("halve", "AWS: scales down more gradually; rule unpublished"),
    "scaleDown.step": assume(1, "unused by halve"),
    "scaleDown.lagThresholdRecords": assume(0, "unpublished"),
    "scaleDown.waitSec": assume(600, "AWS: slower scale-down; wait unpublished"),
    "onThrottle.rule": assume("subtract", "AWS: throttling reduces pollers; amount unpublished"),
    "onThrottle.step": assume(1, "unpublished"),
  } satisfies Own<"on-demand-current">),
  provisioned: common({
    initialPollers: doc("minPollers", "provisioned mode starts at MinimumPollers"),
    minPollers: doc(1, "MinimumPollers default 1 (range 1–200)"),
    maxPollers: doc(
      200,
      "MaximumPollers default 200 (range 1–2000), capped at the partition count",
    ),
    concurrencyPerPoller: doc(5, "each poller: up to 5 concurrent invocations"),
    pollerBytesPerSec: doc(5_000_000, "each poller: up to 5 MB/s"),
    evaluationIntervalSec: assume(60, "autoscaling cadence unpublished"),
    actuationDelaySec: assume(60, "unpublished"),
    "scaleUp.when": assume("lag-above-threshold", "unpublished"),
    "scaleUp.rule": assume("multiply", "unpublished"),
    "scaleUp.step": assume(2, "unpublished"),
    "scaleUp.lagThresholdRecords": assume(0, "unpublished"),
    "scaleUp.targetLagPerPollerRecords": assume(100, "unused by multiply"),
    "scaleDown.rule": assume("subtract", "unpublished"),
    "scaleDown.step": assume(1, "unpublished"),
    "scaleDown.lagThresholdRecords": assume(0, "unpublished"),
    "scaleDown.waitSec": assume(300, "unpublished"),
    "onThrottle.rule": assume("subtract", "unpublished"),
    "onThrottle.step": assume(1, "unpublished"),
    usdPerEpuHour: doc(0.185, "AWS example price, us-east-1"),
    pollersPerEpu: doc(10, "one EPU: 10 pollers"),
    epuBytesPerSec: doc(20_000_000, "one EPU: 20 MB/s"),
  } satisfies Own<"provisioned">),
  keda: common({
    initialPollers: doc("minPollers", "KEDA starts at minReplicaCount"),
    minPollers: doc(0, "KEDA minReplicaCount default 0"),
    maxPollers: doc(100, "KEDA maxReplicaCount default 100, capped at the partition count"),
    concurrencyPerPoller: assume(1, "one consumer pod processes one batch at a time"),
    evaluationIntervalSec: doc(
      30,
      "KEDA pollingInterval default 30 s: activation (0 → 1) and deactivation (→ 0) only",
    ),
    hpaSyncPeriodSec: doc(
      15,
      "Kubernetes HPA sync period default 15 s (--horizontal-pod-autoscaler-sync-period): the HPA decides between 1 and N replicas",
    ),
    actuationDelaySec: assume(10, "pod start-up time"),
    lagThresholdRecords: doc(10, "KEDA Kafka scaler lagThreshold default 10"),
    activationLagThresholdRecords: doc(0, "KEDA activationLagThreshold default 0"),
    offsetResetPolicy: doc(
      "latest",
      "KEDA Kafka scaler offsetResetPolicy default latest: a partition without a committed offset counts as lag 1",
    ),
    scaleToZeroOnInvalidOffset: doc(
      false,
      "KEDA Kafka scaler scaleToZeroOnInvalidOffset default false",
    ),
    tolerance: doc(
      0.1,
      "Kubernetes HPA tolerance default 0.1 (--horizontal-pod-autoscaler-tolerance): no change while desired/current is within 0.9–1.1",
    ),
    stabilizationWindowSec: doc(300, "HPA scale-down stabilisation window default 300 s"),
    cooldownSec: doc(300, "KEDA cooldownPeriod default 300 s: only for scaling to zero"),
    scaleUpPods: doc(4, "HPA default scale-up policy: 4 pods per 15 s"),
    scaleUpPercent: doc(100, "HPA default scale-up policy: 100 % per 15 s"),
    scaleUpPeriodSec: doc(15, "HPA default scale-up policy period"),
  } satisfies Own<"keda">),
  fixed: common({
    pollers: assume(PARTITIONS, "one poller per partition unless given"),
    concurrencyPerPoller: assume(1, "one invocation per poller"),
  } satisfies Own<"fixed">),
};
