import { describe, expect, it } from "vitest";
import {
  formatDuration,
  formatNumber,
  formatRelativeError,
  formatValue,
  NUMBER_KINDS,
  type NumberKind,
} from "../../src/util/format.js";
import { fmt, formatTable } from "../../src/util/text-table.js";

// Known answers are what ECMA-402 prescribes for en-US (Node's ICU prints the same), with the
// hyphen-minus replaced by U+2212 MINUS SIGN; durations and relative errors are worked out by
// hand in the comments beside them.
const MINUS = "\u2212";
/** U+00A0 NO-BREAK SPACE, between a duration and its unit. */
const NBSP = "\u00a0";

describe("formatNumber", () => {
  it.each<[number, NumberKind, string]>([
    [1234567, "count", "1,234,567"],
    [1234567, "auto", "1,234,567"],
    [2000, "count", "2,000"],
    [299.6, "count", "300"],
    [-1500, "count", `${MINUS}1,500`],
    [-0.5, "auto", `${MINUS}0.5`],
    [356.20000000000005, "auto", "356.2"],
    [0.30000000000000004, "auto", "0.3"],
    [1234.56789, "auto", "1,234.6"],
    [12.34567, "auto", "12.346"],
    [42.25, "seconds", "42.3"],
    [59.94, "seconds", "59.9"],
    [59.96, "seconds", "60"],
    [356.20000000000005, "seconds", "356"],
    [3599.5, "seconds", "3,600"],
    [-12.34, "seconds", `${MINUS}12.3`],
    [0.012345, "ratio", "0.0123"],
    [1.23456, "ratio", "1.23"],
    [12.3456, "ratio", "12.3"],
    [1234.5, "ratio", "1,235"],
    [-0.5, "ratio", `${MINUS}0.5`],
    [0.1234, "percent", "12.3%"],
    [0.05, "percent", "5%"],
    [1.5, "percent", "150%"],
    [-0.021, "percent", `${MINUS}2.1%`],
  ])("formatNumber(%d, %s) is %s", (value, kind, expected) => {
    expect(formatNumber(value, kind)).toBe(expected);
  });

  it("writes a minus sign, never a hyphen-minus, and none on zero or what rounds to it", () => {
    expect(formatNumber(-3)).toBe("\u22123");
    expect(formatNumber(-3)).not.toContain("-");
    expect(formatNumber(-0)).toBe("0");
    expect(formatNumber(-0.0001)).toBe("0");
    expect(formatNumber(-0.04, "seconds")).toBe("0");
  });

  it("shows a missing value as an en dash and infinity as ∞", () => {
    expect(formatNumber(null)).toBe("–");
    expect(formatNumber(undefined)).toBe("–");
    expect(formatNumber(Number.NaN, "count")).toBe("–");
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe("∞");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe(`${MINUS}∞`);
  });

  it("leaves out thousands separators on request", () => {
    expect(formatNumber(1234567.25, "auto", { grouping: false })).toBe("1234567.3");
  });

  it("defaults to auto, and names every kind it formats", () => {
    expect(formatNumber(1234.5678)).toBe(formatNumber(1234.5678, "auto"));
    expect(Object.keys(NUMBER_KINDS).sort()).toEqual(
      ["auto", "count", "duration", "percent", "ratio", "seconds"].sort(),
    );
  });

  it("does not depend on the process's default locale", () => {
    // de-DE would write 1.234.567,5: the formatter pins en-US
    expect(new Intl.NumberFormat("de-DE").format(1234567.5)).toBe("1.234.567,5");
    expect(formatNumber(1234567.5)).toBe("1,234,567.5");
  });
});

describe("formatDuration", () => {
  it.each<[number, string]>([
    [0, `0${NBSP}s`],
    [59.46, `59.5${NBSP}s`],
    [59.96, `60${NBSP}s`], // a minute and up: whole seconds
    [356.20000000000005, `356${NBSP}s`],
    [599.4, `599${NBSP}s`],
    [599.7, `10${NBSP}min`], // rounds to 600 s = 10 min: the unit follows the rounded value
    [600, `10${NBSP}min`],
    [750, `12.5${NBSP}min`], // 750 / 60
    [7194, `119.9${NBSP}min`], // 7194 / 60
    [7197, `2${NBSP}h`], // 119.95 min rounds to 120.0 min = 2 h
    [200040, `55.6${NBSP}h`], // 200040 / 3600 = 55.567
    [359990, `100${NBSP}h`], // 99.997 h rounds to 100.0: whole hours from 100 h
    [600060, `167${NBSP}h`], // 600060 / 3600 = 166.68
    [3.6e10, `10,000,000${NBSP}h`],
    [-90, `${MINUS}90${NBSP}s`],
    [-750, `${MINUS}12.5${NBSP}min`],
  ])("formatDuration(%d) is %s", (sec, expected) => {
    expect(formatDuration(sec)).toBe(expected);
    expect(formatNumber(sec, "duration")).toBe(expected);
  });

  it("shows a missing duration as an en dash and an endless one as ∞", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(Number.NaN)).toBe("–");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("∞");
  });

  it("groups as asked", () => {
    expect(formatDuration(3.6e10, { grouping: false })).toBe(`10000000${NBSP}h`);
    expect(formatDuration(3.6e6, { grouping: "min2" })).toBe(`1000${NBSP}h`);
    expect(formatDuration(3.6e8, { grouping: "min2" })).toBe(`100,000${NBSP}h`);
  });
});

