/**
 * The project-local Jupyter kernelspec, so `jupyter notebook` opens esmlab's notebooks on the
 * same tslab kernel the headless runner uses — without IPython or `tslab install` (which needs
 * Python's jupyter_client). The file holds an absolute path, so it is generated, not committed.
 *
 * Use: `esmlab kernelspec`, then `JUPYTER_PATH=$PWD/.jupyter jupyter-notebook notebooks/`.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic.js";
import { checkFileTarget } from "../util/output-guard.js";
import { PACKAGE_ROOT } from "../version.js";

/** Kernel name recorded in executed notebooks (`metadata.kernelspec.name`). */
export const KERNEL_NAME = "esmlab-tslab";
/** Name Jupyter shows in its kernel menu. */
export const KERNEL_DISPLAY_NAME = "TypeScript (esmlab, tslab)";

/**
 * The kernel.json of the project-local tslab.
 *
 * @param root the project folder holding node_modules/.bin/tslab (default: esmlab's own)
 * @example
 * kernelSpec("/work/main").argv;
 * // → ["/work/main/node_modules/.bin/tslab", "kernel", "--config-path", "{connection_file}"]
 */
export function kernelSpec(root: string = PACKAGE_ROOT): Record<string, unknown> {
  return {
    argv: [
      join(root, "node_modules", ".bin", "tslab"),
      "kernel",
      "--config-path",
      "{connection_file}",
    ],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    // tslab interrupts a running cell on SIGINT
    interrupt_mode: "signal",
  };
}

/** Where {@link writeKernelSpec} writes the kernel.json of `root`. */
export function kernelSpecPath(root: string = PACKAGE_ROOT): string {
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
 * Writes `<root>/.jupyter/kernels/esmlab-tslab/kernel.json` (replacing it) and returns its path.
 * Point Jupyter at it with `JUPYTER_PATH=<root>/.jupyter`.
 *
 * @throws EsmlabError when the file cannot be written, or a kernel.json that is not esmlab's is
 *   in the way (exit code 2)
 */
export async function writeKernelSpec(root: string = PACKAGE_ROOT): Promise<string> {
  const path = kernelSpecPath(root);
  await checkFileTarget(path, "a kernelspec", isEsmlabKernelSpec, { option: "kernelspec" });
  await writeFileAtomic(path, `${JSON.stringify(kernelSpec(root), null, 2)}\n`);
  return path;
}
