/**
 * Notebook speed, side by side in one run so the machine's load cancels out of the ratios:
 *
 * - the runner: the four notebooks from scratch, in parallel up to the core count (issue 4:
 *   under 20 s), with each one's stages (kernel start, the cell importing esmlab, the others);
 * - one notebook alone through the runner (issue 14: ≤ 2.5 s);
 * - the same notebooks' code cells as plain Node scripts, types stripped, one after another —
 *   what the notebooks' own code costs (issue 14: the runner ≤ 1.5× that);
 * - Jupyter's `jupyter nbconvert --execute` on the same kernel, one after another, where
 *   Debian's Jupyter is installed (issue 14: the runner ≥ 2× faster).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import ts from "typescript";
import { writeKernelSpec } from "../src/notebooks/kernelspec.js";
import { type CodeCell, readNotebook } from "../src/notebooks/nbformat.js";
import type { NotebookResult } from "../src/notebooks/run-notebook.js";
import { runNotebooks } from "../src/notebooks/runner.js";

const NOTEBOOKS = "notebooks";
/** A cell importing esmlab: the first cell that type-checks against esmlab's declarations. */
const IMPORTS_ESMLAB = /from\s+["']esmlab["']/;

export async function benchNotebooks(): Promise<void> {
  console.log("== notebooks");
  const paths = readdirSync(NOTEBOOKS)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join(NOTEBOOKS, f));
  const out = mkdtempSync(join(tmpdir(), "esmlab-bench-nb-"));
  try {
    const t0 = performance.now();
    const results = await runNotebooks(paths, { outDir: out });
    const runner = seconds(t0);
    for (const r of results) console.log(`  ${await stages(r)}`);
    console.log(
      `  runner, all ${paths.length} in parallel (up to the core count): ${runner.toFixed(2)} s  [target < 20 s]`,
    );

    const smallest = paths.at(-1)!;
    const alone = join(out, "alone");
    const t1 = performance.now();
    const [one] = await runNotebooks([smallest], { outDir: alone });
    console.log(
      `  runner, ${basename(smallest)} alone: ${seconds(t1).toFixed(2)} s  [target ≤ 2.5 s]  (${await stages(one!)})`,
    );

    const plain = await plainScripts(paths);
    console.log(
      `  the same code cells as plain Node scripts, one after another: ${plain.total.toFixed(2)} s (${plain.each.join(", ")})`,
    );
    console.log(`  runner ÷ plain scripts: ${(runner / plain.total).toFixed(2)}×  [target ≤ 1.5×]`);

    const nbconvert = await nbconvertTime(paths, join(out, "nbconvert"));
    if (typeof nbconvert === "string") {
      console.log(`  jupyter nbconvert: ${nbconvert}`);
      return;
    }
    console.log(
      `  jupyter nbconvert --execute, same kernel, one after another: ${nbconvert.toFixed(2)} s; runner ${(nbconvert / runner).toFixed(2)}× faster  [target ≥ 2×]`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** "01-blog-cases.ipynb: ok, 8.80 s = kernel start 3.60 + import cell 0.84 + 8 other cells 4.10" */
async function stages(r: NotebookResult): Promise<string> {
  const cells = (await readNotebook(r.outPath)).cells.filter(
    (c): c is CodeCell => c.cell_type === "code",
  );
  const ms = (c: CodeCell) => {
    const esmlab = c.metadata.esmlab as { durationMs?: number } | undefined;
    return esmlab?.durationMs ?? 0;
  };
  const importCell = cells.find((c) => IMPORTS_ESMLAB.test(c.source));
  const others = cells.filter((c) => c !== importCell);
  const sum = (cs: CodeCell[]) => cs.reduce((s, c) => s + ms(c), 0) / 1000;
  return (
    `${basename(r.path)}: ${r.status}, ${(r.durationMs / 1000).toFixed(2)} s = kernel start ` +
    `${(r.kernelStartMs / 1000).toFixed(2)} + import cell ${(importCell ? ms(importCell) / 1000 : 0).toFixed(2)} + ` +
    `${others.length} other cells ${sum(others).toFixed(2)}`
  );
}

/**
 * Each notebook's code cells, types stripped by TypeScript's transpiler, as one ES module run
 * by Node in the notebook's folder; one after another. The modules are written under
 * node_modules/.cache, where Node resolves "esmlab" as the notebooks do.
 */
async function plainScripts(paths: readonly string[]): Promise<{ total: number; each: string[] }> {
  const dir = resolve("node_modules", ".cache", "esmlab-bench");
  mkdirSync(dir, { recursive: true });
  const each: string[] = [];
  let total = 0;
  for (const path of paths) {
    const code = (await readNotebook(path)).cells
      .filter((c) => c.cell_type === "code")
      .map((c) => c.source)
      .join("\n;\n");
    const js = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = join(dir, `${basename(path, ".ipynb")}.mjs`);
    writeFileSync(file, js);
    const t = performance.now();
    const res = spawnSync(process.execPath, [file], { cwd: NOTEBOOKS, encoding: "utf8" });
    const sec = seconds(t);
    if (res.status !== 0) {
      throw new Error(`${path} as a plain script failed: ${res.stderr.trim().split("\n").at(-1)}`);
    }
    total += sec;
    each.push(`${basename(path)} ${sec.toFixed(2)}`);
  }
  rmSync(dir, { recursive: true, force: true });
  return { total, each };
}

/** nbconvert's time for the notebooks one after another, or why there is none. */
async function nbconvertTime(paths: readonly string[], outDir: string): Promise<number | string> {
  if (
    !existsSync("/usr/bin/jupyter") ||
    spawnSync("/usr/bin/jupyter", ["nbconvert", "--version"]).status !== 0
  ) {
    return "not installed (apt-get install jupyter-nbconvert) — no comparison";
  }
  await writeKernelSpec();
  const t = performance.now();
  for (const p of paths) {
    const res = spawnSync(
      "/usr/bin/jupyter",
      [
        "nbconvert",
        "--execute",
        "--to",
        "notebook",
        "--output-dir",
        outDir,
        "--ExecutePreprocessor.timeout=600",
        p,
      ],
      {
        env: { ...process.env, JUPYTER_PATH: join(process.cwd(), ".jupyter") },
        encoding: "utf8",
      },
    );
    if (res.status !== 0) return `failed on ${p}: ${res.stderr.trim().split("\n").at(-1)}`;
  }
  return seconds(t);
}
