/**
 * The seed blog's known answers (Hexaview, "AWS Lambda Scaling with MSK", Feb 2023; table in
 * docs/aws-esm.md): for the first 15 minutes one invocation at a time whatever the partition count,
 * 900 / 3 s = 300 invocations in that time, then up to one invocation per partition, and
 * partitions × 60 / 3 invocations per minute at most.
 */
import { describe, expect, it } from "vitest";
import { blogFigures } from "../../src/blog/figures.js";
import { maxInFlight, simulateBuiltin, sumRows } from "../helpers.js";

const CASES = [
  { name: "case1", partitions: 10, records: 4000 },
  { name: "case2", partitions: 20, records: 10_000 },
  { name: "case3", partitions: 100, records: 10_000 },
] as const;

describe("seed cases under legacy-15min", () => {
  for (const c of CASES) {
    describe(c.name, async () => {
      const { run, trace } = await simulateBuiltin(c.name);

      it("runs exactly one invocation at a time for the first 900 s", () => {
        expect(maxInFlight(trace, 0, 900)).toBe(1);
        const firstRows = run.series.columns.concurrency.subarray(0, 900);
        expect(Math.max(...firstRows)).toBe(1);
        expect(Math.min(...firstRows)).toBe(1);
      });

      it("completes 900 / 3 = 300 invocations in the first 900 s", () => {
        expect(trace.filter((inv) => inv.endSec <= 900).length).toBe(300);
        // CloudWatch counts invocations at their start: 0, 3, …, 897
        expect(sumRows(run, "invocations", 0, 900)).toBe(300);
      });

      it(`scales to ${c.partitions} = partitions at the first evaluation, never above`, () => {
        expect(run.meta.scaleEvents?.[0]).toMatchObject({ tSec: 900, from: 1, to: c.partitions });
        expect(maxInFlight(trace, 900, 1e9)).toBe(c.partitions);
        expect(run.meta.summary.peakConcurrency).toBe(c.partitions);
      });

      it(`reaches partitions × 60 / 3 = ${c.partitions * 20} invocations per minute`, () => {
        expect(blogFigures(run).maxInvocationsPerMinute).toBe(c.partitions * 20);
      });

      it("processes every record once and returns to one poller at the next idle evaluation", () => {
        expect(run.meta.summary.producedRecords).toBe(c.records);
        expect(run.meta.summary.processedRecords).toBe(c.records);
        expect(trace.reduce((a, inv) => a + inv.records, 0)).toBe(c.records);
        const last = run.meta.scaleEvents?.at(-1);
        expect(last).toMatchObject({ tSec: 2700, to: 1 });
        expect(run.meta.summary.truncated).toBe(false);
        expect(run.series.columns.pollers.at(-1)).toBe(1);
      });
    });
  }

  it("case 1: producing 2/s into 10 partitions, one poller falls behind (lag 1500 at 900 s)", async () => {
    // 1800 records produced by 900 s, 300 processed: 1500 behind (20 × 3 = 60 s per 20 records)
    const { run } = await simulateBuiltin("case1");
    expect(run.meta.scaleEvents?.[0]?.reason).toContain("lag 1500");
  });
});
