/**
 * The work budget: estimates within a small factor of what runs count, refusals that name the
 * field making the work large, the budget lifted by `maxEvents`, and the benchmark's scenarios
 * inside the default budget.
 */
import { describe, expect, it } from "vitest";
import {
  checkWork,
  DEFAULT_MAX_EVENTS,
  describeStop,
  estimateWork,
  WorkLimitExceeded,
} from "../../src/esm/budget.js";
import { SeriesRecorder } from "../../src/esm/series-recorder.js";
import { simulate } from "../../src/esm/simulate.js";
import { ConstantRate, sequentialFrom } from "../../src/kafka/arrivals.js";
import { GeneratedFeed } from "../../src/kafka/feed.js";
import { roundRobinPartitioner } from "../../src/kafka/partitioner.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { EsmlabError } from "../../src/util/errors.js";

const resolve = (input: unknown, source = "x.json") =>
  resolveScenario(parseScenario(input, source), { source });

const base = {
  workload: { kind: "constant", ratePerSec: 2, durationSec: 100 },
  topic: { partitions: 10 },
};

/** The error `fn` throws, asserted to be one EsmlabError line. */
function refusal(fn: () => unknown): EsmlabError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EsmlabError);
    expect((err as Error).message).not.toMatch(/\n/);
    return err as EsmlabError;
  }
  throw new Error("expected a refusal");
}

describe("estimateWork", () => {
  const shipped = [
    "case1",
    "case2",
    "case3",
    "data/scenarios/keyed-zipf.json",
    "data/scenarios/reconciliation-backlog.json",
    "data/scenarios/spike.json",
    "data/scenarios/trace-replay.json",
  ];
  for (const name of shipped) {
    it(`estimates ${name}'s events within 8× of the events its run counts`, async () => {
      const { resolved } = await loadScenario(name);
      const e = estimateWork(resolved);
      const events = simulate(resolved).meta.summary.simulatedEvents!;
      expect(e.events / events).toBeGreaterThan(1 / 8);
      expect(e.events / events).toBeLessThan(8);
    });
  }

  it("keeps the benchmark's scenarios (10^8 records, 10^7 invocations) inside the default budget", () => {
    const big: ScenarioInput[] = [
      {
        workload: { kind: "constant", ratePerSec: 10_000, durationSec: 10_000 },
        topic: { partitions: 100 },
        esm: { batchSize: 100, batchingWindowSec: 1 },
        function: { duration: { kind: "constant", sec: 0.5 } },
        scaler: { policy: "legacy-15min" },
      },
      {
        workload: { kind: "constant", ratePerSec: 1, durationSec: 1 },
        topic: { partitions: 100, backlogRecords: 10_000_000 },
        esm: { batchSize: 1, startingPosition: "TRIM_HORIZON" },
        function: { duration: { kind: "constant", sec: 0.01 } },
        scaler: { policy: "fixed", pollers: 100 },
      },
      {
        workload: { kind: "constant", ratePerSec: 10_000, durationSec: 1000 },
        topic: { partitions: 100 },
        esm: { batchSize: 1 },
        function: { duration: { kind: "constant", sec: 0.005 } },
        scaler: { policy: "fixed", pollers: 100 },
      },
      {
        workload: { kind: "poisson", ratePerSec: 10_000, durationSec: 1000 },
        topic: { partitions: 100, partitioner: { kind: "key-hash", keySpace: 100_000 } },
        esm: { batchSize: 100 },
        function: { duration: { kind: "lognormal", medianSec: 0.2, sigma: 0.5 } },
        scaler: { policy: "on-demand-current" },
      },
    ];
    for (const input of big) {
      const e = checkWork(resolveScenario(input, { source: "bench" }));
      expect(e.events + e.generatedArrivals).toBeLessThan(DEFAULT_MAX_EVENTS / 10);
    }
  });
});

