/**
 * `esmlab fetch` on Node 20 prints no AWS SDK Node version warning. The SDK emits it when a
 * client is constructed (`emitWarningIfUnsupportedVersion` in `@aws-sdk/core`, on Node < 22),
 * so the replayed client of fetch.test.ts never meets it: here the built command makes its real
 * `CloudWatchClient` in a child process, whose requests go to a local server replaying the
 * recorded pages in the JSON protocol. AWS is never called. A control child that makes the
 * client directly shows the warning, so its absence is esmlab's doing.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const FIXTURES = "test/fixtures/cloudwatch";
const NOW = Date.UTC(2024, 0, 10);
const WARNING = /NodeVersionSupportWarning|DeprecationWarning|require node >=/;

let dir = "";
let server: Server;
let endpoint = "";
const requests: string[] = [];

/** A recorded page as CloudWatch's JSON protocol sends it: timestamps in epoch seconds. */
function wirePage(name: string): string {
  const page = JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
  for (const r of page.MetricDataResults) {
    r.Timestamps = r.Timestamps.map((t: string) => Date.parse(t) / 1000);
  }
  return JSON.stringify(page);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "esmlab-fetch-warning-"));
  const pages = [wirePage("fetch-page-1.json"), wirePage("fetch-page-2.json")];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      requests.push(String(req.headers["x-amz-target"]));
      const token = (JSON.parse(body) as { NextToken?: string }).NextToken;
      res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
      res.end(token === undefined ? pages[0] : pages[1]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs an ES module in a child Node (this test's own, which is Node 20 in this project) from the
 * project root, with fake credentials, no AWS config and CloudWatch at the local server. On a
 * newer Node the child reports version 20 to the SDK, whose check reads `process.version`.
 */
function runChild(code: string): Promise<{ code: number | null; out: string; err: string }> {
  const major = Number(process.versions.node.split(".")[0]);
  const asNode20 =
    major < 22 ? "" : 'Object.defineProperty(process, "version", { value: "v20.20.2" });\n';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_CONFIG_FILE: join(dir, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_CLOUDWATCH: endpoint,
  };
  for (const key of [
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
    "NODE_NO_WARNINGS",
    "NODE_OPTIONS",
  ]) {
    delete env[key];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", asNode20 + code], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ code: status, out, err }));
  });
}

describe("esmlab fetch on Node 20", () => {
  it("control: the SDK's client, made directly, prints its Node version warning", async () => {
    const res = await runChild(
      'const { CloudWatchClient } = await import("@aws-sdk/client-cloudwatch");\n' +
        'new CloudWatchClient({ region: "eu-west-1" });',
    );
    expect(res.code).toBe(0);
    expect(res.err).toMatch(WARNING);
  });

  it("fetches through a real CloudWatchClient with nothing on stderr", async () => {
    const out = join(dir, "fetched");
    const args = [
      "fetch",
      "--function",
      "msk-consumer",
      "--start",
      "2024-01-09T18:30:00Z",
      "--end",
      "2024-01-09T18:36:00Z",
      "--region",
      "eu-west-1",
      "--out",
      out,
    ];
    const res = await runChild(
      'const { Command } = await import("commander");\n' +
        'const { registerFetch } = await import("./dist/src/cli/commands/fetch.js");\n' +
        "const program = new Command();\n" +
        `registerFetch(program, { nowMs: () => ${NOW} });\n` +
        `await program.parseAsync(${JSON.stringify(args)}, { from: "user" });`,
    );
    expect(res.err).not.toMatch(WARNING);
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(requests.filter((r) => r.endsWith("GetMetricData")).length).toBeGreaterThanOrEqual(2);
    const run = JSON.parse(await readFile(join(out, "run.json"), "utf8"));
    expect(run.source).toBe("measured");
    const series = await readFile(join(out, "series.csv"), "utf8");
    expect(series.trim().split("\n")).toHaveLength(7);
  });
});
