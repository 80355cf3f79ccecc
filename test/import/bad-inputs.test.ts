/**
 * Every bad input of the issue gives one clear error naming the file and what is wrong — and,
 * through the `import` command, no run directory.
 */
import { existsSync } from "node:fs";
import { readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerImport } from "../../src/cli/commands/import.js";
import { loadCloudWatch } from "../../src/import/load.js";
import { EsmlabError } from "../../src/util/errors.js";
import { tempDir } from "../helpers.js";

const FIXTURES = "test/fixtures/cloudwatch";
const dir = tempDir("esmlab-import-bad-");

async function made(name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

/** Runs `esmlab import FILES --out DIR` in-process; returns the error it threw. */
async function importCommand(files: string[], out: string): Promise<unknown> {
  const program = new Command().exitOverride();
  registerImport(program);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(["import", ...files, "--out", out], { from: "user" });
  } catch (err) {
    return err;
  }
  return undefined;
}

const CASES: [string, () => Promise<string>, RegExp][] = [
  [
    "truncated JSON",
    async () => {
      const text = await readFile(join(FIXTURES, "gmd-cli-v2.json"), "utf8");
      return made("truncated.json", text.slice(0, Math.floor(text.length / 2)));
    },
    /truncated\.json: not valid JSON \(truncated\?\)/,
  ],
  [
    "Timestamps and Values of different lengths",
    async () => join(FIXTURES, "bad-length-mismatch.json"),
    /bad-length-mismatch\.json: result "m2" \(Invocations\): 5 Timestamps but 4 Values/,
  ],
  [
    "a non-numeric value",
    async () => join(FIXTURES, "bad-non-numeric.json"),
    /bad-non-numeric\.json: result "m2" \(Invocations\): Values\[2\] is "38", not a number/,
  ],
  [
    "duplicate timestamps with different values",
    async () => join(FIXTURES, "bad-duplicate.json"),
    /bad-duplicate\.json: result "m2" \(Invocations\): 2024-01-09T18:35:00Z has value 65, but .*gave 60 for the same minute of column invocations \(duplicate timestamps must agree\)/,
  ],
  [
    "a CSV without a time column",
    async () => join(FIXTURES, "bad-no-time-column.csv"),
    /bad-no-time-column\.csv line 1: no time column \(expected a header such as Timestamp, Time or Date; found "Label", "ConcurrentExecutions", "Invocations"\)/,
  ],
  ["an empty file", async () => made("empty.json", ""), /empty\.json: empty file/],
  ["a file of blanks", async () => made("blank.csv", " \n\n"), /blank\.csv: empty file/],
  [
    "a 200 MB file (refused before reading)",
    async () => {
      const file = await made("huge.json", "");
      await truncate(file, 200 * 1024 * 1024); // sparse: nothing is written
      return file;
    },
    /huge\.json: 200 MB is larger than the 100 MB import limit/,
  ],
  [
    "a missing file",
    async () => join(dir, "nope.json"),
    /cannot import .*nope\.json: no such file/,
  ],
  [
    "JSON of another shape",
    async () => made("other.json", '{"Items": []}'),
    /other\.json: JSON with neither MetricDataResults nor Datapoints/,
  ],
  [
    "a timestamp off the minute",
    async () =>
      made(
        "off-minute.json",
        JSON.stringify({
          MetricDataResults: [
            { Id: "m1", Label: "Invocations", Timestamps: ["2024-01-09T18:30:30Z"], Values: [1] },
          ],
        }),
      ),
    /off-minute\.json: result "m1" \(Invocations\): timestamp 2024-01-09T18:30:30Z is not on a minute boundary/,
  ],
  [
    "a CSV value that is not a number",
    async () => made("text.csv", "Timestamp,Invocations\n2024-01-09T18:30:00Z,many\n"),
    /text\.csv line 2, column Invocations: "many" is not a number/,
  ],
  [
    "a CSV time that is not a timestamp",
    async () => made("time.csv", "Time,Invocations\nMonday,3\n"),
    /time\.csv line 2, column Time: "Monday", not a timestamp/,
  ],
  [
    "a negative count",
    async () => made("neg.csv", "Timestamp,Invocations\n2024-01-09T18:30:00Z,-3\n"),
    /neg\.csv: column "Invocations": value -3 at 2024-01-09T18:30:00Z is negative/,
  ],
  [
    "a GetMetricStatistics datapoint without its statistic",
    async () =>
      made(
        "gms.json",
        JSON.stringify({
          Label: "Invocations",
          Datapoints: [
            { Timestamp: "2024-01-09T18:30:00Z", Sum: 1 },
            { Timestamp: "2024-01-09T18:31:00Z", Unit: "Count" },
          ],
        }),
      ),
    /gms\.json: Datapoints\[1\]\.Sum: missing/,
  ],
  [
    "several statistics, none the expected one",
    async () =>
      made(
        "stats.json",
        JSON.stringify({
          Label: "Invocations",
          Datapoints: [{ Timestamp: "2024-01-09T18:30:00Z", Average: 1, Minimum: 1 }],
        }),
      ),
    /stats\.json: datapoints carry several statistics \(Minimum, Average\)/,
  ],
  [
    "datapoints spanning years",
    async () =>
      made(
        "span.json",
        JSON.stringify({
          MetricDataResults: [
            { Id: "m1", Label: "Invocations", Timestamps: [60, 1704825000], Values: [1, 2] },
          ],
        }),
      ),
    /datapoints span 1970-01-01T00:01:00Z to 2024-01-09T18:30:00Z, more than 366 days/,
  ],
];

describe("bad inputs", () => {
  it.each(CASES)("%s: one clear error naming the file", async (_name, make, message) => {
    const file = await make();
    const error = await loadCloudWatch([file]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EsmlabError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/\n/);
  });

  it.each(CASES)("%s: esmlab import fails and leaves no run directory", async (_name, make) => {
    const file = await make();
    const out = join(dir, "runs", "never");
    const error = await importCommand([file], out);
    expect(error).toBeInstanceOf(EsmlabError);
    expect(existsSync(out)).toBe(false);
  });

  it("a bad file among good ones still writes nothing", async () => {
    const out = join(dir, "runs", "mixed");
    const good = join(FIXTURES, "gms-concurrency.json");
    const error = await importCommand([good, join(FIXTURES, "bad-non-numeric.json")], out);
    expect(error).toBeInstanceOf(EsmlabError);
    expect(existsSync(out)).toBe(false);
  });

  it("a bad mapping file names the key and the allowed columns", async () => {
    const mapping = await made("map.json", '{"my-lag": "lagg"}');
    await expect(
      loadCloudWatch([join(FIXTURES, "gmd-cli-v2.json")], { mappingFile: mapping }),
    ).rejects.toThrow(
      /map\.json: key "my-lag": "lagg" is not a run column \(one of produced, processed/,
    );
  });
});
