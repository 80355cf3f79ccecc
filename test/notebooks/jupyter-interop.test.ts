/**
 * The kernelspec checked by its real consumer: Jupyter's own nbclient (Debian python3-nbclient)
 * runs a fixture notebook on the esmlab-tslab kernel and gets the outputs esmlab's runner gets.
 * Skipped where /usr/bin/python3 has no nbclient (it is optional, for interactive use).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KERNEL_NAME, kernelSpec } from "../../src/notebooks/kernelspec.js";
import { tempDir } from "../helpers.js";

const PYTHON = "/usr/bin/python3";
const hasNbclient = spawnSync(PYTHON, ["-c", "import nbclient"]).status === 0;

const SCRIPT = `
import json, sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, kernel_name=sys.argv[2], timeout=30).execute()
print(json.dumps([[c.execution_count, [dict(o) for o in c.outputs]] for c in nb.cells if c.cell_type == "code"]))
`;

describe.skipIf(!hasNbclient)("Jupyter's nbclient on the esmlab-tslab kernelspec", () => {
  it("runs ok.ipynb with the outputs esmlab's runner writes", () => {
    const jupyterPath = tempDir("esmlab-jupyter-");
    mkdirSync(join(jupyterPath, "kernels", KERNEL_NAME), { recursive: true });
    writeFileSync(
      join(jupyterPath, "kernels", KERNEL_NAME, "kernel.json"),
      JSON.stringify(kernelSpec()),
    );
    const res = spawnSync(PYTHON, ["-c", SCRIPT, "ok.ipynb", KERNEL_NAME], {
      cwd: "test/fixtures/notebooks",
      env: { ...process.env, JUPYTER_PATH: jupyterPath },
      encoding: "utf8",
      timeout: 45_000,
    });
    expect(res.status, res.stderr).toBe(0);
    // nbclient keeps each stream write as its own output; esmlab merges them as front ends do
    expect(JSON.parse(res.stdout)).toEqual([
      [1, []],
      [
        2,
        [
          { output_type: "stream", name: "stdout", text: "read hello\n" },
          { output_type: "stream", name: "stdout", text: "3\n" },
        ],
      ],
      [null, []],
      [3, [{ output_type: "display_data", data: { "text/html": "<b>bold</b>" }, metadata: {} }]],
    ]);
  });
});
