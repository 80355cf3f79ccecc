#!/usr/bin/env node
// `npm test`: type-check, lint + formatting check, the test suite, then a smoke run of the CLI,
// the notebooks and the report on Node 22 and 24 (scripts/node-versions.mjs). Every stage runs
// even when an earlier one fails, so one run shows every problem; the exit code is non-zero if
// any stage failed. Ends with one plain "N passed, N failed" line counting the tests and the
// Node versions smoked, followed by ", N skipped" when tests or versions were skipped (a
// version is skipped where the npm registry cannot be reached to install it).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSmokeStage, SMOKE_MAJORS, summaryLine } from "./node-versions.mjs";

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
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests;
  failedTests = json.numFailedTests;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
} catch {
  failed.includes("tests") || failed.push("tests (no report)");
}
rmSync(tmp, { recursive: true, force: true });

const smokeName = SMOKE_MAJORS.map((major) => `node ${major}`).join(" / ") + " smoke";
process.stderr.write(`\n== ${smokeName}\n`);
const smoke = runSmokeStage({ root, log: (line) => process.stderr.write(`${line}\n`) });
if (smoke.failed > 0) failed.push(smokeName);

if (failed.length > 0) process.stderr.write(`\nfailed stages: ${failed.join(", ")}\n`);
const summary = {
  passed: passed + smoke.passed,
  failed: failedTests + smoke.failed,
  skipped: skipped + smoke.skipped,
};
process.stdout.write(`${summaryLine(summary)}\n`);
process.exit(failed.length > 0 ? 1 : 0);
