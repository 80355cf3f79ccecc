/**
 * `fetchMeasuredRun` against a client that replays recorded GetMetricData pages (the fixtures'
 * documented shape, Timestamps turned into Dates as the SDK does). AWS is never called.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  GetMetricDataCommand,
  GetMetricDataCommandOutput,
  GetMetricDataInput,
  MetricStat,
} from "@aws-sdk/client-cloudwatch";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerFetch } from "../../src/cli/commands/fetch.js";
import {
  createCloudWatchClient,
  fetchMeasuredRun,
  type GetMetricDataClient,
  metricQueries,
} from "../../src/import/fetch.js";
import { loadCloudWatch } from "../../src/import/load.js";
import { loadRun } from "../../src/run/run-io.js";
import { EsmlabError } from "../../src/util/errors.js";

const FIXTURES = "test/fixtures/cloudwatch";
const START = Date.UTC(2024, 0, 9, 18, 30);
const END = Date.UTC(2024, 0, 9, 18, 36);
const NOW = Date.UTC(2024, 0, 10);

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "esmlab-fetch-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A recorded response as the SDK returns it: Timestamps are Dates. */
function recorded(name: string): GetMetricDataCommandOutput {
  const page = JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
  for (const r of page.MetricDataResults)
    r.Timestamps = r.Timestamps.map((t: string) => new Date(t));
  return { ...page, $metadata: { httpStatusCode: 200 } };
}

/** Replays `pages` in order and keeps every request's input. */
function replay(pages: GetMetricDataCommandOutput[]) {
  const requests: GetMetricDataInput[] = [];
  const client: GetMetricDataClient = {
    send: async (command: GetMetricDataCommand) => {
      requests.push(command.input);
      const page = pages[requests.length - 1];
      if (page === undefined) throw new Error("replay: more requests than recorded pages");
      return page;
    },
  };
  return { client, requests };
}

const twoPages = () => [recorded("fetch-page-1.json"), recorded("fetch-page-2.json")];

