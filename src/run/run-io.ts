/**
 * Reading and writing run directories: `run.json` ({@link RunMeta}) plus `series.csv`.
 *
 * ```
 * writeRun: meta ─▶ check ─▶ JSON ─┐
 *           series ─▶ formatSeriesCsv ─┴▶ writeDirAtomic
 * loadRun:  readFile ─▶ parseRunMeta / parseSeriesCsv ─▶ Run
 * ```
 *
 * Everything is checked before anything is written, and the directory appears whole or not at
 * all, so a run directory on disk is always one that {@link loadRun} accepts.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { PARTITIONER_KINDS } from "../kafka/partitioner.js";
import { DURATION_KINDS } from "../lambda/duration.js";
import { POLICIES } from "../scaler/policy.js";
import type { Scenario, WorkloadSpec } from "../scenario/types.js";
import { writeDirAtomic } from "../util/atomic.js";
import { EsmlabError } from "../util/errors.js";
import { checkRunDirTarget, type OutputGuardOptions } from "../util/output-guard.js";
import {
  type MeasuredRunMeta,
  PARAMETER_BASES,
  RUN_FORMAT,
  RUN_SOURCES,
  type Run,
  type RunMeta,
  type RunSource,
  type SimulatedRunMeta,
} from "./run.js";
import { formatSeriesCsv, parseSeriesCsv } from "./series-csv.js";

/** File names inside a run directory. */
export const RUN_FILES = { meta: "run.json", series: "series.csv" } as const;

const opt = <T extends z.ZodType>(schema: T) => schema.exactOptional();
const nonNegative = z.number().nonnegative({ error: "must not be negative" });

const latencySchema = z.strictObject({
  p50Sec: nonNegative,
  p90Sec: nonNegative,
  p99Sec: nonNegative,
  maxSec: nonNegative,
  meanSec: nonNegative,
  relativePrecision: nonNegative,
});

const summarySchema = z.strictObject({
  durationSec: nonNegative,
  producedRecords: nonNegative.nullable(),
  processedRecords: nonNegative.nullable(),
  invocations: nonNegative.nullable(),
  errors: nonNegative.nullable(),
  throttles: nonNegative.nullable(),
  peakConcurrency: nonNegative.nullable(),
  peakLagRecords: nonNegative.nullable(),
  peakPollers: nonNegative.nullable(),
  initialLagRecords: opt(nonNegative),
  finalLagRecords: opt(nonNegative),
  productionEndSec: opt(nonNegative.nullable()),
  drainedAtSec: opt(nonNegative.nullable()),
  latency: opt(latencySchema.nullable()),
  epu: opt(z.strictObject({ epuHours: nonNegative, usd: nonNegative, usdPerEpuHour: nonNegative })),
  truncated: opt(z.boolean()),
  simulatedEvents: opt(nonNegative),
});

/** The workload kinds of a resolved scenario. */
const WORKLOAD_KINDS = [
  "constant",
  "piecewise",
  "poisson",
  "trace",
] as const satisfies readonly WorkloadSpec["kind"][];

/**
 * The frame of a simulated run's scenario: its sections, the kinds that choose their fields and
 * the numbers every reader of a run uses. resolveScenario checked each value when the run was
 * made, so this is for a run.json edited by hand or made elsewhere. It checks only: the
 * scenario is kept as it is, key order included (a zod object would rebuild it).
 */
const scenarioFrame = z.looseObject({
  name: z.string(),
  label: z.string(),
  seed: z.number(),
  workload: z.looseObject({ kind: z.enum(WORKLOAD_KINDS), recordBytes: nonNegative }),
  topic: z.looseObject({
    partitions: z.number().int().positive({ error: "must be greater than 0" }),
    partitioner: z.looseObject({ kind: z.enum(PARTITIONER_KINDS) }),
  }),
  esm: z.looseObject({}),
  function: z.looseObject({ duration: z.looseObject({ kind: z.enum(DURATION_KINDS) }) }),
  scaler: z.looseObject({ policy: z.enum(POLICIES) }),
  run: z.looseObject({
    resolutionSec: z.number().positive({ error: "must be greater than 0" }),
    maxDurationSec: nonNegative,
  }),
});

/** A simulated run's scenario: checked against {@link scenarioFrame}, returned untouched. */
const scenarioSchema = z.custom<Scenario>().superRefine((value, ctx) => {
  for (const issue of scenarioFrame.safeParse(value).error?.issues ?? [])
    ctx.addIssue({ ...issue });
});

