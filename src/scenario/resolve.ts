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
import { PARTITIONS, POLICY_DEFAULTS } from "../scaler/presets.js";
import { EsmlabError } from "../util/errors.js";
import { getPath, setPath } from "../util/paths.js";
import { MODEL_DEFAULTS, RUN_DEFAULTS } from "./defaults.js";
import { oneLine, showValue } from "./messages.js";
import type { ScenarioInput } from "./schema.js";
import type {
  PartitionerSpec,
  RatePieceSpec,
  ScalerSpec,
  Scenario,
  WorkloadSpec,
} from "./types.js";

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
  const take = (path: string, given: unknown, fallback: ParameterRecord): unknown => {
    const record: ParameterRecord =
      given === undefined ? fallback : { value: given, basis: "given" };
    parameters[path] = record;
    return record.value;
  };
  const model: Record<string, unknown> = {};
  for (const [path, fallback] of Object.entries(MODEL_DEFAULTS)) {
    setPath(model, path, take(path, getPath(input, path), fallback));
  }
  const partitions = input.topic.partitions;
  const { workload, traceTimesSec } = resolveWorkload(input, options, fail);
  const recordBytes = model.workload && (getPath(model, "workload.recordBytes") as number);
  const esm = model.esm as Scenario["esm"];
  const fn = model.function as Scenario["function"];
  const topic = model.topic as {
    partitioner: PartitionerSpec;
    backlogRecords: number;
    backlogAgeSec: number;
  };

  if (topic.backlogRecords > 0 && esm.startingPosition !== "TRIM_HORIZON") {
    fail(
      "topic.backlogRecords",
      topic.backlogRecords,
      "needs esm.startingPosition TRIM_HORIZON (LATEST skips a backlog)",
    );
  }
  if ((recordBytes as number) > esm.maxPayloadBytes) {
    fail("workload.recordBytes", recordBytes, `exceeds esm.maxPayloadBytes ${esm.maxPayloadBytes}`);
  }
  if (fn.duration.kind === "normal" && fn.duration.minSec === undefined) {
    // a normal draw can be ≤ 0: redraw below 1 ms (recorded in the resolved scenario)
    (model.function as { duration: DurationModel }).duration = { ...fn.duration, minSec: 0.001 };
  }
  checkDuration((model.function as Scenario["function"]).duration, fn.timeoutSec, fail);
  checkTruncation((model.function as Scenario["function"]).duration, fail);

  const scaler = resolveScaler(input, partitions, take, fail);
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
    workload: { ...workload, recordBytes: recordBytes as number },
    topic: { partitions, ...topic },
    esm,
    function: model.function as Scenario["function"],
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

function resolveScaler(
  input: ScenarioInput,
  partitions: number,
  take: (path: string, given: unknown, fallback: ParameterRecord) => unknown,
  fail: Fail,
): ScalerSpec {
  const given = (input.scaler ?? { policy: "legacy-15min" }) as Record<string, unknown>;
  const policy = given.policy as ScalerSpec["policy"];
  const out: Record<string, unknown> = { policy };
  const table = POLICY_DEFAULTS[policy];
  for (const [key, fallback] of Object.entries(table)) {
    setPath(out, key, take(`scaler.${key}`, getPath(given, key), fallback));
  }
  // markers: "partitions" → the partition count (and every maximum is capped by it)
  for (const key of ["maxPollers", "pollers"]) {
    if (out[key] === PARTITIONS) out[key] = partitions;
    if (typeof out[key] === "number") out[key] = Math.min(out[key] as number, partitions);
  }
  const max = (out.maxPollers ?? out.pollers) as number;
  const min = (out.minPollers ?? out.pollers) as number;
  if (out.minPollers !== undefined && min > max) {
    const givenMax = getPath(given, "maxPollers");
    fail(
      "scaler.minPollers",
      min,
      `above scaler.maxPollers ${givenMax ?? max}${givenMax === undefined || givenMax === max ? "" : ` (${max} once capped at ${partitions} partitions)`}`,
    );
  }
  if (out.initialPollers === "minPollers") out.initialPollers = min;
  const initial = out.initialPollers as number | undefined;
  if (initial !== undefined && (initial < min || initial > max)) {
    fail("scaler.initialPollers", initial, `outside [${min}, ${max}] (min and max pollers)`);
  }
  if (policy === "keda") {
    // KedaSettings' own names for the shared fields
    out.pollingIntervalSec = out.evaluationIntervalSec;
    out.minReplicas = out.minPollers;
    out.maxReplicas = out.maxPollers;
  }
  return out as unknown as ScalerSpec;
}
