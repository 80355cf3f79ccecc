/**
 * The provenance appendix: what produced the report — esmlab's version and commit, the date,
 * tool versions, and per notebook its parameters, input hashes and timings, read from the
 * `esmlab` metadata that executeNotebook (src/notebooks/run-notebook.ts) writes.
 */
import type { Json } from "../notebooks/nbformat.js";
import type { ReportNotebook } from "./collect.js";

/** A name and a value as text, for the templates' two-column tables. */
export interface NameValue {
  name: string;
  value: string;
}

/** One notebook's run. */
export interface NotebookProvenance {
  name: string;
  status: string;
  startedAt: string;
  /** wall time of the whole notebook, s, as text ("–" when unknown) */
  durationSec: string;
  kernelStartSec: string;
  parameters: NameValue[];
  inputs: NameValue[];
}

/** The whole appendix. */
export interface Provenance {
  esmlabVersion: string;
  gitCommit: string;
  /** ISO 8601 */
  generatedAt: string;
  tools: NameValue[];
  notebooks: NotebookProvenance[];
}

/** Options of {@link buildProvenance}. */
export interface ProvenanceOptions {
  esmlabVersion: string;
  gitCommit: string | null;
  generatedAt: Date;
  /** more tool versions (e.g. handlebars, Chromium); notebook metadata versions are added */
  tools?: Readonly<Record<string, string>>;
}

/**
 * Gathers the appendix from the notebooks' metadata; fields a notebook lacks show as "–".
 *
 * @example buildProvenance(nbs, { esmlabVersion: "0.1.0", gitCommit: null, generatedAt: d }).gitCommit
 * // "unknown (not a git checkout)"
 */
export function buildProvenance(
  notebooks: readonly ReportNotebook[],
  options: ProvenanceOptions,
): Provenance {
  const tools = new Map<string, string>();
  const list = notebooks.map(({ name, notebook }): NotebookProvenance => {
    const meta = record(notebook.metadata.esmlab);
    for (const [tool, version] of Object.entries(record(meta.versions))) {
      if (typeof version === "string" && !tools.has(tool)) tools.set(tool, version);
    }
    return {
      name,
      status: typeof meta.status === "string" ? meta.status : "not run by esmlab",
      startedAt: typeof meta.startedAt === "string" ? meta.startedAt : "–",
      durationSec: seconds(meta.durationMs),
      kernelStartSec: seconds(meta.kernelStartMs),
      parameters: pairs(record(meta.parameters), (v) => JSON.stringify(v)),
      inputs: pairs(record(meta.inputs), (v) => (v === null ? "missing" : String(v))),
    };
  });
  for (const [tool, version] of Object.entries(options.tools ?? {})) tools.set(tool, version);
  return {
    esmlabVersion: options.esmlabVersion,
    gitCommit: options.gitCommit ?? "unknown (not a git checkout)",
    generatedAt: options.generatedAt.toISOString(),
    tools: [...tools].map(([name, value]) => ({ name, value })),
    notebooks: list,
  };
}

function pairs(obj: Record<string, Json>, show: (v: Json) => string): NameValue[] {
  return Object.entries(obj).map(([name, value]) => ({ name, value: show(value) }));
}

function seconds(ms: Json | undefined): string {
  return typeof ms === "number" ? `${(ms / 1000).toFixed(1)} s` : "–";
}

function record(value: Json | undefined): Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
