/**
 * Whatever a file holds, `loadCloudWatch` returns a measured run or throws an EsmlabError whose
 * message is one line naming the file — never another exception, and never slowly (property
 * tests over arbitrary JSON, export-shaped JSON with random fields, CSV-ish text and bytes).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCloudWatch } from "../../src/import/load.js";
import type { MeasuredRun } from "../../src/import/measured-run.js";
import { STANDARD_UNITS } from "../../src/import/units.js";
import { EsmlabError } from "../../src/util/errors.js";
import { tempDir } from "../helpers.js";

const dir = tempDir("esmlab-import-fuzz-");
/** Per case; generous: a valid case takes milliseconds, the point is to catch a hang. */
const CASE_MS = 5000;
const RUNS = 150;
/** Stands for `1e999` in generated JSON, which JSON.stringify cannot write. */
const OVERFLOW = "\u0000overflow";

/** How many cases of each property imported (the shaped ones must reach valid runs too). */
const imported = new Map<string, number>();

/** Writes the content, imports it, and checks the outcome. */
async function importsOrRefuses(name: string, content: string | Uint8Array): Promise<void> {
  const file = join(dir, name);
  await writeFile(file, content);
  const started = performance.now();
  let outcome: MeasuredRun | unknown;
  try {
    outcome = await loadCloudWatch([file]);
  } catch (err) {
    outcome = err;
  }
  expect(performance.now() - started).toBeLessThan(CASE_MS);
  if (outcome instanceof Error) {
    expect(outcome).toBeInstanceOf(EsmlabError);
    expect(outcome.message).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(outcome.message).toContain(file);
  } else {
    const { run } = outcome as MeasuredRun;
    imported.set(name, (imported.get(name) ?? 0) + 1);
    expect(run.meta.source).toBe("measured");
    expect(run.series.length).toBeGreaterThan(0);
  }
}

/** JSON text of a value, with {@link OVERFLOW} strings written as the number 1e999. */
function jsonText(value: unknown): string {
  return JSON.stringify(value).replaceAll(JSON.stringify(OVERFLOW), "1e999");
}

const METRICS = ["ConcurrentExecutions", "Invocations", "Duration", "OffsetLag", "Errors"];
const UNITS = Object.keys(STANDARD_UNITS);
const MINUTE0 = Date.UTC(2024, 0, 9, 18, 30);

/** Mostly good, sometimes anything: a case with a few fields must often be fully valid. */
function mostly<T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: good, weight: 12 * bad.length }, ...bad);
}

