/**
 * Which run column a CloudWatch series fills, from its metric name, Id or label.
 *
 * Sources: docs/aws-esm.md ("CloudWatch: what a measured run looks like")
 * for the metrics and their statistics; the Lambda developer guide, "Types of metrics for
 * Lambda functions" (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html).
 * `CommittedEventCount` → `processed` is esmlab's reading [A]: records whose offsets the
 * event source mapping committed after its function succeeded.
 */
import { z } from "zod";
import { SERIES_COLUMNS, type SeriesColumn } from "../run/run.js";
import { EsmlabError } from "../util/errors.js";
import { printable } from "./measured.js";

/** A run column a series can fill: a standard column (not `t`) or an extra measured column. */
export type ImportTarget = Exclude<SeriesColumn, "t"> | ExtraMetric;

/** Metrics that fill a standard column, with the statistic that reads them right. */
export const COLUMN_METRICS = {
  ConcurrentExecutions: { column: "concurrency", statistic: "Maximum" },
  Invocations: { column: "invocations", statistic: "Sum" },
  Errors: { column: "errors", statistic: "Sum" },
  Throttles: { column: "throttles", statistic: "Sum" },
  OffsetLag: { column: "lag", statistic: "Maximum" },
  SumOffsetLag: { column: "lag", statistic: "Maximum" },
  ProvisionedPollers: { column: "pollers", statistic: "Maximum" },
  CommittedEventCount: { column: "processed", statistic: "Sum" },
} as const satisfies Record<string, { column: ImportTarget; statistic: string }>;

/** Metrics kept as extra columns under their own name, with their usual statistic. */
export const EXTRA_METRICS = {
  Duration: "Average",
  PolledEventCount: "Sum",
  InvokedEventCount: "Sum",
  FailedInvokeEventCount: "Sum",
  MaxOffsetLag: "Maximum",
} as const;
export type ExtraMetric = keyof typeof EXTRA_METRICS;

/** Label or Id (matched case-insensitively) → target, or `null` to skip the series. */
export type ColumnMapping = ReadonlyMap<string, ImportTarget | null>;

const STANDARD_TARGETS = SERIES_COLUMNS.filter((c) => c !== "t") as ImportTarget[];
const ALL_TARGETS: readonly ImportTarget[] = [
  ...STANDARD_TARGETS,
  ...(Object.keys(EXTRA_METRICS) as ExtraMetric[]),
];

/** Normalised name → target: metric names, then the column names themselves. */
const KNOWN = new Map<string, ImportTarget>([
  ...Object.entries(COLUMN_METRICS).map(([m, s]) => [squash(m), s.column] as const),
  ...Object.keys(EXTRA_METRICS).map((m) => [squash(m), m as ExtraMetric] as const),
  ...ALL_TARGETS.map((t) => [squash(t), t] as const),
]);

/** The metric names recognised without a mapping, for messages. */
export const KNOWN_METRIC_NAMES: readonly string[] = [
  ...Object.keys(COLUMN_METRICS),
  ...Object.keys(EXTRA_METRICS),
];

/**
 * The column a series fills. The mapping wins (exact name, case-insensitive, with or without a
 * statistic suffix); otherwise a known metric or column name is looked for among each name's
 * words, so `m_concurrency`, `my-fn ConcurrentExecutions`, `ConcurrentExecutions, my-fn` and
 * `ConcurrentExecutions (Maximum)` all find `concurrency`.
 *
 * @param names the series' names, most specific first (GetMetricData Id, Label; CSV header)
 * @returns the target; `null` when the mapping skips the series; `undefined` when unknown
 * @example
 * resolveTarget(["m1", "ConcurrentExecutions"], new Map()); // "concurrency"
 * resolveTarget(["p99"], new Map([["p99", "Duration"]]));  // "Duration"
 * resolveTarget(["IteratorAge"], new Map());              // undefined
 */
