/**
 * One line per run that says how it scaled, in the blog's terms: how long the tear-up lasted
 * and at what concurrency, where the plateau sat against the partition count, and when the
 * backlog drained after production ended — plus how many of the blog's figures the run
 * reproduces. Built from a three-phase fit and the run's own series; an unknown value is said
 * to be unknown, never guessed.
 *
 * @example phaseVerdict(case2Run, fitThreePhases(case2Run)).line
 * // "case2: tear-up 15 min at 1 invocation; plateau 20 = partitions;
 * //  drained 354 s after production ended; blog figures: 4 of 6 within 10%"
 */

import type { ThreePhaseFit } from "../fit/three-phase.js";
import type { Run } from "../run/run.js";
import { formatDuration, formatNumber } from "../util/format.js";
import { type BlogComparisonRow, blogApplies, blogComparison } from "./comparison.js";

/** The parts of a verdict, each a phrase; null when the run says nothing about it. */
export interface PhaseVerdict {
  /** The run's short name: its label up to the first ":" (e.g. "case2"). */
  readonly label: string;
  readonly source: Run["meta"]["source"];
  readonly tearUp: string;
  readonly plateau: string;
  readonly drained: string;
  /** How many of the blog's figures could be compared, and how many are within tolerance. */
  readonly blog: {
    readonly compared: number;
    readonly agreeing: number;
    readonly tolerancePct: number;
  };
  /** The blog comparison rows the verdict counted (for a conclusions table). */
  readonly conclusions: readonly BlogComparisonRow[];
  /** The numbers behind the phrases, for findings written from several runs. */
  readonly facts: VerdictFacts;
  /** The run's provenance warnings (e.g. a synthetic export), to be shown with the line. */
  readonly warnings: readonly string[];
  /** All of the above as one line. */
  readonly line: string;
}

/** A verdict's numbers; null where the run does not tell. */
export interface VerdictFacts {
  /** The scaler policy the run was simulated under; null for a measured run. */
  readonly policy: string | null;
  readonly partitions: number | null;
  /** Tear-up: how long, and the highest concurrency in it. */
  readonly tearUpSec: number | null;
  readonly tearUpConcurrency: number | null;
  /** Highest concurrency of the max-throughput phase. */
  readonly plateauConcurrency: number | null;
  /** Records produced per minute while production ran. */
  readonly producedPerMin: number | null;
  /** Records processed per minute during the tear-up. */
  readonly tearUpThroughputPerMin: number | null;
  /** Deepest lag at an interval end, records. */
  readonly peakLagRecords: number | null;
  /** Seconds from the end of production until the lag reached 0; null when unknown or never. */
  readonly drainedAfterSec: number | null;
  /**
   * Concurrency the arrivals need to be kept up with: records per second × mean duration ÷
   * batch size (a full batch per invocation; from the run's scenario, null when it has none).
   */
  readonly arrivalBound?: number | null;
  /**
   * The latest the run's policy documents its first scale-up, seconds after the start (one
   * evaluation and, where documented, the actuation); null when undocumented or unknown.
   */
  readonly documentedFirstScaleSec?: number | null;
  /** How long records waited from production to processing, 99th percentile, seconds. */
  readonly latencyP99Sec?: number | null;
}

/**
 * What each policy's documentation says of its cadence, as the latest first scale-up, seconds
 * (docs/aws-esm.md): legacy-15min evaluates every 15 min; on-demand (2022 and current)
 * evaluates every minute and acts "within three minutes of evaluation"; KEDA polls every 30 s
 * by default (pollingInterval) and the HPA syncs every 15 s. Provisioned mode documents no
 * cadence.
 */
export const DOCUMENTED_FIRST_SCALE_SEC: Readonly<Record<string, number>> = {
  "legacy-15min": 900,
  "on-demand-2022": 60 + 180,
  "on-demand-current": 60 + 180,
  keda: 30 + 15,
};

/** Options of {@link phaseVerdict}. */
export interface VerdictOptions {
  /** Largest relative error, %, counted as agreeing with the blog (default 10). */
  readonly tolerancePct?: number;
  /** The run's name in the verdict (default: the fit's label up to the first ":"). */
  readonly label?: string;
  /**
   * Compare with the blog's figures (default: only for a run of the blog's cases under its
   * era's scaler, `blogApplies`). The blog measured one scaler on three workloads: for any other
   * run its figures are not a yardstick, and the verdict says what the run's own scenario asks
   * instead of counting them; true compares a run the user knows to be comparable.
   */
  readonly blog?: boolean;
}

