import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { medianFilter3 } from "../../src/fit/median-filter.js";

describe("medianFilter3", () => {
  it("deletes one-point spikes and keeps steps, stepping over missing cells", () => {
    expect([...medianFilter3(Float64Array.of(1, 1, 9, 1, 1, Number.NaN, 4, 4))]).toEqual([
      1,
      1,
      1,
      1,
      1,
      Number.NaN,
      4,
      4,
    ]);
    expect([...medianFilter3(Float64Array.of(1, 1, 10, 10, 1, 1))]).toEqual([1, 1, 10, 10, 1, 1]);
    expect([...medianFilter3(Float64Array.of(3, 9, 1))]).toEqual([3, 3, 1]);
    expect([...medianFilter3(Float64Array.of(Number.NaN, 5, Number.NaN))]).toEqual([
      Number.NaN,
      5,
      Number.NaN,
    ]);
    expect(medianFilter3(new Float64Array(0)).length).toBe(0);
  });

  it("leaves a monotone series as it is", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 50 }), (cells) => {
        const sorted = Float64Array.from(cells.sort((a, b) => a - b));
        expect([...medianFilter3(sorted)]).toEqual([...sorted]);
      }),
    );
  });
});
