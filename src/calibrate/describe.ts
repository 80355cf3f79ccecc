/**
 * Calibrated values as a person reads them, in one wording for the CLI's table, notebook 02's
 * table and a study's findings: "780", "add 2", "to-target 1,000/poller", "60–120",
 * "to-max; add 19–20".
 */
import { formatNumber } from "../util/format.js";
import type { CalibratedParameter, ValueRange } from "./calibrate.js";
import type { ParamValue } from "./space.js";

/** How a number is written (the CLI's `fmt`, or a duration for a parameter in seconds). */
export type NumberWriter = (n: number) => string;

const byDefault: NumberWriter = (n) => formatNumber(n);

/**
 * A fitted value: a number, or a scale-up rule with its step.
 * @example formatParamValue({ rule: "to-target", targetLagPerPollerRecords: 1000 }) // "to-target 1,000/poller"
 */
export function formatParamValue(v: ParamValue, write: NumberWriter = byDefault): string {
  if (typeof v === "number") return write(v);
  if (v.rule === "to-target") {
    return `to-target ${write(v.targetLagPerPollerRecords ?? Number.NaN)}/poller`;
  }
  return v.step === undefined ? v.rule : `${v.rule} ${write(v.step)}`;
}

/**
 * A range, or its one value when it is a point.
 * @example formatValueRange({ low: 60, high: 120 }) // "60–120"
 */
export function formatValueRange(r: ValueRange, write: NumberWriter = byDefault): string {
  return r.low === r.high ? write(r.low) : `${write(r.low)}–${write(r.high)}`;
}

/**
 * The values that fit within the noise: the parameter's range, or for the scale-up rule each
 * rule that fits with its step's range; null when the calibration traced no range for it.
 * @example formatFitsWithinNoise(scaleUp) // "to-max; add 19–20; to-target 1–260.4"
 */
export function formatFitsWithinNoise(
  p: CalibratedParameter,
  write: NumberWriter = byDefault,
): string | null {
  if (p.rules !== undefined) {
    return p.rules
      .map((r) => (r.step === null ? r.rule : `${r.rule} ${formatValueRange(r.step, write)}`))
      .join("; ");
  }
  return p.range === null ? null : formatValueRange(p.range, write);
}