/**
 * The verdict of one run.
 *
 * Drained: the summary's `drainedAtSec` (simulated runs), else the end of the first interval at
 * or after the end of production whose lag is 0 (measured runs; lag is the value at the end of
 * the interval); without a lag column, the end of the cool-down phase, said as such.
 *
 * @param run the run the fit was made from
 * @param fit `fitThreePhases(run)`
 */
export function phaseVerdict(
  run: Run,
  fit: ThreePhaseFit,
  options: VerdictOptions = {},
): PhaseVerdict {
  const tolerancePct = options.tolerancePct ?? 10;
  const label = options.label ?? shortLabel(fit.label);
  const tearUp = tearUpPhrase(fit);
  const plateau = plateauPhrase(fit);
  const drained = drainedPhrase(run, fit);
  const judged = options.blog ?? blogApplies(run);
  const rows = judged ? blogComparison(run, fit) : [];
  const compared = rows.filter((b) => b.relativeError !== null);
  const agreeing = compared.filter((b) => Math.abs(b.relativeError!) * 100 <= tolerancePct);
  const facts = verdictFacts(run, fit);
  const blogPhrase = !judged
    ? ownScenarioPhrase(facts)
    : compared.length === 0
      ? "no blog figure could be compared"
      : `blog figures: ${agreeing.length} of ${compared.length} within ${tolerancePct}%`;
  return {
    label,
    source: run.meta.source,
    tearUp,
    plateau,
    drained,
    blog: { compared: compared.length, agreeing: agreeing.length, tolerancePct },
    conclusions: rows,
    facts,
    warnings: run.meta.provenance.warnings,
    line: `${label}: ${tearUp}; ${plateau}; ${drained}; ${blogPhrase}`,
  };
}

/** A run label's short name: up to the first ":" ("case2: 5 msg/s …" → "case2"). */
export function shortLabel(label: string): string {
  const head = label.split(":")[0]?.trim() ?? "";
  return head === "" ? label : head;
}

/**
 * Seconds in words, by the shared formatter (formatDuration) with a plain space.
 * @example formatSpan(900) // "15 min"
 * @example formatSpan(354) // "354 s"
 */
export function formatSpan(sec: number): string {
  return formatDuration(sec, { unitSpace: " " });
}

function invocationsPhrase(n: number): string {
  return `${n} invocation${n === 1 ? "" : "s"}`;
}

function tearUpPhrase(fit: ThreePhaseFit): string {
  const phase = fit.phases.find((p) => p.name === "tear-up");
  if (phase === undefined) return "no tear-up";
  const max = phase.maxConcurrency === null ? null : Math.round(phase.maxConcurrency);
  if (max === null) return `tear-up ${formatSpan(phase.durationSec)}`;
  const steady = phase.meanConcurrency !== null && Math.round(phase.meanConcurrency) === max;
  return `tear-up ${formatSpan(phase.durationSec)} at ${steady ? "" : "up to "}${invocationsPhrase(max)}`;
}

function plateauPhrase(fit: ThreePhaseFit): string {
  const phase = fit.phases.find((p) => p.name === "max-throughput");
  if (phase === undefined || phase.maxConcurrency === null) return "no plateau";
  const level = Math.round(phase.maxConcurrency);
  const partitions = fit.facts.partitions;
  if (partitions === null) return `plateau ${level} (partitions unknown)`;
  if (level === partitions) return `plateau ${level} = partitions`;
  return `plateau ${level} ${level < partitions ? "<" : ">"} ${partitions} partitions`;
}

function drainedPhrase(run: Run, fit: ThreePhaseFit): string {
  const end = fit.facts.productionEndSec;
  if (end === null) return "end of production unknown";
  const lag = run.series.columns.lag;
  const hasLag = lag.some((v) => !Number.isNaN(v));
  if (!hasLag) {
    const coolDown = fit.phases.find((p) => p.name === "cool-down");
    return coolDown === undefined
      ? "drain unknown (no lag, no cool-down)"
      : `concurrency back down ${afterEnd(coolDown.end - end)} (no lag series)`;
  }
  const drainedAt = drainedAtSec(run, end);
  if (drainedAt === null) {
    const last = lastValue(lag);
    return `not drained by the end of the run${last === null ? "" : ` (lag ${last})`}`;
  }
  return `drained ${afterEnd(drainedAt - end)}`;
}

