/**
 * Import speed: a 15-day 1-minute GetMetricData export (6 metrics × 21 600 datapoints, the
 * most CloudWatch keeps at a 60 s period) in the AWS CLI v2 shape — ISO `+00:00` timestamps,
 * newest first — generated into a temporary file, then read with `loadCloudWatch` (stat, read,
 * sha256, JSON.parse, timestamps, minute grid, summary). Target: under 200 ms (warm median).
 * Writing the run directory (`writeRun`) is timed separately.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCloudWatch } from "../src/import/load.js";
import { writeRun } from "../src/run/run-io.js";

const MINUTES = 15 * 24 * 60;
const METRICS = [
  "ConcurrentExecutions",
  "Invocations",
  "Errors",
  "Throttles",
  "Duration",
  "OffsetLag",
] as const;
const RUNS = 7;

/** A GetMetricData response as `aws cloudwatch get-metric-data` prints it. */
function exportText(): string {
  const start = Date.UTC(2024, 0, 1);
  // Newest first, as CloudWatch returns by default.
  const timestamps = Array.from({ length: MINUTES }, (_, k) =>
    new Date(start + (MINUTES - 1 - k) * 60_000).toISOString().replace(".000Z", "+00:00"),
  );
  const results = METRICS.map((metric, m) => ({
    Id: `m${m + 1}`,
    Label: metric,
    Timestamps: timestamps,
    Values: timestamps.map((_, k) =>
      metric === "Duration" ? 3000 + (k % 97) / 10 : (k * 7 + m) % 500,
    ),
    StatusCode: "Complete",
  }));
  return JSON.stringify({ Messages: [], MetricDataResults: results }, null, 4);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Prints the import figures (never asserted: timings flake on shared machines). */
export async function benchImport(): Promise<void> {
  console.log("== import");
  const dir = await mkdtemp(join(tmpdir(), "esmlab-bench-import-"));
  try {
    const file = join(dir, "gmd-15-days.json");
    const text = exportText();
    await writeFile(file, text);
    const times: number[] = [];
    let rows = 0;
    for (let k = 0; k < RUNS + 2; k++) {
      const t0 = performance.now();
      const { run } = await loadCloudWatch([file]);
      const ms = performance.now() - t0;
      rows = run.series.length;
      if (k >= 2) times.push(ms); // two warm-up runs
    }
    const { run } = await loadCloudWatch([file]);
    const t0 = performance.now();
    await writeRun(run, join(dir, "run"));
    const writeMs = performance.now() - t0;
    console.log(
      `  15-day GetMetricData export (${METRICS.length} metrics × ${MINUTES} points, ` +
        `${(text.length / 1e6).toFixed(1)} MB): import ${median(times).toFixed(0)} ms median of ${RUNS} ` +
        `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}), ${rows} rows; ` +
        `writeRun ${writeMs.toFixed(0)} ms`,
    );
    console.log("  target: import under 200 ms");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