const timestamp = mostly(
  // on the minute, within a day: these make valid runs
  fc.oneof(
    fc.nat(1440).map((m) => new Date(MINUTE0 + m * 60_000).toISOString()),
    fc.nat(1440).map((m) => (MINUTE0 + m * 60_000) / 1000),
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(8.64e15, -60, 1e20, OVERFLOW, "+275760-09-13T00:00:00Z", "2024-02-30T00:00:00Z"),
  fc.string(),
  fc.constant(null),
);
const value = mostly(
  fc.nat(1000),
  fc.double(),
  fc.constantFrom(OVERFLOW, -1, "NaN", 1e300, null),
  fc.string(),
);
const label = mostly(
  fc.oneof(
    fc.constantFrom(...METRICS),
    fc.constantFrom("Duration (Seconds)", "Invocations (Count)", "OffsetLag (None)"),
  ),
  fc.tuple(fc.constantFrom(...METRICS), fc.constantFrom(...UNITS)).map(([m, u]) => `${m} (${u})`),
  fc.string(),
);
const unit = mostly(
  fc.constantFrom("Count", "Milliseconds", "Seconds", "None"),
  fc.constantFrom(...UNITS),
  fc.jsonValue(),
);
/** Timestamps and Values of one length (or, sometimes, not). */
const pairs = mostly(
  fc.array(fc.tuple(timestamp, value), { maxLength: 8 }).map((ps) => ({
    Timestamps: ps.map((p) => p[0]),
    Values: ps.map((p) => p[1]),
  })),
  fc.record({
    Timestamps: fc.array(timestamp, { maxLength: 8 }),
    Values: fc.oneof(fc.array(value, { maxLength: 8 }), fc.jsonValue()),
  }),
) as fc.Arbitrary<Record<string, unknown>>;
const messages = fc.array(fc.record({ Code: fc.jsonValue(), Value: fc.jsonValue() }), {
  maxLength: 1,
});

const getMetricData = fc.record(
  {
    MetricDataResults: fc.array(
      fc
        .tuple(
          fc.record(
            {
              Id: mostly(fc.constantFrom("m1", "m2"), fc.string(), fc.jsonValue()),
              Label: label,
              StatusCode: mostly(
                fc.constantFrom("Complete", "PartialData"),
                fc.constantFrom("Forbidden", "InternalError"),
                fc.jsonValue(),
              ),
              Messages: messages,
            },
            { requiredKeys: ["Id", "Label"] },
          ),
          pairs,
        )
        .map(([result, p]) => ({ ...result, ...p })),
      { maxLength: 4 },
    ),
    NextToken: fc.oneof(fc.string(), fc.jsonValue()),
    Messages: messages,
  },
  { requiredKeys: ["MetricDataResults"] },
);

const statistic = fc.constantFrom("Sum", "Maximum", "Average");
const getMetricStatistics = fc.record(
  {
    Label: label,
    Datapoints: fc.array(
      mostly(
        fc
          .tuple(timestamp, statistic, value, unit)
          .map(([Timestamp, s, v, Unit]) => ({ Timestamp, [s]: v, Unit })),
        fc.record(
          {
            Timestamp: timestamp,
            Sum: value,
            Average: value,
            Unit: fc.oneof(fc.constantFrom(...UNITS), fc.jsonValue()),
            ExtendedStatistics: fc.dictionary(fc.string(), value),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      { maxLength: 8 },
    ),
  },
  { requiredKeys: ["Label", "Datapoints"] },
);

/** A header of a time column and series, then rows of a time and values; any cell may be off. */
const cell = (good: fc.Arbitrary<unknown>) => mostly(good.map(String), fc.string());
const csv = fc
  .tuple(
    fc.array(cell(fc.constantFrom("Invocations", "Duration (Seconds)", "Errors (Sum)", "Value")), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.array(fc.array(cell(fc.oneof(value, fc.constant(""))), { maxLength: 3 }), { maxLength: 5 }),
    fc.array(timestamp, { minLength: 5, maxLength: 5 }),
    fc.constantFrom("\n", "\r\n"),
  )
  .map(([names, rows, times, eol]) =>
    [["Timestamp", ...names], ...rows.map((cells, r) => [String(times[r]), ...cells])]
      .map((cells) => cells.join(","))
      .join(eol),
  );

const SETTINGS = { numRuns: RUNS, seed: 20240109, endOnFailure: true };

describe("loadCloudWatch on arbitrary files (property)", () => {
  it("arbitrary JSON values: a run or one EsmlabError line naming the file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), (v) => importsOrRefuses("json.json", jsonText(v))),
      SETTINGS,
    );
  });

  it("GetMetricData-shaped JSON with random fields", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(getMetricData, fc.array(getMetricData, { maxLength: 3 })), (v) =>
        importsOrRefuses("gmd.json", jsonText(v)),
      ),
      SETTINGS,
    );
    expect(imported.get("gmd.json")).toBeGreaterThan(0);
  });

  it("GetMetricStatistics-shaped JSON with random fields", async () => {
    await fc.assert(
      fc.asyncProperty(getMetricStatistics, (v) => importsOrRefuses("gms.json", jsonText(v))),
      SETTINGS,
    );
    expect(imported.get("gms.json")).toBeGreaterThan(0);
  });

  it("CSV-ish text", async () => {
    await fc.assert(
      fc.asyncProperty(csv, (text) => importsOrRefuses("console.csv", text)),
      SETTINGS,
    );
    expect(imported.get("console.csv")).toBeGreaterThan(0);
  });

  it("arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), (bytes) =>
        importsOrRefuses("bytes.json", bytes),
      ),
      SETTINGS,
    );
  });
});
