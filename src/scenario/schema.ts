/**
 * The scenario file's schema (zod). Everything but the workload and the partition count is
 * optional: defaults come from `defaults.ts` and the scaler presets, and the run records for
 * every parameter whether AWS documents its value or esmlab assumed it.
 *
 * Objects are strict, so a misspelt field is an error that names it, not a silent default.
 */
import { z } from "zod";
import { POLICIES } from "../scaler/policy.js";
import type { Same } from "../util/same-type.js";
import { HALF_MAX_POLLERS, type ScenarioInput } from "./input.js";

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

/**
 * Lower bounds of the clocks the simulator steps by. Zero or near zero would be a loop that
 * never ends (an evaluation, a throttle retry or a series row every picosecond), never a model
 * of anything AWS or Kubernetes does:
 * - 1 ms for the scaler's evaluation interval (and KEDA's HPA sync period), the throttle
 *   back-off and the series resolution: 1000× finer than any documented cadence (AWS
 *   evaluates lag every minute, "Using Lambda with Amazon MSK"; KEDA's pollingInterval is whole
 *   seconds, default 30 s; the HPA syncs every 15 s; CloudWatch's finest Lambda metric period is
 *   1 s) and below Lambda's 1 ms billing granularity.
 * - 1 s to 1800 s for the HPA scale-up period: Kubernetes' HPAScalingPolicy.periodSeconds
 *   "must be greater than zero and less than or equal to 1800 (30 min)", in whole seconds
 *   (kubernetes.io, API reference autoscaling/v2).
 */
const MIN_STEP_SEC = 0.001;
const stepSec = z.number().min(MIN_STEP_SEC, `must be at least ${MIN_STEP_SEC} s (1 ms)`);

const ratePiece = z.strictObject({ durationSec: positive, ratePerSec: nonNegative });
const pieces = z.array(ratePiece).min(1);

export const workloadSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("constant"),
    ratePerSec: positive,
    durationSec: positive,
    recordBytes: positiveInt.optional(),
  }),
  z.strictObject({ kind: z.literal("piecewise"), pieces, recordBytes: positiveInt.optional() }),
  z.strictObject({
    kind: z.literal("poisson"),
    ratePerSec: positive.optional(),
    durationSec: positive.optional(),
    pieces: pieces.optional(),
    recordBytes: positiveInt.optional(),
  }),
  z.strictObject({
    kind: z.literal("trace"),
    /** A text file of timestamps (seconds), one per line, relative to the scenario file. */
    file: z.string().min(1).optional(),
    timestampsSec: z.array(nonNegative).min(1, "a trace needs at least one timestamp").optional(),
    recordBytes: positiveInt.optional(),
  }),
]);

export const partitionerSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("round-robin") }),
  z.strictObject({ kind: z.literal("key-hash"), keySpace: positiveInt.max(10_000_000) }),
  z.strictObject({
    kind: z.literal("zipf"),
    keySpace: positiveInt.max(10_000_000),
    exponent: positive,
  }),
]);

export const durationSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("constant"), sec: positive }),
  z.strictObject({
    kind: z.literal("normal"),
    meanSec: positive,
    sdSec: nonNegative,
    minSec: positive.optional(),
  }),
  z.strictObject({ kind: z.literal("lognormal"), medianSec: positive, sigma: nonNegative }),
  z.strictObject({ kind: z.literal("empirical"), samplesSec: z.array(positive).min(1) }),
]);

const common = {
  initialPollers: count.optional(),
  minPollers: count.optional(),
  maxPollers: positiveInt.optional(),
  concurrencyPerPoller: positiveInt.optional(),
  pollerBytesPerSec: positive.nullable().optional(),
  evaluationIntervalSec: stepSec.optional(),
  actuationDelaySec: nonNegative.optional(),
  rebalancePauseSec: nonNegative.optional(),
};

const lagRules = {
  scaleUp: z
    .strictObject({
      when: z.enum(["lag-not-decreasing", "lag-above-threshold"]).optional(),
      rule: z.enum(["add", "multiply", "to-target", "to-max"]).optional(),
      step: positive.optional(),
      lagThresholdRecords: nonNegative.optional(),
      targetLagPerPollerRecords: positive.optional(),
    })
    .optional(),
  scaleDown: z
    .strictObject({
      rule: z.enum(["to-min", "subtract", "halve"]).optional(),
      step: positiveInt.optional(),
      lagThresholdRecords: nonNegative.optional(),
      waitSec: nonNegative.optional(),
    })
    .optional(),
  onThrottle: z
    .strictObject({
      rule: z.enum(["none", "subtract", "halve"]).optional(),
      step: positiveInt.optional(),
    })
    .optional(),
};

