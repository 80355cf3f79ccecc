/**
 * Every bad scenario field is rejected with its name and the file it came from, one line.
 * Bounds are AWS's documented ones (BatchSize 1–10 000, MaximumBatchingWindowInSeconds 0–300,
 * 6 MB payload, 14 min timeout for Kafka ESMs) or the model's own.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { EsmlabError } from "../../src/util/errors.js";

const dir = mkdtempSync(join(tmpdir(), "esmlab-scenario-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ({
  name: "bad",
  workload: { kind: "constant", ratePerSec: 2, durationSec: 100 },
  topic: { partitions: 10 },
  esm: { batchSize: 1 },
  function: { duration: { kind: "constant", sec: 3 } },
  scaler: { policy: "legacy-15min" },
});

type Json = Record<string, unknown>;
const cases: [string, (s: Json) => void, RegExp][] = [
  ["zero rate", (s) => ((s.workload as Json).ratePerSec = 0), /invalid workload\.ratePerSec: 0/],
  [
    "unknown workload kind",
    (s) => ((s.workload as Json).kind = "burst"),
    /invalid workload\.kind: "burst".*constant/,
  ],
  ["no partitions", (s) => ((s.topic as Json).partitions = 0), /invalid topic\.partitions: 0/],
  [
    "fractional partitions",
    (s) => ((s.topic as Json).partitions = 2.5),
    /invalid topic\.partitions: 2\.5/,
  ],
  ["batch size 0", (s) => ((s.esm as Json).batchSize = 0), /invalid esm\.batchSize: 0/],
  [
    "batch size 10001",
    (s) => ((s.esm as Json).batchSize = 10_001),
    /invalid esm\.batchSize: 10001/,
  ],
  [
    "window 301 s",
    (s) => ((s.esm as Json).batchingWindowSec = 301),
    /invalid esm\.batchingWindowSec: 301/,
  ],
  [
    "payload above 6 MB",
    (s) => ((s.esm as Json).maxPayloadBytes = 7_000_000),
    /invalid esm\.maxPayloadBytes: 7000000/,
  ],
  [
    "starting position",
    (s) => ((s.esm as Json).startingPosition = "EARLIEST"),
    /invalid esm\.startingPosition: "EARLIEST".*LATEST, TRIM_HORIZON/,
  ],
  ["error rate 1", (s) => ((s.function as Json).errorRate = 1), /invalid function\.errorRate: 1/],
  [
    "timeout above 14 min",
    (s) => ((s.function as Json).timeoutSec = 900),
    /invalid function\.timeoutSec: 900/,
  ],
  [
    "duration kind",
    (s) => ((s.function as Json).duration = { kind: "pareto" }),
    /invalid function\.duration\.kind: "pareto"/,
  ],
  [
    "policy",
    (s) => ((s.scaler as Json).policy = "turbo"),
    /invalid scaler\.policy: "turbo".*legacy-15min/,
  ],
  [
    "scale-up rule",
    (s) => ((s.scaler as Json).scaleUp = { rule: "triple" }),
    /invalid scaler\.scaleUp\.rule: "triple"/,
  ],
  [
    "field of another policy",
    (s) => ((s.scaler as Json).lagThresholdRecords = 5),
    /unknown field scaler\.lagThresholdRecords/,
  ],
  ["misspelt field", (s) => ((s.topic as Json).partitons = 5), /unknown field topic\.partitons/],
  ["missing topic", (s) => delete s.topic, /missing field topic/],
  [
    "missing partitions",
    (s) => delete (s.topic as Json).partitions,
    /missing field topic\.partitions/,
  ],
  ["string seed", (s) => (s.seed = "42"), /invalid seed: "42"/],
  [
    "backlog with LATEST",
    (s) => ((s.topic as Json).backlogRecords = 100),
    /invalid topic\.backlogRecords.*TRIM_HORIZON/,
  ],
  [
    "min above max pollers",
    (s) => (s.scaler = { policy: "provisioned", minPollers: 50, maxPollers: 20 }),
    /invalid scaler\.minPollers.*50.*20/,
  ],
  [
    "max pollers above 2000",
    (s) => (s.scaler = { policy: "provisioned", maxPollers: 2001 }),
    /invalid scaler\.maxPollers: 2001/,
  ],
  [
    "initial pollers above max",
    (s) => (s.scaler = { policy: "legacy-15min", initialPollers: 11 }),
    /invalid scaler\.initialPollers.*11/,
  ],
  [
    "resolution not dividing 60",
    (s) => (s.run = { resolutionSec: 7 }),
    /invalid run\.resolutionSec.*7/,
  ],
  [
    "duration always timing out",
    (s) => ((s.function as Json).timeoutSec = 2),
    /invalid function\.duration.*timeoutSec 2/,
  ],
  [
    "zipf exponent 0",
    (s) => ((s.topic as Json).partitioner = { kind: "zipf", keySpace: 10, exponent: 0 }),
    /invalid topic\.partitioner\.exponent: 0/,
  ],
  [
    "poisson without rate",
    (s) => (s.workload = { kind: "poisson", durationSec: 10 }),
    /invalid workload\.ratePerSec/,
  ],
  ["trace without timestamps", (s) => (s.workload = { kind: "trace" }), /invalid workload\.file/],
  [
    "trace out of order",
    (s) => (s.workload = { kind: "trace", timestampsSec: [0, 2, 1] }),
    /invalid workload\.timestampsSec\[2\]: 1 .*is before/,
  ],
];

describe("scenario validation", () => {
  it("accepts the base scenario", async () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify(base()));
    const { resolved } = await loadScenario(file);
    expect(resolved.scenario.topic.partitions).toBe(10);
  });

  for (const [what, mutate, expected] of cases) {
    it(`rejects ${what}, naming the field and the file`, async () => {
      const s = base() as Json;
      mutate(s);
      const file = join(dir, `${what.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, JSON.stringify(s));
      const err = await loadScenario(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EsmlabError);
      const message = (err as Error).message;
      expect(message).toMatch(expected);
      expect(message).toContain(file);
      expect(message).not.toContain("\n");
    });
  }

  it("rejects a file that is not JSON, naming the file", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{"workload": ');
    await expect(loadScenario(file)).rejects.toThrow(/scenario .*broken\.json is not valid JSON/);
  });

  it("rejects a missing file and an unknown built-in", async () => {
    await expect(loadScenario(join(dir, "nope.json"))).rejects.toThrow(
      /cannot read scenario .*nope\.json: no such file/,
    );
    await expect(loadScenario("case9")).rejects.toThrow(
      /unknown scenario case9: .*case1, case2, case3/,
    );
  });

  it("reads a trace file next to the scenario and rejects a bad line by number", async () => {
    writeFileSync(join(dir, "good.trace"), "# seconds\n0\n0.5\n\n2\n");
    writeFileSync(join(dir, "bad.trace"), "0\n1\nsoon\n");
    const scenario = (file: string) => ({ ...base(), workload: { kind: "trace", file } });
    writeFileSync(join(dir, "trace-ok.json"), JSON.stringify(scenario("good.trace")));
    writeFileSync(join(dir, "trace-bad.json"), JSON.stringify(scenario("bad.trace")));
    const ok = await loadScenario(join(dir, "trace-ok.json"));
    expect(Array.from(ok.traceTimesSec ?? [])).toEqual([0, 0.5, 2]);
    expect(ok.inputs.map((i) => i.path)).toEqual([join(dir, "trace-ok.json"), "good.trace"]);
    await expect(loadScenario(join(dir, "trace-bad.json"))).rejects.toThrow(
      /trace .*bad\.trace line 3: "soon"/,
    );
  });

  it("records which parameters were assumed, documented and given", async () => {
    const { resolved } = await loadScenario("case1");
    expect(resolved.parameters["esm.batchSize"]).toMatchObject({ value: 1, basis: "given" });
    expect(resolved.parameters["scaler.evaluationIntervalSec"]).toMatchObject({
      value: 900,
      basis: "documented",
    });
    expect(resolved.parameters["scaler.scaleUp.rule"]).toMatchObject({
      value: "to-max",
      basis: "assumed",
    });
    expect(resolved.assumed).toContain("scaler.scaleUp.rule");
    expect(resolved.assumed).not.toContain("scaler.evaluationIntervalSec");
    expect(resolved.scenario.scaler.policy).toBe("legacy-15min");
  });
});
