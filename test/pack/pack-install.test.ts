/**
 * esmlab as its users get it: `npm pack`, then `npm install <tarball>` in an empty folder with
 * no `overrides` — every step the README's "Use esmlab in your own project" promises, run by
 * the real consumer (npm, npx, Node's module resolution, Chromium, pdftotext).
 *
 * Slow-ish (one pack, one install of the tarball, one install in the study, one report; npm's
 * cache makes repeats take about a minute). Needs the npm registry: skipped, saying so, where
 * `npm ping` cannot reach it.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DANFOJS_INSTALL } from "../../src/display/dataframe.js";
import { startKernel } from "../../src/notebooks/kernel.js";
import { DEFAULT_CHROMIUM } from "../../src/report/render-pdf.js";

const ROOT = resolve(import.meta.dirname, "../..");
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
const MINUTE = 60_000;

/**
 * The environment of every npm command here: the caller's, without what `npm test` adds for its
 * own scripts (npm_package_*, npm_lifecycle_*, npm_config_local_prefix …, INIT_CWD), which
 * would point npm at esmlab's checkout instead of the folder it runs in. Settings a user gives
 * npm through the environment (registry, cache, proxy) are kept.
 */
const KEPT_NPM_CONFIG =
  /^npm_config_(registry|cache|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|cafile)$/i;
const ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !(/^npm_/i.test(k) && !KEPT_NPM_CONFIG.test(k)) && k !== "INIT_CWD",
  ),
);

