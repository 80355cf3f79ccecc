/**
 * Numbers for readers: one formatter for notebook tables, the report and the CLI, built on
 * `Intl.NumberFormat` (ECMA-402) — thousands grouping, a precision chosen by what the number
 * is, and a true minus sign (U+2212), as typeset text has it. Always `en-US` digits and
 * separators, whatever the machine's locale, so outputs are reproducible.
 *
 * Units: a table puts a quantity's unit in its column header ("start (s)", "peak lag
 * (records)") and its cells hold bare numbers. Two kinds carry their unit in the cell, joined
 * by a no-break space or none, so a cell never wraps between number and unit: a percentage
 * ("12.3%", Intl's own en-US form) and a {@link formatDuration duration} ("55.6 h"), whose
 * unit changes with its size.
 *
 * @example formatNumber(1234567, "count") // "1,234,567"
 * @example formatNumber(-0.5) // "−0.5"
 * @example formatNumber(356.20000000000005) // "356.2"
 * @example formatNumber(200040, "duration") // "55.6 h"
 */

/** The kinds of quantity, each with its rounding. */
export const NUMBER_KINDS = {
  count: "a whole number of things (invocations, records, partitions): rounded to an integer",
  seconds: "a duration in seconds: to 0.1 s below a minute, whole seconds from a minute up",
  ratio: "a ratio or an error: 3 significant digits, but whole digits kept (1,235)",
  percent: "a fraction as a percentage (0.123 → 12.3%): 3 significant digits, whole from 100%",
  duration:
    "seconds shown with a unit that fits: s below 10 min, min below 2 h, h from 2 h (formatDuration)",
  auto: "anything else: integers whole, else 1 decimal from 100 up and 3 decimals below",
} as const;
export type NumberKind = keyof typeof NUMBER_KINDS;

/** What a missing value (null, undefined, NaN) reads as: an en dash, as in the text tables. */
export const MISSING = "–";

/** U+2212 MINUS SIGN, which `en-US` writes as a hyphen-minus. */
const MINUS = "\u2212";

/** U+00A0 NO-BREAK SPACE between a number and its unit: "4.2 min" never wraps. */
export const UNIT_SPACE = "\u00a0";

const LOCALE = "en-US";

/**
 * signDisplay "negative" (ECMA-402 2023; Node ≥ 20): no sign on a negative zero, nor on a value
 * that rounds to zero. The project's ES2022 lib does not know the value yet.
 */
const NEGATIVE_ONLY = "negative" as unknown as Intl.NumberFormatOptions["signDisplay"];

/**
 * useGrouping "min2" (ECMA-402 2023, Intl.NumberFormat v3; Node ≥ 20): separators only from
 * five integer digits, so 2000 stays "2000" and 200000 reads "200,000" (the CLI's grouping).
 */
const MIN2 = "min2" as unknown as Intl.NumberFormatOptions["useGrouping"];

