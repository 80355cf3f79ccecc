/**
 * The seed blog's three-phase model fitted to a run: tear-up, max-throughput, cool-down.
 *
 * ```
 * concurrency ─▶ trim leading idle ─▶ peak per minute ─▶ median of 3 ─▶ segment (≥ minStepSec)
 *   minute steps ─▶ step boundaries on the run's rows ─▶ levels, R²        (phase-layout.ts)
 *   levels ─▶ tear-up:        first activity → first step above the initial level
 *          ─▶ max-throughput: the first run of levels near the peak (cut at production end)
 *          ─▶ cool-down:      production end (else plateau end) → concurrency at its floor
 * pollers (else steps up) ─▶ evaluation interval, initial pollers
 * phases + run facts (the blog's comparison is made from them in src/blog/)
 * ```
 *
 * Phases are only reported when the series shows them: a run that never steps up has a
 * tear-up and nothing else, and says why. Which phases a run has, and between which minutes,
 * is decided on its 1-minute peaks, as CloudWatch shows them; the boundaries are then placed on
 * the run's own rows. So a run fitted at 1 s and at 1 min finds the same phases, with every
 * boundary less than a minute apart (the convention is spelt out in phase-layout.ts). Cost:
 * O(rows) besides `segment` (change-points.ts), O(R²) over the R runs of equal values among the
 * run's minutes.
 */

import type { Run, RunSource } from "../run/run.js";
import { EsmlabError } from "../util/errors.js";
import {
  hasValues,
  PHASE_NAMES,
  type PhaseFigures,
  type PhaseName,
  phaseFigures,
  round,
} from "./phase-figures.js";
import {
  idleLayout,
  type LevelSpan,
  type ProductionEnd,
  phaseLayout,
  type StepChange,
} from "./phase-layout.js";
import { type RunFacts, type RunFactsOptions, runFacts } from "./run-facts.js";

export interface ThreePhaseOptions extends RunFactsOptions {
  /**
   * Shortest step that counts as sustained, seconds; default 120 (two CloudWatch minutes), so
   * a one-minute blip is never a phase. Steps are found on 1-minute peaks, so at least two
   * minutes at any resolution (two intervals for a run whose interval does not divide 60 s).
   */
  readonly minStepSec?: number;
}

export type { LevelSpan, StepChange } from "./phase-layout.js";

export interface ThreePhaseFit {
  readonly runId: string;
  readonly label: string;
  readonly source: RunSource;
  readonly resolutionSec: number;
  /** The phases found, in time order. */
  readonly phases: PhaseFigures[];
  readonly found: PhaseName[];
  readonly missing: PhaseName[];
  /** Why each missing phase is missing. */
  readonly missingReasons: Partial<Record<PhaseName, string>>;
  /** The step model of concurrency, from the first activity to the run's end. */
  readonly levels: LevelSpan[];
  readonly steps: StepChange[];
  /** Median gap between scale-ups (the first counted from the tear-up's start), seconds. */
  readonly evaluationIntervalSec: number | null;
  /** What the scale-ups were read from: the pollers column, else steps up of concurrency. */
  readonly evaluationIntervalBasis: "pollers" | "concurrency" | null;
  /** First pollers value, else the tear-up level when a scale-up shows it was saturated. */
  readonly initialPollers: number | null;
  /** R² of the step model of concurrency (1 for a constant series). */
  readonly r2: number;
  readonly facts: RunFacts;
  /** When the tear-up starts: the first interval with concurrency > 0 (the run's start if none). */
  readonly startSec: number;
  /** Stretches that belong to no phase, and other remarks. */
  readonly notes: string[];
}

