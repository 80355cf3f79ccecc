/**
 * The project-local Jupyter kernelspec, so `jupyter notebook` opens esmlab's notebooks on the
 * same tslab kernel the headless runner uses — without IPython or `tslab install` (which needs
 * Python's jupyter_client). The file holds absolute paths (this Node, the tslab esmlab
 * resolves), so it is generated, not committed; write it again after moving the project or
 * changing Node.
 *
 * Which project: the nearest folder at or above the working directory that holds a
 * package.json — the folder npm itself treats as the project — else the working directory.
 * That is esmlab's checkout, a study made by `esmlab init`, or any project depending on esmlab.
 *
 * ```
 * esmlab kernelspec ─▶ <project>/.jupyter/kernels/esmlab-tslab/kernel.json
 * JUPYTER_PATH=<project>/.jupyter jupyter notebook notebooks/
 * ```
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { writeFileAtomic } from "../util/atomic.js";
import { checkFileTarget } from "../util/output-guard.js";
import { kernelCommand } from "./kernel-process.js";

/** Kernel name recorded in executed notebooks (`metadata.kernelspec.name`). */
export const KERNEL_NAME = "esmlab-tslab";
/** Name Jupyter shows in its kernel menu. */
export const KERNEL_DISPLAY_NAME = "TypeScript (esmlab, tslab)";

/**
 * The kernel.json that starts tslab as esmlab's runner does: this Node binary running
 * esmlab's launcher of tslab's bin script (which keeps tslab from losing messages, see
 * tslab-kernel.cts), all absolute, so Jupyter needs neither `node` nor tslab on its PATH.
 *
 * @throws EsmlabError when tslab cannot be found (see `tslabBin`)
 * @example
 * kernelSpec().argv;
 * // → ["/usr/bin/node", "/path/to/project/node_modules/esmlab/dist/src/notebooks/tslab-kernel.cjs",
 * //    "/path/to/project/node_modules/tslab/bin/tslab", "kernel", "--config-path",
 * //    "{connection_file}"]
 */
export function kernelSpec(): Record<string, unknown> {
  return {
    argv: kernelCommand("{connection_file}"),
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    // tslab interrupts a running cell on SIGINT
    interrupt_mode: "signal",
  };
}

/**
 * The project a kernelspec is written for: the nearest folder at or above `cwd` holding a
 * package.json, else `cwd` itself.
 *
 * @example projectRoot("/path/to/project/notebooks"); // → "/path/to/project"
 */
export function projectRoot(cwd: string = process.cwd()): string {
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Where {@link writeKernelSpec} writes the kernel.json of project `root`. */
export function kernelSpecPath(root: string): string {
  return join(root, ".jupyter", "kernels", KERNEL_NAME, "kernel.json");
}

/** True when `content` is a kernel.json that esmlab wrote (its display name is esmlab's). */
function isEsmlabKernelSpec(content: string): boolean {
  try {
    return (JSON.parse(content) as { display_name?: unknown }).display_name === KERNEL_DISPLAY_NAME;
  } catch {
    return false;
  }
}

/**
 * Writes `<root>/.jupyter/kernels/esmlab-tslab/kernel.json` (replacing one esmlab wrote) and
 * returns its path. Point Jupyter at it with {@link jupyterCommand}.
 *
 * @param root the project folder (default: {@link projectRoot} of the working directory)
 * @throws EsmlabError when tslab cannot be found, the file cannot be written, or a kernel.json
 *   that is not esmlab's is in the way (exit code 2)
 */
export async function writeKernelSpec(root: string = projectRoot()): Promise<string> {
  const path = kernelSpecPath(root);
  await checkFileTarget(path, "a kernelspec", isEsmlabKernelSpec, { option: "kernelspec" });
  await writeFileAtomic(path, `${JSON.stringify(kernelSpec(), null, 2)}\n`);
  return path;
}

/**
 * The shell line that opens project `root`'s notebooks in Jupyter on this kernelspec, typed in
 * `cwd`: JUPYTER_PATH absolute, the notebooks folder relative to `cwd` (omitted when the project
 * has no notebooks/ folder).
 *
 * @example
 * jupyterCommand("/path/to/project", "/path/to/project");
 * // → "JUPYTER_PATH=/path/to/project/.jupyter jupyter notebook notebooks/"
 */
export function jupyterCommand(root: string, cwd: string = process.cwd()): string {
  const line = `JUPYTER_PATH=${shellQuote(join(root, ".jupyter"))} jupyter notebook`;
  const notebooks = join(root, "notebooks");
  if (!existsSync(notebooks)) return line;
  return `${line} ${shellQuote(`${relative(cwd, notebooks) || "."}/`)}`;
}

/** `s` as one POSIX shell word: unchanged when it needs no quoting, else single-quoted. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
