/**
 * The recovery suite on a few truths (the bench runs many): random truths across every
 * calibratable policy, away from the presets and near them, exported as CloudWatch shows them
 * and imported; calibration must reach the truth's error, and every parameter it calls pinned
 * must hold the truth's value. Noisy truths (Poisson arrivals, lognormal durations, a missing
 * minute) must stay inside every reported range.
 */
import { describe, expect, it } from "vitest";
import { RECOVERED_RMSE, randomTruth, recover } from "./recovery.js";

describe("calibration recovery", () => {
  for (const seed of [3, 6, 10, 12, 14, 15]) {
    it(`recovers ${randomTruth(seed, false).name}`, async () => {
      const o = await recover(randomTruth(seed, false));
      expect(o.result.errorAfter.concurrencyRmse).toBeLessThanOrEqual(
        Math.max(RECOVERED_RMSE, o.truthRmse),
      );
      expect(o.pinnedMisses).toEqual([]);
    });
  }

  // an evaluation interval of 82 s and a delay of 144 s show one rise at 226 s, as 224 s and
  // 3 s do: the interval trades off with the delay, and neither may be called pinned
  it(`follows a trade-off before pinning: ${randomTruth(1, false).name}`, async () => {
    const o = await recover(randomTruth(1, false));
    expect(o.result.errorAfter.concurrencyRmse).toBeLessThanOrEqual(RECOVERED_RMSE);
    const interval = o.result.parameters.find((p) => p.path === "scaler.evaluationIntervalSec")!;
    const delay = o.result.parameters.find((p) => p.path === "scaler.actuationDelaySec")!;
    expect(interval.pinned).toBe(false);
    expect(interval.range!.low).toBeLessThanOrEqual(82);
    expect(interval.range!.high).toBeGreaterThanOrEqual(82);
    expect(delay.range!.low).toBeLessThanOrEqual(144);
    expect(delay.range!.high).toBeGreaterThanOrEqual(144);
    expect(o.pinnedMisses).toEqual([]);
  });

  // 1 poller × 4 invocations evaluated every 63 s and 4 pollers × 1 every ~950 s (the target lag
  // per poller ×4 with them) show the same single rise: neither split, nor the cadence, may
  // be called pinned
  it(`looks for another split before pinning: ${randomTruth(32, false).name}`, async () => {
    const o = await recover(randomTruth(32, false));
    expect(o.result.errorAfter.concurrencyRmse).toBeLessThanOrEqual(RECOVERED_RMSE);
    expect(o.pinnedMisses).toEqual([]);
    const perPoller = o.result.parameters.find((p) => p.path === "scaler.concurrencyPerPoller")!;
    expect(perPoller.pinned).toBe(false);
  });

  // seed 1's search ends in a local minimum outside the noise; the second search finds the truth
  it(`searches again when the fit misses the noise: ${randomTruth(5, false).name}`, async () => {
    const o = await recover(randomTruth(5, false));
    expect(o.result.errorAfter.concurrencyRmse).toBeLessThanOrEqual(RECOVERED_RMSE);
    expect(o.pinnedMisses).toEqual([]);
  });

  for (const seed of [3]) {
    it(`keeps a noisy truth inside its ranges: ${randomTruth(seed, true).name}`, async () => {
      const o = await recover(randomTruth(seed, true));
      expect(o.rangeMisses).toEqual([]);
      expect(o.pinnedMisses).toEqual([]);
    });
  }
});
