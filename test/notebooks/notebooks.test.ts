/**
 * The headless notebook runner end to end: real tslab kernels run the fixture notebooks
 * (written by Jupyter's own nbformat), and every executed notebook is checked against
 * Jupyter's nbformat v4.5 schema.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerNotebooks } from "../../src/cli/commands/notebooks.js";
import { liveKernelCount } from "../../src/notebooks/kernel-process.js";
import {
  type CodeCell,
  type Notebook,
  parseNotebook,
  serializeNotebook,
} from "../../src/notebooks/nbformat.js";
import { runCli, tempDir } from "../helpers.js";

const FIXTURES = "test/fixtures/notebooks";
const fixture = (name: string) => join(FIXTURES, name);
const dir = tempDir("esmlab-notebooks-");
const out = join(dir, "out");
const paramsOut = join(dir, "params");

const schema = JSON.parse(readFileSync("test/fixtures/nbformat/nbformat.v4.5.schema.json", "utf8"));
// strict off: the schema carries a keyword Jupyter misspelt ("item" for "items"), which
// JSON Schema says to ignore, as Jupyter's own validator does
// (a CommonJS module: its class is the default export's `default`)
const validate = new AjvDraft04.default({ allErrors: true, strict: false }).compile(schema);

/** Runs `esmlab notebooks …` in-process; resolves to the error message, or null on success. */
async function esmlabNotebooks(...args: string[]): Promise<string | null> {
  const program = new Command().exitOverride();
  registerNotebooks(program);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(["notebooks", ...args], { from: "user" });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function executed(folder: string, name: string): Notebook {
  const nb = parseNotebook(readFileSync(join(folder, name), "utf8"), name);
  expect(
    validate(JSON.parse(readFileSync(join(folder, name), "utf8"))),
    JSON.stringify(validate.errors),
  ).toBe(true);
  return nb;
}

const code = (nb: Notebook, i: number) => nb.cells[i] as CodeCell;

let batchError: string | null;
let paramsError: string | null;
let seconds: number;

beforeAll(async () => {
  // the command prints a line per notebook
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  afterAll(() => write.mockRestore());
  const t0 = performance.now();
  // every kernel at once: ~2 s to start each, the hanging cell is cut at 4 s
  [batchError, paramsError] = await Promise.all([
    esmlabNotebooks(
      ...["ok", "type-error", "throws", "hangs"].map((n) => fixture(`${n}.ipynb`)),
      "--out",
      out,
      "--timeout",
      "4",
      "--jobs",
      "4",
    ),
    esmlabNotebooks(fixture("params.ipynb"), "-p", "runs=4", "-p", "label=b", "--out", paramsOut),
  ]);
  seconds = (performance.now() - t0) / 1000;
  // five kernels start at once beside the other test files on a 2-core machine: minutes under load
}, 240_000);

describe("esmlab notebooks", () => {
  it("fails naming every failing notebook and cell, and leaves no kernel running", () => {
    expect(batchError).toMatch(/^3 of 4 notebooks failed: /);
    expect(batchError).toContain(
      "type-error.ipynb at cell 2 (id type-error-2): TSError: Type 'string' is not assignable to type 'number'.",
    );
    expect(batchError).toContain("throws.ipynb at cell 2 (id throws-2): RangeError: bad range");
    expect(batchError).toContain("hangs.ipynb at cell 2 (id hangs-2): CellTimeoutError:");
    expect(liveKernelCount()).toBe(0);
    // a hang guard, not a benchmark: the hanging cell is interrupted at its 4 s timeout
    expect(seconds).toBeLessThan(200);
  });

  it("runs a notebook that succeeds: last values as stdout, display data, blank cells skipped", () => {
    const nb = executed(out, "ok.ipynb");
    expect(code(nb, 1).execution_count).toBe(1);
    expect(code(nb, 2)).toMatchObject({
      execution_count: 2,
      outputs: [{ output_type: "stream", name: "stdout", text: "read hello\n3\n" }],
    });
    expect(code(nb, 3)).toMatchObject({ execution_count: null, outputs: [] });
    expect(code(nb, 4)).toMatchObject({
      execution_count: 3,
      outputs: [{ output_type: "display_data", data: { "text/html": "<b>bold</b>" } }],
    });
    const exec = code(nb, 2).metadata.execution as Record<string, string>;
    expect(Date.parse(exec["shell.execute_reply"]!)).toBeGreaterThanOrEqual(
      Date.parse(exec["iopub.execute_input"]!),
    );
    expect((code(nb, 2).metadata.esmlab as { durationMs: number }).durationMs).toBeGreaterThan(0);
  });

  it("records parameters, input hashes (as sha256sum prints them) and tool versions", () => {
    const meta = executed(out, "ok.ipynb").metadata;
    expect(meta.kernelspec).toMatchObject({ name: "esmlab-tslab", language: "typescript" });
    expect(meta.esmlab).toMatchObject({
      parameters: { n: 2, dataFile: "input.txt" },
      inputs: {
        "input.txt": "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
      },
      versions: { tslab: "1.0.22", typescript: "5.0.4", node: process.versions.node },
      status: "ok",
    });
  });

  it("turns a type error into an error output and stops there", () => {
    const nb = executed(out, "type-error.ipynb");
    expect(code(nb, 0).outputs).toEqual([{ output_type: "stream", name: "stdout", text: "1\n" }]);
    expect(code(nb, 1).outputs).toEqual([
      {
        output_type: "error",
        ename: "TSError",
        evalue: "Type 'string' is not assignable to type 'number'.",
        traceback: ["TSError: 1:7 - Type 'string' is not assignable to type 'number'."],
      },
    ]);
    expect(code(nb, 2)).toMatchObject({ execution_count: null, outputs: [] });
    expect(nb.metadata.esmlab).toMatchObject({ status: "error", failure: { cell: 2 } });
  });

  it("turns a runtime error into an error output with the cell's frames only", () => {
    const nb = executed(out, "throws.ipynb");
    expect(code(nb, 0).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "before\n" },
    ]);
    const [error, ...rest] = code(nb, 1).outputs;
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ output_type: "error", ename: "RangeError", evalue: "bad range" });
    const traceback = (error as { traceback: string[] }).traceback;
    expect(traceback[0]).toBe("RangeError: bad range");
    expect(traceback[1]).toMatch(/^ {4}at fail \(<cell>:\d+:\d+\)$/);
    expect(traceback.join("\n")).not.toMatch(/tslab|node:/);
    expect(code(nb, 2)).toMatchObject({ execution_count: null, outputs: [] });
  });

  it("interrupts a cell that hangs past the timeout and writes the partial notebook", () => {
    const nb = executed(out, "hangs.ipynb");
    expect(code(nb, 0).outputs).toEqual([{ output_type: "stream", name: "stdout", text: "1\n" }]);
    expect(code(nb, 1).outputs).toEqual([
      {
        output_type: "error",
        ename: "CellTimeoutError",
        evalue: "cell did not finish within 4 s; the kernel was interrupted",
        traceback: ["CellTimeoutError: cell did not finish within 4 s; the kernel was interrupted"],
      },
    ]);
    expect(code(nb, 2).execution_count).toBeNull();
    expect(nb.metadata.esmlab).toMatchObject({ status: "timeout" });
  });

  it("injects parameters typed as declared after the parameters cell", () => {
    expect(paramsError).toBeNull();
    const nb = executed(paramsOut, "params.ipynb");
    expect(nb.cells.map((c) => c.id)).toEqual(["params-1", "injected-parameters", "params-2"]);
    expect(code(nb, 1)).toMatchObject({
      source: '// Injected parameters\nconst runs: number = 4;\nlet label: string = "b";\n',
      metadata: { tags: ["injected-parameters"] },
      execution_count: 2,
    });
    expect(code(nb, 2).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "b:8:1\n" },
    ]);
    expect((nb.metadata.esmlab as { parameters: unknown }).parameters).toEqual({
      runs: 4,
      label: "b",
      flags: [true],
    });
  });

  it("replaces the injected cell when an executed notebook is run again", async () => {
    const again = join(dir, "again");
    const file = join(dir, "params-file.json");
    writeFileSync(file, JSON.stringify({ flags: [false, true] }));
    const error = await esmlabNotebooks(
      join(paramsOut, "params.ipynb"),
      "--params",
      file,
      "-p",
      "runs=5",
      "--out",
      again,
    );
    expect(error).toBeNull();
    const nb = executed(again, "params.ipynb");
    expect(nb.cells.map((c) => c.id)).toEqual(["params-1", "injected-parameters", "params-2"]);
    expect(code(nb, 1).source).toBe(
      "// Injected parameters\nconst flags: boolean[] = [false,true];\nconst runs: number = 5;\n",
    );
    expect(code(nb, 2).outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a:10:2\n" },
    ]);
  });

  it("rejects parameters of the wrong type before running anything", async () => {
    const bad = join(dir, "bad");
    expect(
      await esmlabNotebooks(fixture("params.ipynb"), "-p", "runs=three", "--out", bad),
    ).toMatch(
      /^invalid parameter runs: "three" is not a number \(notebook test\/fixtures\/notebooks\/params\.ipynb, declared as number in the parameters cell\)$/,
    );
    const file = join(dir, "bad-params.json");
    writeFileSync(file, JSON.stringify({ flags: [1] }));
    expect(await esmlabNotebooks(fixture("params.ipynb"), "--params", file, "--out", bad)).toMatch(
      /^invalid parameter flags: element 1 of \[1\] is not a boolean \(notebook .*params\.ipynb/,
    );
    expect(
      await esmlabNotebooks(fixture("params.ipynb"), "-p", "colour=red", "--out", bad),
    ).toMatch(/^unknown parameter colour: not declared in the parameters cell of .*params\.ipynb$/);
    expect(existsSync(bad)).toBe(false);
  });
});

