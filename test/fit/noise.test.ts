import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/prng.js";
import { NOISE_SAMPLE, noiseSigma, quickselect } from "../../src/fit/noise.js";

describe("quickselect", () => {
  it("returns the k-th smallest value, as sorting would", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (cells, k0) => {
          const k = k0 % cells.length;
          const sorted = [...cells].sort((a, b) => a - b);
          expect(quickselect(Float64Array.from(cells), k)).toBe(sorted[k]);
        },
      ),
    );
  });

  it("rejects k outside the array", () => {
    expect(() => quickselect(Float64Array.of(1, 2), 2)).toThrow(RangeError);
  });
});

describe("noiseSigma", () => {
  it("estimates Gaussian noise through the steps of a series", () => {
    const rng = new Rng(3);
    const y = Float64Array.from(
      { length: 20_000 },
      (_, i) => 100 * Math.floor(i / 1000) + 2 * rng.normal(),
    );
    expect(noiseSigma(y)).toBeCloseTo(2, 1);
  });

  it("samples long series and still lands within 1 %", () => {
    const rng = new Rng(4);
    const n = 4 * NOISE_SAMPLE;
    const y = Float64Array.from({ length: n }, () => rng.normal());
    expect(Math.abs(noiseSigma(y) - 1)).toBeLessThan(0.01);
  });

  it("falls back to the RMS of differences when most do not move", () => {
    // 0 0 0 1 0 0 0 1 …: the median |difference| is 0; RMS = √(2/4) over √2 = 0.5
    const y = Float64Array.from({ length: 4001 }, (_, i) => (i % 4 === 3 ? 1 : 0));
    expect(noiseSigma(y)).toBeCloseTo(0.5, 3);
    expect(noiseSigma(new Float64Array(10).fill(7))).toBe(0);
    expect(noiseSigma(Float64Array.of(7))).toBe(0);
  });
});