/**
 * Fit the three-phase model to a run (simulated at 1 s or measured at 1 min).
 *
 * Definitions (concurrency levels from the step model of the 1-minute peaks; "above" means by
 * more than max(0.5, 5 % of the peak level), half an invocation at least):
 * - tear-up: from the first interval with concurrency > 0 to the first step above the initial
 *   level (to the last activity when there is none);
 * - max-throughput: the first unbroken run of steps within 10 % of the rise of the peak
 *   (peak − initial), ended early by the end of production;
 * - cool-down: from the end of production (when it falls after the plateau's first minute),
 *   else the plateau's end, to the end of the last interval above the floor = min(initial,
 *   final level). Missing cells count as idle: CloudWatch emits no concurrency while idle.
 * A boundary is the first row of what follows it (a step's first row, the row after the last
 * one above the floor); production's end is its instant when known, else the middle of the
 * last row that produced. Each lies less than a minute from the same run's boundary at 60 s.
 * The levels, steps and R² reported are those of the run's own rows.
 *
 * @param run the run; its concurrency column must have a value
 * @param options partitions, mean duration and production end for runs that do not carry them
 *   (see {@link runFacts}), and the sustained-step length
 * @throws EsmlabError when the concurrency column is empty or all missing, or an option is
 *   invalid (`invalid minStepSec: 0 (fit options): must be > 0`)
 * @example
 * const fit = fitThreePhases(case1Run);
 * fit.phases.map((p) => [p.name, p.start, p.end]);
 * // [["tear-up", 0, 900], ["max-throughput", 900, 1999.5], ["cool-down", 1999.5, 2011]]
 */
export function fitThreePhases(run: Run, options: ThreePhaseOptions = {}): ThreePhaseFit {
  const minStepSec = options.minStepSec ?? 120;
  if (!(minStepSec > 0 && minStepSec < Infinity)) {
    throw new EsmlabError(`invalid minStepSec: ${minStepSec} (fit options): must be > 0`);
  }
  const facts = runFacts(run, options);
  const { t, concurrency, pollers } = run.series.columns;
  if (!hasValues(concurrency)) {
    throw new EsmlabError(
      `run ${run.meta.id}: no concurrency values (column missing or empty), nothing to fit`,
    );
  }
  const first = concurrency.findIndex((c) => c > 0);
  const layout =
    first < 0 ? idleLayout(t[0]!) : phaseLayout(run, first, minStepSec, productionEnd(facts));
  const interval = evaluationInterval(run, layout.startSec, layout.steps);
  const hasPollers = hasValues(pollers);
  const phases = layout.windows.map((w) => phaseFigures(run, w.name, w.start, w.end));
  return {
    runId: run.meta.id,
    label: run.meta.label,
    source: run.meta.source,
    resolutionSec: run.meta.resolutionSec,
    phases,
    found: phases.map((p) => p.name),
    missing: PHASES.filter((name) => name in layout.missingReasons),
    missingReasons: layout.missingReasons,
    levels: layout.levels,
    steps: layout.steps,
    evaluationIntervalSec: interval,
    evaluationIntervalBasis: interval === null ? null : hasPollers ? "pollers" : "concurrency",
    initialPollers: hasPollers
      ? firstValue(pollers)
      : layout.steps.some((s) => s.to > s.from) && layout.levels[0] !== undefined
        ? Math.max(1, Math.round(layout.levels[0].level))
        : null,
    r2: layout.r2,
    facts,
    startSec: layout.startSec,
    notes: layout.notes,
  };
}

const PHASES = Object.keys(PHASE_NAMES) as PhaseName[];

/**
 * Median gap between scale-ups, the first gap counted from `startSec` (the mapping is taken to
 * start its evaluation clock with the run, as in the blog). Scale-ups are rises of the pollers
 * column when it has values — every one is an evaluation — else rises of the step model, which
 * only resolve gaps longer than a sustained step.
 */
function evaluationInterval(
  run: Run,
  startSec: number,
  steps: readonly StepChange[],
): number | null {
  const { t, pollers } = run.series.columns;
  const ups: number[] = [];
  if (hasValues(pollers)) {
    let prev = Number.NaN;
    for (let i = 0; i < run.series.length; i++) {
      const p = pollers[i]!;
      if (Number.isNaN(p)) continue;
      if (p > prev) ups.push(t[i]!);
      prev = p;
    }
  } else {
    for (const s of steps) if (s.to > s.from) ups.push(s.tSec);
  }
  const gaps: number[] = [];
  let prev = startSec;
  for (const u of ups) {
    if (u > prev) gaps.push(u - prev);
    prev = u;
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return round(gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2);
}

/** The run's production end, and whether it is only known to the row (a `produced` column). */
function productionEnd(facts: RunFacts): ProductionEnd | null {
  const sec = facts.productionEndSec;
  if (sec === null) return null;
  return { sec, rowEnd: facts.sources.productionEndSec === "produced column" };
}

function firstValue(column: Float64Array): number | null {
  for (const v of column) if (!Number.isNaN(v)) return v;
  return null;
}
