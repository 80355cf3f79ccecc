import { type Command, InvalidArgumentError } from "commander";
import { DEFAULT_MAX_IMPORT_BYTES, loadCloudWatch } from "../../import/load.js";
import { IMPORT_FORMATS, type ImportFormat } from "../../import/measured.js";
import type { MeasuredRun } from "../../import/measured-run.js";
import { formatTimestamp } from "../../import/timestamp.js";
import type { SeriesColumn } from "../../run/run.js";
import { writeRun } from "../../run/run-io.js";
import { checkRunDirTarget } from "../../util/output-guard.js";
import { fmt } from "../../util/text-table.js";

interface ImportFlags {
  out: string;
  format?: ImportFormat;
  mapping?: string;
  label?: string;
  ignoreUnknown?: boolean;
  maxMb?: number;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command("import")
    .description(
      "import CloudWatch exports (GetMetricData / GetMetricStatistics JSON, console CSV) as a measured run directory",
    )
    .argument("<files...>", "export files, combined into one run (e.g. one file per metric)")
    .requiredOption(
      "-o, --out <dir>",
      "run directory to write: a new folder, or an esmlab run directory to replace",
    )
    .option(
      "-f, --format <name>",
      `read every file as ${Object.keys(IMPORT_FORMATS).join(" | ")} (default: detect per file)`,
      parseFormat,
    )
    .option("-m, --mapping <file>", 'JSON of label or Id → column, e.g. {"my-lag": "lag"}')
    .option("-l, --label <text>", "run label (default: the first file's name)")
    .option("--ignore-unknown", "skip series that map to no run column (with a warning)")
    .option(
      "--max-mb <n>",
      `refuse larger files (default ${DEFAULT_MAX_IMPORT_BYTES / 1024 / 1024})`,
      parseMegabytes,
    )
    .option("--json", "print the run summary as JSON")
    .addHelpText(
      "after",
      "\nColumns from metric names, Ids or labels: ConcurrentExecutions → concurrency,\n" +
        "Invocations → invocations, OffsetLag/SumOffsetLag → lag, Errors → errors,\n" +
        "Throttles → throttles, ProvisionedPollers → pollers, CommittedEventCount → processed;\n" +
        "Duration, PolledEventCount, InvokedEventCount, FailedInvokeEventCount, MaxOffsetLag are\n" +
        "kept as extra columns. The run has one row per minute from the first to the last\n" +
        "datapoint; a minute without a datapoint is an empty cell, never a zero.\n\n" +
        "Examples:\n" +
        "  aws cloudwatch get-metric-data --cli-input-json file://queries.json > gmd.json\n" +
        "  esmlab import gmd.json --out runs/measured-1\n" +
        "  esmlab import concurrency.json invocations.json lag.json --out runs/measured-2",
    )
    .action(async (files: string[], flags: ImportFlags) => {
      const guard = { inputs: [...files, ...(flags.mapping === undefined ? [] : [flags.mapping])] };
      await checkRunDirTarget(flags.out, guard);
      const measured = await loadCloudWatch(files, {
        ...(flags.format === undefined ? {} : { format: flags.format }),
        ...(flags.mapping === undefined ? {} : { mappingFile: flags.mapping }),
        ...(flags.label === undefined ? {} : { label: flags.label }),
        ...(flags.ignoreUnknown ? { ignoreUnknown: true } : {}),
        ...(flags.maxMb === undefined ? {} : { maxBytes: flags.maxMb * 1024 * 1024 }),
      });
      await writeRun(measured.run, flags.out, guard);
      process.stdout.write(`${reportImport(measured, flags.out, flags.json === true)}\n`);
    });
}

/** What a person reads after an import (or a fetch): the run, its start, sources, warnings. */
export function reportImport(measured: MeasuredRun, out: string, json: boolean): string {
  const { run, startMs, sources } = measured;
  if (json) {
    return JSON.stringify(
      {
        id: run.meta.id,
        start: formatTimestamp(startMs),
        summary: run.meta.summary,
        sources,
        warnings: run.meta.provenance.warnings,
      },
      null,
      2,
    );
  }
  const { summary: s, provenance } = run.meta;
  // a total or peak is null when its column was not measured at all
  const figures: [SeriesColumn, string, number | null][] = [
    ["invocations", "invocations", s.invocations],
    ["errors", "errors", s.errors],
    ["throttles", "throttles", s.throttles],
    ["concurrency", "peak concurrency", s.peakConcurrency],
    ["lag", "peak lag", s.peakLagRecords],
    ["pollers", "peak pollers", s.peakPollers],
    ["processed", "processed", s.processedRecords],
    ["produced", "produced", s.producedRecords],
  ];
  const missing = figures.filter(([, , v]) => v === null).map(([c]) => c);
  const lines = [
    `${run.meta.label} [${run.meta.id}]: ${fmt(run.series.length)} minutes from ${formatTimestamp(startMs)} (t = 0)`,
    `  ${figures.flatMap(([, name, v]) => (v === null ? [] : [`${name} ${fmt(v)}`])).join(", ")}`,
    ...(missing.length > 0 ? [`  not measured: ${missing.join(", ")}`] : []),
    ...Object.entries(sources).map(([column, from]) => `  ${column} ← ${from.join(", ")}`),
    ...provenance.warnings.map((w) => `  warning: ${w}`),
    `wrote ${out}`,
  ];
  return lines.join("\n");
}

function parseFormat(value: string): ImportFormat {
  if (!(value in IMPORT_FORMATS)) {
    throw new InvalidArgumentError(
      `unknown format "${value}": one of ${Object.keys(IMPORT_FORMATS).join(", ")}`,
    );
  }
  return value as ImportFormat;
}

function parseMegabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected megabytes > 0, got "${value}"`);
  }
  return n;
}
