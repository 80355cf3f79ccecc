import { describe, expect, it } from "vitest";
import { runFacts } from "../../src/fit/run-facts.js";
import { simulateBuiltin } from "../helpers.js";
import { asMeasured, concurrencyRun } from "./fit-helpers.js";

describe("runFacts", () => {
  it("reads a simulated run's scenario and summary", async () => {
    const { run } = await simulateBuiltin("case2");
    expect(runFacts(run)).toEqual({
      partitions: 20,
      meanDurationSec: 3,
      productionEndSec: 1999.8,
      sources: { partitions: "scenario", meanDurationSec: "scenario", productionEndSec: "summary" },
    });
  });

  it("lets given values win over what the run carries", async () => {
    const { run } = await simulateBuiltin("case1");
    const facts = runFacts(run, { partitions: 4, meanDurationSec: 2, productionEndSec: 0 });
    expect([facts.partitions, facts.meanDurationSec, facts.productionEndSec]).toEqual([4, 2, 0]);
    expect(facts.sources.productionEndSec).toBe("given");
  });

  it("weights a Duration column (ms) by invocations, and finds production's end in produced", () => {
    const run = concurrencyRun([1, 2, 2, 0], 60); // invocations = concurrency
    run.series.columns.produced.set([5, 5, 0, 0]);
    const withDuration = {
      ...run,
      series: { ...run.series, extra: { Duration: Float64Array.of(1000, 4000, 4000, Number.NaN) } },
    };
    const facts = runFacts(withDuration);
    expect(facts.meanDurationSec).toBeCloseTo((1 * 1 + 2 * 4 + 2 * 4) / 5, 12);
    expect(facts.productionEndSec).toBe(120);
    expect(facts.sources).toEqual({
      partitions: "unknown",
      meanDurationSec: "duration column",
      productionEndSec: "produced column",
    });
  });

  it("leaves unknown what a measured run does not say", async () => {
    const run = asMeasured((await simulateBuiltin("case1")).run, Number.NaN);
    expect(runFacts(run)).toMatchObject({
      partitions: null,
      meanDurationSec: null,
      productionEndSec: null,
    });
  });

  it("rejects invalid values, naming the option", async () => {
    const { run } = await simulateBuiltin("case1");
    expect(() => runFacts(run, { partitions: 2.5 })).toThrow("invalid partitions: 2.5");
    expect(() => runFacts(run, { meanDurationSec: 0 })).toThrow("invalid meanDurationSec: 0");
    expect(() => runFacts(run, { productionEndSec: -1 })).toThrow("invalid productionEndSec: -1");
  });
});
