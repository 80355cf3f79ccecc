/**
 * Executes one notebook headlessly on the tslab kernel and writes the executed copy.
 *
 * ```
 * read ─▶ prepare (parameters injected, outputs cleared) ─▶ kernel in the notebook's folder
 *      ─▶ cells in order (stop at the first error or timeout) ─▶ metadata ─▶ write (atomic)
 * ```
 *
 * The executed notebook is written whatever happens after the kernel started: on an error the
 * cells up to the failing one carry their outputs and the rest are left unexecuted, as
 * Jupyter's own `nbclient` leaves them.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { EsmlabError } from "../util/errors.js";
import { ESMLAB_VERSION, PACKAGE_ROOT } from "../version.js";
import { type ExecuteResult, type Kernel, startKernel } from "./kernel.js";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from "./kernelspec.js";
import {
  type Cell,
  type CodeCell,
  type ErrorOutput,
  type Json,
  type Notebook,
  readNotebook,
  writeNotebook,
} from "./nbformat.js";
import { kernelDiedError, withQuirkHint } from "./outputs.js";
import {
  bindParameters,
  cellTags,
  findParametersCell,
  type GivenValue,
  injectParameters,
} from "./parameters.js";

/** Options of {@link prepareNotebook}. */
export interface PrepareOptions {
  /** values by parameter name; names the notebook does not declare are ignored */
  parameters?: Readonly<Record<string, GivenValue>>;
}

/** A notebook ready to run: parameters injected and checked, outputs cleared. */
export interface PreparedNotebook {
  path: string;
  notebook: Notebook;
  /** effective parameters: declared defaults (when literal) overridden by given values */
  parameters: Record<string, Json>;
  /** names of the given parameters this notebook declares */
  injected: string[];
}

/** Options of {@link executeNotebook}. */
export interface ExecuteOptions {
  /** where to write the executed notebook */
  outPath: string;
  /** per-cell limit, ms (default 600 000) */
  cellTimeoutMs?: number;
  /** extra input files to hash into the metadata, relative to the current directory */
  inputs?: readonly string[];
  /** extra environment variables for the kernel */
  env?: Record<string, string>;
  /** @internal for tests: a command run instead of tslab, see `KernelOptions.argv` */
  kernelArgv?: readonly string[];
}

/** Where and why a notebook stopped. */
export interface CellFailure {
  /** 1-based index among all cells of the executed notebook */
  cell: number;
  id: string | null;
  ename: string;
  evalue: string;
}

/** What {@link executeNotebook} did. */
export interface NotebookResult {
  path: string;
  outPath: string;
  status: "ok" | "error" | "timeout";
  failure?: CellFailure;
  /** code cells executed (including the failing one) */
  executedCells: number;
  kernelStartMs: number;
  durationMs: number;
}

/**
 * Reads a notebook and injects its parameters.
 *
 * @throws EsmlabError when the notebook cannot be read or a value has the wrong type
 */
export async function prepareNotebook(
  path: string,
  options: PrepareOptions = {},
): Promise<PreparedNotebook> {
  const nb = await readNotebook(path);
  const at = findParametersCell(nb);
  const source = at < 0 ? "" : nb.cells[at]!.source;
  const { parameters, values } = bindParameters(source, options.parameters ?? {}, path);
  const injected = injectParameters(nb, values);
  return {
    path,
    notebook: {
      ...injected,
      nbformat_minor: Math.max(injected.nbformat_minor, 5),
      cells: clearOutputs(injected),
    },
    parameters,
    injected: values.map((v) => v.decl.name),
  };
}

/**
 * Code cells without outputs or counts, ids added where missing (nbformat 4.5 needs them),
 * `remove-cell` cells hidden ({@link hideIfRemoved}).
 */
