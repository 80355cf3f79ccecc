/**
 * Hostile bytes and impossible units: each is refused quickly with one EsmlabError line naming
 * the file (and the field or series), never a stack trace or `null` for a number the user
 * wrote — and `esmlab import` (the built CLI) exits 1, prints one line and creates no --out.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCloudWatch } from "../../src/import/load.js";
import { EsmlabError } from "../../src/util/errors.js";
import { runCli, tempDir } from "../helpers.js";

const FIXTURES = "test/fixtures/cloudwatch";
const dir = tempDir("esmlab-import-hostile-");

async function made(name: string, content: string | Uint8Array): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

/** A GetMetricData export of one Invocations result, its arrays given as JSON text. */
function gmd(timestamps: string, values: string, label = "Invocations"): string {
  return (
    `{"MetricDataResults": [{"Id": "m1", "Label": ${JSON.stringify(label)},` +
    ` "Timestamps": ${timestamps}, "Values": ${values}, "StatusCode": "Complete"}]}`
  );
}

const NESTED = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
const T = '["2024-01-09T18:30:00Z"]';

/** [name, make the file, what the message says after the file name]. */
const CASES: [string, () => Promise<string>, RegExp][] = [
  [
    "100 000 nested arrays",
    () => made("nested.json", NESTED),
    /nested\.json line 1: JSON nested deeper than 64 levels/,
  ],
  [
    "100 000 nested arrays inside Values",
    () => made("nested-values.json", gmd(T, `[${NESTED}]`)),
    /nested-values\.json line 1: JSON nested deeper than 64 levels/,
  ],
  [
    "a value of 1e999 (overflows to infinity)",
    () => made("overflow.json", gmd(T, "[1e999]")),
    /overflow\.json: result "m1" \(Invocations\): Values\[0\] is a number beyond 1\.8e308, which overflows a double$/,
  ],
  [
    "a timestamp of 1e999",
    () => made("overflow-time.json", gmd("[1e999]", "[1]")),
    /overflow-time\.json: result "m1" \(Invocations\): Timestamps\[0\] is a number beyond 1\.8e308, not a timestamp/,
  ],
  [
    "a GetMetricStatistics Sum of -1e999",
    () =>
      made(
        "overflow-gms.json",
        '{"Label": "Invocations", "Datapoints": [{"Timestamp": "2024-01-09T18:30:00Z", "Sum": -1e999, "Unit": "Count"}]}',
      ),
    /overflow-gms\.json: Datapoints\[0\]\.Sum: a number beyond −1\.8e308, which overflows a double$/,
  ],
  [
    "a CSV value of 1e999",
    () => made("overflow.csv", "Timestamp,Invocations\n2024-01-09T18:30:00Z,1e999\n"),
    /overflow\.csv line 2, column Invocations: "1e999" overflows a double$/,
  ],
  [
    "a value of 1e300 (beyond what cloudwatch accepts)",
    () => made("huge-value.json", gmd(T, "[1e300]")),
    /huge-value\.json: result "m1" \(Invocations\): value 1e\+300 at 2024-01-09T18:30:00Z is beyond 2\^360/,
  ],
  [
    'a "NaN" string value',
    () => made("nan.json", gmd(T, '["NaN"]')),
    /nan\.json: result "m1" \(Invocations\): Values\[0\] is "NaN", not a number$/,
  ],
  [
    "a CSV NaN",
    () => made("nan.csv", "Timestamp,Invocations\n2024-01-09T18:30:00Z,NaN\n"),
    /nan\.csv line 2, column Invocations: "NaN" is not a number$/,
  ],
  [
    "a negative count",
    () => made("negative.json", gmd(T, "[-5]")),
    /negative\.json: result "m1" \(Invocations\): value -5 at 2024-01-09T18:30:00Z is negative/,
  ],
  [
    "a negative Duration",
    () => made("negative-duration.json", gmd(T, "[-3000]", "Duration")),
    /negative-duration\.json: result "m1" \(Duration\): value -3000 at 2024-01-09T18:30:00Z is negative/,
  ],
  [
    "a timestamp in the year 275760 (epoch ms)",
    () => made("y275760.json", gmd("[8640000000000000]", "[1]")),
    /y275760\.json: result "m1" \(Invocations\): timestamp \+275760-09-13T00:00:00Z is outside the years 1970–9999/,
  ],
  [
    "a timestamp past any Date (1e20)",
    () => made("1e20.json", gmd("[1e20]", "[1]")),
    /1e20\.json: result "m1" \(Invocations\): timestamp epoch 100000000000000000000 ms is outside the years 1970–9999/,
  ],
  [
    "an ISO timestamp in the year 275760",
    () => made("iso-275760.json", gmd('["+275760-09-13T00:00:00Z"]', "[1]")),
    /iso-275760\.json: result "m1" \(Invocations\): Timestamps\[0\] is "\+275760-09-13T00:00:00Z", not a timestamp/,
  ],
  [
    "a negative epoch",
    () => made("negative-epoch.json", gmd("[-60]", "[1]")),
    /negative-epoch\.json: result "m1" \(Invocations\): Timestamps\[0\] is -60, not a timestamp/,
  ],
  [
    "a timestamp before 1970",
    () => made("1969.json", gmd('["1969-12-31T23:59:00Z"]', "[1]")),
    /1969\.json: result "m1" \(Invocations\): timestamp 1969-12-31T23:59:00Z is outside the years 1970–9999/,
  ],
  [
    "datapoints 8 000 years apart",
    () => made("span.json", gmd('["1970-01-01T00:01:00Z", "9999-12-31T23:59:00Z"]', "[1, 2]")),
    /span\.json: datapoints span 1970-01-01T00:01:00Z to 9999-12-31T23:59:00Z, more than 366 days of minutes \(8030 years; the limit is 527040 one-minute rows\)/,
  ],
  [
    "invalid UTF-8",
    () =>
      made(
        "latin1.csv",
        Buffer.concat([
          Buffer.from("Timestamp,Invocations\n2024-01-09T18:30:00Z,"),
          Buffer.from([0xe9, 0x0a]),
        ]),
      ),
    /latin1\.csv line 2: not utf-8 text \(an invalid byte sequence\)/,
  ],
  [
    "UTF-16 (a PowerShell redirect)",
    () =>
      made(
        "utf16.json",
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(gmd(T, "[1]"), "utf16le")]),
      ),
    /utf16\.json: utf-16 text \(byte-order mark ff fe\), expected utf-8/,
  ],
  [
    "a NUL byte",
    () => made("nul.csv", Buffer.from([0x54, 0x00, 0x0a])),
    /nul\.csv line 1: a NUL byte: binary, not a text export/,
  ],
  [
    "a directory",
    async () => {
      const sub = join(dir, "a-directory.json");
      await mkdir(sub, { recursive: true });
      return sub;
    },
    /cannot import .*a-directory\.json: not a file/,
  ],
  ["an empty file", () => made("empty.csv", ""), /empty\.csv: empty file/],
  [
    "a line break inside a CSV header",
    () => made("header.csv", 'Timestamp,"Invo\ncations"\n2024-01-09T18:30:00Z,x\n'),
    /header\.csv line 3, column Invo\\u000acations: "x" is not a number$/,
  ],
  [
    "a unit that is not a StandardUnit",
    () =>
      made(
        "unit.json",
        '{"Label": "Duration", "Datapoints": [{"Timestamp": "2024-01-09T18:30:00Z", "Average": 3001.2, "Unit": "Millis"}]}',
      ),
    /unit\.json: Datapoints\[0\]\.Unit is "Millis", not a cloudwatch StandardUnit/,
  ],
  [
    "a percentile named like an Object property",
    () =>
      made(
        "proto.json",
        '{"Label": "Duration", "Datapoints": [{"Timestamp": "2024-01-09T18:30:00Z", "ExtendedStatistics": {"constructor": "x"}}]}',
      ),
    /proto\.json: Datapoints\[0\]\.constructor: "x", not a number$/,
  ],
  [
    "Percent on invocations",
    async () => join(FIXTURES, "bad-percent-invocations.json"),
    /bad-percent-invocations\.json: "Invocations" \(Sum\): units found: Count, Percent; Percent does not fit column invocations/,
  ],
  [
    "Duration mixing Milliseconds, Seconds and Percent",
    async () => join(FIXTURES, "bad-mixed-units.json"),
    /bad-mixed-units\.json: "Duration" \(Average\): units found: Milliseconds, Seconds, Percent; Percent does not fit column Duration/,
  ],
  [
    "a label naming a unit that does not fit (Bytes on lag)",
    () => made("bytes-lag.json", gmd(T, "[10]", "OffsetLag (Bytes)")),
    /bytes-lag\.json: result "m1" \(OffsetLag \(Bytes\)\): unit Bytes; Bytes does not fit column lag, which takes Count, None$/,
  ],
];

