#!/usr/bin/env node
// Set-up that every README command runs first: installs npm packages from the lockfile when
// they are missing or stale, and rebuilds dist/ when a source file changed. Idempotent; when
// nothing changed it only stats files (well under a second). Dependency-free on purpose: it
// runs before node_modules exists. With --report it also checks what the PDF needs (Chromium,
// pdftotext, Liberation fonts), and for `npm test` (or with --test) what the tests need too
// (Jupyter's notebook server, nbformat, nbclient, nbconvert); missing ones are installed with
// apt as root, else the command is printed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_SETS, systemPackagePlan } from "./system-packages.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quiet = process.argv.includes("--quiet");
const report = process.argv.includes("--report");
// `npm test` runs this script with no flag (package.json "test"); npm names the script it runs
// in npm_lifecycle_event. Its children inherit that variable, so the `--quiet` call from
// test/global-setup.ts inside the same run is told apart by its flag: it only rebuilds dist/,
// the system packages having been seen to just before.
const tests =
  process.argv.includes("--test") || (process.env.npm_lifecycle_event === "test" && !quiet);
const say = (msg) => {
  if (!quiet) process.stderr.write(`esmlab setup: ${msg}\n`);
};

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (res.status !== 0) {
    process.stderr.write(`esmlab setup: '${cmd} ${args.join(" ")}' failed (exit ${res.status})\n`);
    process.exit(res.status ?? 1);
  }
}

const [major] = process.versions.node.split(".").map(Number);
if (major < 20) {
  process.stderr.write(
    `esmlab setup: Node ${process.versions.node} is too old; esmlab needs Node 20 or newer\n`,
  );
  process.exit(1);
}

// 1. npm packages, keyed on the lockfile's hash.
const lock = readFileSync(join(root, "package-lock.json"));
const lockHash = createHash("sha256").update(lock).digest("hex");
const lockStamp = join(root, "node_modules", ".esmlab-lock-stamp");
if (!existsSync(lockStamp) || readFileSync(lockStamp, "utf8") !== lockHash) {
  say("installing npm packages from package-lock.json (npm ci)");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeFileSync(lockStamp, lockHash);
}

// Notebooks import the package by name (`import * as esmlab from "esmlab"`): tslab compiles
// cells as CommonJS with Node10 resolution, which finds node_modules/esmlab → the checkout's
// built dist/ through package.json main/types (docs/toolchain.md: sources outside the notebook's
// folder fail tslab's rootDir check; a built package does not).
const self = join(root, "node_modules", "esmlab");
if (!existsSync(self)) symlinkSync("..", self, "dir");

// 2. dist/, keyed on the size and mtime of every input of the build.
function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".cts")) out.push(p);
  }
  return out;
}
const inputs = [
  ...walk(join(root, "src"), []),
  ...walk(join(root, "bench"), []),
  join(root, "tsconfig.json"),
  join(root, "tsconfig.build.json"),
  join(root, "scripts", "build-browser.mjs"),
  join(root, "package.json"),
].sort();
const fingerprint = createHash("sha256");
for (const file of inputs) {
  const st = statSync(file);
  fingerprint.update(`${file}\0${st.size}\0${st.mtimeMs}\n`);
}
const buildHash = fingerprint.digest("hex");
const buildStamp = join(root, "dist", ".esmlab-build-stamp");
const built = () => existsSync(buildStamp) && readFileSync(buildStamp, "utf8") === buildHash;
if (!built()) {
  // one build at a time (tests and commands may start together); the build goes to a fresh
  // folder renamed into place, so a reader never sees a half-built dist/
  // a failed build is reported after the lock is released (process.exit inside it would skip
  // the release and leave the next run waiting for a stale lock)
  let failed = 0;
  withLock(() => {
    if (built()) return;
    say("building dist/ (tsc)");
    const tmp = join(root, `dist.build-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const res = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", tmp], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
    });
    // then the what-if panel's browser bundles (scripts/build-browser.mjs) into the same folder
    const browser =
      res.status === 0
        ? spawnSync(process.execPath, [join(root, "scripts", "build-browser.mjs"), tmp], {
            cwd: root,
            stdio: ["ignore", "inherit", "inherit"],
          })
        : res;
    if (browser.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      failed = browser.status ?? 1;
      return;
    }
    writeFileSync(join(tmp, ".esmlab-build-stamp"), buildHash);
    const old = join(root, `dist.old-${process.pid}`);
    if (existsSync(join(root, "dist"))) renameSync(join(root, "dist"), old);
    renameSync(tmp, join(root, "dist"));
    rmSync(old, { recursive: true, force: true });
  });
  if (failed !== 0) {
    process.stderr.write(`esmlab setup: the build failed (exit ${failed})\n`);
    process.exit(failed);
  }
}

// 3. with --report: the system packages the PDF needs (src/report/render-pdf.ts); for tests,
// those and Jupyter's (test/notebooks/jupyter-*.test.ts). Missing ones are installed as root;
// otherwise the command is printed, the report still writes its HTML and the tests that need
// them skip. system-packages.mjs makes that decision; this section only carries it out.
if (report || tests) {
  const set = tests ? "test" : "report";
  const plan = systemPackagePlan({ exists: existsSync, uid: process.getuid?.(), set });
  if (plan.action !== "none") process.stderr.write(`esmlab setup: ${plan.message}\n`);
  if (plan.action === "install") {
    // a failed install is not fatal: the report still writes its HTML, the tests skip
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const apt = (args) =>
      spawnSync("apt-get", args, { env, stdio: ["ignore", "inherit", "inherit"] }).status === 0;
    if (!plan.aptArgs.every(apt)) {
      process.stderr.write("esmlab setup: apt-get install failed; updating the package lists\n");
      if (!plan.aptRetryArgs.every(apt)) {
        process.stderr.write(`esmlab setup: apt-get failed; ${PACKAGE_SETS[set].without}\n`);
      }
    }
  }
}

/** Run `fn` holding a lock folder (mkdir is atomic); waits up to 5 minutes for another holder. */
function withLock(fn) {
  const lock = join(root, "node_modules", ".esmlab-build-lock");
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      // a lock older than the deadline was left by a killed build
      if (Date.now() - statSync(lock).mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`esmlab setup: ${lock} held for 5 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
