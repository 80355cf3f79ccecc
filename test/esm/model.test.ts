/**
 * The event source mapping's documented behaviour (AWS Lambda Developer Guide, Kafka and MSK
 * event source mappings; docs/aws-esm.md): the batching window, the batch size and the 6 MB payload
 * cap, whole-batch retries, the function timeout, throttling at the concurrency limit, starting
 * positions, and provisioned mode's EPU billing.
 */
import { describe, expect, it } from "vitest";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { maxInFlight, simulateTraced } from "../helpers.js";

const scenario = (
  over: Partial<ScenarioInput> & Pick<ScenarioInput, "workload">,
): ScenarioInput => ({
  name: "t",
  topic: { partitions: 1 },
  esm: { batchSize: 1 },
  function: { duration: { kind: "constant", sec: 0.1 } },
  scaler: { policy: "fixed", pollers: 1 },
  ...over,
});

describe("batching", () => {
  it("invokes a batch when the 0.5 s batching window opened by its first record ends", () => {
    const { trace, run } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 0.2, durationSec: 20 },
        esm: { batchSize: 100, batchingWindowSec: 0.5 },
      }),
    );
    // records at 0, 5, 10, 15 s: each waits out its window alone
    expect(trace.map((t) => [t.startSec, t.records])).toEqual([
      [0.5, 1],
      [5.5, 1],
      [10.5, 1],
      [15.5, 1],
    ]);
    expect(run.meta.summary.latency?.p50Sec).toBeCloseTo(0.6, 2);
  });

  it("invokes a batch as soon as it is full, before the window ends", () => {
    const { trace } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 1000, durationSec: 0.1 },
        esm: { batchSize: 10, batchingWindowSec: 300 },
        function: { duration: { kind: "constant", sec: 1 } },
      }),
    );
    expect(trace[0]).toMatchObject({ firstOffset: 0, records: 10 });
    expect(trace[0]!.startSec).toBeCloseTo(0.009, 9); // the 10th record arrives at 9 ms
    expect(trace.every((t) => t.records === 10)).toBe(true);
  });

  it("caps a batch at the 6 MB payload limit", () => {
    const { trace } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 100, durationSec: 1, recordBytes: 1024 * 1024 },
        esm: { batchSize: 100, batchingWindowSec: 5 },
      }),
    );
    expect(Math.max(...trace.map((t) => t.records))).toBe(6);
    expect(trace.reduce((a, t) => a + t.records, 0)).toBe(100);
  });

  it("reads a TRIM_HORIZON backlog from the oldest record, in full batches", () => {
    const { trace, run } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 1, durationSec: 1 },
        topic: { partitions: 10, backlogRecords: 1000, backlogAgeSec: 60 },
        esm: { batchSize: 10, startingPosition: "TRIM_HORIZON" },
        function: { duration: { kind: "constant", sec: 1 } },
        scaler: { policy: "fixed", pollers: 10 },
      }),
    );
    // 100 records per partition in batches of 10, 1 s each: drained 10 s in (partition 0 also
    // gets the one live record, produced at 0 s, read after its backlog)
    expect(trace.filter((t) => t.records === 10).length).toBe(100);
    expect(Math.max(...trace.filter((t) => t.partition > 0).map((t) => t.endSec))).toBe(10);
    expect(trace.filter((t) => t.partition === 0).at(-1)).toMatchObject({
      firstOffset: 100,
      records: 1,
    });
    expect(run.meta.summary.initialLagRecords).toBe(1000);
    expect(run.meta.summary.latency?.maxSec).toBeCloseTo(70, 6); // produced 60 s before the start
  });
});