// `esmlab notebooks` as a user runs it, once the command is wired into src/cli/main.ts
const wired = runCli("notebooks", "--help").out.includes("Usage: esmlab notebooks");

describe.skipIf(!wired)("esmlab notebooks (built CLI)", () => {
  it("exits 1 with one line naming the notebook and cell, having written the partial notebook", () => {
    const cliOut = join(dir, "cli");
    const res = runCli("notebooks", fixture("throws.ipynb"), "--out", cliOut);
    expect(res.code).toBe(1);
    expect(res.err).toBe(
      "esmlab: 1 of 1 notebooks failed: test/fixtures/notebooks/throws.ipynb at cell 2 (id throws-2): RangeError: bad range\n",
    );
    expect(res.out).toMatch(/^FAILED {2}test\/fixtures\/notebooks\/throws\.ipynb at cell 2/);
    expect(code(executed(cliOut, "throws.ipynb"), 1).outputs[0]?.output_type).toBe("error");
  });
});

describe("nbformat", () => {
  it("writes notebooks byte for byte as Jupyter's nbformat does", () => {
    for (const name of ["ok", "type-error", "throws", "hangs", "params"]) {
      const text = readFileSync(fixture(`${name}.ipynb`), "utf8");
      expect(serializeNotebook(parseNotebook(text, name))).toBe(text);
    }
  });
});
