import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Run, RunMeta, SimulatedRunMeta } from "../../src/run/run.js";
import { loadRun, parseRunMeta, writeRun } from "../../src/run/run-io.js";
import { createSeries } from "../../src/run/series-csv.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { EsmlabError } from "../../src/util/errors.js";
import { measuredMeta } from "../helpers.js";

let root = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "esmlab-run-io-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function sampleMeta(): SimulatedRunMeta {
  return {
    format: "esmlab.run/1",
    id: "case1-legacy",
    label: "case 1, legacy scaler",
    source: "simulated",
    resolutionSec: 1,
    scenario: resolveScenario(
      {
        name: "case1",
        workload: { kind: "constant", ratePerSec: 2, durationSec: 3 },
        topic: { partitions: 3 },
      },
      { source: "case1" },
    ).scenario,
    seed: 42,
    parameters: {
      "esm.batchSize": { value: 100, basis: "documented", note: "AWS default" },
      "scaler.stepSec": { value: 60, basis: "assumed" },
    },
    assumed: ["scaler.stepSec"],
    provenance: {
      esmlabVersion: "0.1.0",
      gitCommit: null,
      inputs: [{ path: "scenarios/case1.json", sha256: "ab".repeat(32) }],
      warnings: [],
    },
    summary: {
      durationSec: 3,
      producedRecords: 30,
      processedRecords: 25.5,
      invocations: 4,
      errors: 0,
      throttles: 0,
      peakConcurrency: 2,
      peakLagRecords: 10,
      peakPollers: 1,
      drainedAtSec: null,
      latency: null,
    },
    scaleEvents: [{ tSec: 1, from: 1, to: 2, reason: "lag 10 not smaller than 0" }],
  };
}

function sampleRun(): Run {
  const series = createSeries(3, 0, ["Duration"]);
  series.columns.t.set([0, 1, 2]);
  series.columns.produced.set([10, 10, 10]);
  series.columns.processed.set([0, 12.5, 13]);
  series.columns.lag.set([10, Number.NaN, 0]);
  series.extra.Duration!.set([Number.NaN, 120.5, 99]);
  return { meta: sampleMeta(), series };
}

/** Runs `parseRunMeta` on `value` as JSON and returns the thrown message. */
function metaError(value: unknown, file = "runs/x/run.json"): string {
  try {
    parseRunMeta(typeof value === "string" ? value : JSON.stringify(value), file);
  } catch (err) {
    expect(err).toBeInstanceOf(EsmlabError);
    return (err as Error).message;
  }
  throw new Error("expected parseRunMeta to throw");
}

async function readBoth(dir: string): Promise<[string, string]> {
  return [
    await readFile(join(dir, "run.json"), "utf8"),
    await readFile(join(dir, "series.csv"), "utf8"),
  ];
}

describe("writeRun and loadRun", () => {
  it("round-trips a run, and writing the loaded run again gives identical bytes", async () => {
    const dir = join(root, "round-trip", "case1");
    const run = sampleRun();
    await writeRun(run, dir);
    const first = await readBoth(dir);
    const loaded = await loadRun(dir);
    expect(loaded.meta).toEqual(run.meta);
    expect([...loaded.series.columns.lag]).toEqual([10, Number.NaN, 0]);
    expect([...loaded.series.extra.Duration!]).toEqual([Number.NaN, 120.5, 99]);
    await writeRun(loaded, dir);
    expect(await readBoth(dir)).toEqual(first);
    expect(first[0].endsWith("}\n")).toBe(true);
    expect(first[0]).toContain('\n  "format": "esmlab.run/1",\n  "id": "case1-legacy",');
    expect(first[1].split("\n")[2]).toBe("1,10,12.5,0,0,,0,0,0,120.5");
  });

  it("writes keys in RunMeta order whatever the order of the given object", async () => {
    const meta = sampleMeta();
    const reversed = Object.fromEntries(Object.entries(meta).reverse()) as unknown as RunMeta;
    const a = join(root, "order-a");
    const b = join(root, "order-b");
    await writeRun(sampleRun(), a);
    await writeRun({ ...sampleRun(), meta: reversed }, b);
    expect(await readBoth(b)).toEqual(await readBoth(a));
  });

  it("writes nothing when the meta would not load back, keeping an existing run", async () => {
    const dir = join(root, "refused");
    await writeRun(sampleRun(), dir);
    const before = await readBoth(dir);
    const bad = sampleRun();
    const meta = { ...bad.meta, summary: { ...bad.meta.summary, peakLagRecords: -1 } };
    await expect(writeRun({ ...bad, meta }, dir)).rejects.toThrow(
      `${join(dir, "run.json")} (about to be written): field summary.peakLagRecords: -1 must not be negative`,
    );
    const series = createSeries(2, 0);
    await expect(writeRun({ meta: sampleMeta(), series }, dir)).rejects.toThrow(
      "cannot write series row 1: t 0 is missing or not increasing",
    );
    expect(await readBoth(dir)).toEqual(before);
    expect((await readdir(root)).filter((n) => n.startsWith(".refused"))).toEqual([]);
  });

  it("names the missing file", async () => {
    const dir = join(root, "half");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "run.json"), JSON.stringify(sampleMeta()));
    await expect(loadRun(dir)).rejects.toThrow(
      `cannot read ${join(dir, "series.csv")}: no such file`,
    );
  });

  it("names the file, line and column of a bad series cell", async () => {
    const dir = join(root, "bad-cell");
    await writeRun(sampleRun(), dir);
    const path = join(dir, "series.csv");
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace("1,10,12.5,0,0,,", "1,10,12.5,0,0,abc,"));
    await expect(loadRun(dir)).rejects.toThrow(`${path} line 3, column lag: "abc" is not a number`);
  });

  it("names run.json's full path in meta errors", async () => {
    const dir = join(root, "bad-meta");
    await writeRun(sampleRun(), dir);
    const path = join(dir, "run.json");
    await writeFile(path, JSON.stringify({ ...sampleMeta(), format: "esmlab.run/9" }));
    await expect(loadRun(dir)).rejects.toThrow(
      `${path}: unsupported format "esmlab.run/9" (expected esmlab.run/1)`,
    );
  });
});

