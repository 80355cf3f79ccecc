/**
 * The lines `esmlab simulate` prints after a simulation, also shown by the report's what-if
 * panel: the same text for the same run wherever it is read.
 */
import { fmt } from "../util/text-table.js";
import type { Run } from "./run.js";

/**
 * A few lines a person reads after a simulation: records, peaks, latency, scaling steps, EPU
 * cost (provisioned mode) and how many parameters are assumptions.
 */
export function describeRun(run: Run): string {
  const s = run.meta.summary;
  const lat = s.latency;
  const events = run.meta.scaleEvents ?? [];
  const lines = [
    `${run.meta.label} [${run.meta.id}]`,
    `  records ${s.initialLagRecords ? `${fmt(s.initialLagRecords)} in the initial backlog + ` : ""}${fmt(s.producedRecords)} produced, ${fmt(s.processedRecords)} processed; ${fmt(s.invocations)} invocations, ${fmt(s.errors)} errors, ${fmt(s.throttles)} throttles`,
    `  peak concurrency ${fmt(s.peakConcurrency)}, peak lag ${fmt(s.peakLagRecords)}, peak pollers ${fmt(s.peakPollers)}; run ends at ${fmt(s.durationSec, "duration")}${s.truncated ? " (TRUNCATED: backlog not drained)" : ""}`,
  ];
  if (lat) {
    lines.push(
      `  latency p50 ${fmt(lat.p50Sec, "duration")}, p90 ${fmt(lat.p90Sec, "duration")}, p99 ${fmt(lat.p99Sec, "duration")}, max ${fmt(lat.maxSec, "duration")}`,
    );
  }
  if (events.length > 0) {
    lines.push(
      `  scaling: ${events.map((e) => `${fmt(e.tSec, "seconds")} s ${fmt(e.from)}→${fmt(e.to)}`).join(", ")}`,
    );
  }
  if (s.epu)
    lines.push(
      `  EPU ${fmt(s.epu.epuHours, "ratio")} h ≈ $${fmt(s.epu.usd, "ratio")} at $${fmt(s.epu.usdPerEpuHour)}/EPU-hour`,
    );
  if (run.meta.assumed && run.meta.assumed.length > 0) {
    lines.push(
      `  assumed (undocumented) parameters: ${fmt(run.meta.assumed.length)} — see run.json "parameters"`,
    );
  }
  return lines.join("\n");
}