/** Every field either kind of run may have; {@link byKind} then sorts out which kind it is. */
const fieldsSchema = z.strictObject({
  format: z.literal(RUN_FORMAT),
  id: z.string().min(1, { error: "must not be empty" }),
  label: z.string(),
  source: z.enum(RUN_SOURCES),
  startTime: opt(z.iso.datetime({ offset: true })),
  resolutionSec: z.number().positive({ error: "must be greater than 0" }),
  scenario: opt(scenarioSchema),
  seed: opt(z.number()),
  parameters: opt(
    z.record(
      z.string(),
      z.strictObject({
        value: z.unknown(),
        basis: z.enum(PARAMETER_BASES),
        note: opt(z.string()),
      }),
    ),
  ),
  assumed: opt(z.array(z.string())),
  provenance: z.strictObject({
    esmlabVersion: z.string(),
    gitCommit: z.string().nullable(),
    inputs: z.array(z.strictObject({ path: z.string(), sha256: z.string() })),
    warnings: z.array(z.string()),
  }),
  summary: summarySchema,
  scaleEvents: opt(
    z.array(
      z.strictObject({ tSec: nonNegative, from: z.number(), to: z.number(), reason: z.string() }),
    ),
  ),
});

/** The fields only simulated runs have (measured runs have them as `never`). */
const SIMULATED_ONLY = ["scenario", "seed", "parameters", "assumed", "scaleEvents"] as const;
type SimulatedOnly = (typeof SIMULATED_ONLY)[number];

/** Every field of either kind of run, optional where one kind lacks it. */
type AnyRunMeta = Omit<SimulatedRunMeta, "source" | "startTime" | SimulatedOnly> & {
  readonly source: RunSource;
  readonly startTime?: string;
} & Partial<Pick<SimulatedRunMeta, SimulatedOnly>>;

// Fails to compile when RunMeta (src/run/run.ts) and the schema drift apart, in either direction.
type Fields = z.output<typeof fieldsSchema>;
type Frozen<T> = T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type NeverIn<T> = {
  [K in keyof T]-?: [Exclude<T[K], undefined>] extends [never] ? K : never;
}[keyof T];
const schemaMatchesRunMeta: Same<Frozen<Fields>, Frozen<AnyRunMeta>> = true;
const simulatedOnlyIsComplete: Same<SimulatedOnly, NeverIn<MeasuredRunMeta>> = true;
void schemaMatchesRunMeta;
void simulatedOnlyIsComplete;

/**
 * The checked fields as the kind of run `source` names: a simulated run carries its scenario,
 * seed, parameters, assumptions and scale events; a measured run none of them, and only it a
 * start time. The result's keys follow RunMeta's order.
 */
function byKind(m: Fields, ctx: z.core.$RefinementCtx<Fields>): RunMeta {
  const { format, id, label, source, startTime, resolutionSec, provenance, summary } = m;
  const refuse = (keys: readonly (keyof Fields)[], message: string): typeof z.NEVER => {
    for (const key of keys)
      ctx.issues.push({ code: "custom", path: [key], message, input: m[key] });
    return z.NEVER;
  };
  if (source === "measured") {
    const misplaced = SIMULATED_ONLY.filter((key) => m[key] !== undefined);
    if (misplaced.length > 0) return refuse(misplaced, "is for simulated runs only");
    const meta: MeasuredRunMeta = {
      format,
      id,
      label,
      source,
      ...(startTime === undefined ? {} : { startTime }),
      resolutionSec,
      provenance,
      summary,
    };
    return meta;
  }
  if (startTime !== undefined) return refuse(["startTime"], "is for measured runs only");
  const { scenario, seed, parameters, assumed, scaleEvents } = m;
  if (
    scenario === undefined ||
    seed === undefined ||
    parameters === undefined ||
    assumed === undefined ||
    scaleEvents === undefined
  ) {
    const missing = SIMULATED_ONLY.filter((key) => m[key] === undefined);
    return refuse(missing, "every simulated run has it");
  }
  const meta: SimulatedRunMeta = {
    format,
    id,
    label,
    source,
    resolutionSec,
    scenario,
    seed,
    parameters,
    assumed,
    provenance,
    summary,
    scaleEvents,
  };
  return meta;
}

const metaSchema = fieldsSchema.transform(byKind);

/**
 * Parses and checks the text of a `run.json`. The result's keys follow {@link RunMeta}'s order,
 * whatever the order in the file; nested free-form values (`scenario`, parameter values) keep
 * theirs.
 *
 * @param text the file content
 * @param file where the text came from, for error messages
 * @throws EsmlabError naming `file` when the text is not JSON, the format is not
 *   `esmlab.run/1` (`run.json: unsupported format "esmlab.run/9" (expected esmlab.run/1)`), or
 *   fields are missing, unknown or invalid — each named by its path, e.g.
 *   `run.json: missing field summary.durationSec`
 * @example
 * parseRunMeta(await readFile("runs/case1/run.json", "utf8"), "runs/case1/run.json").label;
 */