describe("hostile inputs", () => {
  it.each(CASES)("%s: one EsmlabError line naming the file", async (_name, make, message) => {
    const file = await make();
    const started = performance.now();
    const error = await loadCloudWatch([file]).catch((err: unknown) => err);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(EsmlabError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).toContain(file);
    expect(text).not.toMatch(/[\n\r]/);
    expect(text).not.toMatch(/\bnull\b/);
  });

  it.each(CASES)(
    "%s: esmlab import exits 1 with one line and writes nothing",
    async (name, make) => {
      const file = await make();
      const out = join(dir, "runs", name.replace(/[^a-z0-9]+/gi, "-"));
      const { code, out: stdout, err } = runCli("import", file, "--out", out);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(err).toMatch(/^esmlab: .+\n$/);
      expect(err.split("\n")).toHaveLength(2);
      expect(err).toContain(file);
      expect(existsSync(out)).toBe(false);
    },
  );

  it("an export's note about itself is kept whole (the shipped example's), a flood is cut at a word", async () => {
    const example = "data/measured/example-case2-synthetic.gmd.json";
    const note = (JSON.parse(await readFile(example, "utf8")) as { Messages: { Value: string }[] })
      .Messages[0]!.Value;
    const { run } = await loadCloudWatch([example]);
    expect(run.meta.provenance.warnings).toContain(`${example}: esmlab.synthetic: ${note}`);

    const flood = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(" ");
    const file = await made(
      "flood.json",
      `${gmd(T, "[7]").slice(0, -1)}, "Messages": [{"Code": "x", "Value": "${flood}"}]}`,
    );
    const loaded = await loadCloudWatch([file]);
    const shown = loaded.run.meta.provenance.warnings.find((w) => w.startsWith(`${file}: x: `))!;
    const body = shown.slice(`${file}: `.length);
    expect(body.length).toBeLessThanOrEqual(401);
    expect(body).toMatch(/ word\d+…$/); // whole words, then the ellipsis
  });

  it("a UTF-8 byte-order mark is accepted", async () => {
    const file = await made("bom.json", `\ufeff${gmd(T, "[7]")}`);
    const { run } = await loadCloudWatch([file]);
    expect([...run.series.columns.invocations]).toEqual([7]);
  });

  it("a 15-day 1-minute export of six metrics (the benchmark's shape) still imports", async () => {
    const minutes = 15 * 24 * 60;
    const start = Date.UTC(2024, 0, 1);
    const timestamps = Array.from({ length: minutes }, (_, k) =>
      new Date(start + (minutes - 1 - k) * 60_000).toISOString().replace(".000Z", "+00:00"),
    );
    const metrics = ["ConcurrentExecutions", "Invocations", "Errors", "Throttles", "Duration"];
    const results = [...metrics, "OffsetLag"].map((metric, m) => ({
      Id: `m${m + 1}`,
      Label: metric,
      Timestamps: timestamps,
      Values: timestamps.map((_, k) => (k * 7 + m) % 500),
      StatusCode: "Complete",
    }));
    const file = await made("gmd-15-days.json", JSON.stringify({ MetricDataResults: results }));
    const { run } = await loadCloudWatch([file]);
    expect(run.series.length).toBe(minutes);
    expect(run.meta.provenance.warnings).toEqual([]);
  });
});
