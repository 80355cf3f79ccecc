/**
 * Scenario input → fully resolved {@link Scenario}: defaults filled from `defaults.ts` and the
 * scaler presets, every parameter recorded with its basis (given in the file, documented by
 * AWS, or assumed), cross-field rules checked.
 *
 * ```
 * JSON ─▶ zod schema (load.ts) ─▶ resolveScenario ─▶ Scenario + parameters + assumed
 * ```
 */
import type { DurationModel } from "../lambda/duration.js";
import type { ParameterRecord } from "../run/run.js";
import type { PolicyName } from "../scaler/policy.js";
import {
  PARTITIONS,
  POLICY_DEFAULTS,
  type PollerCount,
  type PollerMarker,
  type PresetPath,
  type PresetSettings,
  type PresetValue,
} from "../scaler/presets.js";
import { EsmlabError } from "../util/errors.js";
import { getPath, type Path, type PathValue, setPath } from "../util/paths.js";
import {
  MODEL_DEFAULTS,
  type ModelDefaults,
  type ModelPath,
  type ModelValue,
  RUN_DEFAULTS,
} from "./defaults.js";
import { HALF_MAX_POLLERS, HALF_MAX_POLLERS_SOURCE, type ScenarioInput } from "./input.js";
import { oneLine, showValue } from "./messages.js";
import type { RatePieceSpec, ScalerSpec, Scenario, WorkloadSpec } from "./types.js";

export interface ResolvedScenario {
  readonly scenario: Scenario;
  /** Every model parameter by dotted path, with its value and basis. */
  readonly parameters: Readonly<Record<string, ParameterRecord>>;
  /** Dotted paths of the parameters whose value is assumed. */
  readonly assumed: readonly string[];
  /** Where the scenario came from ("case1", "scenarios/spike.json"), for messages. */
  readonly source?: string;
  /** Timestamps of a `trace` workload (read from its file, or given inline), ascending. */
  readonly traceTimesSec?: Float64Array;
}

export interface ResolveOptions {
  /** Where the input came from, for messages ("case1", "scenarios/spike.json"). */
  readonly source: string;
  /** Timestamps of a `trace` workload read from its file. */
  readonly traceTimesSec?: Float64Array;
}

/**
 * Fill in defaults and check rules that span fields.
 * @throws EsmlabError naming the field and the source when a rule is broken
 * @example resolveScenario({ workload: { kind: "constant", ratePerSec: 2, durationSec: 2000 }, topic: { partitions: 10 } }, { source: "x" }).scenario.esm.batchSize // 100
 */