/** The roundings the kinds use. */
const PRECISIONS = {
  whole: { maximumFractionDigits: 0 },
  oneDecimal: { maximumFractionDigits: 1 },
  threeDecimals: { maximumFractionDigits: 3 },
  significant: { maximumSignificantDigits: 3 },
  percent: { style: "percent", maximumSignificantDigits: 3 },
  percentWhole: { style: "percent", maximumFractionDigits: 0 },
  signedPercent: { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" },
  signed: { maximumSignificantDigits: 3, signDisplay: "exceptZero" },
} as const satisfies Record<string, Intl.NumberFormatOptions>;
type Precision = keyof typeof PRECISIONS;

function precisionOf(value: number, kind: NumberKind): Precision {
  const size = Math.abs(value);
  switch (kind) {
    case "count":
      return "whole";
    case "seconds":
      return size < 60 ? "oneDecimal" : "whole";
    // three significant digits, but never fewer than the whole digits (1,235, not 1,230)
    case "ratio":
      return size < 100 ? "significant" : "whole";
    case "percent":
      return size < 1 ? "percent" : "percentWhole";
    case "auto":
    // a duration's number is formatted by formatDuration; "auto" stands for it here
    case "duration":
      if (Number.isInteger(value)) return "whole";
      return size >= 100 ? "oneDecimal" : "threeDecimals";
  }
}

const formatters = new Map<string, Intl.NumberFormat>();

/** One Intl.NumberFormat per precision and grouping, made on first use (making one is slow). */
function formatter(precision: Precision, grouping: Grouping): Intl.NumberFormat {
  const key = `${precision} ${grouping}`;
  let made = formatters.get(key);
  if (made === undefined) {
    made = new Intl.NumberFormat(LOCALE, {
      signDisplay: NEGATIVE_ONLY,
      ...PRECISIONS[precision],
      useGrouping: grouping === "min2" ? MIN2 : grouping,
    });
    formatters.set(key, made);
  }
  return made;
}

/** Thousands separators: always, never, or "min2" — only from five integer digits (200,000 but 2000). */
export type Grouping = boolean | "min2";

/** Options of {@link formatNumber} and the other formatters here. */
export interface FormatOptions {
  /** Thousands separators (default true); the CLI's text uses "min2" (see {@link fmt}). */
  readonly grouping?: Grouping;
  /**
   * What joins a duration to its unit (default {@link UNIT_SPACE}, a no-break space, so HTML
   * never wraps "4.2 min"); the CLI uses a plain space, which terminals and grep read as one.
   */
  readonly unitSpace?: string;
}

/**
 * A number as a reader should see it: grouped, rounded for its kind, with a true minus sign;
 * "–" when missing (null, undefined or NaN), "∞" / "−∞" when infinite.
 *
 * @param kind what the number is (default "auto"); see {@link NUMBER_KINDS}
 * @example formatNumber(59.96, "seconds") // "60"
 * @example formatNumber(0.012345, "ratio") // "0.0123"
 * @example formatNumber(0.1234, "percent") // "12.3%"
 * @example formatNumber(null) // "–"
 */
export function formatNumber(
  value: number | null | undefined,
  kind: NumberKind = "auto",
  options: FormatOptions = {},
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return MISSING;
  if (kind === "duration") return formatDuration(value, options);
  return write(value, precisionOf(value, kind), options);
}

/** The value through a precision's formatter, its hyphen-minus replaced by U+2212. */
function write(value: number, precision: Precision, options: FormatOptions): string {
  return formatter(precision, options.grouping ?? true)
    .formatToParts(value)
    .map((part) => (part.type === "minusSign" ? MINUS : part.value))
    .join("");
}

/** Where a duration changes unit, seconds: 10 min, and 2 h. */
const MINUTES_FROM_SEC = 600;
const HOURS_FROM_MIN = 120;

/**
 * A duration in seconds with the unit that keeps it readable, number and unit joined by a
 * no-break space ({@link UNIT_SPACE}):
 *
 * - below 10 min, seconds as the "seconds" kind rounds them: 0.1 s below a minute, whole
 *   seconds from a minute up ("59.5 s", "356 s");
 * - from 10 min to below 2 h, minutes to 0.1 min ("12.5 min", "119.9 min");
 * - from 2 h, hours to 0.1 h below 100 h and whole hours from 100 h ("55.6 h", "167 h").
 *
 * A unit is chosen on the rounded value, so 599.7 s reads "10 min", never "600 s". A table
 * column of durations is headed without a unit ("drained after"), since each cell has its own.
 * "–" when missing, "∞" when infinite.
 *
 * @example formatDuration(59.46) // "59.5 s"
 * @example formatDuration(750) // "12.5 min"
 * @example formatDuration(200040) // "55.6 h"
 * @example formatDuration(600060) // "167 h"
 * @example formatDuration(-90) // "−90 s"
 */
export function formatDuration(
  sec: number | null | undefined,
  options: FormatOptions = {},
): string {
  if (sec === null || sec === undefined || Number.isNaN(sec)) return MISSING;
  if (!Number.isFinite(sec)) return write(sec, "whole", options);
  const size = Math.abs(sec);
  const space = options.unitSpace ?? UNIT_SPACE;
  const secPrecision = precisionOf(sec, "seconds");
  if (roundTo(size, secPrecision === "whole" ? 0 : 1) < MINUTES_FROM_SEC) {
    return `${write(sec, secPrecision, options)}${space}s`;
  }
  const min = sec / 60;
  if (roundTo(Math.abs(min), 1) < HOURS_FROM_MIN) {
    return `${write(min, "oneDecimal", options)}${space}min`;
  }
  const h = sec / 3600;
  return `${write(h, roundTo(Math.abs(h), 1) < 100 ? "oneDecimal" : "whole", options)}${space}h`;
}

/** x rounded to `digits` decimals, as Intl rounds (half away from zero) for positive x. */
function roundTo(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

/**
 * How far an observed value is from a reference, as a reader compares them:
 *
 * - a signed percentage of the reference, (observed − reference) ÷ |reference| to 0.1 %
 *   ("+10%", "−98.7%", "0%"), while it is within ±100 % (for positive values: while the
 *   observed value is at most twice the reference);
 * - beyond that, the ratio observed ÷ reference to 3 significant digits ("×20", "×2.35"):
 *   20 against a reference of 1 reads "×20", not "+1,900%";
 * - the signed difference ("+20", "−3", "auto" rounding) when the reference is 0 or the two have
 *   opposite signs, where neither a percentage nor a ratio means anything.
 *
 * So no percentage is ever beyond ±100 %. "–" when either value is missing.
 *
 * @example formatRelativeError(330, 300) // "+10%"
 * @example formatRelativeError(11.5, 900) // "−98.7%"
 * @example formatRelativeError(20, 1) // "×20"
 * @example formatRelativeError(3, 0) // "+3"
 */
export function formatRelativeError(
  observed: number | null | undefined,
  reference: number | null | undefined,
  options: FormatOptions = {},
): string {
  if (observed === null || observed === undefined || Number.isNaN(observed)) return MISSING;
  if (reference === null || reference === undefined || Number.isNaN(reference)) return MISSING;
  if (reference === 0 || observed * reference < 0) {
    return write(observed - reference, "signed", options);
  }
  const relative = (observed - reference) / Math.abs(reference);
  if (Math.abs(relative) > 1) return `×${write(observed / reference, "significant", options)}`;
  return write(relative, "signedPercent", options);
}

/**
 * A setting's value as text for a table of parameters (whose values mix numbers, names and
 * flags): a number by {@link formatNumber} ("auto"), text as it is, true/false as "yes"/"no",
 * null as "none" (a setting left unset, such as no per-poller throughput cap), a list item by
 * item, and an object as its fields ("rule add, step 1"); "–" when undefined.
 *
 * @example formatValue(20000000) // "20,000,000"
 * @example formatValue("partition") // "partition"
 * @example formatValue(null) // "none"
 * @example formatValue({ rule: "add", step: 1 }) // "rule add, step 1"
 */
export function formatValue(value: unknown, options: FormatOptions = {}): string {
  if (value === undefined) return MISSING;
  if (value === null) return "none";
  if (typeof value === "number") return formatNumber(value, "auto", options);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => formatValue(v, options)).join(", ");
  if (typeof value === "object") {
    return Object.entries(value)
      .map(([key, v]) => `${key} ${formatValue(v, options)}`)
      .join(", ");
  }
  return String(value);
}