describe("errors, timeouts and throttles", () => {
  it("retries a failed batch whole until it succeeds", () => {
    const { trace, run } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 5, durationSec: 60 },
        topic: { partitions: 4 },
        esm: { batchSize: 5, batchingWindowSec: 1 },
        function: { duration: { kind: "constant", sec: 0.2 }, errorRate: 0.3 },
        scaler: { policy: "fixed", pollers: 4 },
      }),
    );
    const failed = trace.filter((t) => !t.ok);
    expect(failed.length).toBeGreaterThan(10);
    for (const f of failed) {
      const retry = trace.find((t) => t.partition === f.partition && t.startSec >= f.endSec);
      expect(retry?.firstOffset).toBe(f.firstOffset);
    }
    expect(run.meta.summary.errors).toBe(failed.length);
    expect(run.meta.summary.invocations).toBe(trace.length);
    expect(run.meta.summary.processedRecords).toBe(300);
  });

  it("ends an invocation at the function timeout and counts it as an error", () => {
    const { trace } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 1, durationSec: 50 },
        function: { duration: { kind: "lognormal", medianSec: 1, sigma: 1 }, timeoutSec: 2 },
      }),
    );
    const timedOut = trace.filter((t) => !t.ok);
    expect(timedOut.length).toBeGreaterThan(0);
    for (const t of timedOut) expect(t.endSec - t.startSec).toBeCloseTo(2, 9);
    for (const t of trace.filter((x) => x.ok)) expect(t.endSec - t.startSec).toBeLessThan(2);
  });

  it("throttles above the concurrency limit and never runs more", () => {
    const { trace, run } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 1, durationSec: 1 },
        topic: { partitions: 10, backlogRecords: 200 },
        esm: { batchSize: 1, startingPosition: "TRIM_HORIZON" },
        function: { duration: { kind: "constant", sec: 1 }, concurrencyLimit: 3 },
        scaler: { policy: "fixed", pollers: 10 },
      }),
    );
    expect(maxInFlight(trace, 0, Number.POSITIVE_INFINITY)).toBe(3);
    expect(run.meta.summary.throttles).toBeGreaterThan(0);
    expect(run.meta.summary.processedRecords).toBe(201);
  });

  it("adds the cold-start penalty to an invocation without a warm environment", () => {
    const { trace } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 1, durationSec: 5 },
        function: { duration: { kind: "constant", sec: 0.5 }, coldStartSec: 1, keepWarmSec: 300 },
      }),
    );
    const durations = trace.map((t) => t.endSec - t.startSec);
    expect(durations[0]).toBeCloseTo(1.5, 9);
    expect(durations.slice(1).every((d) => Math.abs(d - 0.5) < 1e-9)).toBe(true);
  });
});

describe("scalers", () => {
  it("legacy-15min evaluates every 900 s, the documented 15 minutes", () => {
    const { run } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 2, durationSec: 3000 },
        topic: { partitions: 10 },
        function: { duration: { kind: "constant", sec: 3 } },
        scaler: { policy: "legacy-15min" },
      }),
    );
    expect(run.meta.scaleEvents?.map((e) => e.tSec).every((t) => t % 900 === 0)).toBe(true);
  });

  it("pauses all polling for the rebalance pause after a change of pollers", () => {
    const { trace, run } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 5, durationSec: 600 },
        topic: { partitions: 20 },
        function: { duration: { kind: "constant", sec: 3 } },
        scaler: { policy: "on-demand-2022", rebalancePauseSec: 20 },
      }),
    );
    const events = run.meta.scaleEvents ?? [];
    expect(events.length).toBeGreaterThan(2);
    for (const e of events) {
      expect(trace.some((t) => t.startSec > e.tSec && t.startSec < e.tSec + 20)).toBe(false);
    }
  });

  it("bills a provisioned mapping ⌈pollers / 10⌉ EPU: one poller for an hour = 1 EPU-hour = $0.185", () => {
    const { run } = simulateTraced(
      scenario({
        workload: { kind: "constant", ratePerSec: 1, durationSec: 3599.5 },
        function: { duration: { kind: "constant", sec: 0.1 } },
        scaler: { policy: "provisioned", minPollers: 1, maxPollers: 1 },
      }),
    );
    expect(run.meta.summary.durationSec).toBe(3600);
    expect(run.meta.summary.epu?.epuHours).toBeCloseTo(1, 9);
    expect(run.meta.summary.epu?.usd).toBeCloseTo(0.185, 9);
  });

  it("with a hot key, one partition limits throughput whatever the poller count", () => {
    const base = {
      workload: { kind: "constant" as const, ratePerSec: 10, durationSec: 100 },
      function: { duration: { kind: "constant" as const, sec: 0.5 } },
      scaler: { policy: "fixed" as const, pollers: 10 },
    };
    const even = simulateTraced(scenario({ ...base, topic: { partitions: 10 } })).run;
    const hot = simulateTraced(
      scenario({
        ...base,
        topic: { partitions: 10, partitioner: { kind: "zipf", keySpace: 100, exponent: 6 } },
      }),
    ).run;
    // round-robin: 1 record/s per partition, 2/s capacity each: keeps up
    expect(even.meta.summary.durationSec).toBeLessThan(102);
    // zipf s = 6: ~98 % of records on one partition at 2 records/s: ~490 s to drain
    expect(hot.meta.summary.durationSec).toBeGreaterThan(450);
    expect(hot.meta.summary.peakConcurrency).toBeLessThan(10);
  });

  it("every policy drains the seed's case 2 workload", () => {
    for (const policy of ["on-demand-2022", "on-demand-current", "provisioned", "keda"] as const) {
      const { run, trace } = simulateTraced(
        scenario({
          workload: { kind: "constant", ratePerSec: 5, durationSec: 2000 },
          topic: { partitions: 20 },
          function: { duration: { kind: "constant", sec: 3 } },
          scaler: { policy },
        }),
      );
      expect(run.meta.summary.truncated, policy).toBe(false);
      expect(run.meta.summary.processedRecords, policy).toBe(10_000);
      // modern scalers do not wait 15 minutes to run more than one invocation
      expect(maxInFlight(trace, 0, 900), policy).toBeGreaterThan(1);
    }
  });
});