export const scalerSchema = z.discriminatedUnion("policy", [
  z.strictObject({
    policy: z.literal("legacy-15min"),
    ...common,
    ...lagRules,
    initialPollers: z.union([count, z.literal(HALF_MAX_POLLERS)]).optional(),
  }),
  z.strictObject({ policy: z.literal("on-demand-2022"), ...common, ...lagRules }),
  z.strictObject({ policy: z.literal("on-demand-current"), ...common, ...lagRules }),
  z.strictObject({
    policy: z.literal("provisioned"),
    ...common,
    ...lagRules,
    minPollers: z.number().int().min(1).max(200).optional(),
    maxPollers: z.number().int().min(1).max(2000).optional(),
    usdPerEpuHour: nonNegative.optional(),
    pollersPerEpu: positiveInt.optional(),
    epuBytesPerSec: positive.optional(),
  }),
  z.strictObject({
    policy: z.literal("keda"),
    ...common,
    /** The Kubernetes HPA's sync period; `evaluationIntervalSec` is KEDA's pollingInterval. */
    hpaSyncPeriodSec: stepSec.optional(),
    lagThresholdRecords: positive.optional(),
    activationLagThresholdRecords: nonNegative.optional(),
    offsetResetPolicy: z.enum(["latest", "earliest"]).optional(),
    scaleToZeroOnInvalidOffset: z.boolean().optional(),
    tolerance: nonNegative.optional(),
    stabilizationWindowSec: nonNegative.optional(),
    cooldownSec: nonNegative.optional(),
    scaleUpPods: positiveInt.optional(),
    scaleUpPercent: nonNegative.optional(),
    scaleUpPeriodSec: z
      .number()
      .min(1, "must be at least 1 s (Kubernetes HPA periodSeconds)")
      .max(1800, "must be at most 1800 s (Kubernetes HPA periodSeconds)")
      .optional(),
  }),
  z.strictObject({
    policy: z.literal("fixed"),
    pollers: positiveInt.optional(),
    concurrencyPerPoller: positiveInt.optional(),
    pollerBytesPerSec: positive.nullable().optional(),
    rebalancePauseSec: nonNegative.optional(),
  }),
]);

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).optional(),
  label: z.string().optional(),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(4294967295).optional(),
  workload: workloadSchema,
  topic: z.strictObject({
    partitions: positiveInt.max(100_000),
    partitioner: partitionerSchema.optional(),
    backlogRecords: count.max(1e10).optional(),
    backlogAgeSec: nonNegative.optional(),
  }),
  esm: z
    .strictObject({
      batchSize: z.number().int().min(1).max(10_000).optional(),
      batchingWindowSec: z.number().min(0).max(300).optional(),
      maxPayloadBytes: positiveInt.max(6 * 1024 * 1024).optional(),
      startingPosition: z.enum(["LATEST", "TRIM_HORIZON"]).optional(),
      /** Where a batch's records come from: one partition (the only model so far). */
      batchScope: z.literal("partition").optional(),
    })
    .optional(),
  function: z
    .strictObject({
      duration: durationSchema.optional(),
      perRecordSec: nonNegative.optional(),
      errorRate: z.number().min(0).lt(1).optional(),
      timeoutSec: positive.max(840).optional(),
      concurrencyLimit: positiveInt.optional(),
      coldStartSec: nonNegative.optional(),
      keepWarmSec: nonNegative.optional(),
      throttleBackoffSec: stepSec.optional(),
    })
    .optional(),
  scaler: scalerSchema.optional(),
  run: z
    .strictObject({
      resolutionSec: stepSec.max(3600).optional(),
      maxDurationSec: positive.optional(),
    })
    .optional(),
});

// the schema validates exactly the plain ScenarioInput type the rest of esmlab (and its
// declarations) use: a field added to one and not the other fails the build here
true satisfies Same<z.infer<typeof scenarioSchema>, ScenarioInput>;

/** The policy names, for messages. */
export const POLICY_NAMES = Object.keys(POLICIES);

/** The values a discriminator field accepts, by its path (for error messages). */
export const DISCRIMINATOR_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  "workload.kind": workloadSchema.options.map((o) => o.shape.kind.value),
  "topic.partitioner.kind": partitionerSchema.options.map((o) => o.shape.kind.value),
  "function.duration.kind": durationSchema.options.map((o) => o.shape.kind.value),
  "scaler.policy": scalerSchema.options.map((o) => o.shape.policy.value),
};

/**
 * The scenario schema as JSON Schema (draft 2020-12), for editors and other tools; committed
 * as `data/scenario.schema.json` (`npm run schema` rewrites it, a test checks it is current).
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: "input" }),
    title: "esmlab scenario",
    description:
      "A Kafka → Lambda event source mapping scenario for esmlab simulate. Omitted fields take defaults; run.json records each value's basis (given, documented by AWS, or assumed).",
  };
}
