/**
 * No command destroys what is not its own output. Each case runs the built CLI in a folder of
 * the user's files and compares every file, byte for byte, before and after.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = join(ROOT, "dist/src/cli/main.js");
const GMD = join(ROOT, "test/fixtures/cloudwatch/gmd-cli-v2.json");

interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the built CLI in `cwd`, with HOME set to a folder of the test's own. */
function esmlab(cwd: string, ...args: string[]): CliResult {
  const res = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, HOME: home },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** Every file below `dir` (folders included as entries) → SHA-256 of its bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const key = relative(dir, p);
      if (e.isSymbolicLink()) out[key] = `link → ${readlinkSync(p)}`;
      else if (e.isDirectory()) {
        out[`${key}/`] = "dir";
        walk(p);
      } else out[key] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

/** A user's folder: notes, a sub-project with .git and package.json, an export. */
function userFolder(): string {
  const dir = tempDir("esmlab-user-");
  writeFileSync(join(dir, "notes.md"), "# my notes\n");
  mkdirSync(join(dir, "project/.git"), { recursive: true });
  writeFileSync(join(dir, "project/.git/HEAD"), "ref: refs/heads/main\n");
  writeFileSync(join(dir, "project/package.json"), '{"name":"mine"}\n');
  mkdirSync(join(dir, "project/sub"));
  writeFileSync(join(dir, "project/sub/data.csv"), "a,b\n1,2\n");
  mkdirSync(join(dir, "exports"));
  cpSync(GMD, join(dir, "exports/gmd.json"));
  mkdirSync(join(dir, "results"));
  writeFileSync(join(dir, "results/summary.txt"), "keep me\n");
  return dir;
}

/** Asserts a refusal: exit 2, one stderr line naming the target, nothing changed. */
function expectRefused(
  res: CliResult,
  before: Record<string, string>,
  dir: string,
  target: string,
) {
  expect(res.code, res.err).toBe(2);
  const lines = res.err.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^esmlab: refusing /);
  expect(lines[0]).toContain(target);
  expect(snapshot(dir)).toEqual(before);
}

const home = tempDir("esmlab-home-");

describe("output folders never destroy anything", () => {
  it.each([
    ["the working directory", "."],
    ["an empty path (the working directory)", ""],
    ["an ancestor of the working directory", ".."],
    ["the filesystem root", "/"],
    ["the home folder", home],
  ])("simulate --out refuses %s", (_, out) => {
    const dir = userFolder();
    const cwd = join(dir, "results");
    const before = snapshot(dir);
    const res = esmlab(cwd, "simulate", "case1", "--out", out);
    expectRefused(res, before, dir, out === "" ? '""' : out);
  });

  it("simulate --out refuses a project root and a folder of the user's files", () => {
    const dir = userFolder();
    const before = snapshot(dir);
    const project = esmlab(dir, "simulate", "case1", "--out", "project");
    expectRefused(project, before, dir, "project");
    expect(project.err).toContain("project root");
    const results = esmlab(dir, "simulate", "case1", "--out", "results");
    expectRefused(results, before, dir, "results");
    expect(results.err).toContain("summary.txt");
  });

  it("import refuses to write over the folder holding its input, and the input survives", () => {
    const dir = userFolder();
    const before = snapshot(dir);
    expectRefused(
      esmlab(join(dir, "exports"), "import", "gmd.json", "--out", "."),
      before,
      dir,
      ".",
    );
    const res = esmlab(dir, "import", "exports/gmd.json", "--out", "exports");
    expectRefused(res, before, dir, "exports");
    expect(res.err).toContain("input");
  });

  it("replaces a run directory, and nothing else", () => {
    const dir = userFolder();
    expect(esmlab(dir, "simulate", "case1", "--out", "runs/case1").code).toBe(0);
    const run1 = readFileSync(join(dir, "runs/case1/run.json"), "utf8");
    const again = esmlab(dir, "simulate", "case1", "--seed", "2", "--out", "runs/case1");
    expect(again.code, again.err).toBe(0);
    expect(readFileSync(join(dir, "runs/case1/run.json"), "utf8")).not.toBe(run1);
    expect(readdirSync(join(dir, "runs")).sort()).toEqual(["case1"]);
    // a note the user put into the run directory makes it theirs
    writeFileSync(join(dir, "runs/case1/why.txt"), "seed 2 because…\n");
    const before = snapshot(dir);
    expectRefused(
      esmlab(dir, "simulate", "case1", "--out", "runs/case1"),
      before,
      dir,
      "runs/case1",
    );
    // an empty folder may be filled
    mkdirSync(join(dir, "empty"));
    expect(esmlab(dir, "simulate", "case1", "--out", "empty").code).toBe(0);
    expect(readdirSync(join(dir, "empty")).sort()).toEqual(["run.json", "series.csv"]);
  });

  it("a folder reached through a symbolic link is judged as the folder itself", () => {
    const dir = userFolder();
    symlinkSync(join(dir, "project"), join(dir, "link"));
    const before = snapshot(dir);
    expectRefused(esmlab(dir, "simulate", "case1", "--out", "link"), before, dir, "link");
  });

  it("calibrate --out refuses the measured run's own directory", () => {
    const dir = userFolder();
    expect(esmlab(dir, "import", "exports/gmd.json", "--out", "measured").code).toBe(0);
    const before = snapshot(dir);
    const res = esmlab(dir, "calibrate", "measured", "--scenario", "case2", "--out", "measured");
    expectRefused(res, before, dir, "measured");
  });

  it("cases --out refuses before simulating when a case folder holds the user's files", () => {
    const dir = userFolder();
    mkdirSync(join(dir, "out/case2"), { recursive: true });
    writeFileSync(join(dir, "out/case2/mine.txt"), "mine\n");
    const before = snapshot(dir);
    expectRefused(esmlab(dir, "cases", "--out", "out"), before, dir, "out/case2");
  });

  it("schema --out replaces its own schema but not another file", () => {
    const dir = userFolder();
    const before = snapshot(dir);
    expectRefused(esmlab(dir, "schema", "--out", "notes.md"), before, dir, "notes.md");
    expect(esmlab(dir, "schema", "--out", "scenario.schema.json").code).toBe(0);
    expect(esmlab(dir, "schema", "--out", "scenario.schema.json").code).toBe(0);
  });

  it("fetch --save-raw never replaces an export, and refuses before any request", () => {
    const dir = userFolder();
    const before = snapshot(dir);
    const res = esmlab(
      dir,
      ...["fetch", "--function", "f", "--start", "2024-01-09T18:00:00Z"],
      ...["--end", "2024-01-09T19:00:00Z", "--save-raw", "exports/gmd.json", "--out", "m"],
    );
    expectRefused(res, before, dir, "exports/gmd.json");
  });
});

