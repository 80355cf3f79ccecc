import type { Command } from "commander";
import { writeKernelSpec } from "../../notebooks/kernelspec.js";

/** Adds `esmlab kernelspec`: writes `.jupyter/kernels/esmlab-tslab/kernel.json` (see kernelspec.ts). */
export function registerKernelspec(program: Command): void {
  program
    .command("kernelspec")
    .description("write the project-local Jupyter kernelspec of tslab (.jupyter/kernels/)")
    .addHelpText(
      "after",
      "\nThen open the notebooks interactively with:\n" +
        "  JUPYTER_PATH=$PWD/.jupyter jupyter-notebook notebooks/",
    )
    .action(async () => {
      const path = await writeKernelSpec();
      process.stdout.write(`wrote ${path}\n`);
    });
}
