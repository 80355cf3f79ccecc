/**
 * Units: CloudWatch's StandardUnit list, conversions within a dimension, and what each column
 * takes — through the readers and `loadCloudWatch`. Expected values come from the fixture table
 * (test/fixtures/cloudwatch/README.md) and from the unit definitions (1 s = 1000 ms), not from
 * the code under test.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCloudWatch } from "../../src/import/load.js";
import {
  columnUnit,
  convertUnit,
  parseUnit,
  STANDARD_UNITS,
  unitInName,
} from "../../src/import/units.js";
import { EsmlabError } from "../../src/util/errors.js";

const FIXTURES = "test/fixtures/cloudwatch";
const at = (name: string) => join(FIXTURES, name);
const _ = Number.NaN;
const DURATION_MS = [3001.2, 3000.8, 3002.5, _, 3001.0, 3000.9];

describe("StandardUnit table", () => {
  it("holds exactly CloudWatch's 27 StandardUnit names (API reference, Datapoint.Unit)", () => {
    // the Valid Values of Datapoint.Unit, copied from the API reference page
    const documented =
      "Seconds | Microseconds | Milliseconds | Bytes | Kilobytes | Megabytes | Gigabytes |" +
      " Terabytes | Bits | Kilobits | Megabits | Gigabits | Terabits | Percent | Count |" +
      " Bytes/Second | Kilobytes/Second | Megabytes/Second | Gigabytes/Second |" +
      " Terabytes/Second | Bits/Second | Kilobits/Second | Megabits/Second | Gigabits/Second |" +
      " Terabits/Second | Count/Second | None";
    expect(Object.keys(STANDARD_UNITS).sort()).toEqual(documented.split(" | ").sort());
  });

  it("converts within a dimension: times, data sizes, data rates", () => {
    expect(convertUnit(3.0008, "Seconds", "Milliseconds")).toBe(3000.8);
    expect(convertUnit(1500, "Microseconds", "Milliseconds")).toBe(1.5);
    expect(convertUnit(2, "Milliseconds", "Microseconds")).toBe(2000);
    expect(convertUnit(1, "Kilobytes", "Bytes")).toBe(1000);
    expect(convertUnit(1, "Bytes", "Bits")).toBe(8);
    expect(convertUnit(3, "Megabits/Second", "Kilobytes/Second")).toBe(375);
    expect(convertUnit(7, "None", "Count")).toBe(7);
  });

  it("refuses to convert across dimensions", () => {
    expect(() => convertUnit(1, "Percent", "Count")).toThrow("cannot convert Percent to Count");
    expect(() => convertUnit(1, "Seconds", "Bytes")).toThrow();
    expect(() => convertUnit(1, "Bytes/Second", "Bytes")).toThrow();
  });

  it("reads unit names case-insensitively, and only whole names", () => {
    expect(parseUnit("count/second")).toBe("Count/Second");
    expect(parseUnit(" Milliseconds ")).toBe("Milliseconds");
    expect(parseUnit("ms")).toBeUndefined();
    expect(parseUnit(3)).toBeUndefined();
  });

  it("finds a unit in a label's parenthesis or brackets, never in its words", () => {
    expect(unitInName("Duration (Milliseconds)")).toBe("Milliseconds");
    expect(unitInName("Duration (Average, Seconds)")).toBe("Seconds");
    expect(unitInName("Duration [Microseconds]")).toBe("Microseconds");
    expect(unitInName("Invocations (Sum)")).toBeUndefined();
    expect(unitInName("PolledEventCount")).toBeUndefined();
    expect(unitInName("Count of errors")).toBeUndefined();
    expect(() => unitInName("Duration (Seconds) [Milliseconds]")).toThrow("names two units");
  });

  it("Duration is kept in milliseconds; every other column is a count", () => {
    expect(columnUnit("Duration")).toEqual({
      unit: "Milliseconds",
      accepts: ["Microseconds", "Milliseconds", "Seconds"],
    });
    for (const column of [
      "invocations",
      "concurrency",
      "lag",
      "pollers",
      "MaxOffsetLag",
    ] as const) {
      expect(columnUnit(column).accepts).toEqual(["Count", "None"]);
    }
  });
});

describe("mixed units in an export", () => {
  it("GetMetricStatistics datapoints in s, ms and µs become one Duration column in ms, with a warning", async () => {
    const { run } = await loadCloudWatch([at("gms-duration-mixed-units.json")]);
    expect([...run.series.extra.Duration!]).toEqual(DURATION_MS);
    expect(run.meta.provenance.warnings).toEqual([
      `${at("gms-duration-mixed-units.json")}: "Duration" (Average): 3 of 5 values converted from` +
        " Seconds, Microseconds to Milliseconds (units found: Seconds, Milliseconds, Microseconds)",
    ]);
  });

  it("the same Duration in milliseconds imports without a warning (no conversion)", async () => {
    const { run } = await loadCloudWatch([at("gms-duration.json")]);
    expect([...run.series.extra.Duration!]).toEqual(DURATION_MS);
    expect(run.meta.provenance.warnings).toEqual([]);
  });

  it("a CSV header naming Seconds is converted to milliseconds, and its parenthesis is no statistic", async () => {
    const { run } = await loadCloudWatch([at("console-duration-seconds.csv")]);
    expect([...run.series.extra.Duration!]).toEqual(DURATION_MS);
    expect([...run.series.columns.invocations]).toEqual([20, 20, 38, _, 57, 60]);
    expect(run.meta.provenance.warnings).toEqual([
      `${at("console-duration-seconds.csv")}: column "Duration (Average, Seconds)": 5 of 5 values` +
        " converted from Seconds to Milliseconds (unit Seconds)",
    ]);
  });

  it.each([
    [
      "Percent on a count column",
      "bad-percent-invocations.json",
      'bad-percent-invocations.json: "Invocations" (Sum): units found: Count, Percent; Percent does not fit column invocations, which takes Count, None',
    ],
    [
      "Milliseconds, Seconds and Percent on Duration",
      "bad-mixed-units.json",
      'bad-mixed-units.json: "Duration" (Average): units found: Milliseconds, Seconds, Percent; Percent does not fit column Duration, which takes Microseconds, Milliseconds, Seconds',
    ],
  ])(
    "%s is refused, naming the file, the series and the units found",
    async (_name, file, message) => {
      const error = await loadCloudWatch([at(file)]).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(EsmlabError);
      expect((error as Error).message).toBe(`${FIXTURES}/${message}`);
    },
  );
});
