import type { Command } from "commander";
import { jupyterCommand, projectRoot, writeKernelSpec } from "../../notebooks/kernelspec.js";

/**
 * Adds `esmlab kernelspec`: writes `<project>/.jupyter/kernels/esmlab-tslab/kernel.json` for the
 * nearest folder at or above the working directory holding a package.json (see kernelspec.ts),
 * and prints the line that opens the notebooks with it.
 */
export function registerKernelspec(program: Command): void {
  program
    .command("kernelspec")
    .description(
      "write the Jupyter kernelspec of tslab into the project's .jupyter/kernels/ (the project: the nearest folder at or above this one holding a package.json)",
    )
    .addHelpText(
      "after",
      "\nIt prints the line that opens the notebooks on it, such as:\n" +
        "  JUPYTER_PATH=/path/to/project/.jupyter jupyter notebook notebooks/",
    )
    .action(async () => {
      const root = projectRoot();
      const path = await writeKernelSpec(root);
      process.stdout.write(`wrote ${path}\nopen the notebooks with:\n  ${jupyterCommand(root)}\n`);
    });
}
