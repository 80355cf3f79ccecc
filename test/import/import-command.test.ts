/** `esmlab import` in-process: what it writes and what it prints. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { describe, expect, it, vi } from "vitest";
import { registerImport } from "../../src/cli/commands/import.js";
import { loadRun } from "../../src/run/run-io.js";
import { tempDir } from "../helpers.js";

const FIXTURES = "test/fixtures/cloudwatch";
const dir = tempDir("esmlab-import-cmd-");

/** Runs `esmlab import ARGS`, returning what it printed. */
async function esmlabImport(...args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerImport(program);
  for (const cmd of program.commands) cmd.exitOverride();
  const printed: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(["import", ...args], { from: "user" });
  } finally {
    spy.mockRestore();
  }
  return printed.join("");
}

describe("esmlab import", () => {
  it("writes a measured run whose series.csv keeps idle minutes empty", async () => {
    const out = join(dir, "cli-v2");
    const printed = await esmlabImport(join(FIXTURES, "gmd-cli-v2.json"), "--out", out);
    expect(printed).toContain("gmd-cli-v2 [measured-");
    expect(printed).toContain("]: 6 minutes from 2024-01-09T18:30:00Z (t = 0)");
    expect(printed).toContain(
      "invocations 195, errors 1, throttles 0, peak concurrency 3, peak lag 1200\n",
    );
    expect(printed).toContain("not measured: pollers, processed, produced");
    expect(printed).toContain(`concurrency ← ${join(FIXTURES, "gmd-cli-v2.json")}: result "m1"`);
    expect(printed).toContain(`wrote ${out}`);
    const csv = await readFile(join(out, "series.csv"), "utf8");
    expect(csv.split("\n").slice(0, 5)).toEqual([
      "t,produced,processed,invocations,concurrency,lag,pollers,errors,throttles,Duration",
      "0,,,20,1,1200,,0,0,3001.2",
      "60,,,20,1,1080,,0,0,3000.8",
      "120,,,38,2,950,,0,0,3002.5",
      "180,,,,,900,,,,",
    ]);
    const run = await loadRun(out);
    expect(run.meta.source).toBe("measured");
    expect(run.meta.resolutionSec).toBe(60);
  });

  it("combines one GetMetricStatistics file per metric, with --label and --json", async () => {
    const out = join(dir, "gms");
    const files = ["gms-concurrency.json", "gms-invocations.json", "gms-lag.json"];
    const printed = await esmlabImport(
      ...files.map((f) => join(FIXTURES, f)),
      "--out",
      out,
      "--label",
      "msk-consumer 2024-01-09",
      "--json",
    );
    const report = JSON.parse(printed);
    expect(report.start).toBe("2024-01-09T18:30:00Z");
    expect(report.summary.invocations).toBe(195);
    expect(report.warnings).toEqual([]);
    const run = await loadRun(out);
    expect(run.meta.label).toBe("msk-consumer 2024-01-09");
    expect(run.meta.provenance.inputs).toHaveLength(3);
  });

  it("--format forces a reader; a wrong one fails clearly", async () => {
    const out = join(dir, "forced");
    const error = await esmlabImport(
      join(FIXTURES, "gmd-cli-v2.json"),
      "--format",
      "get-metric-statistics",
      "--out",
      out,
    ).catch((err: unknown) => err);
    expect((error as Error).message).toMatch(
      /gmd-cli-v2\.json: expected a GetMetricStatistics response with a Datapoints array/,
    );
  });

  it("an unknown --format is a usage error", async () => {
    const error = await esmlabImport("x.json", "--format", "xml", "--out", dir).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).message).toMatch(/unknown format "xml"/);
  });
});