function clearOutputs(nb: Notebook): Notebook["cells"] {
  const used = new Set(nb.cells.map((c) => c.id).filter((id) => id !== undefined));
  return nb.cells.map((cell, i) => {
    let id = cell.id;
    if (id === undefined) {
      id = `cell-${i + 1}`;
      while (used.has(id)) id = `${id}-`;
      used.add(id);
    }
    if (cell.cell_type !== "code") return { ...cell, id, metadata: hideIfRemoved(cell) };
    const { execution: _e, esmlab: _x, ...metadata } = hideIfRemoved(cell);
    return { ...cell, id, metadata, execution_count: null, outputs: [] };
  });
}

/**
 * A cell tagged `remove-cell` exists for the test suite, not for readers (the tag of Jupyter
 * Book and of nbconvert's TagRemovePreprocessor). It still runs and stays in the executed
 * notebook, collapsed in Jupyter front ends: nbformat 4.5's `metadata.jupyter.source_hidden`,
 * and `outputs_hidden` for a code cell. The report leaves it out (report/collect.ts).
 * @returns the cell's metadata, marked hidden when the cell is tagged `remove-cell`
 */
function hideIfRemoved(cell: Cell): Record<string, Json> {
  if (!cellTags(cell).includes("remove-cell")) return cell.metadata;
  const old = cell.metadata.jupyter;
  const jupyter = typeof old === "object" && old !== null && !Array.isArray(old) ? old : {};
  const hidden = cell.cell_type === "code" ? { outputs_hidden: true } : {};
  return { ...cell.metadata, jupyter: { ...jupyter, source_hidden: true, ...hidden } };
}

/**
 * Runs a prepared notebook on a fresh tslab kernel started in the notebook's folder, and
 * writes the executed notebook to `options.outPath` (also when a cell fails).
 *
 * @throws EsmlabError when the kernel cannot start (as soon as its process exits), naming the
 *   notebook; when the output cannot be written
 */