describe("notebooks and report write only files they own", () => {
  const NOTEBOOK = join(ROOT, "test/fixtures/notebooks/ok.ipynb");

  it("notebooks --out never overwrites a source notebook", () => {
    const dir = userFolder();
    cpSync(NOTEBOOK, join(dir, "exports/ok.ipynb"));
    const before = snapshot(dir);
    const res = esmlab(dir, "notebooks", "exports/ok.ipynb", "--out", "exports");
    expectRefused(res, before, dir, "exports");
  });

  it("notebooks --out refuses a file of the same name it did not write", () => {
    const dir = userFolder();
    cpSync(NOTEBOOK, join(dir, "ok.ipynb"));
    writeFileSync(join(dir, "results/ok.ipynb"), '{"mine": true}\n');
    const before = snapshot(dir);
    const res = esmlab(dir, "notebooks", "ok.ipynb", "--out", "results");
    expectRefused(res, before, dir, "results/ok.ipynb");
  });

  it("report --out-dir refuses a report file it did not write, before running anything", () => {
    const dir = userFolder();
    cpSync(NOTEBOOK, join(dir, "ok.ipynb"));
    writeFileSync(join(dir, "results/esmlab-report.html"), "<p>my own report</p>\n");
    const before = snapshot(dir);
    const res = esmlab(dir, "report", "ok.ipynb", "--out-dir", "results", "--no-pdf");
    expectRefused(res, before, dir, "results/esmlab-report.html");
    const named = esmlab(dir, "report", "ok.ipynb", "--name", "../x", "--no-pdf");
    expect(named.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it("report --cache refuses a folder holding the notebooks themselves", () => {
    const dir = userFolder();
    cpSync(NOTEBOOK, join(dir, "exports/ok.ipynb"));
    const before = snapshot(dir);
    const res = esmlab(dir, "report", "exports/ok.ipynb", "--cache", "exports", "--no-pdf");
    expectRefused(res, before, dir, "exports");
  });
});

describe("relative paths through npm run", () => {
  it("npm run esmlab -- … resolves paths against the folder it was typed in", () => {
    const dir = userFolder();
    cpSync(join(ROOT, "data/scenarios/spike.json"), join(dir, "spike.json"));
    const res = spawnSync(
      "npm",
      [
        "run",
        "-s",
        "--prefix",
        ROOT,
        "esmlab",
        "--",
        "simulate",
        "spike.json",
        "--out",
        "spike-run",
      ],
      { cwd: dir, encoding: "utf8", env: { ...process.env, HOME: home } },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(statSync(join(dir, "spike-run/run.json")).isFile()).toBe(true);
    expect(existsSync(join(ROOT, "spike-run"))).toBe(false);
  });
});
