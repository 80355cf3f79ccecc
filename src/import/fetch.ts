/**
 * A measured run pulled live from CloudWatch with the AWS SDK v3 (`GetMetricData`).
 *
 * ```
 * options ─▶ metricQueries ─▶ GetMetricData (Period 60, ScanBy TimestampAscending)
 *         ─▶ NextToken … ─▶ readGetMetricData (pages merged by Id) ─▶ measuredRun ─▶ Run
 * ```
 *
 * Metrics and statistics: docs/aws-esm.md ("CloudWatch: what a measured run looks like") —
 * ConcurrentExecutions Maximum; Invocations, Errors, Throttles Sum; Duration Average; OffsetLag
 * Maximum. Dimensions: the Lambda developer guide, "Viewing metrics for Lambda functions"
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-view.html): `FunctionName`,
 * and `EventSourceMappingUUID` for one event source mapping. CloudWatch matches a metric's
 * whole dimension set, so a query with the wrong set returns no datapoints rather than an
 * error: each metric that comes back empty is named in a warning. Retention: 1-minute
 * datapoints are kept 15 days (GetMetricData API reference), so an older start is refused.
 * The SDK (~0.2 s to load) is imported only when a fetch runs.
 */
import type {
  GetMetricDataCommand,
  GetMetricDataCommandOutput,
  MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { EsmlabError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import { readGetMetricData } from "./get-metric-data.js";
import { MEASURED_RESOLUTION_SEC, type MeasuredRun, measuredRun } from "./measured-run.js";
import { recommendedStatistic } from "./metric-map.js";
import { formatTimestamp } from "./timestamp.js";

/** The metrics fetched: query Id → metric name (each read with its statistic from metric-map). */
export const FETCH_METRICS = {
  concurrency: "ConcurrentExecutions",
  invocations: "Invocations",
  errors: "Errors",
  throttles: "Throttles",
  duration: "Duration",
  lag: "OffsetLag",
} as const;

/** How far back CloudWatch keeps 1-minute datapoints, ms (15 days). */
export const ONE_MINUTE_RETENTION_MS = 15 * 24 * 3600 * 1000;
const MAX_PAGES = 1000;
const MINUTE_MS = 60_000;

/** Anything that sends a GetMetricDataCommand: a `CloudWatchClient`, or a replay in tests. */
export interface GetMetricDataClient {
  send(command: GetMetricDataCommand): Promise<GetMetricDataCommandOutput>;
}

export interface FetchOptions {
  /** The Lambda function (dimension `FunctionName`). */
  readonly functionName: string;
  /** The event source mapping's UUID: adds dimension `EventSourceMappingUUID` to OffsetLag. */
  readonly esmUuid?: string;
  /** Start of the range, epoch ms (rounded down to a minute; inclusive). */
  readonly startMs: number;
  /** End of the range, epoch ms (rounded up to a minute; exclusive). */
  readonly endMs: number;
  /** Region for a client made here; default the SDK's chain, then `AWS_DEFAULT_REGION`. */
  readonly region?: string;
  /** The run's label; default the function name (and the mapping's UUID). */
  readonly label?: string;
  /** "Now", epoch ms, for the 15-day retention check; default `Date.now()`. */
  readonly nowMs?: number;
}

/** A fetched run, with the responses as one importable GetMetricData JSON text. */
export interface FetchedRun extends MeasuredRun {
  /** The pages' results joined (`esmlab import` reads it back to the same run). */
  readonly rawText: string;
}

/**
 * The GetMetricData queries for a function (and optionally one event source mapping): one per
 * {@link FETCH_METRICS} entry, Period 60 s, labelled with the metric name.
 *
 * @example
 * metricQueries("my-fn")[0]!.MetricStat!.Metric!.Dimensions;
 * // [{ Name: "FunctionName", Value: "my-fn" }]
 */
export function metricQueries(functionName: string, esmUuid?: string): MetricDataQuery[] {
  return Object.entries(FETCH_METRICS).map(([id, metric]) => {
    const stat = recommendedStatistic([metric]);
    const dimensions = [{ Name: "FunctionName", Value: functionName }];
    if (id === "lag" && esmUuid !== undefined) {
      dimensions.push({ Name: "EventSourceMappingUUID", Value: esmUuid });
    }
    return {
      Id: id,
      Label: metric,
      MetricStat: {
        Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: dimensions },
        Period: MEASURED_RESOLUTION_SEC,
        Stat: stat,
      },
      ReturnData: true,
    };
  });
}

/**
 * Fetches a function's metrics for a time range, following NextToken, as a measured run.
 *
 * @param options function, optional event source mapping UUID, range, region, label
 * @param client where to send the requests; default a `CloudWatchClient` with the default
 *   credential provider chain (see {@link createCloudWatchClient})
 * @throws EsmlabError when the range is empty, starts after `nowMs` or more than 15 days before, no
 *   region or no credentials are found, CloudWatch refuses a request (the AWS error's name and
 *   message), a result is Forbidden or InternalError, or no metric returned a datapoint
 * @example
 * const { run, rawText } = await fetchMeasuredRun({ functionName: "my-fn",
 *   startMs: Date.parse("2024-01-09T18:00:00Z"), endMs: Date.parse("2024-01-09T20:00:00Z") });
 */
export async function fetchMeasuredRun(
  options: FetchOptions,
  client?: GetMetricDataClient,
): Promise<FetchedRun> {
  const { functionName, esmUuid } = options;
  if (functionName.trim() === "") throw new EsmlabError("invalid --function: empty name");
  const startMs = Math.floor(options.startMs / MINUTE_MS) * MINUTE_MS;
  const endMs = Math.ceil(options.endMs / MINUTE_MS) * MINUTE_MS;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || !(startMs < endMs)) {
    throw new EsmlabError(
      `invalid time range: start ${formatTimestamp(options.startMs)} is not before end ${formatTimestamp(options.endMs)}`,
    );
  }
  const nowMs = options.nowMs ?? Date.now();
  if (startMs > nowMs) {
    throw new EsmlabError(`invalid start ${formatTimestamp(startMs)}: in the future`);
  }
  if (nowMs - startMs > ONE_MINUTE_RETENTION_MS) {
    throw new EsmlabError(
      `invalid start ${formatTimestamp(startMs)}: more than 15 days ago, and cloudwatch keeps` +
        " 1-minute datapoints for 15 days only",
    );
  }
  const { GetMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
  const sender = client ?? (await createCloudWatchClient(options.region));
  const queries = metricQueries(functionName, esmUuid);
  const pages: GetMetricDataCommandOutput[] = [];
  let token: string | undefined;
  do {
    if (pages.length >= MAX_PAGES) {
      throw new EsmlabError(`cloudwatch returned more than ${MAX_PAGES} pages; narrow the range`);
    }
    const command = new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(startMs),
      EndTime: new Date(endMs),
      ScanBy: "TimestampAscending",
      ...(token === undefined ? {} : { NextToken: token }),
    });
    pages.push(await sendOrExplain(sender, command));
    token = pages[pages.length - 1]!.NextToken || undefined;
  } while (token !== undefined);

  const raw = {
    MetricDataResults: pages.flatMap((p) => p.MetricDataResults ?? []),
    Messages: pages.flatMap((p) => p.Messages ?? []),
  };
  const rawText = `${JSON.stringify(raw, null, 2)}\n`;
  const dims = `FunctionName=${functionName}${esmUuid ? `&EventSourceMappingUUID=${esmUuid}` : ""}`;
  const source = `cloudwatch:GetMetricData?${dims}&start=${formatTimestamp(startMs)}&end=${formatTimestamp(endMs)}`;
  const input = readGetMetricData(pages, source);
  const returned = new Set(input.series.filter((s) => s.timesMs.length > 0).map((s) => s.id));
  const warnings = queries
    .filter((q) => !returned.has(q.Id))
    .map(
      (q) =>
        `${source}: no datapoints for ${q.Label} (idle, or no such metric for these dimensions)`,
    );
  if (returned.size === 0) {
    throw new EsmlabError(
      `no datapoints for function ${JSON.stringify(functionName)} from ${formatTimestamp(startMs)}` +
        ` to ${formatTimestamp(endMs)}: check --function, --region and the time range`,
    );
  }
  const label = options.label ?? `${functionName}${esmUuid ? ` (${esmUuid})` : ""}`;
  const hash = sha256(rawText);
  const measured = measuredRun([input], {
    label,
    id: `measured-${sha256(`${source}\n${hash}`).slice(0, 12)}`,
    inputs: [{ path: source, sha256: hash }],
    warnings,
  });
  return { ...measured, rawText };
}