describe("parseRunMeta", () => {
  it("accepts a valid meta and returns it with keys in RunMeta order", () => {
    const meta = sampleMeta();
    const text = JSON.stringify(Object.fromEntries(Object.entries(meta).reverse()));
    const parsed = parseRunMeta(text, "run.json");
    expect(parsed).toEqual(meta);
    expect(Object.keys(parsed)).toEqual(Object.keys(meta));
  });

  it("rejects an unknown format version", () => {
    expect(metaError({ ...sampleMeta(), format: "esmlab.run/9" })).toBe(
      'runs/x/run.json: unsupported format "esmlab.run/9" (expected esmlab.run/1)',
    );
  });

  it("names missing required fields by their path", () => {
    const { label: _label, ...noLabel } = sampleMeta();
    expect(metaError(noLabel)).toBe("runs/x/run.json: missing field label");
    const meta = sampleMeta();
    const { durationSec: _d, ...summary } = meta.summary;
    const { sha256: _s, ...input } = meta.provenance.inputs[0]!;
    const provenance = { ...meta.provenance, inputs: [input] };
    expect(metaError({ ...meta, summary, provenance })).toBe(
      "runs/x/run.json: missing field provenance.inputs[0].sha256; missing field summary.durationSec",
    );
    expect(metaError({ id: "x" })).toMatch(/^runs\/x\/run\.json: missing field format; /);
  });

  it("rejects a bad source, a non-positive resolution and unknown fields", () => {
    expect(metaError({ ...sampleMeta(), source: "guessed" })).toBe(
      'runs/x/run.json: field source: "guessed" is not one of "simulated", "measured"',
    );
    expect(metaError({ ...sampleMeta(), resolutionSec: 0 })).toBe(
      "runs/x/run.json: field resolutionSec: 0 must be greater than 0",
    );
    expect(metaError({ ...sampleMeta(), resolutionSec: "60" })).toBe(
      'runs/x/run.json: field resolutionSec: expected number, found "60"',
    );
    expect(metaError({ ...sampleMeta(), colour: "red" })).toBe(
      "runs/x/run.json: unknown field colour",
    );
    const parameters = { "esm.batchSize": { value: 1, basis: "rumour" } };
    expect(metaError({ ...sampleMeta(), parameters })).toBe(
      'runs/x/run.json: field parameters["esm.batchSize"].basis: "rumour" is not one of ' +
        '"documented", "assumed", "given", "calibrated"',
    );
  });

  it("reads the kind of run from source: a simulated run has a scenario, a measured run none", () => {
    const common = measuredMeta(sampleMeta());
    const measured = { ...common, source: "measured", startTime: "2024-05-01T12:00:00.000Z" };
    const parsed = parseRunMeta(JSON.stringify(measured), "run.json");
    expect(parsed.source === "measured" && parsed.startTime).toBe("2024-05-01T12:00:00.000Z");
    expect(metaError({ ...measured, seed: 1, scenario: sampleMeta().scenario })).toBe(
      "runs/x/run.json: field scenario: an object is for simulated runs only; " +
        "field seed: 1 is for simulated runs only",
    );
    const { scaleEvents: _gone, ...noEvents } = sampleMeta();
    expect(metaError(noEvents)).toBe(
      "runs/x/run.json: missing field scaleEvents (every simulated run has it)",
    );
    expect(metaError({ ...sampleMeta(), startTime: "2024-05-01T12:00:00Z" })).toBe(
      'runs/x/run.json: field startTime: "2024-05-01T12:00:00Z" is for measured runs only',
    );
  });

  it("checks a simulated run's scenario frame and keeps the scenario as written", () => {
    const meta = sampleMeta();
    const scaler = { ...meta.scenario.scaler, policy: "hourly" };
    expect(metaError({ ...meta, scenario: { ...meta.scenario, scaler } })).toMatch(
      /^runs\/x\/run\.json: field scenario\.scaler\.policy: "hourly" is not one of "legacy-15min", /,
    );
    const { topic: _t, ...noTopic } = meta.scenario;
    expect(metaError({ ...meta, scenario: noTopic })).toBe(
      "runs/x/run.json: missing field scenario.topic",
    );
    const reversed = Object.fromEntries(Object.entries(meta.scenario).reverse());
    const parsed = parseRunMeta(JSON.stringify({ ...meta, scenario: reversed }), "run.json");
    expect(Object.keys(parsed.scenario ?? {})).toEqual(Object.keys(reversed));
  });

  it("rejects text that is not a JSON object", () => {
    expect(metaError("{ nope")).toMatch(/^runs\/x\/run\.json: not valid JSON: /);
    expect(metaError([1, 2])).toBe("runs/x/run.json: expected a JSON object, found an array");
  });
});