export async function executeNotebook(
  prepared: PreparedNotebook,
  options: ExecuteOptions,
): Promise<NotebookResult> {
  const timeoutMs = options.cellTimeoutMs ?? 600_000;
  const started = new Date();
  const t0 = performance.now();
  const cwd = dirname(resolve(prepared.path));
  const nb: Notebook = { ...prepared.notebook, cells: [...prepared.notebook.cells] };
  let kernel: Kernel | undefined;
  let kernelStartMs = 0;
  let status: NotebookResult["status"] = "ok";
  let failure: CellFailure | undefined;
  let executedCells = 0;
  try {
    kernel = await startKernel({
      cwd,
      ...(options.env ? { env: options.env } : {}),
      ...(options.kernelArgv ? { argv: options.kernelArgv } : {}),
    }).catch((err: unknown) => {
      const why = err instanceof EsmlabError ? err.message : String(err);
      throw new EsmlabError(`cannot run notebook ${prepared.path}: ${why}`, { cause: err });
    });
    kernelStartMs = round(performance.now() - t0);
    for (let i = 0; i < nb.cells.length; i++) {
      const cell = nb.cells[i]!;
      // nbclient leaves blank code cells unexecuted too
      if (cell.cell_type !== "code" || cell.source.trim() === "") continue;
      // a kernel that died after its last cell finished cannot run this one
      const died = kernel.exitStatus;
      const res: ExecuteResult =
        died === null ? await kernel.execute(cell.source, timeoutMs) : diedBefore(died);
      executedCells++;
      const outputs = res.outputs.map((o) =>
        o.output_type === "error" ? withQuirkHint(o, cell.source) : o,
      );
      const done: CodeCell = {
        ...cell,
        execution_count: res.executionCount ?? executedCells,
        outputs,
        metadata: {
          ...cell.metadata,
          execution: { "iopub.execute_input": res.startedAt, "shell.execute_reply": res.endedAt },
          esmlab: { durationMs: res.durationMs },
        },
      };
      nb.cells[i] = done;
      if (res.status !== "ok") {
        status = res.status;
        const err = outputs.filter((o): o is ErrorOutput => o.output_type === "error").pop();
        failure = {
          cell: i + 1,
          id: cell.id ?? null,
          ename: err?.ename ?? "Error",
          evalue: err?.evalue ?? "the cell failed",
        };
        break;
      }
    }
  } finally {
    await kernel?.close();
  }
  const durationMs = round(performance.now() - t0);
  nb.metadata = {
    ...nb.metadata,
    kernelspec: { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" },
    language_info: { ...(kernel?.languageInfo ?? {}), name: "typescript" },
    esmlab: {
      parameters: prepared.parameters,
      inputs: await hashInputs(prepared, options.inputs ?? []),
      versions: toolVersions(),
      startedAt: started.toISOString(),
      durationMs,
      kernelStartMs,
      status,
      ...(failure ? { failure: { ...failure } } : {}),
    },
  };
  await writeNotebook(options.outPath, nb);
  return {
    path: prepared.path,
    outPath: options.outPath,
    status,
    ...(failure ? { failure } : {}),
    executedCells,
    kernelStartMs,
    durationMs,
  };
}

/** A parameter whose name ends in Path or File names an input (dataPath, runFile, runPaths…). */
const INPUT_PARAMETER = /(?:path|file)s?$/i;

/**
 * SHA-256 of every input: string values of *Path/*File parameters (relative to the notebook)
 * and the extra files given (relative to the current directory). A directory hashes its files
 * in name order; a missing input is recorded as null. Also the report cache's key
 * (src/report/cache.ts), so a changed data file re-runs the notebook.
 *
 * @example await hashInputs(await prepareNotebook("notebooks/02-live-vs-simulated.ipynb"), [])
 * // → { "../data/measured/example-case2-synthetic.gmd.json": "sha256:…" }
 */
export async function hashInputs(
  prepared: PreparedNotebook,
  extra: readonly string[],
): Promise<Record<string, Json>> {
  const out: Record<string, Json> = {};
  const base = dirname(resolve(prepared.path));
  for (const [name, value] of Object.entries(prepared.parameters)) {
    if (!INPUT_PARAMETER.test(name)) continue;
    const paths = Array.isArray(value) ? value : [value];
    for (const p of paths) if (typeof p === "string") out[p] = await hashPath(resolve(base, p));
  }
  for (const p of extra) out[relative(base, resolve(p))] = await hashPath(resolve(p));
  return out;
}

async function hashPath(path: string): Promise<string | null> {
  const st = await stat(path).catch(() => null);
  if (st === null) return null;
  if (st.isFile())
    return `sha256:${createHash("sha256")
      .update(await readFile(path))
      .digest("hex")}`;
  if (!st.isDirectory()) return null;
  const hash = createHash("sha256");
  for (const name of (await readdir(path)).sort()) {
    hash.update(`${name}\0${(await hashPath(join(path, name))) ?? "missing"}\n`);
  }
  return `sha256:${hash.digest("hex")}`;
}

let versions: Record<string, string> | undefined;

/** esmlab, Node, tslab and the TypeScript tslab compiles cells with. */
export function toolVersions(): Record<string, string> {
  if (versions) return versions;
  const require = createRequire(join(PACKAGE_ROOT, "package.json"));
  const version = (pkg: string, from?: string): string => {
    try {
      const req = from ? createRequire(require.resolve(`${from}/package.json`)) : require;
      return (req(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return "unknown";
    }
  };
  versions = {
    esmlab: ESMLAB_VERSION,
    node: process.versions.node,
    tslab: version("tslab"),
    typescript: version("@tslab/typescript-for-tslab", "tslab"),
  };
  return versions;
}

function diedBefore(how: string): ExecuteResult {
  const now = new Date().toISOString();
  return {
    status: "error",
    executionCount: null,
    outputs: [kernelDiedError(how)],
    startedAt: now,
    endedAt: now,
    durationMs: 0,
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Checks that no two notebooks would be written to the same output file. */
export function checkDistinctOutputs(
  paths: readonly string[],
  outFor: (p: string) => string,
): void {
  const seen = new Map<string, string>();
  for (const p of paths) {
    const out = resolve(outFor(p));
    const other = seen.get(out);
    if (other !== undefined) {
      throw new EsmlabError(`notebooks ${other} and ${p} would both be written to ${outFor(p)}`);
    }
    seen.set(out, p);
  }
}
