/**
 * Parameter paths are types: the default tables, the typed path access and the run's kinds
 * are checked by the compiler. Each `@ts-expect-error` below is a line that must not compile
 * (tsc -p tsconfig.json checks the tests; an error that goes away fails the type check), and
 * the assertions check that the values the types describe are the ones at run time.
 */
import { describe, expect, it } from "vitest";
import type { RunMeta } from "../../src/run/run.js";
import { assumed, documented } from "../../src/run/run.js";
import { POLICY_DEFAULTS, type PresetTable } from "../../src/scaler/presets.js";
import {
  MODEL_DEFAULTS,
  type ModelDefaults,
  type ModelPath,
  type ScenarioPath,
} from "../../src/scenario/defaults.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { Scenario } from "../../src/scenario/types.js";
import { getPath, type Path, setPath } from "../../src/util/paths.js";

const resolved = resolveScenario(
  { workload: { kind: "constant", ratePerSec: 2, durationSec: 60 }, topic: { partitions: 4 } },
  { source: "typed-paths" },
);

describe("Path and PathValue", () => {
  it("stop at primitives, arrays and the whole values named, and descend unions by shared keys", () => {
    type Duration = { kind: "constant"; sec: number } | { kind: "normal"; meanSec: number };
    type T = {
      esm: { batchSize: number; tags: string[] };
      fn: { duration: Duration; errorRate?: number };
    };
    const whole: Path<T, Duration>[] = ["esm.batchSize", "esm.tags", "fn.duration", "fn.errorRate"];
    const descended: Path<T>[] = ["fn.duration.kind"];
    // @ts-expect-error a whole value is a leaf: its fields are not paths
    const inside: Path<T, Duration> = "fn.duration.sec";
    // @ts-expect-error a field only some members of a union have is not a path
    const partial: Path<T> = "fn.duration.sec";
    expect([...whole, ...descended, inside, partial]).toHaveLength(7);
  });

  it("type getPath and setPath on a scenario, and refuse a misspelt path or a wrong value", () => {
    const sc: Scenario = structuredClone(resolved.scenario);
    const batchSize: number = getPath(sc, "esm.batchSize");
    expect(batchSize).toBe(100);
    setPath(sc, "function.errorRate", 0.25);
    expect(sc.function.errorRate).toBe(0.25);
    // @ts-expect-error a misspelt path
    setPath(sc, "function.errorRat", 0.25);
    // @ts-expect-error a string where the path holds a number
    setPath(sc, "esm.batchSize", "100");
    const path: ScenarioPath = "function.duration";
    expect(getPath(sc, path)).toEqual({ kind: "constant", sec: 3 });
  });
});

describe("MODEL_DEFAULTS", () => {
  it("has a record for every model path and nothing else", () => {
    const paths: ModelPath[] = Object.keys(MODEL_DEFAULTS) as ModelPath[];
    expect(paths).toContain("workload.recordBytes");
    expect(paths).not.toContain("topic.partitions");
    for (const p of paths) expect(resolved.parameters[p]).toEqual(MODEL_DEFAULTS[p]);
  });

  it("does not compile with a misspelt key, a wrongly typed value or a missing key", () => {
    const typo = {
      ...MODEL_DEFAULTS,
      // @ts-expect-error "esm.batchSzie" is not a path of the scenario
      "esm.batchSzie": documented(100, "AWS: BatchSize default 100"),
    } satisfies ModelDefaults;
    const wrongType = {
      ...MODEL_DEFAULTS,
      // @ts-expect-error startingPosition is "LATEST" or "TRIM_HORIZON"
      "esm.startingPosition": assumed("EARLIEST", "no such position"),
    } satisfies ModelDefaults;
    const { "esm.batchSize": _dropped, ...rest } = MODEL_DEFAULTS;
    // @ts-expect-error every model path needs a default
    const missing: ModelDefaults = rest;
    expect([typo, wrongType, missing].every((t) => "function.duration" in t)).toBe(true);
  });
});

describe("POLICY_DEFAULTS", () => {
  it("checks each policy's table against that policy's settings, markers on poller counts only", () => {
    const legacy: PresetTable<"legacy-15min"> = POLICY_DEFAULTS["legacy-15min"];
    const keda: PresetTable<"keda"> = POLICY_DEFAULTS.keda;
    expect(legacy["scaleUp.rule"].value).toBe("to-max");
    expect(keda.evaluationIntervalSec.value).toBe(30);
    const typo = {
      ...legacy,
      // @ts-expect-error "scaleUp.rules" is not a setting of the policy
      "scaleUp.rules": assumed("add", "misspelt"),
    } satisfies PresetTable<"legacy-15min">;
    const foreign = {
      ...legacy,
      // @ts-expect-error a KEDA setting in a lag preset's table
      cooldownSec: documented(300, "KEDA cooldownPeriod"),
    } satisfies PresetTable<"legacy-15min">;
    const marker = {
      ...legacy,
      initialPollers: documented("minPollers", "a marker on a poller count"),
      // @ts-expect-error a marker on a setting that is not a poller count
      evaluationIntervalSec: documented("partitions", "not a count"),
    } satisfies PresetTable<"legacy-15min">;
    expect([typo, foreign, marker].every((t) => "maxPollers" in t)).toBe(true);
  });
});

describe("RunMeta", () => {
  it("does not compile a measured run that carries a scenario", () => {
    const base = {
      format: "esmlab.run/1",
      id: "m",
      label: "measured",
      resolutionSec: 60,
      provenance: { esmlabVersion: "0", gitCommit: null, inputs: [], warnings: [] },
      summary: {
        durationSec: 0,
        producedRecords: null,
        processedRecords: null,
        invocations: null,
        errors: null,
        throttles: null,
        peakConcurrency: null,
        peakLagRecords: null,
        peakPollers: null,
      },
    } as const;
    const measured: RunMeta = { ...base, source: "measured" };
    // @ts-expect-error only simulated runs have a scenario
    const mixed: RunMeta = { ...base, source: "measured", scenario: resolved.scenario };
    // a scenario read from any run is a Scenario or absent, no cast needed
    const policy = [measured, mixed].map((m) => m.scenario?.scaler.policy);
    expect(policy).toEqual([undefined, "legacy-15min"]);
  });
});