export function resolveScenario(input: ScenarioInput, options: ResolveOptions): ResolvedScenario {
  const fail = (field: string, value: unknown, message: string): never => {
    throw new EsmlabError(
      oneLine(`invalid ${field}: ${showValue(value)} (scenario ${options.source}): ${message}`),
    );
  };
  const parameters: Record<string, ParameterRecord> = {};
  const record = (path: string, r: ParameterRecord): void => {
    parameters[path] = r;
  };
  const defaults: ModelDefaults = MODEL_DEFAULTS;
  // The value given at `path`, else its default; recorded with its basis either way. The given
  // value keeps its input type, so the sections below check it against the scenario's.
  const take = <P extends ModelPath, G>(path: P, given: G | undefined): G | ModelValue<P> => {
    const fallback = defaults[path];
    record(path, given === undefined ? fallback : { value: given, basis: "given" });
    return given === undefined ? fallback.value : given;
  };
  const { topic: t, esm: e, function: f } = input;
  // taken in MODEL_DEFAULTS' order, the order of the recorded parameters and of the keys in
  // the resolved scenario (its JSON, and so a run's id, depend on it)
  const recordBytes = take("workload.recordBytes", input.workload.recordBytes);
  const topic: Scenario["topic"] = {
    partitions: t.partitions,
    partitioner: take("topic.partitioner", t.partitioner),
    backlogRecords: take("topic.backlogRecords", t.backlogRecords),
    backlogAgeSec: take("topic.backlogAgeSec", t.backlogAgeSec),
  };
  const esm: Scenario["esm"] = {
    batchSize: take("esm.batchSize", e?.batchSize),
    batchingWindowSec: take("esm.batchingWindowSec", e?.batchingWindowSec),
    maxPayloadBytes: take("esm.maxPayloadBytes", e?.maxPayloadBytes),
    startingPosition: take("esm.startingPosition", e?.startingPosition),
    batchScope: take("esm.batchScope", e?.batchScope),
  };
  const duration = take("function.duration", f?.duration);
  const fn: Scenario["function"] = {
    // a normal draw can be ≤ 0: redraw below 1 ms (the floor is recorded in the resolved
    // scenario; the parameter keeps the duration as given)
    duration:
      duration.kind === "normal" ? { ...duration, minSec: duration.minSec ?? 0.001 } : duration,
    perRecordSec: take("function.perRecordSec", f?.perRecordSec),
    errorRate: take("function.errorRate", f?.errorRate),
    timeoutSec: take("function.timeoutSec", f?.timeoutSec),
    concurrencyLimit: take("function.concurrencyLimit", f?.concurrencyLimit),
    coldStartSec: take("function.coldStartSec", f?.coldStartSec),
    keepWarmSec: take("function.keepWarmSec", f?.keepWarmSec),
    throttleBackoffSec: take("function.throttleBackoffSec", f?.throttleBackoffSec),
  };
  const partitions = t.partitions;
  const { workload, traceTimesSec } = resolveWorkload(input, options, fail);

  if (topic.backlogRecords > 0 && esm.startingPosition !== "TRIM_HORIZON") {
    fail(
      "topic.backlogRecords",
      topic.backlogRecords,
      "needs esm.startingPosition TRIM_HORIZON (LATEST skips a backlog)",
    );
  }
  if (recordBytes > esm.maxPayloadBytes) {
    fail("workload.recordBytes", recordBytes, `exceeds esm.maxPayloadBytes ${esm.maxPayloadBytes}`);
  }
  checkDuration(fn.duration, fn.timeoutSec, fail);
  checkTruncation(fn.duration, fail);

  const scaler = resolveScaler(input, partitions, record, fail);
  const resolutionSec = input.run?.resolutionSec ?? RUN_DEFAULTS.resolutionSec;
  const perMinute = 60 / resolutionSec;
  if (Math.abs(perMinute - Math.round(perMinute)) > 1e-9) {
    fail("run.resolutionSec", resolutionSec, "must divide 60 s so runs compare minute by minute");
  }
  const scenario: Scenario = {
    name: input.name ?? options.source,
    label: input.label ?? input.name ?? options.source,
    ...(input.description === undefined ? {} : { description: input.description }),
    seed: input.seed ?? RUN_DEFAULTS.seed,
    workload: { ...workload, recordBytes },
    topic,
    esm,
    function: fn,
    scaler,
    run: {
      resolutionSec,
      maxDurationSec: input.run?.maxDurationSec ?? RUN_DEFAULTS.maxDurationSec,
    },
  };
  const assumed = Object.keys(parameters).filter((k) => parameters[k]!.basis === "assumed");
  return {
    scenario,
    parameters,
    assumed,
    source: options.source,
    ...(traceTimesSec === undefined ? {} : { traceTimesSec }),
  };
}

type Fail = (field: string, value: unknown, message: string) => never;

