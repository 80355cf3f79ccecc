#!/usr/bin/env node
// Writes data/measured/example-case2-synthetic.gmd.json: a SYNTHETIC CloudWatch GetMetricData
// export (AWS CLI v2 shape: ISO timestamps with +00:00, newest first) made by simulating the
// seed's case 2 workload under a legacy scaler that evaluates every 13 minutes with a 1-minute
// actuation delay, then taking its CloudWatch view. It is an example input for notebook 02, not
// a measurement of any system; its Messages entry says so, and esmlab import keeps that message
// as a warning in the run's provenance. Deterministic: rerunning writes the same bytes.
import { writeFileSync } from "node:fs";
import {
  BUILTIN_SCENARIOS,
  cloudWatchSeries,
  resolveScenario,
  simulate,
  toCloudWatchView,
} from "esmlab";

const START_MS = Date.UTC(2000, 0, 1, 0, 0, 0); // an obviously synthetic date
const run = simulate(
  resolveScenario(
    {
      ...BUILTIN_SCENARIOS.case2,
      name: "example-case2-synthetic",
      scaler: { policy: "legacy-15min", evaluationIntervalSec: 780, actuationDelaySec: 60 },
      run: { resolutionSec: 60 },
    },
    { source: "scripts/gen-example-measured.mjs" },
  ),
);
const view = toCloudWatchView(run);
const iso = (sec) => new Date(START_MS + sec * 1000).toISOString().replace(".000Z", "+00:00");
const result = (id, metric) => {
  const s = cloudWatchSeries(view, metric);
  const idx = Array.from(s.tSec.keys()).reverse(); // newest first, as CloudWatch returns by default
  return {
    Id: id,
    Label: metric,
    Timestamps: idx.map((i) => iso(s.tSec[i])),
    Values: idx.map((i) => s.values[i]),
    StatusCode: "Complete",
  };
};
const out = {
  MetricDataResults: [
    result("concurrency", "ConcurrentExecutions"),
    result("invocations", "Invocations"),
    result("lag", "OffsetLag"),
  ],
  Messages: [
    {
      Code: "esmlab.synthetic",
      Value:
        "SYNTHETIC example, not a measurement: esmlab's simulation of the seed blog's case 2 workload (5 msg/s for 2000 s, 20 partitions, 3 s function) under legacy-15min with evaluationIntervalSec 780 and actuationDelaySec 60, written in GetMetricData's shape by scripts/gen-example-measured.mjs",
    },
  ],
};
writeFileSync(
  "data/measured/example-case2-synthetic.gmd.json",
  `${JSON.stringify(out, null, 2)}\n`,
);
