/**
 * Numbers for readers: one formatter for tables, text and (later) the report, built on
 * `Intl.NumberFormat` (ECMA-402) — thousands grouping, a precision chosen by what the number
 * is, and a true minus sign (U+2212), as typeset text has it. Always `en-US` digits and
 * separators, whatever the machine's locale, so outputs are reproducible.
 *
 * @example formatNumber(1234567, "count") // "1,234,567"
 * @example formatNumber(-0.5) // "−0.5"
 * @example formatNumber(356.20000000000005) // "356.2"
 */

/** The kinds of quantity, each with its rounding. */
export const NUMBER_KINDS = {
  count: "a whole number of things (invocations, records, partitions): rounded to an integer",
  seconds: "a duration in seconds: to 0.1 s below a minute, whole seconds from a minute up",
  ratio: "a ratio or an error: 3 significant digits, but whole digits kept (1,235)",
  percent: "a fraction as a percentage (0.123 → 12.3%): 3 significant digits, whole from 100%",
  auto: "anything else: integers whole, else 1 decimal from 100 up and 3 decimals below",
} as const;
export type NumberKind = keyof typeof NUMBER_KINDS;

/** What a missing value (null, undefined, NaN) reads as: an en dash, as in the text tables. */
export const MISSING = "–";

/** U+2212 MINUS SIGN, which `en-US` writes as a hyphen-minus. */
const MINUS = "\u2212";

const LOCALE = "en-US";

/**
 * signDisplay "negative" (ECMA-402 2023; Node ≥ 20): no sign on a negative zero, nor on a value
 * that rounds to zero. The project's ES2022 lib does not know the value yet.
 */
const NEGATIVE_ONLY = "negative" as unknown as Intl.NumberFormatOptions["signDisplay"];

/** The roundings the kinds use. */
const PRECISIONS = {
  whole: { maximumFractionDigits: 0 },
  oneDecimal: { maximumFractionDigits: 1 },
  threeDecimals: { maximumFractionDigits: 3 },
  significant: { maximumSignificantDigits: 3 },
  percent: { style: "percent", maximumSignificantDigits: 3 },
  percentWhole: { style: "percent", maximumFractionDigits: 0 },
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
      if (Number.isInteger(value)) return "whole";
      return size >= 100 ? "oneDecimal" : "threeDecimals";
  }
}

const formatters = new Map<string, Intl.NumberFormat>();

/** One Intl.NumberFormat per precision and grouping, made on first use (making one is slow). */
function formatter(precision: Precision, grouping: boolean): Intl.NumberFormat {
  const key = `${precision} ${grouping}`;
  let made = formatters.get(key);
  if (made === undefined) {
    made = new Intl.NumberFormat(LOCALE, {
      ...PRECISIONS[precision],
      useGrouping: grouping,
      signDisplay: NEGATIVE_ONLY,
    });
    formatters.set(key, made);
  }
  return made;
}

/** Options of {@link formatNumber}. */
export interface FormatOptions {
  /** Thousands separators (default true); off where output must stay as before (CLI text). */
  readonly grouping?: boolean;
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
  return formatter(precisionOf(value, kind), options.grouping ?? true)
    .formatToParts(value)
    .map((part) => (part.type === "minusSign" ? MINUS : part.value))
    .join("");
}
