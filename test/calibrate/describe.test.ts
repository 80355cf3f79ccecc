/** Calibrated values in the one wording the CLI, notebook 02 and the findings share. */
import { describe, expect, it } from "vitest";
import type { CalibratedParameter } from "../../src/calibrate/calibrate.js";
import {
  formatFitsWithinNoise,
  formatParamValue,
  formatValueRange,
} from "../../src/calibrate/describe.js";

const param = (over: Partial<CalibratedParameter>): CalibratedParameter => ({
  path: "scaler.evaluationIntervalSec",
  before: 60,
  after: 840,
  pinned: false,
  range: { low: 411, high: 845 },
  nearOptimal: [],
  tradesOffWith: [],
  ...over,
});

describe("calibrated values in words", () => {
  it("writes a number, a rule with its step, a target lag per poller", () => {
    expect(formatParamValue(1024)).toBe("1,024");
    expect(formatParamValue({ rule: "add", step: 2 })).toBe("add 2");
    expect(formatParamValue({ rule: "to-max" })).toBe("to-max");
    expect(formatParamValue({ rule: "to-target", targetLagPerPollerRecords: 1000 })).toBe(
      "to-target 1,000/poller",
    );
    expect(formatParamValue(840, (n) => `${n / 60} min`)).toBe("14 min");
  });

  it("writes a range, a point, and every fitting rule with its step's range", () => {
    expect(formatValueRange({ low: 60, high: 120 })).toBe("60–120");
    expect(formatValueRange({ low: 1, high: 1 })).toBe("1");
    expect(formatFitsWithinNoise(param({}))).toBe("411–845");
    expect(formatFitsWithinNoise(param({ range: null }))).toBeNull();
    const scaleUp = param({
      path: "scaler.scaleUp",
      range: null,
      rules: [
        { rule: "to-max", step: null },
        { rule: "add", step: { low: 19, high: 20 } },
      ],
    });
    expect(formatFitsWithinNoise(scaleUp)).toBe("to-max; add 19–20");
  });
});
