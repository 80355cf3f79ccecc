/**
 * Every export format and timestamp encoding of the same six minutes (see
 * test/fixtures/cloudwatch/README.md) imports to the same run, whose values are written out
 * below from that table — not from the code under test.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCloudWatch } from "../../src/import/load.js";
import type { MeasuredRun } from "../../src/import/measured-run.js";

const FIXTURES = "test/fixtures/cloudwatch";
const at = (name: string) => join(FIXTURES, name);
const _ = Number.NaN;

const EXPECTED = {
  t: [0, 60, 120, 180, 240, 300],
  concurrency: [1, 1, 2, _, 3, 3],
  invocations: [20, 20, 38, _, 57, 60],
  errors: [0, 0, 0, _, 1, 0],
  throttles: [0, 0, 0, _, 0, 0],
  lag: [1200, 1080, 950, 900, 610, 300],
  produced: [_, _, _, _, _, _],
  processed: [_, _, _, _, _, _],
  pollers: [_, _, _, _, _, _],
};
const DURATION = [3001.2, 3000.8, 3002.5, _, 3001.0, 3000.9];
const START_MS = Date.UTC(2024, 0, 9, 18, 30);

function expectTheSixMinutes({ run, startMs }: MeasuredRun): void {
  expect(startMs).toBe(START_MS);
  expect(run.meta.source).toBe("measured");
  expect(run.meta.resolutionSec).toBe(60);
  for (const [column, values] of Object.entries(EXPECTED)) {
    expect([...run.series.columns[column as keyof typeof EXPECTED]], column).toEqual(values);
  }
  expect(Object.keys(run.series.extra)).toEqual(["Duration"]);
  expect([...run.series.extra.Duration!]).toEqual(DURATION);
  expect(run.meta.summary).toMatchObject({
    durationSec: 360,
    invocations: 195,
    errors: 1,
    peakConcurrency: 3,
    peakLagRecords: 1200,
    // not in the exports: not measured, which is not 0
    peakPollers: null,
    processedRecords: null,
  });
}

describe("loadCloudWatch reads every format and encoding to the same run", () => {
  it.each([
    ["GetMetricData, AWS CLI v2 (+00:00, newest first)", ["gmd-cli-v2.json"]],
    ["GetMetricData, JS SDK v3 (.000Z, ascending, $metadata)", ["gmd-sdk-v3.json"]],
    ["GetMetricData, epoch seconds", ["gmd-epoch-seconds.json"]],
    ["GetMetricData, ISO Z", ["gmd-iso-z.json"]],
    ["GetMetricData, CLI auto-paginated (each Id twice)", ["gmd-cli-paginated.json"]],
    ["GetMetricData, two page files merged by Id", ["gmd-page-1.json", "gmd-page-2.json"]],
    [
      "GetMetricStatistics, one file per metric, unordered",
      [
        "gms-concurrency.json",
        "gms-invocations.json",
        "gms-errors.json",
        "gms-throttles.json",
        "gms-duration.json",
        "gms-lag.json",
      ],
    ],
    ["console CSV, wide with (statistic) headers and CRLF", ["console-wide.csv"]],
    ["console CSV, long timestamp,label,value", ["console-long.csv"]],
  ])("%s", async (_name, files) => {
    const measured = await loadCloudWatch(files.map(at));
    expectTheSixMinutes(measured);
    expect(measured.run.meta.provenance.warnings).toEqual([]);
  });

  it("a page with PartialData and a NextToken is completed by the next page, without warnings", async () => {
    const { run } = await loadCloudWatch([at("gmd-page-1.json"), at("gmd-page-2.json")]);
    expect(run.meta.provenance.warnings).toEqual([]);
  });

  it("records each input's sha256 and a deterministic id", async () => {
    const a = await loadCloudWatch([at("gmd-cli-v2.json")]);
    const b = await loadCloudWatch([at("gmd-cli-v2.json")]);
    const c = await loadCloudWatch([at("gmd-iso-z.json")]);
    expect(a.run.meta.id).toMatch(/^measured-[0-9a-f]{12}$/);
    expect(b.run.meta.id).toBe(a.run.meta.id);
    expect(c.run.meta.id).not.toBe(a.run.meta.id);
    expect(a.run.meta.provenance.inputs).toEqual([
      { path: at("gmd-cli-v2.json"), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    expect(a.run.meta.label).toBe("gmd-cli-v2");
  });

  it("reports which series filled each column", async () => {
    const { sources } = await loadCloudWatch([at("gmd-cli-v2.json")]);
    expect(sources.concurrency).toEqual([
      `${at("gmd-cli-v2.json")}: result "m1" (ConcurrentExecutions)`,
    ]);
    expect(Object.keys(sources).sort()).toEqual(
      ["Duration", "concurrency", "errors", "invocations", "lag", "throttles"].sort(),
    );
  });
});

describe("GetMetricData status and messages", () => {
  it("a last page in PartialData, its Messages and a NextToken become provenance warnings", async () => {
    const file = at("gmd-partial-data.json");
    const { run } = await loadCloudWatch([file]);
    const warnings = run.meta.provenance.warnings;
    expect(warnings).toContain(`${file}: Info: Maximum number of allowed metrics exceeded`);
    expect(warnings).toContain(
      `${file}: result "m6" (OffsetLag): MaxDatapointsExceeded: Returned datapoints are truncated`,
    );
    expect(warnings).toContain(
      `${file}: result "m6" (OffsetLag): StatusCode PartialData — cloudwatch returned only part of the datapoints`,
    );
    expect(warnings).toContain(`${file}: has a NextToken — the pages after it are missing`);
  });

  it.each([
    ["gmd-forbidden.json", "Forbidden", "User is not authorized to access this metric"],
    ["gmd-internal-error.json", "InternalError", "fetch it again"],
  ])("refuses %s", async (name, status, text) => {
    const file = at(name);
    const error = loadCloudWatch([file]);
    await expect(error).rejects.toThrow(`${file}: result "m3" (OffsetLag): StatusCode ${status}`);
    await expect(error).rejects.toThrow(text);
  });
});

describe("mapping file", () => {
  it("maps custom labels and Ids, and skips what it maps to null", async () => {
    const { run } = await loadCloudWatch([at("gmd-custom-labels.json")], {
      mappingFile: at("mapping.json"),
      label: "custom",
    });
    expect([...run.series.columns.concurrency]).toEqual(EXPECTED.concurrency);
    expect([...run.series.columns.lag]).toEqual(EXPECTED.lag);
    expect([...run.series.extra.Duration!]).toEqual(DURATION);
    expect(run.meta.label).toBe("custom");
    expect(run.meta.provenance.inputs.map((i) => i.path)).toEqual([
      at("gmd-custom-labels.json"),
      at("mapping.json"),
    ]);
    expect(run.meta.provenance.warnings).toEqual([
      `${at("gmd-custom-labels.json")}: result "m7" (IteratorAge) skipped (mapping)`,
    ]);
  });

  it("without it, an unknown label is refused with the known names", async () => {
    const file = at("gmd-custom-labels.json");
    await expect(loadCloudWatch([file])).rejects.toThrow(
      /result "m1" \(busy instances\); .*result "m7" \(IteratorAge\): no run column for these series \(known metrics: ConcurrentExecutions, Invocations/,
    );
  });

  it("--ignore-unknown skips unknown series with a warning", async () => {
    const file = at("gmd-custom-labels.json");
    const { run } = await loadCloudWatch([file], { ignoreUnknown: true });
    expect(run.series.columns.concurrency.every(Number.isNaN)).toBe(true);
    expect(run.meta.provenance.warnings).toContain(
      `${file}: result "m1" (busy instances) ignored (no run column for it)`,
    );
  });
});