/**
 * For a run the blog is no yardstick for: what its own scenario asks of the scaler — the
 * concurrency arrivals need, and the first scale-up its policy documents — and how long its
 * records waited (the drain is in the line already).
 */
function ownScenarioPhrase(f: VerdictFacts): string {
  const parts: string[] = [];
  if (f.arrivalBound !== null && f.arrivalBound !== undefined) {
    parts.push(`arrivals need ≈ ${formatNumber(f.arrivalBound)} (rate × duration / batch)`);
  }
  if (
    f.documentedFirstScaleSec !== null &&
    f.documentedFirstScaleSec !== undefined &&
    f.policy !== null
  ) {
    parts.push(
      `${f.policy} documents a first scale-up within ${formatSpan(f.documentedFirstScaleSec)}`,
    );
  }
  if (f.latencyP99Sec !== null && f.latencyP99Sec !== undefined) {
    parts.push(`records waited ${formatSpan(f.latencyP99Sec)} at the 99th percentile`);
  }
  return parts.length === 0
    ? "blog figures not compared (not the blog's scaler)"
    : `not the blog's scaler: ${parts.join("; ")}`;
}

function afterEnd(sec: number): string {
  return sec <= 0 ? "by the end of production" : `${formatSpan(sec)} after production ended`;
}

function verdictFacts(run: Run, fit: ThreePhaseFit): VerdictFacts {
  const tearUp = fit.phases.find((p) => p.name === "tear-up");
  const plateau = fit.phases.find((p) => p.name === "max-throughput");
  const end = fit.facts.productionEndSec;
  const { produced, lag } = run.series.columns;
  let total = 0;
  let seen = false;
  for (const v of produced) {
    if (Number.isNaN(v)) continue;
    total += v;
    seen = true;
  }
  let peak: number | null = null;
  for (const v of lag) if (!Number.isNaN(v) && (peak === null || v > peak)) peak = v;
  const drainedAt = end === null || peak === null ? null : drainedAtSec(run, end);
  const policy =
    run.meta.source === "simulated" ? (run.meta.scenario?.scaler.policy ?? null) : null;
  return {
    policy,
    partitions: fit.facts.partitions,
    tearUpSec: tearUp?.durationSec ?? null,
    tearUpConcurrency: tearUp?.maxConcurrency ?? null,
    plateauConcurrency: plateau?.maxConcurrency ?? null,
    producedPerMin: seen && end !== null && end > 0 && total > 0 ? (total * 60) / end : null,
    tearUpThroughputPerMin: tearUp?.throughputPerMin ?? null,
    peakLagRecords: peak,
    drainedAfterSec: drainedAt === null || end === null ? null : Math.max(0, drainedAt - end),
    arrivalBound: arrivalBound(run, fit),
    documentedFirstScaleSec: policy === null ? null : (DOCUMENTED_FIRST_SCALE_SEC[policy] ?? null),
    latencyP99Sec: run.meta.summary.latency?.p99Sec ?? null,
  };
}

/** Records per second × mean duration ÷ batch size, from the run's scenario, or null. */
function arrivalBound(run: Run, fit: ThreePhaseFit): number | null {
  const sc = run.meta.scenario;
  const duration = fit.facts.meanDurationSec;
  if (sc === undefined || duration === null) return null;
  const w = sc.workload;
  const rate = "ratePerSec" in w && typeof w.ratePerSec === "number" ? w.ratePerSec : null;
  if (rate === null || !(rate > 0)) return null;
  return (rate * duration) / sc.esm.batchSize;
}

/** When lag first reached 0 after `productionEndSec`, or null. */
function drainedAtSec(run: Run, productionEndSec: number): number | null {
  const fromSummary = run.meta.summary.drainedAtSec;
  if (fromSummary !== undefined && fromSummary !== null) return fromSummary;
  if (fromSummary === null && run.meta.source === "simulated") return null;
  const { t, lag } = run.series.columns;
  const res = run.meta.resolutionSec;
  for (let i = 0; i < run.series.length; i++) {
    const end = t[i]! + res;
    if (end >= productionEndSec && lag[i] === 0) return end;
  }
  return null;
}

function lastValue(column: Float64Array): number | null {
  for (let i = column.length - 1; i >= 0; i--) if (!Number.isNaN(column[i]!)) return column[i]!;
  return null;
}
