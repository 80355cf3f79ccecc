/** Runs for the fit tests: a seed run seen at CloudWatch's 1 minute, and hand-made runs. */

import type { Run } from "../../src/run/run.js";
import { createSeries, seriesFromColumns } from "../../src/run/series-csv.js";
import { measuredMeta } from "../helpers.js";

/**
 * A run's rows grouped into 60 s rows the way CloudWatch reports them: counts summed,
 * concurrency as the minute's maximum, lag and pollers as the value at the minute's end.
 */
export function toMinutes(run: Run): Run {
  const { columns, length } = run.series;
  const minutes = Math.ceil((columns.t[length - 1]! + run.meta.resolutionSec) / 60);
  const out = createSeries(minutes, 0);
  const o = out.columns;
  o.concurrency.fill(Number.NEGATIVE_INFINITY);
  for (let m = 0; m < minutes; m++) o.t[m] = 60 * m;
  for (let i = 0; i < length; i++) {
    const m = Math.floor(columns.t[i]! / 60);
    for (const name of ["produced", "processed", "invocations", "errors", "throttles"] as const)
      o[name][m]! += columns[name][i]!;
    o.concurrency[m] = Math.max(o.concurrency[m]!, columns.concurrency[i]!);
    o.lag[m] = columns.lag[i]!;
    o.pollers[m] = columns.pollers[i]!;
  }
  return { meta: { ...run.meta, resolutionSec: 60 }, series: out };
}

/**
 * A 1-minute seed run as a measured import would hold it: no scenario, no production end, no
 * pollers or produced column, concurrency absent (not 0) while idle, and a CloudWatch
 * `Duration` column in milliseconds.
 */
export function asMeasured(run: Run, durationMs: number): Run {
  const minute = toMinutes(run);
  const { columns, length } = minute.series;
  const c = Float64Array.from(columns.concurrency, (v) => (v === 0 ? Number.NaN : v));
  const nan = () => new Float64Array(length).fill(Number.NaN);
  const duration = Float64Array.from(columns.invocations, (v) => (v > 0 ? durationMs : Number.NaN));
  const series = seriesFromColumns(
    { ...columns, concurrency: c, pollers: nan(), produced: nan(), lag: nan() },
    { Duration: duration },
  );
  const rest = measuredMeta(minute.meta);
  const summary = { ...rest.summary };
  delete summary.productionEndSec;
  return { meta: { ...rest, summary }, series };
}

/** A run whose only content is a concurrency series (and invocations = concurrency). */
export function concurrencyRun(values: readonly number[], resolutionSec: number): Run {
  const series = createSeries(values.length, Number.NaN);
  const { t, concurrency, invocations } = series.columns;
  values.forEach((v, i) => {
    t[i] = i * resolutionSec;
    concurrency[i] = v;
    invocations[i] = v;
  });
  return {
    meta: {
      format: "esmlab.run/1",
      id: "hand-made",
      label: "hand-made concurrency",
      source: "measured",
      resolutionSec,
      provenance: { esmlabVersion: "0.0.0", gitCommit: null, inputs: [], warnings: [] },
      summary: {
        durationSec: values.length * resolutionSec,
        producedRecords: 0,
        processedRecords: 0,
        invocations: 0,
        errors: 0,
        throttles: 0,
        peakConcurrency: Math.max(0, ...values),
        peakLagRecords: 0,
        peakPollers: 0,
      },
    },
    series,
  };
}

/** `count` copies of `value`. */
export const rep = (value: number, count: number): number[] => new Array<number>(count).fill(value);
