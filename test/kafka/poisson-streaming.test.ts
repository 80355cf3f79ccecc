/**
 * Generated workloads stream: a Poisson feed at 10^6 records/s for 1000 s (10^9 records) makes
 * only the next horizon's arrivals, so asking for the first second costs a second's worth of
 * work and memory, not the whole run's.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/prng.js";
import { poissonArrivals, RateSchedule } from "../../src/kafka/arrivals.js";
import { GeneratedFeed } from "../../src/kafka/feed.js";
import { roundRobinPartitioner } from "../../src/kafka/partitioner.js";

describe("a Poisson feed", () => {
  it("at 10^6/s for 1000 s generates only up to the time asked for", () => {
    const started = performance.now();
    const feed = new GeneratedFeed(
      poissonArrivals(new RateSchedule([{ durationSec: 1000, ratePerSec: 1e6 }]), new Rng(1)),
      roundRobinPartitioner(10),
      10,
      new Float64Array(10),
      0,
    );
    feed.advance(0.5);
    const produced = feed.producedBefore(0.5);
    // 5·10^5 expected; a Poisson count's standard deviation is √(5·10^5) ≈ 707
    expect(Math.abs(produced - 5e5)).toBeLessThan(5000);
    expect(feed.knownUntil()).toBeGreaterThan(0.5);
    expect(feed.knownUntil()).toBeLessThan(0.501);
    expect(feed.lastArrival()).toBe(Number.POSITIVE_INFINITY); // more to come
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