describe("formatRelativeError", () => {
  it.each<[number, number, string]>([
    [330, 300, "+10%"], // 30 / 300
    [300, 300, "0%"],
    [300.0001, 300, "0%"], // +0.00003 %: rounds to zero, so no sign
    [11.5, 900, `${MINUS}98.7%`], // −888.5 / 900 = −0.98722
    [0, 900, `${MINUS}100%`],
    [600, 300, "+100%"], // exactly twice: still a percentage
    [20, 1, "×20"], // not +1,900%
    [2.35, 1, "×2.35"],
    [12345, 10, "×1,230"], // 1234.5 to 3 significant digits
    [-30, -10, "×3"], // −200 % of |−10|: beyond ±100 %, so the ratio
    [3, 0, "+3"], // no percentage of zero: the difference
    [0, 0, "0"],
    [-5, 10, `${MINUS}15`], // opposite signs: the difference
  ])("formatRelativeError(%d, %d) is %s", (observed, reference, expected) => {
    expect(formatRelativeError(observed, reference)).toBe(expected);
  });

  it("never writes a percentage beyond ±100 %", () => {
    for (const reference of [-7, -1, -0.01, 0.01, 1, 3, 900]) {
      for (const observed of [-1000, -10, -1, 0, 0.5, 1, 2, 10, 1000, 123456]) {
        const text = formatRelativeError(observed, reference);
        const percent = /^([+\u2212]?)([\d,.]+)%$/.exec(text);
        if (percent !== null)
          expect(Number(percent[2]!.replace(/,/g, ""))).toBeLessThanOrEqual(100);
        expect(text).not.toContain("-");
      }
    }
  });

  it("is an en dash when either value is missing", () => {
    expect(formatRelativeError(null, 1)).toBe("–");
    expect(formatRelativeError(1, undefined)).toBe("–");
    expect(formatRelativeError(Number.NaN, 1)).toBe("–");
  });
});

describe("formatValue", () => {
  it.each<[unknown, string]>([
    [20000000, "20,000,000"],
    [0.30000000000000004, "0.3"],
    [-3, `${MINUS}3`],
    ["partition", "partition"],
    [null, "none"],
    [undefined, "–"],
    [true, "yes"],
    [[1, 3000], "1, 3,000"],
    [{ rule: "add", step: 1 }, "rule add, step 1"],
    [{ kind: "round-robin" }, "kind round-robin"],
  ])("formatValue(%j) is %s", (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});

describe("fmt (terminal text)", () => {
  it("groups the CLI's integers from five digits and rounds float artefacts away", () => {
    expect(fmt(2000)).toBe("2000");
    expect(fmt(4000)).toBe("4000");
    expect(fmt(200000)).toBe("200,000");
    expect(fmt(-12345.6)).toBe(`${MINUS}12,345.6`);
    expect(fmt(600060, "duration")).toBe("167 h"); // a plain space in terminal text
    expect(fmt(356.20000000000005)).toBe("356.2");
    expect(fmt(0.1 + 0.2)).toBe("0.3");
    expect(fmt(5.9166666)).toBe("5.917");
    expect(fmt(-0.5)).toBe(`${MINUS}0.5`);
    expect(fmt(Number.NaN)).toBe("–");
  });

  it("formats a table's numbers with the format given, per column", () => {
    const text = formatTable(
      ["run", "t (s)", "n"],
      [
        ["a", 356.20000000000005, 1234567],
        ["b", -2.25, null],
      ],
      (v, j) => formatNumber(v, j === 1 ? "seconds" : "count"),
    );
    expect(text.split("\n")).toEqual([
      // a column of numbers with a missing cell is still right-aligned, its header too
      "run  t (s)          n",
      "---  -----  ---------",
      "a      356  1,234,567",
      `b     ${MINUS}2.3          –`,
    ]);
  });
});
