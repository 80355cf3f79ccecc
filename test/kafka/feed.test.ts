import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/engine/histogram.js";
import {
  ConstantRate,
  type IndexedArrivals,
  RateSchedule,
  type SequentialArrivals,
  sequentialFrom,
  TraceArrivals,
} from "../../src/kafka/arrivals.js";
import { GeneratedFeed, IndexedFeed } from "../../src/kafka/feed.js";
import { roundRobinPartitioner } from "../../src/kafka/partitioner.js";

const INF = Number.POSITIVE_INFINITY;

/** The same deterministic records as an IndexedFeed and as a GeneratedFeed (round-robin). */
function twins(
  arrivals: IndexedArrivals,
  partitions: number,
  backlog: readonly number[],
  ageSec: number,
) {
  return {
    indexed: new IndexedFeed(arrivals, partitions, Float64Array.from(backlog), ageSec),
    generated: new GeneratedFeed(
      sequentialFrom(arrivals),
      roundRobinPartitioner(partitions),
      partitions,
      Float64Array.from(backlog),
      ageSec,
    ),
  };
}

function quantiles(h: LatencyHistogram): number[] {
  return Array.from({ length: 201 }, (_, k) => h.quantile(k / 200));
}

/**
 * Same quantiles within one histogram bin. IndexedFeed computes an evenly spaced batch's
 * latencies as an arithmetic run (doneSec − newest arrival, + spacing, …), GeneratedFeed as
 * doneSec − each arrival; the two roundings differ in the last bits, and a latency lying on a
 * bin edge (12.8 s = 250 × 512 units, say) then lands in neighbouring bins — see the exact test
 * below. One bin is the histogram's documented precision: 1/128 of the value or one unit.
 */
function expectQuantilesWithinOneBin(a: LatencyHistogram, b: LatencyHistogram): void {
  const qa = quantiles(a);
  const qb = quantiles(b);
  const tolerance = (x: number) =>
    Math.abs(x) * LatencyHistogram.relativePrecision + LatencyHistogram.unitSec;
  const off = qa.filter((x, i) => !(Math.abs(x - qb[i]!) <= tolerance(qb[i]!)));
  if (off.length > 0) expect(qa).toEqual(qb);
}

describe("IndexedFeed: the seed's round-robin producer", () => {
  // case 1: 2 msg/s for 2000 s on 10 partitions; record i at i/2 s on partition i mod 10
  const feed = new IndexedFeed(new ConstantRate(2, 2000), 10, new Float64Array(10), 0);

  it("puts offset k of partition p at record p + 10k", () => {
    expect(feed.timeOf(3, 0)).toBe(1.5);
    expect(feed.timeOf(3, 1)).toBe(6.5);
    expect(feed.timeOf(9, 399)).toBe(1999.5); // record 3999, the last
    expect(feed.timeOf(9, 400)).toBe(INF);
    expect(feed.countUpTo(3, 6.5)).toBe(2);
    expect(feed.countUpTo(3, 6.49)).toBe(1);
    expect(feed.countUpTo(0, 1999.5)).toBe(400);
    expect(feed.producedBefore(900)).toBe(1800);
    expect(feed.lastArrival()).toBe(1999.5);
    expect(feed.knownUntil()).toBe(INF);
    expect(feed.initialBacklog).toBe(0);
  });

  it("serves a TRIM_HORIZON backlog first, produced backlogAgeSec before the start", () => {
    const backlog = Float64Array.from([2, 0, 1]);
    const f = new IndexedFeed(new ConstantRate(1, 30), 3, backlog, 60);
    expect(f.initialBacklog).toBe(3);
    expect([f.timeOf(0, 0), f.timeOf(0, 1), f.timeOf(0, 2), f.timeOf(0, 3)]).toEqual([
      -60, -60, 0, 3,
    ]);
    expect([f.timeOf(1, 0), f.timeOf(2, 0), f.timeOf(2, 1)]).toEqual([1, -60, 2]);
    expect(f.countUpTo(0, 0)).toBe(3);
    expect(f.countUpTo(1, 0)).toBe(0);
    expect(f.producedBefore(3)).toBe(3); // run records only: 0, 1, 2
    const h = new LatencyHistogram();
    f.commit(0, 0, 3, 10, h); // two backlog records (70 s) and record 0 (10 s)
    expect([h.count, h.sumSec, h.minSec, h.maxSec]).toEqual([3, 150, 10, 70]);
  });

  it("records a batch's latencies newest first as one arithmetic run", () => {
    const h = new LatencyHistogram();
    feed.commit(3, 0, 4, 20, h); // records at 1.5, 6.5, 11.5, 16.5 s
    expect([h.count, h.sumSec, h.minSec, h.maxSec]).toEqual([
      4,
      18.5 + 13.5 + 8.5 + 3.5,
      3.5,
      18.5,
    ]);
  });

  it("reports no last arrival for a run without records", () => {
    const f = new IndexedFeed(new TraceArrivals(new Float64Array(0)), 2, new Float64Array(2), 0);
    expect(f.lastArrival()).toBe(Number.NEGATIVE_INFINITY);
    expect(f.producedBefore(100)).toBe(0);
  });
});

