import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkFilesTarget,
  checkFileTarget,
  checkRunDirTarget,
  OUTPUT_MANIFEST,
  recordOutputs,
} from "../../src/util/output-guard.js";
import { refusal, tempDir } from "../helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("checkRunDirTarget", () => {
  const dir = tempDir("esmlab-guard-");

  it("accepts an absent folder, an empty one and an esmlab run directory", async () => {
    await checkRunDirTarget(join(dir, "absent/deeper"));
    mkdirSync(join(dir, "empty"));
    await checkRunDirTarget(join(dir, "empty"));
    mkdirSync(join(dir, "run"));
    writeFileSync(join(dir, "run/run.json"), '{"format": "esmlab.run/1"}');
    writeFileSync(join(dir, "run/series.csv"), "t\n");
    await checkRunDirTarget(join(dir, "run"));
  });

  it("refuses a run.json of another format, or one beside other files", async () => {
    mkdirSync(join(dir, "other"));
    writeFileSync(join(dir, "other/run.json"), '{"format": "someone.else/1"}');
    expect(await refusal(checkRunDirTarget(join(dir, "other")))).toMatch(
      /not an esmlab run directory/,
    );
    mkdirSync(join(dir, "mixed"));
    writeFileSync(join(dir, "mixed/run.json"), '{"format": "esmlab.run/1"}');
    writeFileSync(join(dir, "mixed/plot.png"), "png");
    expect(await refusal(checkRunDirTarget(join(dir, "mixed")))).toMatch(/1 entry: plot\.png/);
  });

  it("refuses esmlab's own package root, a file, and a folder inside an input folder", async () => {
    expect(await refusal(checkRunDirTarget(ROOT))).toMatch(/working directory|project root/);
    writeFileSync(join(dir, "a-file"), "x");
    expect(await refusal(checkRunDirTarget(join(dir, "a-file")))).toMatch(/is a file/);
    mkdirSync(join(dir, "measured"));
    const inside = checkRunDirTarget(join(dir, "measured/calibrated"), {
      inputs: [join(dir, "measured")],
    });
    expect(await refusal(inside)).toMatch(/inside .*measured, an input/);
  });
});

describe("checkFilesTarget and recordOutputs", () => {
  it("replaces only files esmlab recorded, unchanged since", async () => {
    const dir = tempDir("esmlab-files-");
    writeFileSync(join(dir, "README.md"), "mine");
    await checkFilesTarget(dir, ["a.ipynb", "b.ipynb"]);
    await recordOutputs(dir, ["a.ipynb", "b.ipynb"], { pending: true });
    writeFileSync(join(dir, "a.ipynb"), "executed a");
    await recordOutputs(dir, ["a.ipynb", "b.ipynb"]);
    // b was claimed but never written: its claim is dropped; a is recorded with its hash
    const manifest = JSON.parse(readFileSync(join(dir, OUTPUT_MANIFEST), "utf8"));
    expect(Object.keys(manifest.files)).toEqual(["a.ipynb"]);
    await checkFilesTarget(dir, ["a.ipynb", "b.ipynb"]);
    writeFileSync(join(dir, "a.ipynb"), "edited by hand");
    expect(await refusal(checkFilesTarget(dir, ["a.ipynb"]))).toMatch(/changed since esmlab/);
    expect(await refusal(checkFilesTarget(dir, ["README.md"]))).toMatch(/not written by esmlab/);
    expect(await refusal(checkFilesTarget(dir, ["x.ipynb", "x.ipynb"]))).toMatch(/both/);
  });

  it("a claimed file of an interrupted run may be replaced", async () => {
    const dir = tempDir("esmlab-claim-");
    await recordOutputs(dir, ["a.ipynb"], { pending: true });
    writeFileSync(join(dir, "a.ipynb"), "partial");
    await checkFilesTarget(dir, ["a.ipynb"]);
  });
});

describe("checkFileTarget", () => {
  it("replaces a recognised file, refuses an input, a folder and a stranger", async () => {
    const dir = tempDir("esmlab-file-");
    const path = join(dir, "schema.json");
    const ours = (text: string) => text.includes("ours");
    await checkFileTarget(path, "a schema", ours);
    writeFileSync(path, "ours");
    await checkFileTarget(path, "a schema", ours);
    writeFileSync(path, "theirs");
    expect(await refusal(checkFileTarget(path, "a schema", ours))).toMatch(/not a schema/);
    expect(await refusal(checkFileTarget(path, "a raw export", null))).toMatch(/never replaces/);
    expect(await refusal(checkFileTarget(dir, "a schema", ours))).toMatch(/is a folder/);
    const asInput = checkFileTarget(path, "a schema", () => true, { inputs: [path] });
    expect(await refusal(asInput)).toMatch(/input of this command/);
  });
});

describe("interrupted writes", () => {
  it("a SIGINT during writeDirAtomic leaves no temporary folder behind", async () => {
    const dir = tempDir("esmlab-interrupt-");
    // the child writes a large directory slowly (fsync per file) and is interrupted mid-way
    const script = `
      import { writeDirAtomic } from ${JSON.stringify(join(ROOT, "dist/src/util/atomic.js"))};
      process.on("SIGINT", () => process.exit(130));
      const files = {};
      for (let i = 0; i < 400; i++) files["f" + i] = Buffer.alloc(256 * 1024, i);
      await writeDirAtomic(${JSON.stringify(join(dir, "out"))}, files);
      process.exit(0);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: "ignore",
    });
    const started = Date.now();
    while (!readdirSync(dir).some((n) => n.includes(".tmp-")) && Date.now() - started < 20_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(readdirSync(dir).some((n) => n.includes(".tmp-"))).toBe(true);
    child.kill("SIGINT");
    const code = await new Promise((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });
});
