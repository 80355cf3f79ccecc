/** Parsing of command-line option values: one clear error naming the option. */
import { InvalidArgumentError } from "commander";
import { POLICIES, type PolicyName } from "../scaler/policy.js";

/** A non-negative integer option (e.g. --seed). */
export function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 4294967295) {
    throw new InvalidArgumentError(`expected an integer from 0 to 4294967295, got "${value}"`);
  }
  return n;
}

/** A positive number of seconds (e.g. --resolution). */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected seconds > 0, got "${value}"`);
  return n;
}

/** A positive count, as an integer or in e-notation (e.g. --max-events 1e9). */
export function parseCount(value: string): number {
  const n = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > Number.MAX_SAFE_INTEGER) {
    throw new InvalidArgumentError(`expected a whole number ≥ 1 (e.g. 5e8), got "${value}"`);
  }
  return n;
}

/**
 * A finite number of seconds, any sign (e.g. --offset); `abc`, `NaN`, `1e999` and the empty
 * string are refused (Number("") is 0, not an error).
 */
export function parseSignedSeconds(value: string): number {
  const n = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected seconds, got "${value}"`);
  return n;
}

/** A scaler policy name (--policy). */
export function parsePolicy(value: string): PolicyName {
  if (!(value in POLICIES)) {
    throw new InvalidArgumentError(
      `unknown policy "${value}": one of ${Object.keys(POLICIES).join(", ")}`,
    );
  }
  return value as PolicyName;
}
