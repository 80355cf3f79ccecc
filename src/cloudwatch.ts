/**
 * `esmlab/cloudwatch`: fetching a measured run live from CloudWatch (GetMetricData). An entry
 * point of its own because its declarations are the AWS SDK's: kept out of the main entry, a
 * notebook that only imports "esmlab" never type-checks against them.
 *
 * @example
 * import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
 * import { fetchMeasuredRun } from "esmlab/cloudwatch";
 * const { run } = await fetchMeasuredRun({ functionName: "f", startMs, endMs }, new CloudWatchClient({}));
 */
export {
  type FetchedRun,
  type FetchOptions,
  fetchMeasuredRun,
  type GetMetricDataClient,
  metricQueries,
} from "./import/fetch.js";
