/**
 * What the blog's formulas need to know about a run — partitions, mean function duration, end
 * of production — and where each value came from. A simulated run carries them in its
 * scenario and summary; a measured one only in what the user gives, a CloudWatch `Duration`
 * column, or a `produced` column. Nothing is guessed: an unknown value is null.
 */
import { meanDurationSec } from "../lambda/duration.js";
import type { Run } from "../run/run.js";
import type { Scenario } from "../scenario/types.js";
import { EsmlabError } from "../util/errors.js";

/** Values a caller may give for a run that does not carry them (a measured run). */
export interface RunFactsOptions {
  /** Topic partitions (a whole number ≥ 1). */
  readonly partitions?: number;
  /** Mean function duration, seconds (> 0). */
  readonly meanDurationSec?: number;
  /** When the last record was produced, seconds from the run start (≥ 0). */
  readonly productionEndSec?: number;
}

/** Where a fact came from, for reports. */
export const FACT_SOURCES = {
  given: "given",
  scenario: "scenario",
  summary: "summary",
  "duration column": "duration column",
  "produced column": "produced column",
  unknown: "unknown",
} as const;
export type FactSource = keyof typeof FACT_SOURCES;

export interface RunFacts {
  readonly partitions: number | null;
  readonly meanDurationSec: number | null;
  readonly productionEndSec: number | null;
  readonly sources: {
    readonly partitions: FactSource;
    readonly meanDurationSec: FactSource;
    readonly productionEndSec: FactSource;
  };
}

/**
 * The run's partitions, mean duration and end of production. Order of precedence: the options;
 * then the scenario (simulated runs) or a `Duration` extra column (milliseconds, CloudWatch
 * Average per interval — weighted by invocations where they are known); then
 * `summary.productionEndSec`, else the end of the last interval with `produced` > 0.
 *
 * @throws EsmlabError for an invalid option, e.g. `invalid partitions: 0 (fit options): must be
 *   a whole number ≥ 1`
 * @example
 * runFacts(case1Run).partitions // 10, from the scenario
 * runFacts(measured, { partitions: 10 }).sources.partitions // "given"
 */
export function runFacts(run: Run, options: RunFactsOptions = {}): RunFacts {
  const { partitions, meanDurationSec: duration, productionEndSec: prodEnd } = options;
  if (partitions !== undefined && !(Number.isInteger(partitions) && partitions >= 1)) {
    throw new EsmlabError(
      `invalid partitions: ${partitions} (fit options): must be a whole number ≥ 1`,
    );
  }
  if (duration !== undefined && !(duration > 0 && duration < Infinity)) {
    throw new EsmlabError(`invalid meanDurationSec: ${duration} (fit options): must be > 0`);
  }
  if (prodEnd !== undefined && !(prodEnd >= 0 && prodEnd < Infinity)) {
    throw new EsmlabError(`invalid productionEndSec: ${prodEnd} (fit options): must be ≥ 0`);
  }
  const sc = scenarioFacts(run.meta.scenario);
  const p = pick(partitions, sc.partitions, "scenario");
  const d = pick(duration, sc.meanDurationSec, "scenario");
  const dCol = d.value === null ? durationColumnSec(run) : null;
  const e = pick(prodEnd, run.meta.summary.productionEndSec ?? null, "summary");
  const eCol = e.value === null ? lastProducedEndSec(run) : null;
  return {
    partitions: p.value,
    meanDurationSec: d.value ?? dCol,
    productionEndSec: e.value ?? eCol,
    sources: {
      partitions: p.source,
      meanDurationSec: dCol === null ? d.source : "duration column",
      productionEndSec: eCol === null ? e.source : "produced column",
    },
  };
}

function pick(
  given: number | undefined,
  carried: number | null,
  from: FactSource,
): { value: number | null; source: FactSource } {
  if (given !== undefined) return { value: given, source: "given" };
  if (carried !== null) return { value: carried, source: from };
  return { value: null, source: "unknown" };
}

/** Partitions and mean duration of a run's scenario (simulated runs only have one). */
function scenarioFacts(sc: Scenario | undefined): {
  partitions: number | null;
  meanDurationSec: number | null;
} {
  if (sc === undefined) return { partitions: null, meanDurationSec: null };
  let mean: number | null = null;
  // loading a run checks its scenario's duration kind, not the kind's fields: a run.json edited
  // by hand may lack them
  try {
    const v = meanDurationSec(sc.function.duration);
    if (v > 0 && Number.isFinite(v)) mean = v;
  } catch {
    mean = null;
  }
  return { partitions: sc.topic.partitions, meanDurationSec: mean };
}

/** Mean of a `Duration` extra column (ms), seconds; null without one or without values. */
function durationColumnSec(run: Run): number | null {
  const name = Object.keys(run.series.extra).find((k) => k.toLowerCase() === "duration");
  const column = name === undefined ? undefined : run.series.extra[name];
  if (column === undefined) return null;
  const invocations = run.series.columns.invocations;
  let weighted = 0;
  let weight = 0;
  let plain = 0;
  let count = 0;
  for (let i = 0; i < run.series.length; i++) {
    const ms = column[i]!;
    if (!(ms > 0)) continue;
    plain += ms;
    count++;
    const w = invocations[i]!;
    if (w > 0) {
      weighted += ms * w;
      weight += w;
    }
  }
  // An interval's Average covers its invocations: weight by them when they are known.
  if (weight > 0) return weighted / weight / 1000;
  return count > 0 ? plain / count / 1000 : null;
}

/** End of the last interval with records produced, seconds; null without any. */
function lastProducedEndSec(run: Run): number | null {
  const { t, produced } = run.series.columns;
  for (let i = run.series.length - 1; i >= 0; i--) {
    if (produced[i]! > 0) return t[i]! + run.meta.resolutionSec;
  }
  return null;
}