/**
 * A `CloudWatchClient` with the SDK's default credential provider chain (environment, shared
 * config and SSO, container and instance roles). The region is `region`, else the SDK's own
 * lookup (`AWS_REGION`, the profile's config), else `AWS_DEFAULT_REGION` (the AWS CLI's).
 *
 * @throws EsmlabError when no region is found
 * @example
 * const client = await createCloudWatchClient("eu-west-1");
 */
export async function createCloudWatchClient(region?: string): Promise<GetMetricDataClient> {
  const { CloudWatchClient } = await import("@aws-sdk/client-cloudwatch");
  const fallback = process.env.AWS_DEFAULT_REGION;
  let client = withoutNodeVersionWarning(
    () => new CloudWatchClient(region === undefined ? {} : { region }),
  );
  try {
    await client.config.region();
  } catch (err) {
    if (region === undefined && fallback) {
      client = withoutNodeVersionWarning(() => new CloudWatchClient({ region: fallback }));
    } else {
      throw new EsmlabError(
        "no AWS region: pass --region, or set AWS_REGION or a region in the AWS profile",
        { cause: err },
      );
    }
  }
  return client;
}

/**
 * Makes an SDK client without the SDK's Node version warning. On Node below 22 the SDK's
 * `emitWarningIfUnsupportedVersion` (`@aws-sdk/core`, run when a client is constructed) prints
 * "NodeVersionSupportWarning: … versions published after the first week of January 2027 will
 * require node >=22" once per process: it speaks to the SDK's own users about the SDK's future
 * releases, not to esmlab's about this fetch. Its one documented switch is the environment
 * variable `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true` (aws/aws-sdk-js-v3#7983,
 * "January 2027: End of Support for Node.js 20.x"; docs/toolchain.md), set only while the
 * client is made: the SDK then marks the warning as given for the rest of the process (also for
 * the credential clients it makes later), and every other warning still shows.
 */
function withoutNodeVersionWarning<T>(make: () => T): T {
  const name = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
  const before = process.env[name];
  if (before === undefined) process.env[name] = "true";
  try {
    return make();
  } finally {
    if (before === undefined) delete process.env[name];
  }
}

/** Sends, turning AWS failures into one-line errors; other errors (bugs) pass through. */
async function sendOrExplain(
  client: GetMetricDataClient,
  command: GetMetricDataCommand,
): Promise<GetMetricDataCommandOutput> {
  try {
    return await client.send(command);
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (err.name === "CredentialsProviderError") {
      throw new EsmlabError(
        `no AWS credentials from the default provider chain (${err.message}); set AWS_PROFILE` +
          " or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run aws sso login",
        { cause: err },
      );
    }
    if ("$metadata" in err || "$fault" in err) {
      throw new EsmlabError(`cloudwatch GetMetricData failed: ${err.name}: ${err.message}`, {
        cause: err,
      });
    }
    if (
      typeof code === "string" &&
      /^(?:ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN)$/.test(code)
    ) {
      throw new EsmlabError(`cannot reach cloudwatch: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