describe("checkWork refuses work that cannot finish, naming the field", () => {
  it("series rows: run.resolutionSec over a long run", () => {
    const err = refusal(() =>
      checkWork(
        resolve({ ...base, run: { resolutionSec: 0.001, maxDurationSec: 1e9 } }, "spike.json"),
        1e6,
      ),
    );
    expect(err.message).toMatch(
      /^scenario spike\.json: run\.resolutionSec 0\.001 makes 2\.7e6 series rows over a 2701 s run \(set by workload\.durationSec\) \(budget 10000\); raise --max-events/,
    );
    expect(err.exitCode).toBe(2);
  });

  it("held arrivals: Poisson at 10^6/s for 1000 s", () => {
    const input = { ...base, workload: { kind: "poisson", ratePerSec: 1e6, durationSec: 1000 } };
    const err = refusal(() => checkWork(resolve(input)));
    expect(err.message).toMatch(
      /workload\.ratePerSec 1000000 × workload\.durationSec 1000 makes a backlog of 1e9 generated arrivals held in memory \(8\.0 GB\)/,
    );
  });

  it("evaluations: scaler.evaluationIntervalSec 1 ms over 10^6 s", () => {
    const input = {
      ...base,
      workload: { kind: "constant", ratePerSec: 2, durationSec: 1e6 },
      scaler: { policy: "on-demand-2022", evaluationIntervalSec: 0.001 },
    };
    expect(refusal(() => checkWork(resolve(input))).message).toMatch(
      /scaler\.evaluationIntervalSec 0\.001 makes 1e9 scaler evaluations over a 1e6 s run \(set by workload\.durationSec\)/,
    );
  });

  it("throttle retries: function.throttleBackoffSec 1 ms under a concurrency limit of 1", () => {
    const input = {
      ...base,
      workload: { kind: "constant", ratePerSec: 2, durationSec: 1e5 },
      function: { concurrencyLimit: 1, throttleBackoffSec: 0.001 },
      scaler: { policy: "fixed" },
    };
    expect(refusal(() => checkWork(resolve(input))).message).toMatch(
      /function\.throttleBackoffSec 0\.001 makes 1e9 throttle retries/,
    );
  });

  it("invocations: 10^9 records in batches of 1", () => {
    const input = {
      ...base,
      workload: { kind: "constant", ratePerSec: 1e6, durationSec: 1000 },
      esm: { batchSize: 1 },
      function: { duration: { kind: "constant", sec: 0.001 } },
      scaler: { policy: "fixed" },
    };
    expect(refusal(() => checkWork(resolve(input))).message).toMatch(
      /workload\.ratePerSec 1000000 × workload\.durationSec 1000 makes 1e9 invocations \(1e9 records in batches of 1, esm\.batchSize 1\)/,
    );
  });

  it("arithmetic overflow: ratePerSec 1e308 makes more records than a double counts", () => {
    const input = { ...base, workload: { kind: "constant", ratePerSec: 1e308, durationSec: 10 } };
    const err = refusal(() => checkWork(resolve(input)));
    expect(err.message).toBe(
      "scenario x.json: workload.ratePerSec 1e308 × workload.durationSec 10 makes more than 1e308 records, more than the 9e15 (2^53) a double counts exactly",
    );
    expect(err.message).not.toMatch(/null|Infinity|NaN/);
  });

  it("maxEvents lifts the budget knowingly, and simulate() checks it before any work", () => {
    const poisson = resolve({
      ...base,
      workload: { kind: "poisson", ratePerSec: 1e6, durationSec: 1000 },
    });
    expect(() => checkWork(poisson)).toThrow(EsmlabError);
    expect(checkWork(poisson, 1e11).generatedArrivals).toBe(1e9);
    // refused before any work: a 10^9-arrival run would take minutes
    const started = performance.now();
    expect(() => simulate(poisson)).toThrow(/raise --max-events \(simulate option maxEvents\)/);
    expect(performance.now() - started).toBeLessThan(1000);
    const small = resolve(base);
    expect(() => simulate(small, { maxEvents: 100 })).toThrow(/\(budget 1\); raise --max-events/);
    expect(simulate(small, { maxEvents: 1e6 }).meta.summary.processedRecords).toBe(200);
  });
});

describe("a running simulation is held to twice its budget", () => {
  it("the series recorder stops past its row limit", () => {
    const series = new SeriesRecorder(1, () => 0, 0, 10);
    expect(() => series.advance(9.5)).not.toThrow();
    expect(() => series.advance(100)).toThrow(WorkLimitExceeded);
  });

  it("a generated feed stops past its limits on arrivals generated and held", () => {
    const feed = (limits: { generated: number; held: number }) =>
      new GeneratedFeed(
        sequentialFrom(new ConstantRate(10, 100)),
        roundRobinPartitioner(2),
        2,
        new Float64Array(2),
        0,
        limits,
      );
    expect(() => feed({ generated: 5, held: 1e9 }).advance(10)).toThrow(/generated arrivals/);
    expect(() => feed({ generated: 1e9, held: 5 }).advance(10)).toThrow(/held arrivals/);
    expect(() => feed({ generated: 1e9, held: 1e9 }).advance(10)).not.toThrow();
  });

  it("describes a stopped run in one line naming the scenario", () => {
    expect(describeStop("x.json", new WorkLimitExceeded("events", 1e9, 1234), 5e8)).toBe(
      "scenario x.json: stopped at 1234 s of simulated time after 1e9 events, twice the budget of 5e8 events; raise --max-events (simulate option maxEvents) to allow it",
    );
  });
});