describe("fetchMeasuredRun", () => {
  it("follows NextToken and merges the two pages by Id into the six-minute run", async () => {
    const { client, requests } = replay(twoPages());
    const { run, startMs } = await fetchMeasuredRun(
      {
        functionName: "msk-consumer",
        esmUuid: "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE",
        startMs: START,
        endMs: END,
        nowMs: NOW,
      },
      client,
    );
    expect(requests).toHaveLength(2);
    expect(requests[0]!.NextToken).toBeUndefined();
    expect(requests[1]!.NextToken).toBe("eyJwYWdlIjoyfQ-EXAMPLE");
    expect(startMs).toBe(START);
    expect([...run.series.columns.concurrency]).toEqual([1, 1, 2, Number.NaN, 3, 3]);
    expect([...run.series.columns.lag]).toEqual([1200, 1080, 950, 900, 610, 300]);
    expect([...run.series.extra.Duration!]).toEqual([
      3001.2,
      3000.8,
      3002.5,
      Number.NaN,
      3001.0,
      3000.9,
    ]);
    expect(run.meta.label).toBe("msk-consumer (a1b2c3d4-5678-90ab-cdef-11111EXAMPLE)");
    expect(run.meta.provenance.warnings).toEqual([]);
    expect(run.meta.provenance.inputs[0]!.path).toBe(
      "cloudwatch:GetMetricData?FunctionName=msk-consumer&EventSourceMappingUUID=a1b2c3d4-5678-90ab-cdef-11111EXAMPLE&start=2024-01-09T18:30:00Z&end=2024-01-09T18:36:00Z",
    );
  });

  it("asks for 1-minute data in ascending order, with the documented dimensions", async () => {
    const { client, requests } = replay(twoPages());
    await fetchMeasuredRun(
      {
        functionName: "msk-consumer",
        esmUuid: "uuid-1",
        startMs: START + 5000,
        endMs: END - 5000,
        nowMs: NOW,
      },
      client,
    );
    const request = requests[0]!;
    expect(request.ScanBy).toBe("TimestampAscending");
    expect(request.StartTime).toEqual(new Date(START));
    expect(request.EndTime).toEqual(new Date(END));
    const byId: Record<string, MetricStat> = Object.fromEntries(
      request.MetricDataQueries!.map((q) => [q.Id!, q.MetricStat!]),
    );
    expect(Object.keys(byId)).toEqual([
      "concurrency",
      "invocations",
      "errors",
      "throttles",
      "duration",
      "lag",
    ]);
    for (const stat of Object.values(byId)) {
      expect(stat.Period).toBe(60);
      expect(stat.Metric!.Namespace).toBe("AWS/Lambda");
    }
    expect(byId.concurrency!.Stat).toBe("Maximum");
    expect(byId.invocations!.Stat).toBe("Sum");
    expect(byId.duration!.Stat).toBe("Average");
    expect(byId.lag!.Metric!.MetricName).toBe("OffsetLag");
    expect(byId.lag!.Metric!.Dimensions).toEqual([
      { Name: "FunctionName", Value: "msk-consumer" },
      { Name: "EventSourceMappingUUID", Value: "uuid-1" },
    ]);
    expect(byId.concurrency!.Metric!.Dimensions).toEqual([
      { Name: "FunctionName", Value: "msk-consumer" },
    ]);
  });

  it("without --esm, OffsetLag is asked by FunctionName alone", () => {
    const lag = metricQueries("f").find((q) => q.Id === "lag")!;
    expect(lag.MetricStat!.Metric!.Dimensions).toEqual([{ Name: "FunctionName", Value: "f" }]);
  });

  it("names each metric that came back empty", async () => {
    const page = recorded("fetch-page-2.json");
    page.MetricDataResults = page.MetricDataResults!.filter((r) => r.Id !== "throttles");
    const { client } = replay([page]);
    const { run } = await fetchMeasuredRun(
      { functionName: "f", startMs: START, endMs: END, nowMs: NOW },
      client,
    );
    expect(run.meta.provenance.warnings).toEqual([
      expect.stringMatching(
        /no datapoints for Throttles \(idle, or no such metric for these dimensions\)$/,
      ),
    ]);
  });

  it.each([
    [
      "an empty range",
      { startMs: END, endMs: START, nowMs: NOW },
      /invalid time range: start 2024-01-09T18:36:00Z is not before end/,
    ],
    ["a start in the future", { startMs: START, endMs: END, nowMs: START - 1 }, /in the future/],
    [
      "a start older than 15 days",
      { startMs: START, endMs: END, nowMs: START + 16 * 86_400_000 },
      /more than 15 days ago/,
    ],
  ])("refuses %s before any request", async (_name, range, message) => {
    const { client, requests } = replay(twoPages());
    await expect(fetchMeasuredRun({ functionName: "f", ...range }, client)).rejects.toThrow(
      message,
    );
    expect(requests).toHaveLength(0);
  });

  it("refuses a run where no metric has a datapoint", async () => {
    const empty = { MetricDataResults: [], Messages: [], $metadata: {} };
    const { client } = replay([empty]);
    await expect(
      fetchMeasuredRun({ functionName: "ghost", startMs: START, endMs: END, nowMs: NOW }, client),
    ).rejects.toThrow(
      /no datapoints for function "ghost" .*check --function, --region and the time range/,
    );
  });

  it("turns AWS errors into one line", async () => {
    const denied = Object.assign(
      new Error("User is not authorized to perform: cloudwatch:GetMetricData"),
      {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      },
    );
    const noCreds = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    for (const [err, message] of [
      [denied, /cloudwatch GetMetricData failed: AccessDenied: User is not authorized/],
      [noCreds, /no AWS credentials from the default provider chain/],
    ] as const) {
      const client = { send: async () => Promise.reject(err) };
      const run = fetchMeasuredRun(
        { functionName: "f", startMs: START, endMs: END, nowMs: NOW },
        client,
      );
      await expect(run).rejects.toBeInstanceOf(EsmlabError);
      await expect(run).rejects.toThrow(message);
    }
  });

  it("without a region anywhere, says how to give one (no request is made)", async () => {
    const saved = { ...process.env };
    for (const key of ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"]) delete process.env[key];
    process.env.AWS_CONFIG_FILE = join(dir, "no-config");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "no-credentials");
    try {
      await expect(createCloudWatchClient()).rejects.toThrow(/no AWS region: pass --region/);
    } finally {
      process.env = saved;
    }
  });
});

describe("esmlab fetch", () => {
  it("writes the run and, with --save-raw, responses that esmlab import reads back to the same run", async () => {
    const out = join(dir, "fetched");
    const raw = join(dir, "raw", "gmd.json");
    const program = new Command().exitOverride();
    const { client } = replay(twoPages());
    registerFetch(program, { client, nowMs: () => NOW });
    const args = ["fetch", "--function", "msk-consumer", "--start", "2024-01-09T18:30:00Z"];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await program.parseAsync([...args, "--end", "1704825360", "--out", out, "--save-raw", raw], {
        from: "user",
      });
    } finally {
      spy.mockRestore();
    }
    const run = await loadRun(out);
    expect(run.meta.source).toBe("measured");
    expect([...run.series.columns.invocations]).toEqual([20, 20, 38, Number.NaN, 57, 60]);
    const reimported = await loadCloudWatch([raw]);
    expect(reimported.run.series).toEqual(run.series);
  });
});
