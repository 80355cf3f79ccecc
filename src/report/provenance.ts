/**
 * The report's provenance: what produced it and from what — esmlab's version and commit, the
 * date, tool versions, each notebook's status, timings, parameters and input hashes (the
 * `esmlab` metadata executeNotebook writes, src/notebooks/run-notebook.ts), and every run the
 * notebooks recorded (`recordRuns`).
 *
 * ```
 * notebooks' metadata ─┐
 * recorded runs ───────┴▶ distinct runs, numbered ─┬▶ appendix: notebooks, runs (scenario as
 *                                                  │  differences), one parameter table
 *                                                  ├▶ title page: the report's scope (scope.ts)
 *                                                  └▶ provenance file: all of it in full (JSON)
 * ```
 * A run recorded by two notebooks (the same id and scenario) is one run, numbered once. The page
 * shortens what the file keeps whole (hashes, scenarios as differences); the file is written
 * beside the report and embedded in the HTML for download.
 */
import type { RunRecord } from "../display/report-data.js";
import type { Json } from "../notebooks/nbformat.js";
import { formatNumber } from "../util/format.js";
import type { ReportNotebook } from "./collect.js";
import {
  listNumbers,
  type NumberedRun,
  type ParameterEntry,
  type ParameterLine,
  parameterEntries,
  parameterTable,
  scenarioDifferences,
  shortHash,
  showValue,
  unusedParameters,
} from "./scenario-table.js";
import { type ReportScope, reportScope } from "./scope.js";

/** The `format` of the provenance file. */
export const PROVENANCE_FORMAT = "esmlab.report-provenance/1";

/** A name and a value as text, for the templates' two-column tables. */
export interface NameValue {
  name: string;
  value: string;
}

/** One notebook's row in the appendix. */
export interface NotebookProvenance {
  name: string;
  status: string;
  startedAt: string;
  /** wall time of the whole notebook, s, as text ("–" when unknown) */
  durationSec: string;
  kernelStartSec: string;
  /** "policy = legacy-15min, seed = 1", or "–" */
  parameters: string;
  /** input files, each with its hash shortened ("sha256:9f122b3ca671…") */
  inputs: NameValue[];
  /** the report-wide numbers of the runs it recorded ("1–3"), or "–" */
  runs: string;
}

/** One distinct run's row in the appendix. */
export interface RunProvenance {
  /** 1, 2, … over the whole report, in the order the notebooks recorded them */
  number: number;
  label: string;
  id: string;
  /** "simulated, seed 1" or "measured, 60 s steps" */
  source: string;
  /** its differences from a named earlier run, a base, or its input files */
  scenario: string;
  warnings: string[];
}

/**
 * One run in the provenance file: its record in full but for its parameters, which the file's
 * parameter table holds (with their basis and source, by run number), and where it was recorded.
 */
export interface ProvenanceFileRun extends Omit<RunRecord, "parameters"> {
  number: number;
  notebooks: string[];
  /** the scenario in words, as the appendix shows it */
  scenarioText: string;
}

/** The provenance file (`<name>.provenance.json`). */
export interface ProvenanceFile {
  format: typeof PROVENANCE_FORMAT;
  title: string;
  generatedAt: string;
  esmlab: { version: string; gitCommit: string | null };
  tools: Record<string, string>;
  notebooks: {
    name: string;
    title: string | null;
    status: string | null;
    startedAt: string | null;
    durationMs: number | null;
    kernelStartMs: number | null;
    parameters: Record<string, Json>;
    inputs: Record<string, Json>;
    versions: Record<string, Json>;
    /** ids of the runs it recorded, in its order */
    runs: string[];
  }[];
  runs: ProvenanceFileRun[];
  parameters: ParameterEntry[];
}

/** Everything the title page and the appendix show. */
export interface Provenance {
  esmlabVersion: string;
  gitCommit: string;
  /** ISO 8601 */
  generatedAt: string;
  tools: NameValue[];
  notebooks: NotebookProvenance[];
  runs: RunProvenance[];
  parameters: ParameterLine[];
  /** parameters some runs have but their scaler rule ignores, with those runs; "" when none */
  unusedParameters: string;
  scope: ReportScope;
  /** the provenance file's text (JSON, 1-space indent) */
  json: string;
  /** the file as a `data:application/json;base64,…` URL, for the appendix's download link */
  dataUrl: string;
  /** the file's name ("esmlab-report.provenance.json") */
  fileName: string;
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
  /** each notebook's section title, by notebook name (default: the notebook's name) */
  titles?: ReadonlyMap<string, string>;
  /** the report's title (default "esmlab report") */
  title?: string;
  /** the report's file name without extension (default "esmlab-report") */
  name?: string;
}

/**
 * Gathers the provenance; fields a notebook lacks show as "–" on the page and null in the file.
 *
 * @example buildProvenance(nbs, { esmlabVersion: "0.1.0", gitCommit: null, generatedAt: d }).gitCommit
 * // "unknown (not a git checkout)"
 */
