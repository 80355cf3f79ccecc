#!/usr/bin/env node
// `npm test`: type-check, lint + formatting check, then the test suite. Every stage runs even
// when an earlier one fails, so one run shows every problem; the exit code is non-zero if any
// stage failed. Ends with one plain "N passed, N failed" line for the test count.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const tmp = mkdtempSync(join(tmpdir(), "esmlab-check-"));
const report = join(tmp, "vitest.json");
const extra = process.argv.slice(2);

const stages = [
  [
    "type-check",
    process.execPath,
    [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"],
  ],
  ["lint + format", bin("biome"), ["ci", "."]],
  [
    "tests",
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra],
  ],
];

const failed = [];
for (const [name, cmd, args] of stages) {
  process.stderr.write(`\n== ${name}\n`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (res.status !== 0) failed.push(name);
}

let passed = 0;
let failedTests = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests;
  failedTests = json.numFailedTests;
} catch {
  failed.includes("tests") || failed.push("tests (no report)");
}
rmSync(tmp, { recursive: true, force: true });
if (failed.length > 0) process.stderr.write(`\nfailed stages: ${failed.join(", ")}\n`);
process.stdout.write(`${passed} passed, ${failedTests} failed\n`);
process.exit(failed.length > 0 ? 1 : 0);