/** Arrival processes small enough to replay record by record. */
const arrivalsArb: fc.Arbitrary<IndexedArrivals> = fc.oneof(
  fc
    .record({
      rate: fc.integer({ min: 1, max: 40 }).map((k) => k / 4),
      duration: fc.integer({ min: 0, max: 60 }),
    })
    .map(({ rate, duration }) => new ConstantRate(rate, duration)),
  fc
    .array(
      fc.record({
        durationSec: fc.integer({ min: 1, max: 200 }).map((k) => k / 10),
        ratePerSec: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 50 }).map((k) => k / 5),
        ),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((pieces) => new RateSchedule(pieces)),
  fc
    .array(fc.integer({ min: 0, max: 400 }), { maxLength: 200 })
    .map((ks) => new TraceArrivals(Float64Array.from(ks.map((k) => k / 8).sort((a, b) => a - b)))),
);

const scenarioArb = fc.integer({ min: 1, max: 6 }).chain((partitions) =>
  fc.record({
    arrivals: arrivalsArb,
    partitions: fc.constant(partitions),
    backlog: fc.array(fc.integer({ min: 0, max: 4 }), {
      minLength: partitions,
      maxLength: partitions,
    }),
    ageSec: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3600 })),
    steps: fc.array(
      fc.record({
        dt: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 80 }).map((k) => k / 8),
        ),
        // records to commit per partition at this step (capped by what has arrived)
        take: fc.array(fc.integer({ min: 0, max: 6 }), {
          minLength: partitions,
          maxLength: partitions,
        }),
        delaySec: fc.integer({ min: 0, max: 40 }).map((k) => k / 4),
      }),
      { minLength: 1, maxLength: 25 },
    ),
  }),
);

