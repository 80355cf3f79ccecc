/**
 * Invariants of the event source mapping, over random scenarios (property-based): records are
 * conserved, concurrency never exceeds the partition count (AWS: at most one batch in flight
 * per partition in the default mode) nor the concurrency limit, each partition is read in
 * order, every record is processed exactly once, and the same seed gives the same run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InvocationTrace } from "../../src/esm/simulate.js";
import { formatSeriesCsv } from "../../src/run/series-csv.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { maxInFlight, simulateTraced } from "../helpers.js";

const workload = fc.oneof(
  fc.record({
    kind: fc.constant("constant" as const),
    ratePerSec: fc.double({ min: 0.05, max: 20, noNaN: true }),
    durationSec: fc.integer({ min: 1, max: 300 }),
  }),
  fc.record({
    kind: fc.constant("piecewise" as const),
    pieces: fc.array(
      fc.record({
        durationSec: fc.integer({ min: 1, max: 120 }),
        ratePerSec: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 20, noNaN: true })),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  fc.record({
    kind: fc.constant("poisson" as const),
    ratePerSec: fc.double({ min: 0.1, max: 20, noNaN: true }),
    durationSec: fc.integer({ min: 1, max: 200 }),
  }),
);

const partitioner = fc.oneof(
  fc.constant({ kind: "round-robin" as const }),
  fc.record({ kind: fc.constant("key-hash" as const), keySpace: fc.integer({ min: 1, max: 500 }) }),
  fc.record({
    kind: fc.constant("zipf" as const),
    keySpace: fc.integer({ min: 1, max: 500 }),
    exponent: fc.double({ min: 0.5, max: 2, noNaN: true }),
  }),
);

const duration = fc.oneof(
  fc.record({
    kind: fc.constant("constant" as const),
    sec: fc.double({ min: 0.05, max: 5, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("normal" as const),
    meanSec: fc.double({ min: 0.05, max: 3, noNaN: true }),
    sdSec: fc.double({ min: 0, max: 2, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("empirical" as const),
    samplesSec: fc.array(fc.double({ min: 0.01, max: 4, noNaN: true }), {
      minLength: 1,
      maxLength: 5,
    }),
  }),
  fc.record({
    kind: fc.constant("lognormal" as const),
    medianSec: fc.double({ min: 0.05, max: 3, noNaN: true }),
    sigma: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
);

const scaler = fc.oneof(
  fc.constant({ policy: "legacy-15min" as const }),
  fc.constant({ policy: "on-demand-2022" as const }),
  fc.constant({ policy: "on-demand-current" as const, rebalancePauseSec: 2 }),
  fc.constant({ policy: "provisioned" as const }),
  fc.constant({ policy: "keda" as const }),
  fc.record({ policy: fc.constant("fixed" as const), pollers: fc.integer({ min: 1, max: 8 }) }),
);

const scenario: fc.Arbitrary<ScenarioInput> = fc
  .record({
    seed: fc.integer({ min: 0, max: 1000 }),
    workload,
    partitions: fc.integer({ min: 1, max: 24 }),
    partitioner,
    batchSize: fc.integer({ min: 1, max: 40 }),
    window: fc.oneof(fc.constant(0), fc.constant(0.5), fc.double({ min: 0, max: 3, noNaN: true })),
    duration,
    errorRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
    concurrencyLimit: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 6 })),
    backlog: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
    scaler,
    resolutionSec: fc.constantFrom(1, 5, 60),
  })
  .map((r) => ({
    name: "prop",
    seed: r.seed,
    workload: r.workload,
    topic: {
      partitions: r.partitions,
      partitioner: r.partitioner,
      backlogRecords: r.backlog,
      backlogAgeSec: 10,
    },
    esm: {
      batchSize: r.batchSize,
      batchingWindowSec: r.window,
      startingPosition: r.backlog > 0 ? ("TRIM_HORIZON" as const) : ("LATEST" as const),
    },
    function: {
      duration: r.duration,
      errorRate: r.errorRate,
      concurrencyLimit: r.concurrencyLimit,
    },
    scaler: r.scaler,
    run: { resolutionSec: r.resolutionSec },
  }));

/** Successful and failed batches of each partition, in start order. */
function byPartition(trace: readonly InvocationTrace[]): Map<number, InvocationTrace[]> {
  const out = new Map<number, InvocationTrace[]>();
  for (const inv of trace) {
    const list = out.get(inv.partition) ?? [];
    list.push(inv);
    out.set(inv.partition, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.startSec - b.startSec);
  return out;
}

describe("simulator invariants over random scenarios", () => {
  it("conserves records, bounds concurrency, reads partitions in order, drains", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { run, trace } = simulateTraced(input);
        const s = run.meta.summary;
        const { produced, processed, lag, concurrency, invocations, errors } = run.series.columns;
        const P = input.topic.partitions;
        const initial = s.initialLagRecords ?? 0;
        // conservation: initial + Σ produced = Σ processed + lag, at every row
        let cumProduced = 0;
        let cumProcessed = 0;
        for (let i = 0; i < run.series.length; i++) {
          cumProduced += produced[i]!;
          cumProcessed += processed[i]!;
          expect(initial + cumProduced).toBe(cumProcessed + lag[i]!);
          expect(concurrency[i]!).toBeLessThanOrEqual(P);
          expect(concurrency[i]!).toBeLessThanOrEqual(input.function?.concurrencyLimit ?? 1000);
        }
        // the trace agrees with the series
        expect(maxInFlight(trace, 0, Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(P);
        expect(invocations.reduce((a, b) => a + b, 0)).toBe(trace.length);
        expect(errors.reduce((a, b) => a + b, 0)).toBe(trace.filter((t) => !t.ok).length);
        // every record processed exactly once: the run drained
        expect(s.truncated).toBe(false);
        expect(s.processedRecords).toBe(s.producedRecords! + initial);
        expect(lag[run.series.length - 1]).toBe(0);
        // per partition: one batch at a time, offsets contiguous, a failed batch retried as is
        for (const list of byPartition(trace).values()) {
          let next = 0;
          let busyUntil = Number.NEGATIVE_INFINITY;
          for (const inv of list) {
            expect(inv.startSec).toBeGreaterThanOrEqual(busyUntil);
            expect(inv.firstOffset).toBe(next);
            expect(inv.records).toBeGreaterThan(0);
            expect(inv.records).toBeLessThanOrEqual(input.esm?.batchSize ?? 100);
            if (inv.ok) next += inv.records;
            busyUntil = inv.endSec;
          }
        }
      }),
      { numRuns: 60, seed: 20231 },
    );
  });

  it("gives byte-identical output for the same seed", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const a = simulateTraced(input).run;
        const b = simulateTraced(input).run;
        expect(formatSeriesCsv(b.series)).toBe(formatSeriesCsv(a.series));
        expect(JSON.stringify(b.meta)).toBe(JSON.stringify(a.meta));
      }),
      { numRuns: 15, seed: 7 },
    );
  });
});
