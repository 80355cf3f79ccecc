/**
 * The `esmlab` command as a user runs it (the built dist/, in a child process): help on every
 * command, run directories written whole, one-line errors with a non-zero exit, nothing
 * half-written, the same bytes for the same seed.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRun } from "../../src/run/run-io.js";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-cli-");

const esmlab = runCli;

describe("esmlab CLI", () => {
  it("stops quietly when its reader closes the pipe early (esmlab … | head)", async () => {
    // a reader that has closed before the CLI writes: its write meets EPIPE
    const child = spawn(process.execPath, ["dist/src/cli/main.js", "--help"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(err).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });

  it.each([[], ["simulate"], ["cases"], ["scenario"]])("prints help for %j", (...cmd) => {
    const res = esmlab(...cmd, "--help");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^Usage: esmlab/);
  });

  it("simulate writes run.json and series.csv with the Run format's columns", async () => {
    const out = join(dir, "case1");
    const res = esmlab("simulate", "case1", "--out", out);
    expect(res.code).toBe(0);
    expect(res.out).toContain("4000 produced, 4000 processed");
    const csv = readFileSync(join(out, "series.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe(
      "t,produced,processed,invocations,concurrency,lag,pollers,errors,throttles",
    );
    const run = await loadRun(out);
    expect(run.meta.source).toBe("simulated");
    expect(run.meta.resolutionSec).toBe(1);
    expect(run.meta.seed).toBe(1);
    expect(run.meta.assumed).toContain("scaler.scaleUp.rule");
    expect(run.meta.provenance.esmlabVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.series.length).toBe(2701);
  });

  it("writes byte-identical runs for the same seed, different ones for another", () => {
    const scenario = join(dir, "poisson.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        name: "poisson",
        workload: { kind: "poisson", ratePerSec: 5, durationSec: 300 },
        topic: { partitions: 4, partitioner: { kind: "key-hash", keySpace: 50 } },
        function: { duration: { kind: "lognormal", medianSec: 0.5, sigma: 0.5 } },
        scaler: { policy: "on-demand-current" },
      }),
    );
    const files = (out: string) =>
      ["run.json", "series.csv"].map((f) => readFileSync(join(out, f), "utf8")).join("\0");
    for (const [name, seed] of [
      ["a", "7"],
      ["b", "7"],
      ["c", "8"],
    ] as const) {
      expect(esmlab("simulate", scenario, "--seed", seed, "--out", join(dir, name)).code).toBe(0);
    }
    expect(files(join(dir, "b"))).toBe(files(join(dir, "a")));
    expect(files(join(dir, "c"))).not.toBe(files(join(dir, "a")));
  });

  it("--policy and --resolution override the scenario", async () => {
    const out = join(dir, "case2-keda");
    expect(
      esmlab("simulate", "case2", "--policy", "keda", "--resolution", "60", "--out", out).code,
    ).toBe(0);
    const run = await loadRun(out);
    expect(run.meta.resolutionSec).toBe(60);
    expect((run.meta.scenario as { scaler: { policy: string } }).scaler.policy).toBe("keda");
  });

  it("rejects a bad scenario in one line naming file and field, and writes nothing", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        workload: { kind: "constant", ratePerSec: 1, durationSec: 1 },
        topic: { partitions: 1 },
        esm: { batchSize: 0 },
      }),
    );
    const out = join(dir, "never");
    const res = esmlab("simulate", bad, "--out", out);
    expect(res.code).toBe(1);
    expect(res.err.trim().split("\n")).toHaveLength(1);
    expect(res.err).toContain("esm.batchSize");
    expect(res.err).toContain(bad);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).some((f) => f.includes("never") && f !== "never")).toBe(false);
  });

  it("rejects bad options with a usage error", () => {
    const seed = esmlab("simulate", "case1", "--seed", "minus-one", "--out", join(dir, "x"));
    expect(seed.code).toBe(2);
    expect(seed.err).toMatch(/--seed.*expected an integer/);
    const policy = esmlab("simulate", "case1", "--policy", "turbo", "--out", join(dir, "x"));
    expect(policy.code).toBe(2);
    expect(policy.err).toMatch(/unknown policy "turbo"/);
    expect(esmlab("simulate", "case1").code).toBe(2); // --out is required
    expect(esmlab("frobnicate").code).toBe(2);
  });

  it("replaces an existing run directory whole, but not one holding other files", () => {
    const out = join(dir, "replace");
    expect(esmlab("simulate", "case3", "--out", out).code).toBe(0);
    const case3 = readFileSync(join(out, "run.json"), "utf8");
    expect(esmlab("simulate", "case1", "--out", out).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["run.json", "series.csv"]);
    expect(readFileSync(join(out, "run.json"), "utf8")).not.toBe(case3);
    writeFileSync(join(out, "stale.txt"), "old");
    expect(esmlab("simulate", "case1", "--out", out).code).toBe(2);
    expect(readFileSync(join(out, "stale.txt"), "utf8")).toBe("old");
  });

  it("cases prints the seed cases beside the blog's figures", () => {
    const res = esmlab("cases");
    expect(res.code).toBe(0);
    for (const c of ["case1", "case2", "case3"]) expect(res.out).toContain(c);
    expect(res.out).toContain("300 (300)");
    expect(res.out).toContain("2000 (2000)"); // case 3: 100 partitions × 60 / 3
    expect(res.out).toMatch(/Assumed, not documented by AWS/);
  });

  it("scenario shows every parameter with its basis", () => {
    const res = esmlab("scenario", "case1", "--policy", "provisioned");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/scaler\.concurrencyPerPoller\s+5\s+documented/);
    expect(res.out).toMatch(/scaler\.evaluationIntervalSec\s+60\s+assumed/);
    const json = esmlab("scenario", "case1", "--json");
    expect(JSON.parse(json.out).esm.batchSize).toBe(1);
  });
});
