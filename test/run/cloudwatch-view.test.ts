import { describe, expect, it } from "vitest";
import {
  type CloudWatchMetricId,
  type CloudWatchView,
  cloudWatchSeries,
  toCloudWatchView,
} from "../../src/run/cloudwatch-view.js";
import type { Run, RunMeta, RunSeries } from "../../src/run/run.js";
import { createSeries } from "../../src/run/series-csv.js";
import { summarizeSeries } from "../../src/run/summary.js";
import { EsmlabError } from "../../src/util/errors.js";

function meta(resolutionSec: number, label = "case 1"): RunMeta {
  return {
    format: "esmlab.run/1",
    id: "r1",
    label,
    source: "measured",
    resolutionSec,
    provenance: { esmlabVersion: "0.1.0", gitCommit: null, inputs: [], warnings: [] },
    summary: {
      durationSec: 0,
      producedRecords: 0,
      processedRecords: 0,
      invocations: 0,
      errors: 0,
      throttles: 0,
      peakConcurrency: 0,
      peakLagRecords: 0,
      peakPollers: 0,
    },
  };
}

/**
 * 180 one-second rows: a busy minute, an idle one, a busy one with missing cells.
 *
 * minute 0 (t 0–59):    invocations 1 for t < 30; concurrency t mod 5; errors 1 at t = 10;
 *                       lag 100 − t; pollers 1, 2 from t = 40; produced 2; processed 1 for t < 30
 * minute 1 (t 60–119):  all zero except pollers 1; lag missing for t < 90
 * minute 2 (t 120–179): invocations 2 for t < 130; concurrency 1 for t < 130, 3 at t = 125;
 *                       throttles 1 at t = 150; lag all missing; pollers missing but 3 at
 *                       t = 170; produced 1; processed 2 for t < 130, missing for t ≥ 170
 */
function threeMinutes(): Run {
  const s = createSeries(180, 0);
  const c = s.columns;
  for (let t = 0; t < 180; t++) {
    c.t[t] = t;
    if (t < 60) {
      c.invocations[t] = t < 30 ? 1 : 0;
      c.concurrency[t] = t % 5;
      c.errors[t] = t === 10 ? 1 : 0;
      c.lag[t] = 100 - t;
      c.pollers[t] = t < 40 ? 1 : 2;
      c.produced[t] = 2;
      c.processed[t] = t < 30 ? 1 : 0;
    } else if (t < 120) {
      c.pollers[t] = 1;
      c.lag[t] = t < 90 ? Number.NaN : 0;
    } else {
      c.invocations[t] = t < 130 ? 2 : 0;
      c.concurrency[t] = t === 125 ? 3 : t < 130 ? 1 : 0;
      c.throttles[t] = t === 150 ? 1 : 0;
      c.lag[t] = Number.NaN;
      c.pollers[t] = t === 170 ? 3 : Number.NaN;
      c.produced[t] = 1;
      c.processed[t] = t < 130 ? 2 : t >= 170 ? Number.NaN : 0;
    }
  }
  return { meta: meta(1), series: s };
}

function points(view: CloudWatchView, id: CloudWatchMetricId): [number, number][] {
  const s = cloudWatchSeries(view, id);
  return [...s.tSec].map((t, i) => [t, s.values[i]!]);
}

function runOf(resolutionSec: number, rows: [number, number, number][]): Run {
  // rows: [t, invocations, concurrency]; every other column 0
  const s: RunSeries = createSeries(rows.length, 0);
  rows.forEach(([t, inv, conc], i) => {
    s.columns.t[i] = t;
    s.columns.invocations[i] = inv;
    s.columns.concurrency[i] = conc;
  });
  return { meta: meta(resolutionSec), series: s };
}

