import { type Command, InvalidArgumentError } from "commander";
import {
  type FetchOptions,
  fetchMeasuredRun,
  type GetMetricDataClient,
} from "../../import/fetch.js";
import { parseTimestampMs } from "../../import/timestamp.js";
import { writeRun } from "../../run/run-io.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { checkFileTarget, checkRunDirTarget } from "../../util/output-guard.js";
import { reportImport } from "./import.js";

interface FetchFlags {
  function: string;
  esm?: string;
  start: number;
  end: number;
  out: string;
  region?: string;
  label?: string;
  saveRaw?: string;
  json?: boolean;
}

/** What `esmlab fetch` talks to; tests replace both. */
export interface FetchDeps {
  /** Where GetMetricData requests go; default a real `CloudWatchClient`. */
  readonly client?: GetMetricDataClient;
  /** The clock for the 15-day retention check, epoch ms; default `Date.now`. */
  readonly nowMs?: () => number;
}

/**
 * Registers `esmlab fetch`.
 *
 * @param program the command line to add it to
 * @param deps the CloudWatch client and clock; default the real ones (tests pass a replay of
 *   recorded responses and a fixed time)
 */
export function registerFetch(program: Command, deps: FetchDeps = {}): void {
  program
    .command("fetch")
    .description(
      "fetch a Lambda function's CloudWatch metrics (1-minute) live and write a measured run directory",
    )
    .requiredOption("--function <name>", "Lambda function name (dimension FunctionName)")
    .option(
      "--esm <uuid>",
      "event source mapping UUID (dimension EventSourceMappingUUID of OffsetLag)",
    )
    .requiredOption(
      "--start <time>",
      "start, ISO 8601 (e.g. 2024-01-09T18:00:00Z) or epoch seconds",
      parseTime,
    )
    .requiredOption("--end <time>", "end, ISO 8601 or epoch seconds", parseTime)
    .requiredOption(
      "-o, --out <dir>",
      "run directory to write: a new folder, or an esmlab run directory to replace",
    )
    .option(
      "--region <name>",
      "AWS region (default: AWS_REGION, the profile's, AWS_DEFAULT_REGION)",
    )
    .option("-l, --label <text>", "run label (default: the function name)")
    .option(
      "--save-raw <file>",
      "also save the responses as GetMetricData JSON (esmlab import reads it); a new file",
    )
    .option("--json", "print the run summary as JSON")
    .addHelpText(
      "after",
      "\nQueries AWS/Lambda ConcurrentExecutions (Maximum), Invocations, Errors, Throttles (Sum),\n" +
        "Duration (Average) and OffsetLag (Maximum) at a 60 s period, following NextToken.\n" +
        "Credentials come from the AWS SDK's default provider chain (environment, profile, SSO,\n" +
        "instance or container role); the caller needs cloudwatch:GetMetricData. CloudWatch keeps\n" +
        "1-minute data for 15 days.\n\n" +
        "Example:\n" +
        "  esmlab fetch --function my-consumer --esm 14e0db71-… --start 2024-01-09T18:00:00Z \\\n" +
        "    --end 2024-01-09T21:00:00Z --region eu-west-1 --out runs/measured-1",
    )
    .action(async (flags: FetchFlags) => {
      const saveRaw = flags.saveRaw;
      if (saveRaw !== undefined) {
        await checkFileTarget(saveRaw, "a raw export", null, { option: "--save-raw" });
      }
      await checkRunDirTarget(flags.out, { inputs: saveRaw === undefined ? [] : [saveRaw] });
      const options: FetchOptions = {
        functionName: flags.function,
        startMs: flags.start,
        endMs: flags.end,
        ...(flags.esm === undefined ? {} : { esmUuid: flags.esm }),
        ...(flags.region === undefined ? {} : { region: flags.region }),
        ...(flags.label === undefined ? {} : { label: flags.label }),
        ...(deps.nowMs === undefined ? {} : { nowMs: deps.nowMs() }),
      };
      const fetched = await fetchMeasuredRun(options, deps.client);
      // The raw responses first: a run directory never exists without its source when asked for.
      if (saveRaw !== undefined) await writeFileAtomic(saveRaw, fetched.rawText);
      await writeRun(fetched.run, flags.out);
      process.stdout.write(`${reportImport(fetched, flags.out, flags.json === true)}\n`);
    });
}

function parseTime(value: string): number {
  const ms = parseTimestampMs(value.trim());
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(
      `expected an ISO 8601 time (2024-01-09T18:00:00Z) or epoch seconds, got "${value}"`,
    );
  }
  return ms;
}
