/**
 * Data a notebook hands to the report, as outputs of their own MIME types (Jupyter lets a kernel
 * send any type; a front end that does not know it shows the `text/plain` part):
 *
 * - `application/vnd.esmlab.runs+json` — every run a notebook made or loaded: its resolved
 *   scenario, seed, input files, warnings, and each parameter that was not given (documented,
 *   assumed or calibrated, with its source or reason). The report's provenance appendix lists
 *   them, so the reader sees which scaler parameters were assumed rather than documented.
 * - `application/vnd.esmlab.verdicts+json` — one {@link PhaseVerdict} per run; the report's
 *   executive summary quotes the lines and builds the blog's conclusions table from them.
 *
 * The report reads these back with {@link parseRunRecords} / {@link parseVerdictRecords}: a
 * notebook's outputs are input, so their shape is checked, never trusted.
 */
import { z } from "zod";
import { BLOG_FIGURES, type BlogFigure } from "../blog/comparison.js";
import type { PhaseVerdict } from "../blog/verdict.js";
import {
  PARAMETER_BASES,
  type ParameterBasis,
  RUN_SOURCES,
  type Run,
  type RunSource,
} from "../run/run.js";
import type { Same } from "../util/same-type.js";
import type { MimeBundle } from "./bundle.js";
import { display } from "./display.js";

/** MIME type of the runs a notebook records for the provenance appendix. */
export const RUNS_MIME = "application/vnd.esmlab.runs+json";
/** MIME type of the per-run verdicts a notebook shows for the executive summary. */
export const VERDICTS_MIME = "application/vnd.esmlab.verdicts+json";

const parameterSchema = z.object({
  path: z.string(),
  value: z.unknown(),
  basis: z.enum(Object.keys(PARAMETER_BASES) as [keyof typeof PARAMETER_BASES]),
  note: z.string().nullable(),
});

const runRecordSchema = z.object({
  id: z.string(),
  label: z.string(),
  source: z.enum(Object.keys(RUN_SOURCES) as [keyof typeof RUN_SOURCES]),
  seed: z.number().nullable(),
  resolutionSec: z.number(),
  /** the resolved scenario (simulated runs), else null */
  scenario: z.record(z.string(), z.unknown()).nullable(),
  /** parameters whose basis is not "given", in the run's order */
  parameters: z.array(parameterSchema),
  inputs: z.array(z.object({ path: z.string(), sha256: z.string() })),
  warnings: z.array(z.string()),
});

/** One run as the provenance appendix lists it. */
export interface RunRecord {
  id: string;
  label: string;
  source: RunSource;
  seed: number | null;
  resolutionSec: number;
  /** the resolved scenario (simulated runs), else null */
  scenario: Record<string, unknown> | null;
  /** parameters whose basis is not "given", in the run's order */
  parameters: { path: string; value: unknown; basis: ParameterBasis; note: string | null }[];
  inputs: { path: string; sha256: string }[];
  warnings: string[];
}

const runsPayloadSchema = z.object({ runs: z.array(runRecordSchema) });

const conclusionSchema = z.object({
  figure: z.enum(Object.keys(BLOG_FIGURES) as [BlogFigure]),
  conclusion: z.string(),
  observed: z.number().nullable(),
  predicted: z.number().nullable(),
  relativeError: z.number().nullable(),
  note: z.string(),
});

const verdictRecordSchema = z.object({
  label: z.string(),
  source: z.enum(Object.keys(RUN_SOURCES) as [keyof typeof RUN_SOURCES]),
  tearUp: z.string(),
  plateau: z.string(),
  drained: z.string(),
  blog: z.object({ compared: z.number(), agreeing: z.number(), tolerancePct: z.number() }),
  conclusions: z.array(conclusionSchema),
  // optional: notebooks executed by an esmlab without it still read
  facts: z
    .object({
      policy: z.string().nullable(),
      partitions: z.number().nullable(),
      tearUpSec: z.number().nullable(),
      tearUpConcurrency: z.number().nullable(),
      plateauConcurrency: z.number().nullable(),
      producedPerMin: z.number().nullable(),
      tearUpThroughputPerMin: z.number().nullable(),
      peakLagRecords: z.number().nullable(),
      drainedAfterSec: z.number().nullable(),
      arrivalBound: z.number().nullable().optional(),
      documentedFirstScaleSec: z.number().nullable().optional(),
      latencyP99Sec: z.number().nullable().optional(),
    })
    .optional(),
  warnings: z.array(z.string()),
  line: z.string(),
});