describe("toCloudWatchView", () => {
  it("reduces a 1-s run to per-minute Maximum/Sum datapoints, the idle minute absent", () => {
    const view = toCloudWatchView(threeMinutes());
    expect(view.periodSec).toBe(60);
    expect(view.label).toBe("case 1");
    expect(points(view, "ConcurrentExecutions")).toEqual([
      [0, 4],
      [120, 3],
    ]);
    expect(points(view, "Invocations")).toEqual([
      [0, 30],
      [120, 20],
    ]);
    expect(points(view, "Errors")).toEqual([
      [0, 1],
      [120, 0],
    ]);
    expect(points(view, "Throttles")).toEqual([
      [0, 0],
      [120, 1],
    ]);
    // no lag value at all in minute 2: no datapoint; minute 1 has zeros after t = 90
    expect(points(view, "OffsetLag")).toEqual([
      [0, 100],
      [60, 0],
    ]);
    expect(points(view, "Pollers")).toEqual([
      [0, 2],
      [60, 1],
      [120, 3],
    ]);
    expect(points(view, "Processed")).toEqual([
      [0, 30],
      [60, 0],
      [120, 20],
    ]);
    expect(points(view, "Produced")).toEqual([
      [0, 120],
      [60, 0],
      [120, 60],
    ]);
  });

  it("states each metric's statistic", () => {
    const view = toCloudWatchView(threeMinutes());
    expect(view.metrics.map((m) => `${m.id}:${m.stat}`)).toEqual([
      "ConcurrentExecutions:Maximum",
      "Invocations:Sum",
      "Errors:Sum",
      "Throttles:Sum",
      "OffsetLag:Maximum",
      "Pollers:Maximum",
      "Processed:Sum",
      "Produced:Sum",
    ]);
  });

  it("keeps a minute with concurrency but no new invocation", () => {
    const view = toCloudWatchView(runOf(60, [[0, 0, 2]]));
    expect(points(view, "ConcurrentExecutions")).toEqual([[0, 2]]);
    expect(points(view, "Invocations")).toEqual([[0, 0]]);
  });

  it("passes a 60-s run through, leaving gaps and all-missing minutes absent", () => {
    const run = runOf(60, [
      [0, 5, 1],
      [60, Number.NaN, Number.NaN],
      [180, 7, 2],
    ]);
    const view = toCloudWatchView(run);
    expect(points(view, "Invocations")).toEqual([
      [0, 5],
      [180, 7],
    ]);
    expect(points(view, "Produced")).toEqual([
      [0, 0],
      [60, 0],
      [180, 0],
    ]);
  });

  it("buckets sub-second resolutions by floor(t / 60)", () => {
    const view = toCloudWatchView(
      runOf(0.5, [
        [59.5, 1, 1],
        [60, 1, 4],
        [60.5, 1, 2],
      ]),
    );
    expect(points(view, "Invocations")).toEqual([
      [0, 1],
      [60, 2],
    ]);
    expect(points(view, "ConcurrentExecutions")).toEqual([
      [0, 1],
      [60, 4],
    ]);
  });

  it.each([90, 120, 7, 0.7])("rejects resolution %s s, naming the run", (resolutionSec) => {
    const run = { ...runOf(1, [[0, 1, 1]]), meta: meta(resolutionSec, "measured Tuesday") };
    expect(() => toCloudWatchView(run)).toThrow(EsmlabError);
    expect(() => toCloudWatchView(run)).toThrow(
      `cannot show run "measured Tuesday" as cloudwatch 1-minute data: its resolution ` +
        `${resolutionSec} s does not divide 60 s`,
    );
  });

  it("gives every metric an empty series for an empty run", () => {
    const view = toCloudWatchView({ meta: meta(1), series: createSeries(0, 0) });
    expect(view.metrics.every((m) => m.tSec.length === 0 && m.values.length === 0)).toBe(true);
  });
});

describe("summarizeSeries", () => {
  it("sums and peaks the three-minute run, skipping missing cells", () => {
    expect(summarizeSeries(threeMinutes().series, 1)).toEqual({
      durationSec: 180,
      producedRecords: 180,
      processedRecords: 50,
      invocations: 50,
      errors: 1,
      throttles: 1,
      peakConcurrency: 4,
      peakLagRecords: 100,
      peakPollers: 3,
    });
  });

  it("gives null (not measured) for an all-missing column, 0 for a measured 0", () => {
    const s = createSeries(2, Number.NaN);
    s.columns.t.set([0, 60]);
    s.columns.errors.set([Number.NaN, 0]);
    expect(summarizeSeries(s, 60)).toMatchObject({
      durationSec: 120,
      peakLagRecords: null,
      invocations: null,
      errors: 0,
    });
    expect(summarizeSeries(createSeries(0, 0), 1).durationSec).toBe(0);
    expect(() => summarizeSeries(s, 0)).toThrow(RangeError);
  });
});
