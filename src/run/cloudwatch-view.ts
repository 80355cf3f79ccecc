/**
 * Any run as CloudWatch would show it at a 1-minute period, so a simulated run and a measured
 * one compare like for like.
 *
 * Rules from docs/aws-esm.md ("CloudWatch: what a measured run looks like"):
 * Lambda publishes 1-minute datapoints; `Invocations`, `Errors`, `Throttles` are read as Sum,
 * `ConcurrentExecutions` and `OffsetLag` as Maximum; "Minutes without data are absent, not zero
 * (ConcurrentExecutions is not emitted while idle)". Cost: one pass over the rows, O(rows × 8).
 */
import { EsmlabError } from "../util/errors.js";
import type { Run, SeriesColumn } from "./run.js";

/** The CloudWatch period this view uses, seconds. */
export const CLOUDWATCH_PERIOD_SEC = 60;

/**
 * Each metric of the view: the run column it comes from, the statistic, and whether it is a
 * Lambda function metric (absent in an idle minute, see {@link toCloudWatchView}).
 */
export const CLOUDWATCH_METRICS = {
  ConcurrentExecutions: { column: "concurrency", stat: "Maximum", lambda: true },
  Invocations: { column: "invocations", stat: "Sum", lambda: true },
  Errors: { column: "errors", stat: "Sum", lambda: true },
  Throttles: { column: "throttles", stat: "Sum", lambda: true },
  OffsetLag: { column: "lag", stat: "Maximum", lambda: false },
  Pollers: { column: "pollers", stat: "Maximum", lambda: false },
  Processed: { column: "processed", stat: "Sum", lambda: false },
  Produced: { column: "produced", stat: "Sum", lambda: false },
} as const satisfies Record<
  string,
  { column: SeriesColumn; stat: CloudWatchStat; lambda: boolean }
>;
export type CloudWatchMetricId = keyof typeof CLOUDWATCH_METRICS;

/** The CloudWatch statistics this view uses. */
export type CloudWatchStat = "Maximum" | "Sum";

/** One metric's datapoints, oldest first; `tSec[i]` pairs with `values[i]`. */
export interface CloudWatchSeries {
  readonly id: CloudWatchMetricId;
  readonly stat: CloudWatchStat;
  /** Start of each 1-minute bucket, seconds from the run start (a multiple of 60). */
  readonly tSec: Float64Array;
  readonly values: Float64Array;
}

/** A run as CloudWatch 1-minute datapoints, one {@link CloudWatchSeries} per metric. */
export interface CloudWatchView {
  readonly runId: string;
  readonly label: string;
  readonly periodSec: typeof CLOUDWATCH_PERIOD_SEC;
  /** In {@link CLOUDWATCH_METRICS} order, every metric present (possibly with no datapoints). */
  readonly metrics: readonly CloudWatchSeries[];
}

/**
 * Groups a run's rows into 1-minute buckets (`floor(t / 60)`) and reduces each metric with its
 * CloudWatch statistic (see {@link CLOUDWATCH_METRICS}).
 *
 * Missing cells (`NaN`) are skipped, and a bucket where a column has no value gives that
 * metric no datapoint. As CloudWatch emits no Lambda datapoint in an idle minute — "Minutes
 * without data are absent, not zero (ConcurrentExecutions is not emitted while idle)",
 * docs/aws-esm.md — a minute whose `invocations` sum to 0 and whose `concurrency` peaks at 0
 * (missing cells counting as none) has no `ConcurrentExecutions`, `Invocations`, `Errors` or
 * `Throttles` datapoint. `OffsetLag`, `Pollers`, `Processed` and `Produced` are present
 * whenever the minute has data, zeros included.
 *
 * @param run any run whose resolution divides 60 s (1, 5, 10, 60 s …)
 * @throws EsmlabError naming the run label when the resolution exceeds 60 s or does not
 *   divide it
 * @example
 * // a 1-s run of 180 rows: busy minute 0, idle minute 1, busy minute 2
 * const v = toCloudWatchView(run);
 * cloudWatchSeries(v, "Invocations").tSec; // Float64Array [0, 120]
 * cloudWatchSeries(v, "OffsetLag").tSec;   // Float64Array [0, 60, 120]
 */
export function toCloudWatchView(run: Run): CloudWatchView {
  const { resolutionSec, label, id } = run.meta;
  const perMinute = CLOUDWATCH_PERIOD_SEC / resolutionSec;
  if (!(resolutionSec > 0) || Math.abs(perMinute - Math.round(perMinute)) > 1e-9) {
    throw new EsmlabError(
      `cannot show run "${label}" as cloudwatch 1-minute data: its resolution ${resolutionSec} s` +
        ` does not divide ${CLOUDWATCH_PERIOD_SEC} s`,
    );
  }
  const { columns, length } = run.series;
  const ids = Object.keys(CLOUDWATCH_METRICS) as CloudWatchMetricId[];
  const specs = ids.map((metric) => CLOUDWATCH_METRICS[metric]);
  const inputs = specs.map((spec) => columns[spec.column]);
  // At most one datapoint per row; trimmed at the end.
  const outT = ids.map(() => new Float64Array(length));
  const outV = ids.map(() => new Float64Array(length));
  const counts = new Array<number>(ids.length).fill(0);
  const acc = new Float64Array(ids.length);
  const seen = new Uint8Array(ids.length);

  let row = 0;
  while (row < length) {
    const bucket = Math.floor(columns.t[row]! / CLOUDWATCH_PERIOD_SEC);
    acc.fill(0);
    seen.fill(0);
    let invocations = 0;
    let concurrency = 0;
    // t is strictly increasing, so a bucket's rows are contiguous.
    for (; row < length && Math.floor(columns.t[row]! / CLOUDWATCH_PERIOD_SEC) === bucket; row++) {
      for (let m = 0; m < ids.length; m++) {
        const v = inputs[m]![row]!;
        if (Number.isNaN(v)) continue;
        if (specs[m]!.stat === "Sum") acc[m]! += v;
        else if (seen[m] === 0 || v > acc[m]!) acc[m] = v;
        seen[m] = 1;
      }
      const inv = columns.invocations[row]!;
      const conc = columns.concurrency[row]!;
      if (inv > 0) invocations += inv;
      if (conc > concurrency) concurrency = conc;
    }
    const idle = invocations === 0 && concurrency === 0;
    for (let m = 0; m < ids.length; m++) {
      if (seen[m] === 0 || (idle && specs[m]!.lambda)) continue;
      outT[m]![counts[m]!] = bucket * CLOUDWATCH_PERIOD_SEC;
      outV[m]![counts[m]!] = acc[m]!;
      counts[m]!++;
    }
  }

  const metrics = ids.map(
    (metric, m): CloudWatchSeries => ({
      id: metric,
      stat: specs[m]!.stat,
      tSec: outT[m]!.slice(0, counts[m]),
      values: outV[m]!.slice(0, counts[m]),
    }),
  );
  return { runId: id, label, periodSec: CLOUDWATCH_PERIOD_SEC, metrics };
}

/**
 * The series of one metric in a view.
 *
 * @throws Error when the view lacks the metric (only possible for a hand-built view)
 * @example
 * cloudWatchSeries(toCloudWatchView(run), "ConcurrentExecutions").values; // per-minute maxima
 */
export function cloudWatchSeries(view: CloudWatchView, id: CloudWatchMetricId): CloudWatchSeries {
  const found = view.metrics.find((s) => s.id === id);
  if (found === undefined) throw new Error(`cloudwatch view of "${view.label}" has no ${id}`);
  return found;
}
