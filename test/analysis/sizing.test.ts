/**
 * Partition sizing against the ideal drain time of notebook 04 (and of the seed's question):
 * with batch size 1 and one poller per partition, a backlog of B records of a d-second function
 * drains in B × d / partitions seconds, so a deadline of T needs ⌈B × d / T⌉ partitions.
 */
import { describe, expect, it } from "vitest";
import { onPartitions, sizePartitions } from "../../src/analysis/sizing.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { EsmlabError } from "../../src/util/errors.js";

/** 6,000 records waiting, a 1-s function, one poller per partition (8 of them). */
const backlog = (scaler: ScenarioInput["scaler"]) =>
  resolveScenario(
    {
      workload: { kind: "constant", ratePerSec: 1, durationSec: 1 },
      topic: { partitions: 8, backlogRecords: 6000 },
      esm: { batchSize: 1, startingPosition: "TRIM_HORIZON" },
      function: { duration: { kind: "constant", sec: 1 } },
      scaler,
    },
    { source: "sizing test" },
  );

describe("sizePartitions", () => {
  it("finds ⌈backlog × duration / deadline⌉ partitions when every partition has its poller", () => {
    // 6,001 records (the backlog and the one produced) × 1 s / 310 s → 19.4: 20 partitions
    const s = sizePartitions(backlog({ policy: "fixed", pollers: 8 }), 310);
    expect(s.partitions).toBe(20);
    expect(s.partitionsNow).toBe(8);
    const at = (n: number) => s.trials.find((t) => t.partitions === n)?.drainedAfterSec;
    expect(at(20)).toBeLessThanOrEqual(310);
    expect(at(19)).toBeGreaterThan(310); // the next count down was tried and misses
    expect(at(1)).toBeCloseTo(6001, -1); // one partition: the whole backlog, one at a time
  });

  it("says when no count up to the limit meets the deadline", () => {
    const s = sizePartitions(backlog({ policy: "fixed", pollers: 8 }), 0, 16);
    expect(s.partitions).toBeNull();
    expect(s.max).toBe(16);
  });

  it("caps pollers at the partition count and lets a per-partition limit follow it", () => {
    const r = backlog({ policy: "on-demand-current" });
    const more = onPartitions(r, 40).scenario.scaler;
    const fewer = onPartitions(r, 2).scenario.scaler;
    if (more.policy === "keda" || more.policy === "fixed") throw new Error("a lag policy");
    if (fewer.policy === "keda" || fewer.policy === "fixed") throw new Error("a lag policy");
    expect(more.maxPollers).toBe(40);
    expect(fewer.maxPollers).toBe(2);
    expect(fewer.initialPollers).toBeLessThanOrEqual(2);
  });

  it("refuses a deadline that is not a number of seconds", () => {
    const r = backlog({ policy: "fixed", pollers: 8 });
    expect(() => sizePartitions(r, Number.NaN)).toThrow(EsmlabError);
    expect(() => sizePartitions(r, -1)).toThrow(/invalid deadlineSec/);
  });
});