/** One verdict as the executive summary reads it. */
export interface VerdictRecord {
  label: string;
  source: RunSource;
  tearUp: string;
  plateau: string;
  drained: string;
  blog: { compared: number; agreeing: number; tolerancePct: number };
  conclusions: {
    figure: BlogFigure;
    conclusion: string;
    observed: number | null;
    predicted: number | null;
    relativeError: number | null;
    note: string;
  }[];
  /** absent in notebooks executed by an esmlab without it */
  facts?:
    | {
        policy: string | null;
        partitions: number | null;
        tearUpSec: number | null;
        tearUpConcurrency: number | null;
        plateauConcurrency: number | null;
        producedPerMin: number | null;
        tearUpThroughputPerMin: number | null;
        peakLagRecords: number | null;
        drainedAfterSec: number | null;
        arrivalBound?: number | null | undefined;
        documentedFirstScaleSec?: number | null | undefined;
        latencyP99Sec?: number | null | undefined;
      }
    | undefined;
  warnings: string[];
  line: string;
}

// the schemas check exactly the plain record types the declarations export (kept free of zod's
// types, see scenario/input.ts): a field added to one and not the other fails the build here
[true, true] satisfies [
  Same<z.infer<typeof runRecordSchema>, RunRecord>,
  Same<z.infer<typeof verdictRecordSchema>, VerdictRecord>,
];

const verdictsPayloadSchema = z.object({ verdicts: z.array(verdictRecordSchema) });

/** A run's record: its scenario and every parameter it did not take from the scenario. */
export function runRecord(run: Run): RunRecord {
  const { meta } = run;
  // a shallow copy: the record's type is a plain JSON object, which an interface is not
  const scenario = meta.scenario === undefined ? null : { ...meta.scenario };
  return {
    id: meta.id,
    label: meta.label,
    source: meta.source,
    seed: meta.seed ?? null,
    resolutionSec: meta.resolutionSec,
    scenario,
    parameters: Object.entries(meta.parameters ?? {})
      .filter(([, p]) => p.basis !== "given")
      .map(([path, p]) => ({ path, value: p.value ?? null, basis: p.basis, note: p.note ?? null })),
    inputs: meta.provenance.inputs.map((f) => ({ path: f.path, sha256: f.sha256 })),
    warnings: [...meta.provenance.warnings],
  };
}

/**
 * The runs as one bundle: the records, and a line of text for Jupyter front ends.
 * @example runsBundle([run]).data["text/plain"]
 * // "Recorded for the report's provenance appendix: 1 run (case2: …)"
 */
export function runsBundle(runs: readonly Run[]): MimeBundle {
  const labels = runs.map((r) => r.meta.label);
  const shown = labels.length <= 5 ? labels.join("; ") : `${labels.slice(0, 5).join("; ")}; …`;
  return {
    data: {
      [RUNS_MIME]: { runs: runs.map(runRecord) },
      "text/plain": `Recorded for the report's provenance appendix: ${runs.length} run${runs.length === 1 ? "" : "s"} (${shown})`,
    },
    metadata: {},
  };
}

/** Verdicts as one bundle: a Markdown list and plain text for people, the records for the report. */
export function verdictsBundle(verdicts: readonly PhaseVerdict[]): MimeBundle {
  const records: VerdictRecord[] = verdicts.map((v) => ({
    label: v.label,
    source: v.source,
    tearUp: v.tearUp,
    plateau: v.plateau,
    drained: v.drained,
    blog: { ...v.blog },
    conclusions: v.conclusions.map((c) => ({ ...c })),
    facts: { ...v.facts },
    warnings: [...v.warnings],
    line: v.line,
  }));
  const lines = verdicts.map((v) => v.line);
  return {
    data: {
      [VERDICTS_MIME]: { verdicts: records },
      "text/markdown": lines.map((l) => `- ${markdownText(l)}`).join("\n"),
      "text/plain": lines.join("\n"),
    },
    metadata: {},
  };
}

/** Record runs for the report's provenance appendix (one small output in the notebook). */
export function recordRuns(runs: readonly Run[]): void {
  display(runsBundle(runs));
}

/** Show one verdict line per run; the report's executive summary quotes them. */
export function showVerdicts(verdicts: readonly PhaseVerdict[]): void {
  display(verdictsBundle(verdicts));
}

/** The run records of an output's payload, or an error message saying what is wrong. */
export function parseRunRecords(payload: unknown): RunRecord[] | string {
  const parsed = runsPayloadSchema.safeParse(payload);
  return parsed.success ? parsed.data.runs : issueText(parsed.error);
}

/** The verdict records of an output's payload, or an error message saying what is wrong. */
export function parseVerdictRecords(payload: unknown): VerdictRecord[] | string {
  const parsed = verdictsPayloadSchema.safeParse(payload);
  return parsed.success ? parsed.data.verdicts : issueText(parsed.error);
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid";
  const path = issue.path.map(String).join(".");
  return `${path === "" ? "payload" : path}: ${issue.message}`;
}

/** Text safe to put in Markdown as-is: the characters Markdown acts on are backslash-escaped. */
function markdownText(s: string): string {
  return s.replace(/[\\`*_[\]<>#|]/g, (ch) => `\\${ch}`);
}
