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

/** A scaler policy name (--policy). */
export function parsePolicy(value: string): PolicyName {
  if (!(value in POLICIES)) {
    throw new InvalidArgumentError(
      `unknown policy "${value}": one of ${Object.keys(POLICIES).join(", ")}`,
    );
  }
  return value as PolicyName;
}
