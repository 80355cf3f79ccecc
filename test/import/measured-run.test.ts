import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MeasuredInput, MeasuredSeries } from "../../src/import/measured.js";
import { measuredRun } from "../../src/import/measured-run.js";
import { parseColumnMapping, resolveTarget } from "../../src/import/metric-map.js";

const T0 = Date.UTC(2024, 0, 9, 18, 30);
const MIN = 60_000;

function series(name: string, minutes: number[], values: number[]): MeasuredSeries {
  return {
    names: [name],
    what: `"${name}"`,
    timesMs: Float64Array.from(minutes, (m) => T0 + m * MIN),
    values: Float64Array.from(values),
  };
}

function input(file: string, ...s: MeasuredSeries[]): MeasuredInput {
  return { file, format: "get-metric-statistics", series: s, warnings: [] };
}

const OPTIONS = { label: "test", id: "measured-test", inputs: [] };

describe("measuredRun", () => {
  it("puts datapoints on a minute grid from the first to the last, gaps left empty", () => {
    const { run, startMs } = measuredRun(
      [input("a.json", series("Invocations", [4, 0, 2], [7, 5, 6]))],
      OPTIONS,
    );
    expect(startMs).toBe(T0);
    expect([...run.series.columns.t]).toEqual([0, 60, 120, 180, 240]);
    expect([...run.series.columns.invocations]).toEqual([5, Number.NaN, 6, Number.NaN, 7]);
    expect(run.series.columns.lag.every(Number.isNaN)).toBe(true);
    expect(run.meta.summary.durationSec).toBe(300);
    expect(run.meta.summary.invocations).toBe(18);
  });

  it("spans every input: t = 0 is the earliest minute of any series", () => {
    const { run, startMs } = measuredRun(
      [
        input("a.json", series("Invocations", [3, 4], [1, 1])),
        input("b.json", series("OffsetLag", [1, 2], [10, 9])),
      ],
      OPTIONS,
    );
    expect(startMs).toBe(T0 + MIN);
    expect([...run.series.columns.lag]).toEqual([10, 9, Number.NaN, Number.NaN]);
    expect([...run.series.columns.invocations]).toEqual([Number.NaN, Number.NaN, 1, 1]);
  });

  it("accepts the same minute twice with the same value (overlapping exports)", () => {
    const { run } = measuredRun(
      [
        input("day1.json", series("Invocations", [0, 1], [3, 4])),
        input("day2.json", series("Invocations", [1, 2], [4, 5])),
      ],
      OPTIONS,
    );
    expect([...run.series.columns.invocations]).toEqual([3, 4, 5]);
  });

  it("refuses two series that fill one column with different values, naming both", () => {
    const inputs = [
      input("a.json", series("OffsetLag", [0], [10])),
      input("b.json", series("SumOffsetLag", [0], [12])),
    ];
    expect(() => measuredRun(inputs, OPTIONS)).toThrow(
      'b.json: "SumOffsetLag": 2024-01-09T18:30:00Z has value 12, but a.json: "OffsetLag" gave 10' +
        " for the same minute of column lag (duplicate timestamps must agree; skip one of these" +
        " series with a --mapping null entry)",
    );
  });

  it("can fill any standard column through the mapping, produced included", () => {
    const mapping = parseColumnMapping('{"MessagesIn": "produced"}', "map.json");
    const { run } = measuredRun([input("a.json", series("MessagesIn", [0], [42]))], {
      ...OPTIONS,
      mapping,
    });
    expect([...run.series.columns.produced]).toEqual([42]);
    expect(run.series.extra).toEqual({});
  });

  it("warns when every timestamp is 5 minutes apart (5-minute data read as minutes)", () => {
    const minutes = Array.from({ length: 12 }, (_, k) => k * 5);
    const { run } = measuredRun(
      [
        input(
          "five.json",
          series(
            "Invocations",
            minutes,
            minutes.map(() => 1),
          ),
        ),
      ],
      OPTIONS,
    );
    expect(run.meta.provenance.warnings).toEqual([
      "five.json: all 12 timestamps are multiples of 300 s apart — is this 300-second data? each datapoint is read as one minute",
    ]);
  });

  it("refuses inputs without a datapoint", () => {
    expect(() => measuredRun([input("a.json", series("Invocations", [], []))], OPTIONS)).toThrow(
      "no datapoints to import in a.json",
    );
  });

  it("never invents a value: one filled cell per distinct minute, the sum conserved (property)", () => {
    const points = fc.uniqueArray(
      fc.record({ minute: fc.integer({ min: 0, max: 2000 }), value: fc.nat(1000) }),
      { selector: (p) => p.minute, minLength: 1, maxLength: 200 },
    );
    fc.assert(
      fc.property(points, (pts) => {
        const s = series(
          "Invocations",
          pts.map((p) => p.minute),
          pts.map((p) => p.value),
        );
        const { run } = measuredRun([input("p.json", s)], OPTIONS);
        const col = run.series.columns.invocations;
        const filled = col.filter((v) => !Number.isNaN(v));
        const first = Math.min(...pts.map((p) => p.minute));
        expect(filled.length).toBe(pts.length);
        expect(run.series.length).toBe(Math.max(...pts.map((p) => p.minute)) - first + 1);
        for (const p of pts) expect(col[p.minute - first]).toBe(p.value);
        expect(run.meta.summary.invocations).toBe(pts.reduce((a, p) => a + p.value, 0));
      }),
    );
  });
});

describe("resolveTarget", () => {
  const none = new Map();
  it.each([
    [["ConcurrentExecutions"], "concurrency"],
    [["m1", "ConcurrentExecutions"], "concurrency"],
    [["ConcurrentExecutions (Maximum)"], "concurrency"],
    [["m_concurrency"], "concurrency"],
    [["msk-consumer Invocations"], "invocations"],
    [["offsetlag"], "lag"],
    [["SumOffsetLag"], "lag"],
    [["ProvisionedPollers"], "pollers"],
    [["Errors (Sum)"], "errors"],
    [["Throttles"], "throttles"],
    [["Duration"], "Duration"],
    [["MaxOffsetLag"], "MaxOffsetLag"],
    [["ConcurrentExecutions, my-fn"], "concurrency"],
    [["Errors per Invocations"], undefined],
    [["IteratorAge"], undefined],
  ])("%j → %s", (names, target) => {
    expect(resolveTarget(names, none)).toBe(target);
  });

  it("lets the mapping win, case-insensitively, with or without a statistic suffix", () => {
    const mapping = parseColumnMapping('{"My-Lag": "lag", "Invocations": null}', "m.json");
    expect(resolveTarget(["my-lag (Maximum)"], mapping)).toBe("lag");
    expect(resolveTarget(["INVOCATIONS"], mapping)).toBeNull();
  });
});
