import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { killAllKernels } from "../../notebooks/kernel-process.js";
import type { Json } from "../../notebooks/nbformat.js";
import type { GivenValue } from "../../notebooks/parameters.js";
import type { NotebookResult } from "../../notebooks/run-notebook.js";
import { type RunNotebooksOptions, runNotebooks } from "../../notebooks/runner.js";
import { EsmlabError } from "../../util/errors.js";
import { checkFilesTarget, recordOutputs } from "../../util/output-guard.js";
import { fmt } from "../../util/text-table.js";
import { parseSeconds } from "../options.js";

interface NotebooksFlags {
  out: string;
  param: Record<string, string>;
  params?: string;
  input: string[];
  timeout: number;
  jobs?: number;
}

const DEFAULT_FOLDER = "notebooks";

/**
 * Adds `esmlab notebooks [NOTEBOOK.ipynb…] [-p key=value…] [--params file.json] --out DIR`:
 * runs the notebooks on tslab kernels, up to the core count at once, and writes each executed
 * copy to DIR under its own name. Throws an EsmlabError (exit 1) naming every failed notebook
 * and cell, after the partial notebooks are written.
 */
export function registerNotebooks(program: Command): void {
  program
    .command("notebooks")
    .description("execute tslab notebooks headlessly and write the executed copies")
    .argument("[notebook...]", `notebooks to run (default: every .ipynb in ${DEFAULT_FOLDER}/)`)
    .requiredOption(
      "-o, --out <dir>",
      "folder to write each executed notebook to, same file name (never a notebook's own folder)",
    )
    .option("-p, --param <key=value>", "set a parameter (repeatable)", collectParam, {})
    .option("--params <file.json>", "parameters from a JSON object (-p values win)")
    .option("--input <file>", "an input file to hash into the metadata (repeatable)", collect, [])
    .option("-t, --timeout <sec>", "per-cell time limit in seconds", parseSeconds, 600)
    .option("-j, --jobs <n>", "notebooks run at once (default: the core count)", parseJobs)
    .addHelpText(
      "after",
      "\nParameters follow papermill: defaults are declared in the cell tagged `parameters`\n" +
        "(`const runs = 3;`), given values go into an `injected-parameters` cell after it, typed\n" +
        "as declared. A failing cell stops its notebook; the partial notebook is still written\n" +
        "and the command exits 1 naming the notebook and cell.\n\n" +
        "Example:\n  esmlab notebooks notebooks/case1.ipynb -p seed=7 --out reports/notebooks",
    )
    .action(async (notebooks: string[], flags: NotebooksFlags) => {
      const paths = notebooks.length > 0 ? notebooks : await defaultNotebooks();
      const parameters: Record<string, GivenValue> = {};
      if (flags.params !== undefined) {
        for (const [k, v] of Object.entries(await readParamsFile(flags.params))) {
          parameters[k] = { json: v };
        }
      }
      for (const [k, v] of Object.entries(flags.param)) parameters[k] = { text: v };
      const inputs = [
        ...paths,
        ...flags.input,
        ...(flags.params === undefined ? [] : [flags.params]),
      ];
      const outputs = paths.map((p) => basename(p));
      await checkFilesTarget(flags.out, outputs, { inputs });
      const results = await runNotebooksFromCli(paths, {
        outDir: flags.out,
        // claimed once the parameters are known good: partial outputs of an interrupted run
        // stay replaceable by the next one
        beforeExecute: () => recordOutputs(flags.out, outputs, { pending: true }),
        parameters,
        cellTimeoutMs: flags.timeout * 1000,
        inputs: flags.input,
        ...(flags.jobs === undefined ? {} : { concurrency: flags.jobs }),
      });
      await recordOutputs(flags.out, outputs);
      const failed = results.filter((r) => r.status !== "ok");
      if (failed.length > 0) {
        const where = failed.map(describeFailure).join("; ");
        throw new EsmlabError(`${failed.length} of ${results.length} notebooks failed: ${where}`);
      }
    });
}

function stop(code: number): never {
  killAllKernels();
  process.exit(code);
}

/**
 * Run notebooks from a command: one line per finished notebook, and no kernel outlives the
 * command even when it is interrupted (SIGINT exits 130, SIGTERM 143, after killing kernels).
 */
export async function runNotebooksFromCli(
  paths: readonly string[],
  options: Omit<RunNotebooksOptions, "onResult">,
): Promise<NotebookResult[]> {
  const onInt = () => stop(130);
  const onTerm = () => stop(143);
  process.once("SIGINT", onInt).once("SIGTERM", onTerm);
  try {
    return await runNotebooks(paths, {
      ...options,
      onResult: (r) => process.stdout.write(`${describeResult(r)}\n`),
    });
  } finally {
    process.off("SIGINT", onInt).off("SIGTERM", onTerm);
  }
}

/** One line per finished notebook. */
export function describeResult(r: NotebookResult): string {
  const time = `${fmt(r.durationMs / 1000, "duration")}, kernel start ${fmt(r.kernelStartMs / 1000, "duration")}`;
  if (r.status === "ok")
    return `ok      ${r.path} → ${r.outPath} (${r.executedCells} cells, ${time})`;
  return `FAILED  ${describeFailure(r)} → ${r.outPath} (partial, ${time})`;
}

/** Where and why a notebook failed, in one line: `path at cell 3 (id calibrate): Error: …`. */
export function describeFailure(r: NotebookResult): string {
  const f = r.failure;
  if (f === undefined) return `${r.path} (${r.status})`;
  const id = f.id === null ? "" : ` (id ${f.id})`;
  const evalue = f.evalue.split("\n")[0] ?? "";
  return `${r.path} at cell ${f.cell}${id}: ${f.ename}: ${evalue}`;
}

/** Every notebook in notebooks/, in name order. */
export async function defaultNotebooks(): Promise<string[]> {
  const names = await readdir(DEFAULT_FOLDER).catch(() => {
    throw new EsmlabError(`no notebooks given and no ${DEFAULT_FOLDER}/ folder here`);
  });
  const found = names.filter((n) => n.endsWith(".ipynb")).sort();
  if (found.length === 0)
    throw new EsmlabError(`no notebooks given and none in ${DEFAULT_FOLDER}/`);
  return found.map((n) => join(DEFAULT_FOLDER, n));
}

async function readParamsFile(path: string): Promise<Record<string, Json>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new EsmlabError(`cannot read parameters ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EsmlabError(`invalid parameters ${path}: expected a JSON object of name → value`);
  }
  return value as Record<string, Json>;
}

/** Commander collector for repeated `-p key=value`. */
export function collectParam(
  value: string,
  previous: Record<string, string>,
): Record<string, string> {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--jobs`: an integer ≥ 1. */
export function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected an integer ≥ 1, got "${value}"`);
  }
  return n;
}