export function parseRunMeta(text: string, file: string): RunMeta {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new EsmlabError(`${file}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new EsmlabError(`${file}: expected a JSON object, found ${describe(data)}`);
  }
  const format = (data as { format?: unknown }).format;
  if (format !== undefined && format !== RUN_FORMAT) {
    throw new EsmlabError(
      `${file}: unsupported format ${describe(format)} (expected ${RUN_FORMAT})`,
    );
  }
  const result = metaSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, data));
    const shown = problems.slice(0, 5).join("; ");
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : "";
    throw new EsmlabError(`${file}: ${shown}${more}`);
  }
  return result.data;
}

/**
 * Writes `run` as a directory holding `run.json` (2-space JSON, trailing newline) and
 * `series.csv`, replacing `dir` if it is an esmlab run directory. Writing a loaded run again
 * gives identical bytes.
 *
 * `dir` must be absent, empty or a run directory, and not the working directory, one of its
 * ancestors, a project root or a folder holding an input of the run (its provenance inputs and
 * `options.inputs`): see {@link checkRunDirTarget}.
 *
 * @param run the run to write
 * @param dir the run directory; parents are created as needed
 * @param options `inputs`: more files or folders the run was made from (e.g. a measured run's
 *   directory), which `dir` must not hold or lie inside
 * @throws EsmlabError when `dir` may not be replaced (exit code 2), when the meta or series
 *   would not load back (naming the field or row), or the file system refuses; nothing is
 *   written then, and an old `dir` stays intact
 * @example
 * await writeRun(run, "runs/case1"); // runs/case1/run.json, runs/case1/series.csv
 */
export async function writeRun(
  run: Run,
  dir: string,
  options: OutputGuardOptions = {},
): Promise<void> {
  await checkRunDirTarget(dir, {
    ...options,
    inputs: [...run.meta.provenance.inputs.map((i) => i.path), ...(options.inputs ?? [])],
  });
  const metaPath = join(dir, RUN_FILES.meta);
  // Round-trip through the checker: catches what JSON cannot hold (NaN becomes null) and puts
  // the keys in one order.
  const meta = parseRunMeta(JSON.stringify(run.meta), `${metaPath} (about to be written)`);
  const files = {
    [RUN_FILES.meta]: JSON.stringify(meta, null, 2) + "\n",
    [RUN_FILES.series]: formatSeriesCsv(run.series),
  };
  await writeDirAtomic(dir, files);
}

/**
 * Reads and checks a run directory written by {@link writeRun} (or by hand).
 *
 * @param dir the run directory
 * @throws EsmlabError naming the file when a file is missing or unreadable, or its content is
 *   invalid (see {@link parseRunMeta} and {@link parseSeriesCsv})
 * @example
 * const run = await loadRun("runs/case1");
 * run.series.length; // number of intervals
 */
export async function loadRun(dir: string): Promise<Run> {
  const metaPath = join(dir, RUN_FILES.meta);
  const seriesPath = join(dir, RUN_FILES.series);
  const [metaText, seriesText] = await Promise.all([readText(metaPath), readText(seriesPath)]);
  return { meta: parseRunMeta(metaText, metaPath), series: parseSeriesCsv(seriesText, seriesPath) };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new EsmlabError(`cannot read ${path}: ${why}`, { cause: err });
  }
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const where = formatPath(issue.path);
  const value = valueAt(data, issue.path);
  if (issue.code === "unrecognized_keys") {
    const prefix = where === "" ? "" : `${where}.`;
    return issue.keys.map((key) => `unknown field ${prefix}${key}`).join("; ");
  }
  if (value === undefined) {
    return issue.code === "custom"
      ? `missing field ${where} (${issue.message})`
      : `missing field ${where}`;
  }
  if (issue.code === "invalid_type") {
    return `field ${where}: expected ${issue.expected}, found ${describe(value)}`;
  }
  if (issue.code === "invalid_value") {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
    return `field ${where}: ${describe(value)} is not one of ${allowed}`;
  }
  return `field ${where}: ${describe(value)} ${issue.message}`;
}

/** `["provenance", "inputs", 0, "path"]` → `provenance.inputs[0].path`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key)))
      out += out === "" ? String(key) : `.${String(key)}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