function resolveWorkload(
  input: ScenarioInput,
  options: ResolveOptions,
  fail: Fail,
): { workload: WorkloadSpec; traceTimesSec?: Float64Array } {
  const w = input.workload;
  if (w.kind !== "trace") return { workload: resolveRates(w, fail) };
  if ((w.file === undefined) === (w.timestampsSec === undefined)) {
    fail("workload.file", w.file ?? null, "a trace needs exactly one of file or timestampsSec");
  }
  const given = w.timestampsSec;
  const times = given === undefined ? options.traceTimesSec : Float64Array.from(given);
  if (times === undefined) return fail("workload.file", w.file ?? null, "the trace was not read");
  if (times.length === 0) {
    fail(
      given === undefined ? "workload.file" : "workload.timestampsSec",
      w.file ?? [],
      "the trace has no timestamps",
    );
  }
  for (let i = 1; i < times.length; i++) {
    if (times[i]! < times[i - 1]!) {
      fail(`workload.timestampsSec[${i}]`, times[i], `is before the previous one, ${times[i - 1]}`);
    }
  }
  return {
    workload: { kind: "trace", file: w.file ?? null, records: times.length },
    traceTimesSec: times,
  };
}

function resolveRates(
  w: Exclude<ScenarioInput["workload"], { kind: "trace" }>,
  fail: Fail,
): WorkloadSpec {
  switch (w.kind) {
    case "constant":
      return { kind: "constant", ratePerSec: w.ratePerSec, durationSec: w.durationSec };
    case "piecewise":
      return { kind: "piecewise", pieces: w.pieces.map(piece) };
    case "poisson": {
      if (w.pieces !== undefined) {
        if (w.ratePerSec !== undefined || w.durationSec !== undefined) {
          fail("workload.pieces", w.pieces, "give either pieces or ratePerSec with durationSec");
        }
        return { kind: "poisson", pieces: w.pieces.map(piece) };
      }
      if (w.ratePerSec === undefined || w.durationSec === undefined) {
        return fail(
          "workload.ratePerSec",
          w.ratePerSec ?? null,
          "a poisson workload needs ratePerSec and durationSec (or pieces)",
        );
      }
      return {
        kind: "poisson",
        pieces: [{ durationSec: w.durationSec, ratePerSec: w.ratePerSec }],
      };
    }
  }
}

function piece(p: { durationSec: number; ratePerSec: number }): RatePieceSpec {
  return { durationSec: p.durationSec, ratePerSec: p.ratePerSec };
}

function checkDuration(d: DurationModel, timeoutSec: number, fail: Fail): void {
  const always =
    (d.kind === "constant" && d.sec >= timeoutSec) ||
    (d.kind === "empirical" && d.samplesSec.every((s) => s >= timeoutSec));
  if (always) {
    fail(
      "function.duration",
      d,
      `every invocation would reach function.timeoutSec ${timeoutSec} s and fail forever`,
    );
  }
}

/**
 * A normal duration is redrawn until it reaches `minSec` (lambda/duration.ts): with the mean
 * far below the floor almost every draw is redrawn, and with sdSec 0 forever. Refuse a floor
 * more than 3 standard deviations above the mean (over 99.8 % of draws redrawn).
 */
function checkTruncation(d: DurationModel, fail: Fail): void {
  if (d.kind !== "normal" || d.minSec <= d.meanSec + 3 * d.sdSec) return;
  fail(
    "function.duration.meanSec",
    d.meanSec,
    `a normal duration with sdSec ${d.sdSec} almost never reaches minSec ${d.minSec} (draws below it are redrawn): raise meanSec or sdSec, or lower minSec`,
  );
}

/** A scaler as a scenario file gives it, and the form of each policy. */
type ScalerInput = NonNullable<ScenarioInput["scaler"]>;
type ScalerInputOf<P extends PolicyName> = Extract<ScalerInput, { readonly policy: P }>;

/**
 * A policy's settings as its table and the scenario give them, before resolveScaler: the poller
 * counts may still be markers.
 */
type Filled<P extends PolicyName> = { readonly policy: P } & {
  readonly [K in keyof PresetSettings<P>]: K extends PollerCount
    ? PresetSettings<P>[K] | PollerMarker
    : PresetSettings<P>[K];
};
type AnyFilled = { [P in PolicyName]: Filled<P> }[PolicyName];

