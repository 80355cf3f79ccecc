import { describe, expect, it } from "vitest";
import { formatNumber, NUMBER_KINDS, type NumberKind } from "../../src/util/format.js";
import { fmt, formatTable } from "../../src/util/text-table.js";

// Known answers are what ECMA-402 prescribes for en-US (Node's ICU prints the same), with the
// hyphen-minus replaced by U+2212 MINUS SIGN.
const MINUS = "\u2212";

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
      ["auto", "count", "percent", "ratio", "seconds"].sort(),
    );
  });

  it("does not depend on the process's default locale", () => {
    // de-DE would write 1.234.567,5: the formatter pins en-US
    expect(new Intl.NumberFormat("de-DE").format(1234567.5)).toBe("1.234.567,5");
    expect(formatNumber(1234567.5)).toBe("1,234,567.5");
  });
});

describe("fmt (terminal text)", () => {
  it("keeps the CLI's ungrouped integers and rounds float artefacts away", () => {
    expect(fmt(2000)).toBe("2000");
    expect(fmt(4000)).toBe("4000");
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
      "run  t (s)  n",
      "---  -----  ---------",
      "a      356  1,234,567",
      `b     ${MINUS}2.3  –`,
    ]);
  });
});
