/**
 * tslab's shorthand-property quirk: a variable from an earlier cell used as a shorthand
 * property (`f({ seed })`) type-checks, then fails with `ReferenceError: seed is not defined`
 * (tslab rewrites earlier cells' variables to `exports.seed`, but not a shorthand property's
 * name). The runner adds the way round it, `{ seed: seed }`, to the error. Run on a real kernel.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startKernel } from "../../src/notebooks/kernel.js";
import { type CodeCell, type Notebook, writeNotebook } from "../../src/notebooks/nbformat.js";
import { parseThrown, withQuirkHint } from "../../src/notebooks/outputs.js";
import { executeNotebook, prepareNotebook } from "../../src/notebooks/run-notebook.js";
import { tempDir } from "../helpers.js";

const HINT =
  "seed is not defined (tslab: a variable from an earlier cell cannot be a shorthand property; write { seed: seed } instead of { seed })";

const code = (id: string, source: string): CodeCell => ({
  cell_type: "code",
  id,
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});

describe("tslab's shorthand-property quirk", () => {
  it("is in tslab: { seed } of an earlier cell's seed fails at run time, { seed: seed } works", async () => {
    const kernel = await startKernel({ cwd: "test/fixtures/notebooks" });
    try {
      const run = (source: string) => kernel.execute(source, 30_000);
      expect((await run("const seed = 1;")).status).toBe("ok");
      expect((await run("console.log(JSON.stringify({ seed: seed }));")).outputs).toEqual([
        { output_type: "stream", name: "stdout", text: '{"seed":1}\n' },
      ]);
      const failed = await run("console.log(JSON.stringify({ seed }));");
      expect(failed.status).toBe("error");
      expect(failed.outputs.at(-1)).toMatchObject({
        output_type: "error",
        ename: "ReferenceError",
        evalue: "seed is not defined",
      });
      // within one cell the shorthand is fine: the variable is the cell's own
      const local = await run("const own = 2;\nconsole.log(JSON.stringify({ own }));");
      expect(local.outputs).toEqual([
        { output_type: "stream", name: "stdout", text: '{"own":2}\n' },
      ]);
    } finally {
      await kernel.close();
    }
  });

  it("gets the way round it in the executed notebook's error and the runner's failure", async () => {
    const dir = tempDir("esmlab-quirk-");
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        code("declare", "const seed = 1;\nconst f = (o: { seed: number }) => o.seed;"),
        code("shorthand", "console.log(f({ seed }));"),
      ],
    };
    const path = join(dir, "quirk.ipynb");
    await writeNotebook(path, nb);
    const result = await executeNotebook(await prepareNotebook(path), {
      outPath: join(dir, "out.ipynb"),
    });
    expect(result.failure).toEqual({
      cell: 2,
      id: "shorthand",
      ename: "ReferenceError",
      evalue: HINT,
    });
  });
});

describe("withQuirkHint", () => {
  const thrown = (text: string) => parseThrown(`${text}\n    at evalmachine.<anonymous>:3:46\n`);

  it("adds the hint when the missing name is a shorthand property of the cell", () => {
    for (const source of [
      "f({ seed })",
      "f({a: 1, seed})",
      "f({ seed, b })",
      "x = {\n  seed,\n}",
    ]) {
      const error = withQuirkHint(thrown("ReferenceError: seed is not defined"), source);
      expect(error.evalue).toBe(HINT);
      expect(error.traceback).toEqual([`ReferenceError: ${HINT}`, "    at <cell>:3:46"]);
    }
  });

  it("leaves any other error as it is", () => {
    const missing = thrown("ReferenceError: seed is not defined");
    expect(withQuirkHint(missing, "f(seed)")).toBe(missing);
    expect(withQuirkHint(missing, "f({ seeds })")).toBe(missing);
    const other = thrown("TypeError: seed is not defined");
    expect(withQuirkHint(other, "f({ seed })")).toBe(other);
    const $name = thrown("ReferenceError: $x is not defined");
    expect(withQuirkHint($name, "f({ $x })").evalue).toContain("write { $x: $x }");
  });
});