/**
 * The paths of a policy's scenario input that its table lacks, or whose given value is not of
 * the type the table holds there: {@link fillScaler} takes each given value in the table's
 * place, so there must be none (the check below names them).
 */
type Misfit<P extends PolicyName> =
  | Exclude<Path<ScalerInputOf<P>>, PresetPath<P> | "policy">
  | {
      [K in PresetPath<P>]-?: [Exclude<PathValue<ScalerInputOf<P>, K>, undefined>] extends [
        PresetValue<P, K>,
      ]
        ? never
        : K;
    }[PresetPath<P>];
type AnyMisfit = { [P in PolicyName]: Misfit<P> }[PolicyName];
const scalerInputFitsPresets: [AnyMisfit] extends [never] ? true : AnyMisfit = true;
void scalerInputFitsPresets;

/**
 * Every setting of the scaler's policy in its table's order: the scenario's value, else the
 * preset's, each recorded with its basis under `scaler.<path>`.
 */
function fillScaler(given: ScalerInput, record: Recorder): AnyFilled {
  const table: Readonly<Record<string, ParameterRecord>> = POLICY_DEFAULTS[given.policy];
  const out: Record<string, unknown> = { policy: given.policy };
  for (const [path, fallback] of Object.entries(table)) {
    const value = getPath(given, path);
    const r: ParameterRecord = value === undefined ? fallback : { value, basis: "given" };
    record(`scaler.${path}`, r);
    setPath(out, path, r.value);
  }
  // Nested by path, so not typed by construction; sound because each table has a record of
  // the right type for every setting of its policy (PresetTable in presets.ts) and each given
  // value has the type its table holds (scalerInputFitsPresets above).
  return out as AnyFilled;
}

type Recorder = (path: string, r: ParameterRecord) => void;

function resolveScaler(
  input: ScenarioInput,
  partitions: number,
  record: Recorder,
  fail: Fail,
): ScalerSpec {
  const filled = fillScaler(input.scaler ?? { policy: "legacy-15min" }, record);
  // markers: "partitions" → the partition count (and every maximum is capped by it)
  const count = (key: PollerCount, v: number | PollerMarker): number => {
    if (typeof v === "number")
      return key === "maxPollers" || key === "pollers" ? Math.min(v, partitions) : v;
    if (v === PARTITIONS) return partitions;
    return fail(`scaler.${key}`, v, `the marker ${v} is for scaler.initialPollers only`);
  };
  if (filled.policy === "fixed") return { ...filled, pollers: count("pollers", filled.pollers) };

  const max = count("maxPollers", filled.maxPollers);
  const min = count("minPollers", filled.minPollers);
  if (min > max) {
    const givenMax = getPath(input.scaler, "maxPollers");
    fail(
      "scaler.minPollers",
      min,
      `above scaler.maxPollers ${givenMax ?? max}${givenMax === undefined || givenMax === max ? "" : ` (${max} once capped at ${partitions} partitions)`}`,
    );
  }
  let initial: number;
  if (filled.initialPollers === "minPollers") initial = min;
  else if (filled.initialPollers === HALF_MAX_POLLERS) {
    // a marker only the user gives: recorded as given, its source and value in the note
    initial = Math.ceil(max / 2);
    const note = `⌈${max} / 2⌉ = ${initial}; ${HALF_MAX_POLLERS_SOURCE}`;
    record("scaler.initialPollers", { value: HALF_MAX_POLLERS, basis: "given", note });
  } else initial = count("initialPollers", filled.initialPollers);
  if (initial < min || initial > max) {
    fail("scaler.initialPollers", initial, `outside [${min}, ${max}] (min and max pollers)`);
  }
  const counts = { initialPollers: initial, minPollers: min, maxPollers: max };
  if (filled.policy !== "keda") return { ...filled, ...counts };
  // KedaSettings' own names for the shared fields, after them
  return {
    ...filled,
    ...counts,
    pollingIntervalSec: filled.evaluationIntervalSec,
    minReplicas: min,
    maxReplicas: max,
  };
}
