/**
 * Runs several notebooks, each on its own kernel, up to `concurrency` at a time.
 *
 * ```
 * check names ─▶ prepare all (parameters checked before any kernel starts) ─▶ pool of runs
 * ```
 */
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { EsmlabError } from "../util/errors.js";
import { type GivenValue, showParameterName } from "./parameters.js";
import {
  checkDistinctOutputs,
  executeNotebook,
  type NotebookResult,
  prepareNotebook,
} from "./run-notebook.js";

/** Options of {@link runNotebooks}. */
export interface RunNotebooksOptions {
  /** folder the executed notebooks are written to, each under its own file name */
  outDir: string;
  /** parameter values; each must be declared by at least one of the notebooks */
  parameters?: Readonly<Record<string, GivenValue>>;
  /** per-cell limit, ms (default 600 000) */
  cellTimeoutMs?: number;
  /** extra input files to hash into each notebook's metadata */
  inputs?: readonly string[];
  /** notebooks run at once (default: os.availableParallelism()) */
  concurrency?: number;
  /** called as each notebook finishes */
  onResult?: (result: NotebookResult) => void;
  /**
   * called once, when a slot is first left with no notebook to start (every notebook has
   * started and one has ended), or at once when there are fewer notebooks than slots: a core is
   * free from then on (the report starts Chromium there, off the notebooks' cores, unless a
   * notebook has failed). Given the results so far, in the order of `paths`.
   */
  onSlotFree?: (finished: readonly NotebookResult[]) => void;
  /**
   * awaited once every notebook and parameter has been checked, before the first kernel starts
   * (the CLI claims its output files there, so a refused parameter leaves no folder behind)
   */
  beforeExecute?: () => Promise<void>;
  /** @internal for tests: a command run instead of tslab, see `KernelOptions.argv` */
  kernelArgv?: readonly string[];
}

/**
 * Executes notebooks headlessly and writes each as `outDir/<file name>`. A failing notebook
 * does not stop the others; its partial copy is written and its result says where it failed.
 *
 * @returns one result per notebook, in the order given
 * @throws EsmlabError before anything runs when two notebooks share a file name, a parameter
 *   is declared by none of them, or a value has the wrong type; when a kernel cannot start
 *   (no further notebook is started, those running finish and are written first)
 * @example
 * const results = await runNotebooks(["notebooks/a.ipynb"], { outDir: "out" });
 * results[0].status; // → "ok"
 */
export async function runNotebooks(
  paths: readonly string[],
  options: RunNotebooksOptions,
): Promise<NotebookResult[]> {
  const outFor = (p: string) => join(options.outDir, basename(p));
  checkDistinctOutputs(paths, outFor);
  const parameters = options.parameters ?? {};
  const prepared = await Promise.all(paths.map((p) => prepareNotebook(p, { parameters })));
  for (const name of Object.keys(parameters)) {
    if (!prepared.some((p) => p.injected.includes(name))) {
      throw new EsmlabError(
        `unknown parameter ${showParameterName(name)}: not declared in the parameters cell of ${paths.join(", ")}`,
      );
    }
  }
  await options.beforeExecute?.();
  const concurrency = Math.max(1, options.concurrency ?? availableParallelism());
  const results: NotebookResult[] = new Array(paths.length);
  let next = 0;
  let failed = false;
  let slotFreed = false;
  const slotFree = () => {
    if (slotFreed) return;
    slotFreed = true;
    options.onSlotFree?.(results.filter((r) => r !== undefined));
  };
  if (prepared.length < concurrency) slotFree();
  const worker = async () => {
    for (let i = next++; i < prepared.length && !failed; i = next++) {
      try {
        const result = await executeNotebook(prepared[i]!, {
          outPath: outFor(paths[i]!),
          ...(options.cellTimeoutMs === undefined ? {} : { cellTimeoutMs: options.cellTimeoutMs }),
          ...(options.inputs === undefined ? {} : { inputs: options.inputs }),
          ...(options.kernelArgv === undefined ? {} : { kernelArgv: options.kernelArgv }),
        });
        results[i] = result;
        options.onResult?.(result);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
    slotFree();
  };
  // allSettled: the notebooks already running are finished and written before the first
  // failure is reported, rather than left running behind the error
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(concurrency, paths.length) }, worker),
  );
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (rejected !== undefined) throw rejected.reason;
  return results;
}