function run(cmd: string, args: string[], cwd: string, timeoutMs = 10 * MINUTE) {
  const res: SpawnSyncReturns<string> = spawnSync(cmd, args, {
    cwd,
    env: ENV,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const shown = `${cmd} ${args.join(" ")} (in ${cwd}) → ${res.status ?? res.signal}\n${res.stdout}\n${res.stderr}`;
  return { ...res, shown };
}

const ping = run("npm", ["ping"], ROOT, 30_000);
const reachable = ping.status === 0;
const title = reachable
  ? "npm pack, then npm install <tarball> in an empty folder (no overrides)"
  : `npm pack / install (skipped: npm cannot reach the registry: ${(ping.stderr || ping.error?.message || "").split("\n").find((l) => l.trim() !== "") ?? "npm ping failed"})`;

describe.skipIf(!reachable)(title, () => {
  const tmp = mkdtempSync(join(tmpdir(), "esmlab-pack-"));
  // two installed node_modules take longer to delete than vitest's default hook time
  afterAll(() => rmSync(tmp, { recursive: true, force: true }), 2 * MINUTE);
  const packDir = join(tmp, "pack");
  const consumer = join(tmp, "consumer");
  const study = join(consumer, "study");
  let tarball = "";

  beforeAll(() => {
    mkdirSync(packDir);
    mkdirSync(consumer);
    const pack = run("npm", ["pack", "--pack-destination", packDir], ROOT);
    expect(pack.status, pack.shown).toBe(0);
    const tgz = readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
    expect(tgz).toEqual([`esmlab-${VERSION}.tgz`]);
    tarball = join(packDir, tgz[0]!);
    const init = run("npm", ["init", "-y"], consumer);
    expect(init.status, init.shown).toBe(0);
    const install = run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball],
      consumer,
    );
    expect(install.status, install.shown).toBe(0);
  }, 20 * MINUTE);

  it("installs without overrides, and ships what a study needs but no benchmarks or tests", () => {
    const pkg = JSON.parse(readFileSync(join(consumer, "package.json"), "utf8"));
    expect(pkg.overrides).toBeUndefined();
    expect(pkg.dependencies.esmlab).toMatch(/^file:.*esmlab-.*\.tgz$/);
    const installed = join(consumer, "node_modules", "esmlab");
    for (const path of [
      "LICENSE",
      "README.md",
      "dist/src/cli/main.js",
      "dist/src/index.d.ts",
      "dist/src/notebooks/tslab-kernel.cjs",
      "dist/browser/whatif-worker.js",
      "dist/browser/whatif-panel.js",
      "data/scenario.schema.json",
      "data/scenarios/spike.json",
      "data/measured/example-case2-synthetic.gmd.json",
      "templates/report/layout.hbs",
      "templates/study/gitignore",
      "notebooks/02-live-vs-simulated.ipynb",
    ]) {
      expect(existsSync(join(installed, path)), path).toBe(true);
    }
    for (const path of ["dist/bench", "test", "bench", "scripts", "src", "docs/images"]) {
      expect(existsSync(join(installed, path)), path).toBe(false);
    }
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(existsSync(join(consumer, "node_modules", "danfojs-node"))).toBe(false);
  });

  it("runs npx esmlab --version and simulate", () => {
    const version = run("npx", ["esmlab", "--version"], consumer);
    expect(version.status, version.shown).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    const sim = run("npx", ["esmlab", "simulate", "case1", "--out", "r"], consumer);
    expect(sim.status, sim.shown).toBe(0);
    expect(JSON.parse(readFileSync(join(consumer, "r", "run.json"), "utf8")).format).toBe(
      "esmlab.run/1",
    );
  });

  it("imports by name (also esmlab/cloudwatch and esmlab/schema); runToDataFrame rejects with the line saying how to install danfojs-node", () => {
    const script = [
      "const m = await import('esmlab');",
      "if (m.canMakeDataFrames()) throw new Error('danfojs-node should be absent');",
      // the two entry points kept out of the main one's declarations (issue 14)
      "const { fetchMeasuredRun } = await import('esmlab/cloudwatch');",
      "const { scenarioJsonSchema } = await import('esmlab/schema');",
      "if (typeof fetchMeasuredRun !== 'function' || scenarioJsonSchema().title !== 'esmlab scenario') throw new Error('subpath exports');",
      "const run = await m.loadAnyRun('r');",
      "await m.runToDataFrame(run).then(",
      "  () => { console.log('resolved'); process.exit(1); },",
      "  (e) => { console.log(e.message); process.exit(3); });",
    ].join("\n");
    const res = run(process.execPath, ["--input-type=module", "-e", script], consumer);
    expect(res.status, res.shown).toBe(3);
    expect(res.stdout).toContain(DANFOJS_INSTALL);
  });

  it(
    "npx esmlab init study depends on the tarball; npm install and npm run report make the HTML and PDF",
    () => {
      const init = run("npx", ["esmlab", "init", "study"], consumer);
      expect(init.status, init.shown).toBe(0);
      const pkg = JSON.parse(readFileSync(join(study, "package.json"), "utf8"));
      expect(pkg.dependencies).toEqual({ esmlab: `file:${tarball}` });
      const install = run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], study);
      expect(install.status, install.shown).toBe(0);
      if (!existsSync(DEFAULT_CHROMIUM)) {
        console.warn(`pack-install: no ${DEFAULT_CHROMIUM}, so no npm run report`);
        return;
      }
      const report = run("npm", ["run", "report"], study, 15 * MINUTE);
      expect(report.status, report.shown).toBe(0);
      expect(existsSync(join(study, "reports", "esmlab-report.html"))).toBe(true);
      const pdf = join(study, "reports", "esmlab-report.pdf");
      expect(existsSync(pdf)).toBe(true);
      const text = run("pdftotext", [pdf, "-"], study);
      expect(text.status, text.shown).toBe(0);
      expect(text.stdout).toContain("Executive summary");
      expect(text.stdout).toContain("Appendix: provenance");
      // the what-if panel, live: its browser bundles come from the installed package
      const panel = run(
        "npx",
        [
          "esmlab",
          "report",
          "notebooks/04-capacity-planning.ipynb",
          "-p",
          "whatIfPanel=true",
          "--interactive",
          "--no-pdf",
          "--out-dir",
          "panel",
        ],
        study,
        5 * MINUTE,
      );
      expect(panel.status, panel.shown).toBe(0);
      const html = readFileSync(join(study, "panel", "esmlab-report.html"), "utf8");
      expect(html).toContain('id="esmlab-whatif-worker"');
      expect(html).toContain('<form class="whatif-form"');
    },
    25 * MINUTE,
  );

  it(
    "npx esmlab kernelspec in the study writes a kernel.json that starts tslab there",
    async () => {
      const res = run("npx", ["esmlab", "kernelspec"], study);
      expect(res.status, res.shown).toBe(0);
      const path = join(study, ".jupyter", "kernels", "esmlab-tslab", "kernel.json");
      expect(res.stdout).toContain(`wrote ${path}`);
      expect(res.stdout).toContain(`JUPYTER_PATH=${study}/.jupyter jupyter notebook notebooks/`);
      const { argv } = JSON.parse(readFileSync(path, "utf8")) as { argv: string[] };
      // node, esmlab's launcher, tslab's bin script: the last two in the study's node_modules
      expect(
        argv.slice(0, 3).every((p) => existsSync(p)),
        argv.join(" "),
      ).toBe(true);
      for (const path of argv.slice(1, 3))
        expect(realpathSync(path).startsWith(realpathSync(join(study, "node_modules")))).toBe(true);
      // as Jupyter starts it: the argv as written, in the notebook's folder
      const kernel = await startKernel({ cwd: join(study, "notebooks"), argv });
      try {
        const cell = await kernel.execute(
          'import * as esmlab from "esmlab";\nesmlab.SEED_CASES.length',
          60_000,
        );
        expect(cell.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "3\n" }]);
      } finally {
        await kernel.close();
      }
    },
    2 * MINUTE,
  );
});
