/**
 * The provenance appendix: what produced the report — esmlab's version and commit, the date,
 * tool versions, and per notebook its parameters, input hashes and timings, read from the
 * `esmlab` metadata that executeNotebook (src/notebooks/run-notebook.ts) writes — and the runs
 * the notebook recorded (`recordRuns`): the scenario of every simulated run (the first in full,
 * each other as its differences from the earlier run it differs least from), the input files
 * of measured runs, and every
 * parameter that was not given, with its basis (documented with its source, assumed with the
 * reason, calibrated) and the runs it applies to.
 */
import type { RunRecord } from "../display/report-data.js";
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
  /** the runs the notebook recorded; [] when it recorded none */
  runs: RunProvenance[];
  /** the first simulated run's scenario, as compact JSON, and its run's label */
  baseScenario: { label: string; json: string } | null;
  /** parameters not given in the scenarios, grouped over runs */
  assumptions: ParameterRow[];
}

/** One recorded run. */
export interface RunProvenance {
  /** 1, 2, … within the notebook; the assumptions table refers to runs by it */
  number: number;
  label: string;
  id: string;
  source: string;
  seed: string;
  /** "in full below", the differences from the first scenario, or "measured" */
  scenario: string;
  inputs: string;
  warnings: string[];
}

/** One parameter value that was not given, and the runs that used it. */
export interface ParameterRow {
  parameter: string;
  basis: string;
  value: string;
  /** the documented source, or why the value was assumed */
  note: string;
  /** "all N", or the run numbers ("1, 3") */
  runs: string;
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
  /** the runs each notebook recorded, by notebook name (from collectSections) */
  runs?: ReadonlyMap<string, readonly RunRecord[]>;
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
  const runsByNotebook = options.runs ?? new Map<string, readonly RunRecord[]>();
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
      ...recordedRuns(runsByNotebook.get(name) ?? []),
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

/** Basis order in the assumptions table: what the reader must trust least first. */
const BASIS_ORDER = ["calibrated", "assumed", "documented"];

function recordedRuns(
  runs: readonly RunRecord[],
): Pick<NotebookProvenance, "runs" | "baseScenario" | "assumptions"> {
  const base = runs.find((r) => r.scenario !== null) ?? null;
  const flat = runs.map((r) => (r.scenario === null ? null : leaves(r.scenario)));
  const list = runs.map((run, i): RunProvenance => {
    let scenario = "measured: no scenario";
    const own = flat[i];
    if (run === base) scenario = "in full below";
    else if (own !== null && own !== undefined) {
      // described by its differences from the earlier run it differs least from, so a sweep
      // reads "as run 4, except topic.partitions = 500"; the chain ends at the run in full
      let best = { number: 0, changes: [] as string[] };
      for (let j = 0; j < i; j++) {
        const other = flat[j];
        if (other === null || other === undefined) continue;
        const changes = differences(other, own);
        if (best.number === 0 || changes.length < best.changes.length)
          best = { number: j + 1, changes };
      }
      scenario =
        best.changes.length === 0
          ? `same as run ${best.number}`
          : `as run ${best.number}, except ${best.changes.join("; ")}`;
    }
    return {
      number: i + 1,
      label: run.label,
      id: run.id,
      source: run.source,
      seed: run.seed === null ? "–" : String(run.seed),
      scenario,
      inputs:
        run.inputs.length === 0
          ? "–"
          : run.inputs.map((f) => `${f.path} (sha256 ${f.sha256})`).join("; "),
      warnings: run.warnings,
    };
  });
  const groups = new Map<string, { row: Omit<ParameterRow, "runs">; runs: number[] }>();
  for (const [i, run] of runs.entries()) {
    for (const p of run.parameters) {
      const value = JSON.stringify(p.value) ?? "null";
      const key = JSON.stringify([p.path, p.basis, value, p.note]);
      const group = groups.get(key) ?? {
        row: { parameter: p.path, basis: p.basis, value, note: p.note ?? "" },
        runs: [],
      };
      group.runs.push(i + 1);
      groups.set(key, group);
    }
  }
  const assumptions = [...groups.values()]
    .map(({ row, runs: used }) => ({
      ...row,
      runs: used.length === runs.length && runs.length > 1 ? `all ${used.length}` : listed(used),
    }))
    .sort((a, b) => BASIS_ORDER.indexOf(a.basis) - BASIS_ORDER.indexOf(b.basis));
  return {
    runs: list,
    baseScenario: base?.scenario
      ? { label: base.label, json: JSON.stringify(base.scenario) }
      : null,
    assumptions,
  };
}

/** Run numbers, consecutive ones as ranges: [1, 2, 3, 5] → "1–3, 5". */
function listed(numbers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    parts.push(j > i ? `${numbers[i]}–${numbers[j]}` : String(numbers[i]));
    i = j + 1;
  }
  return parts.join(", ");
}

/** Scenario fields that name a run rather than shape it; the runs table shows the label. */
const NAMING_FIELDS = new Set(["name", "label", "description"]);

/** A JSON object's leaves by dotted path (arrays are leaves), values as JSON; naming fields left out. */
function leaves(obj: Record<string, unknown>, prefix = "", out = new Map<string, string>()) {
  for (const [key, value] of Object.entries(obj)) {
    if (prefix === "" && NAMING_FIELDS.has(key)) continue;
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      leaves(value as Record<string, unknown>, path, out);
    } else {
      out.set(path, JSON.stringify(value) ?? "null");
    }
  }
  return out;
}

/** `path = value` for every leaf that differs from the base, then `path absent` for removed ones. */
function differences(
  base: ReadonlyMap<string, string>,
  other: ReadonlyMap<string, string>,
): string[] {
  const changed = [...other]
    .filter(([path, v]) => base.get(path) !== v)
    .map(([p, v]) => `${p} = ${v}`);
  const removed = [...base.keys()].filter((p) => !other.has(p)).map((p) => `${p} absent`);
  return [...changed, ...removed];
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