export function resolveTarget(
  names: readonly string[],
  mapping: ColumnMapping,
): ImportTarget | null | undefined {
  for (const name of names) {
    for (const key of [name.trim().toLowerCase(), stripStatistic(name).toLowerCase()]) {
      const mapped = mapping.get(key);
      if (mapped !== undefined) return mapped;
    }
  }
  for (const name of names) {
    const found = knownIn(stripStatistic(name));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The known metric or column a name holds as a run of whole words — the longest run that
 * matches; undefined when none does, or when two different ones match at that length
 * (`Errors per Invocations` is ambiguous, and left to the mapping).
 */
function knownIn(name: string): ImportTarget | undefined {
  const words = name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  for (let length = words.length; length > 0; length--) {
    const found = new Set<ImportTarget>();
    for (let from = 0; from + length <= words.length; from++) {
      const target = KNOWN.get(words.slice(from, from + length).join(""));
      if (target !== undefined) found.add(target);
    }
    if (found.size > 0) return found.size === 1 ? [...found][0] : undefined;
  }
  return undefined;
}

/**
 * The statistic esmlab expects for a series' metric (`Maximum` for ConcurrentExecutions …),
 * or undefined when the names match no known metric.
 *
 * @example
 * recommendedStatistic(["Invocations"]); // "Sum"
 */
export function recommendedStatistic(names: readonly string[]): string | undefined {
  for (const name of names) {
    const key = squash(stripStatistic(name));
    for (const [metric, spec] of Object.entries(COLUMN_METRICS)) {
      if (squash(metric) === key) return spec.statistic;
    }
    for (const [metric, statistic] of Object.entries(EXTRA_METRICS)) {
      if (squash(metric) === key) return statistic;
    }
  }
  return undefined;
}

/**
 * The statistic in a trailing parenthesis of a label or header, e.g. `Maximum` in
 * `ConcurrentExecutions (Maximum)`, or undefined.
 */
export function statisticSuffix(name: string): string | undefined {
  return /\(\s*([A-Za-z]+[\d.]*)\s*\)\s*$/.exec(name)?.[1];
}

const mappingSchema = z.record(z.string(), z.union([z.string(), z.null()]));

/**
 * Reads a mapping file: a JSON object of label or Id → column, e.g.
 * `{"my-lag": "lag", "p99": "Duration", "SumOffsetLag": null}` (`null` skips the series).
 *
 * @param text the file content
 * @param file where it came from, for messages
 * @throws EsmlabError naming `file` and the key when the text is not a JSON object of strings
 *   or nulls, or a target is not a run column (`produced`, …, `throttles`, `Duration`, …)
 * @example
 * parseColumnMapping('{"My-Lag": "lag"}', "map.json").get("my-lag"); // "lag"
 */
export function parseColumnMapping(text: string, file: string): ColumnMapping {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const why = printable((err as Error).message, 160);
    throw new EsmlabError(`${file}: not valid JSON: ${why}`, { cause: err });
  }
  const parsed = mappingSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (key ${JSON.stringify(String(issue.path[0]))})` : "";
    throw new EsmlabError(
      `${file}: expected a JSON object of label → column name or null${where}, e.g. {"my-lag": "lag"}`,
    );
  }
  const byLower = new Map(ALL_TARGETS.map((t) => [t.toLowerCase(), t] as const));
  const mapping = new Map<string, ImportTarget | null>();
  for (const [key, value] of Object.entries(parsed.data)) {
    const target = value === null ? null : byLower.get(value.trim().toLowerCase());
    if (target === undefined) {
      throw new EsmlabError(
        `${file}: key ${JSON.stringify(key)}: ${JSON.stringify(value)} is not a run column` +
          ` (one of ${ALL_TARGETS.join(", ")}, or null to skip the series)`,
      );
    }
    mapping.set(key.trim().toLowerCase(), target);
  }
  return mapping;
}

function stripStatistic(name: string): string {
  return name.replace(/\s*\([^()]*\)\s*$/, "").trim();
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "");
}