describe("GeneratedFeed with round-robin matches IndexedFeed on the same records", () => {
  it("agrees on timeOf, countUpTo, producedBefore, knownUntil, lastArrival and committed latencies", () => {
    fc.assert(
      fc.property(scenarioArb, ({ arrivals, partitions: P, backlog, ageSec, steps }) => {
        const { indexed, generated } = twins(arrivals, P, backlog, ageSec);
        expect(generated.initialBacklog).toBe(indexed.initialBacklog);
        const hIndexed = new LatencyHistogram();
        const hGenerated = new LatencyHistogram();
        const base = new Array<number>(P).fill(0); // committed offsets per partition
        const committedUntil = new Array<number>(P).fill(-ageSec); // arrival of the last committed
        let t = 0;
        for (const step of steps) {
          t += step.dt;
          generated.advance(t);
          expect(generated.producedBefore(t)).toBe(indexed.producedBefore(t));
          // everything at or before t is known; the next unknown record comes after t
          const next =
            indexed.producedBefore(t) < arrivals.total
              ? arrivals.timeAt(arrivals.countUpTo(t))
              : INF;
          expect(generated.knownUntil()).toBe(arrivals.countUpTo(t) < arrivals.total ? next : INF);
          expect(generated.lastArrival()).toBe(
            generated.knownUntil() === INF ? indexed.lastArrival() : INF,
          );
          for (let p = 0; p < P; p++) {
            // queries at t and at times back to the last committed record
            for (const u of [t, (t + committedUntil[p]!) / 2, committedUntil[p]!]) {
              if (u < committedUntil[p]! || u > t) continue;
              expect(generated.countUpTo(p, u)).toBe(indexed.countUpTo(p, u));
            }
            const arrived = indexed.countUpTo(p, t);
            for (let k = base[p]!; k <= arrived + 2; k++) {
              const ti = indexed.timeOf(p, k);
              expect(generated.timeOf(p, k)).toBe(ti <= t ? ti : INF);
            }
            const n = Math.min(step.take[p]!, arrived - base[p]!);
            if (n > 0) {
              const k0 = base[p]!;
              const doneSec = t + step.delaySec;
              indexed.commit(p, k0, n, doneSec, hIndexed);
              generated.commit(p, k0, n, doneSec, hGenerated);
              base[p] = k0 + n;
              committedUntil[p] = indexed.timeOf(p, k0 + n - 1);
            }
          }
        }
        expect(hGenerated.count).toBe(hIndexed.count);
        expect(Math.abs(hGenerated.sumSec - hIndexed.sumSec)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, hIndexed.sumSec),
        );
        expectQuantilesWithinOneBin(hGenerated, hIndexed);
        // drain: once every record is known, both report the same last arrival
        generated.advance(t + 1e6);
        expect(generated.knownUntil()).toBe(INF);
        expect(generated.lastArrival()).toBe(indexed.lastArrival());
        // `|| 0`: a silent schedule's total is ⌈0 − 1e-9⌉ = −0, which toBe tells from 0
        expect(generated.producedBefore(t + 1e6)).toBe(arrivals.total || 0);
      }),
      { numRuns: 200 },
    );
  });

  it("records the same latencies for the seed's case 2 consumed in batches of 10", () => {
    // 5 msg/s for 2000 s on 20 partitions; every partition polled every 40 s
    const arrivals = new ConstantRate(5, 2000);
    const { indexed, generated } = twins(arrivals, 20, new Array<number>(20).fill(3), 120);
    const hi = new LatencyHistogram();
    const hg = new LatencyHistogram();
    const base = new Array<number>(20).fill(0);
    for (let t = 40; t <= 2200; t += 40) {
      generated.advance(t);
      for (let p = 0; p < 20; p++) {
        const n = Math.min(10, indexed.countUpTo(p, t) - base[p]!);
        if (n <= 0) continue;
        indexed.commit(p, base[p]!, n, t + 3, hi);
        generated.commit(p, base[p]!, n, t + 3, hg);
        base[p]! += n;
      }
    }
    expect(hg.count).toBe(hi.count);
    expect(hi.count).toBeGreaterThan(10_000 - 1000);
    expect(hg.sumSec).toBeCloseTo(hi.sumSec, 6);
    expect(quantiles(hg)).toEqual(quantiles(hi));
    expect([hg.minSec, hg.maxSec]).toEqual([hi.minSec, hi.maxSec]);
  });

  it("records a latency lying on a bin edge at most one bin apart: 2.5 msg/s, 3 partitions, batch of 4 done at 16 s", () => {
    // partition 2 holds records 2, 5, 8, 11 at 0.8, 2, 3.2, 4.4 s: latencies 15.2, 14, 12.8,
    // 11.6 s. 12.8 s = 128000 units = 250 × 512, the lower edge of a bin. GeneratedFeed adds
    // 16 − 3.2 = 12.8 (that bin); IndexedFeed adds the evenly spaced batch as one arithmetic run,
    // 11.6 + 1.2 × 1 = 12.799999999999999 (the bin below). Float round-off of two correct
    // computations: the contract is the histogram's precision, 1/128.
    const { indexed, generated } = twins(new ConstantRate(2.5, 6), 3, [0, 0, 0], 0);
    generated.advance(6);
    const hi = new LatencyHistogram();
    const hg = new LatencyHistogram();
    indexed.commit(2, 0, 4, 16, hi);
    generated.commit(2, 0, 4, 16, hg);
    expect(hg.quantile(0.5)).toBeCloseTo(12.8256, 9);
    expect(Math.abs(hi.quantile(0.5) - hg.quantile(0.5)) / hg.quantile(0.5)).toBeLessThanOrEqual(
      1 / 128,
    );
    expect(hi.count).toBe(hg.count);
    expect(hi.sumSec).toBeCloseTo(hg.sumSec, 9);
  });

  it("counts every record with producedBefore(Infinity), as IndexedFeed does", () => {
    // A source that complains when it is pulled again and again past its end: advance(t)
    // loops while the next time is ≤ t, and Infinity ≤ Infinity, so advance(Infinity) (reached
    // through producedBefore(Infinity)) never stops pulling Infinity from an exhausted source.
    const inner = sequentialFrom(new ConstantRate(1, 3));
    let pullsAfterEnd = 0;
    const guarded: SequentialArrivals = {
      next: () => {
        const v = inner.next();
        if (v === INF && ++pullsAfterEnd > 1000) throw new Error("advance(Infinity) does not stop");
        return v;
      },
    };
    const generated = new GeneratedFeed(
      guarded,
      roundRobinPartitioner(2),
      2,
      new Float64Array(2),
      0,
    );
    const indexed = new IndexedFeed(new ConstantRate(1, 3), 2, new Float64Array(2), 0);
    expect(indexed.producedBefore(INF)).toBe(3);
    expect(generated.producedBefore(INF)).toBe(3);
    expect(generated.lastArrival()).toBe(2);
  });
});