export function buildProvenance(
  notebooks: readonly ReportNotebook[],
  options: ProvenanceOptions,
): Provenance {
  const recorded = options.runs ?? new Map<string, readonly RunRecord[]>();
  const { runs, notebooksOf, numbersOf } = distinctRuns(notebooks, recorded);
  const tools = new Map<string, string>();
  const metas = notebooks.map(({ notebook }) => record(notebook.metadata.esmlab));
  for (const meta of metas) {
    for (const [tool, version] of Object.entries(record(meta.versions))) {
      if (typeof version === "string" && !tools.has(tool)) tools.set(tool, version);
    }
  }
  for (const [tool, version] of Object.entries(options.tools ?? {})) tools.set(tool, version);
  const list = notebooks.map(({ name }, i): NotebookProvenance => {
    const meta = metas[i]!;
    const parameters = Object.entries(record(meta.parameters));
    return {
      name,
      status: typeof meta.status === "string" ? meta.status : "not run by esmlab",
      startedAt: typeof meta.startedAt === "string" ? meta.startedAt : "–",
      durationSec: seconds(meta.durationMs),
      kernelStartSec: seconds(meta.kernelStartMs),
      parameters:
        parameters.length === 0
          ? "–"
          : parameters.map(([k, v]) => `${k} = ${showValue(v)}`).join(", "),
      inputs: Object.entries(record(meta.inputs)).map(([path, hash]) => ({
        name: path,
        value: typeof hash === "string" ? shortHash(hash) : "missing",
      })),
      runs: numbersOf.get(name)?.length ? listNumbers(numbersOf.get(name)!) : "–",
    };
  });
  const scenarios = scenarioDifferences(runs);
  const fileName = `${options.name ?? "esmlab-report"}.provenance.json`;
  const file: ProvenanceFile = {
    format: PROVENANCE_FORMAT,
    title: options.title ?? "esmlab report",
    generatedAt: options.generatedAt.toISOString(),
    esmlab: { version: options.esmlabVersion, gitCommit: options.gitCommit },
    tools: Object.fromEntries(tools),
    notebooks: notebooks.map(({ name }, i) => {
      const meta = metas[i]!;
      return {
        name,
        title: options.titles?.get(name) ?? null,
        status: typeof meta.status === "string" ? meta.status : null,
        startedAt: typeof meta.startedAt === "string" ? meta.startedAt : null,
        durationMs: typeof meta.durationMs === "number" ? meta.durationMs : null,
        kernelStartMs: typeof meta.kernelStartMs === "number" ? meta.kernelStartMs : null,
        parameters: record(meta.parameters),
        inputs: record(meta.inputs),
        versions: record(meta.versions),
        runs: (recorded.get(name) ?? []).map((r) => r.id),
      };
    }),
    runs: runs.map(({ number, record: { parameters: _inTable, ...run } }, i) => ({
      number,
      notebooks: notebooksOf.get(number) ?? [],
      scenarioText: scenarios[i]!,
      ...run,
    })),
    parameters: parameterEntries(runs),
  };
  const json = provenanceText(file);
  return {
    esmlabVersion: options.esmlabVersion,
    gitCommit: options.gitCommit ?? "unknown (not a git checkout)",
    generatedAt: file.generatedAt,
    // esmlab's own version is said first; the notebooks' metadata repeats it among the tools
    tools: [...tools]
      .filter(([name]) => name !== "esmlab")
      .map(([name, value]) => ({ name, value })),
    notebooks: list,
    runs: runs.map(
      ({ number, record: r }, i): RunProvenance => ({
        number,
        label: r.label,
        id: r.id,
        source:
          r.source === "simulated"
            ? `simulated${r.seed === null ? "" : `, seed ${r.seed}`}`
            : `${r.source}, ${showValue(r.resolutionSec)} s steps`,
        scenario: scenarios[i]!,
        warnings: r.warnings,
      }),
    ),
    parameters: parameterTable(runs),
    unusedParameters: unusedParameters(runs),
    scope: reportScope(
      notebooks.map(({ name }) => ({
        notebook: name,
        title: options.titles?.get(name) ?? name,
        runs: (numbersOf.get(name) ?? []).map((n) => runs[n - 1]!.record),
      })),
      runs.map((r) => r.record),
    ),
    json,
    dataUrl: `data:application/json;base64,${Buffer.from(json).toString("base64")}`,
    fileName,
  };
}

/**
 * The file's text: the top level and each list indented, every run, notebook and parameter on a
 * line of its own — readable line by line and diffable, a quarter the size of JSON indented
 * throughout (whose scenarios would take 60 lines a run).
 */
export function provenanceText(file: ProvenanceFile): string {
  const lines = Object.entries(file).map(([key, value]) => {
    const head = `  ${JSON.stringify(key)}: `;
    if (!Array.isArray(value) || value.length === 0) return head + JSON.stringify(value);
    return `${head}[\n${value.map((item) => `    ${JSON.stringify(item)}`).join(",\n")}\n  ]`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}

/**
 * The runs of all notebooks, each once (a run recorded by two notebooks has the same id and
 * scenario), numbered in report order; and, per notebook, the numbers of its runs.
 */
function distinctRuns(
  notebooks: readonly ReportNotebook[],
  recorded: ReadonlyMap<string, readonly RunRecord[]>,
) {
  const runs: NumberedRun[] = [];
  const byKey = new Map<string, number>();
  const notebooksOf = new Map<number, string[]>();
  const numbersOf = new Map<string, number[]>();
  for (const { name } of notebooks) {
    const numbers: number[] = [];
    for (const run of recorded.get(name) ?? []) {
      const key = JSON.stringify([run.id, run.scenario, run.inputs]);
      let number = byKey.get(key);
      if (number === undefined) {
        number = runs.length + 1;
        runs.push({ number, record: run });
        byKey.set(key, number);
      }
      if (!numbers.includes(number)) numbers.push(number);
      const names = notebooksOf.get(number) ?? [];
      if (!names.includes(name)) names.push(name);
      notebooksOf.set(number, names);
    }
    numbersOf.set(
      name,
      numbers.sort((a, b) => a - b),
    );
  }
  return { runs, notebooksOf, numbersOf };
}

function seconds(ms: Json | undefined): string {
  return typeof ms === "number" ? `${formatNumber(ms / 1000, "seconds")} s` : "–";
}

function record(value: Json | undefined): Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
