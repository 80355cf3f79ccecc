/**
 * `esmlab fit`, driven in-process through commander (main.ts wiring is separate): JSON with
 * the `phases` array and the blog comparison, a readable table, one clear error for bad input.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerFit } from "../../src/cli/commands/fit.js";
import { writeRun } from "../../src/run/run-io.js";
import { simulateBuiltin } from "../helpers.js";
import { asMeasured } from "./fit-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "esmlab-fit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  for (const name of ["case1", "case3"]) {
    await writeRun((await simulateBuiltin(name)).run, join(dir, name));
  }
  await writeRun(asMeasured((await simulateBuiltin("case1")).run, 3000), join(dir, "measured"));
});

/** Run `esmlab fit …args`, returning what it printed (or throwing what it threw). */
async function esmlabFit(...args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
  registerFit(program);
  for (const cmd of program.commands) cmd.exitOverride();
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(["node", "esmlab", "fit", ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe("esmlab fit", () => {
  it("--json prints the phases with start and end in seconds, and the blog comparison", async () => {
    const json = JSON.parse(await esmlabFit(join(dir, "case1"), "--json"));
    expect(json.phases.map((p: { name: string }) => p.name)).toEqual([
      "tear-up",
      "max-throughput",
      "cool-down",
    ]);
    expect(json.phases[0]).toMatchObject({ start: 0, end: 900, invocations: 300 });
    expect(json.blog).toHaveLength(6);
    expect(json.evaluationIntervalSec).toBe(900);
  });

  it("--json prints an array for several runs", async () => {
    const json = JSON.parse(await esmlabFit(join(dir, "case1"), join(dir, "case3"), "--json"));
    expect(json.map((f: { facts: { partitions: number } }) => f.facts.partitions)).toEqual([
      10, 100,
    ]);
  });

  it("prints a readable table without --json", async () => {
    const text = await esmlabFit(join(dir, "case3"));
    expect(text).toMatch(/^case3: 5 msg\/s/);
    expect(text).toContain("max-throughput");
    expect(text).toContain("steps: 900 s 1→100");
    expect(text).toContain("blog's conclusion");
    expect(text).toContain("note: concurrency left the plateau");
  });

  it("sets only the blog's own cases beside its figures, unless told --blog", async () => {
    // a measured run is no case of the blog's: its conclusions are no yardstick for it
    const measured = await esmlabFit(join(dir, "measured"));
    expect(measured).not.toContain("blog's conclusion");
    expect(measured).toContain(
      "blog's figures not compared: the blog measured its three cases under legacy-15min, not this run (--blog compares them anyway)",
    );
    const told = await esmlabFit(join(dir, "measured"), "--blog");
    expect(told).toContain("blog's conclusion");
    expect(await esmlabFit(join(dir, "case1"))).toContain("blog's conclusion");
  });

  it("takes partitions, duration and production end for a measured run", async () => {
    const bare = JSON.parse(await esmlabFit(join(dir, "measured"), "--json"));
    expect(bare.found).toEqual(["tear-up", "max-throughput"]);
    expect(bare.blog[3].predicted).toBeNull();
    const told = JSON.parse(
      await esmlabFit(
        join(dir, "measured"),
        "--json",
        "--partitions",
        "10",
        "--duration",
        "3",
        "--production-end",
        "2000",
      ),
    );
    expect(told.found).toEqual(["tear-up", "max-throughput", "cool-down"]);
    expect(told.facts.sources).toMatchObject({ partitions: "given", meanDurationSec: "given" });
    expect(told.blog[3]).toMatchObject({ observed: 10, predicted: 10, relativeError: 0 });
  });

  it("fails with one clear error for a missing run or a bad flag", async () => {
    await expect(esmlabFit(join(dir, "nope"))).rejects.toThrow(
      /cannot read run .*nope: no such file or directory/,
    );
    await expect(esmlabFit(join(dir, "case1"), "--partitions", "0")).rejects.toBeInstanceOf(
      CommanderError,
    );
    await expect(esmlabFit(join(dir, "case1"), "--production-end", "-1")).rejects.toBeInstanceOf(
      CommanderError,
    );
  });
});
