/**
 * Notebook speed (issue 4 target: all four notebooks under 20 s on this 2-core machine, kernel
 * start included), beside Jupyter's own `jupyter nbconvert --execute` on the same notebooks when
 * Debian's Jupyter is installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeKernelSpec } from "../src/notebooks/kernelspec.js";
import { runNotebooks } from "../src/notebooks/runner.js";

export async function benchNotebooks(): Promise<void> {
  console.log("== notebooks");
  const paths = readdirSync("notebooks")
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join("notebooks", f));
  const out = mkdtempSync(join(tmpdir(), "esmlab-bench-nb-"));
  try {
    const t0 = performance.now();
    const results = await runNotebooks(paths, { outDir: out });
    const total = (performance.now() - t0) / 1000;
    for (const r of results) {
      console.log(
        `  ${r.path}: ${r.status}, ${(r.durationMs / 1000).toFixed(2)} s (kernel start ${(r.kernelStartMs / 1000).toFixed(2)} s)`,
      );
    }
    console.log(
      `  all ${paths.length} notebooks (in parallel, up to the core count): ${total.toFixed(2)} s  [target < 20 s]`,
    );
    if (
      !existsSync("/usr/bin/jupyter") ||
      spawnSync("/usr/bin/jupyter", ["nbconvert", "--version"]).status !== 0
    ) {
      console.log(
        "  jupyter nbconvert: not installed (apt-get install jupyter-nbconvert) — no comparison",
      );
      return;
    }
    await writeKernelSpec();
    const t1 = performance.now();
    for (const p of paths) {
      const res = spawnSync(
        "/usr/bin/jupyter",
        [
          "nbconvert",
          "--execute",
          "--to",
          "notebook",
          "--output-dir",
          out,
          "--ExecutePreprocessor.timeout=600",
          p,
        ],
        {
          env: { ...process.env, JUPYTER_PATH: join(process.cwd(), ".jupyter") },
          encoding: "utf8",
        },
      );
      if (res.status !== 0)
        console.log(`  nbconvert ${p}: failed: ${res.stderr.trim().split("\n").at(-1)}`);
    }
    console.log(
      `  jupyter nbconvert --execute, the same notebooks one after another: ${((performance.now() - t1) / 1000).toFixed(2)} s`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
