/**
 * The seed blog's figures, in one place: what each of its conclusions says (`BLOG_FIGURES`:
 * key → text, `conclusionKey`, `conclusionText`), and a run's value for each beside the blog's
 * formula (`compareWithBlog`, which the three-phase fit calls; `figures.ts` reads the same
 * values for `esmlab cases`, so no two commands count a run's first 15 minutes differently).
 *
 * A run's figures beside the seed blog's formulas (Hexaview, "AWS Lambda Scaling with MSK",
 * Feb 2023; `docs/aws-esm.md`), one row a conclusion: observed, predicted, relative error, and a
 * note saying where the prediction's inputs came from — or why a value is missing. A formula
 * whose inputs are unknown predicts null: nothing is invented.
 */
import { round } from "../fit/phase-figures.js";
import type { RunFacts } from "../fit/run-facts.js";
import type { ThreePhaseFit } from "../fit/three-phase.js";
import type { Run } from "../run/run.js";
import { SEED_CASES } from "../scenario/builtins.js";

/** The blog's tear-up length, seconds: its first window, and its evaluation cadence. */
export const TEAR_UP_SEC = 900;

/** The compared figures, each with the blog's conclusion it tests. */
export const BLOG_FIGURES = {
  maxConcurrencyFirst15Min: "1. one invocation at a time in the first 15 min",
  invocationsFirst15Min: "2. invocations in the first 15 min = 900 / mean duration",
  evaluationIntervalSec: "3. re-evaluation every 13–15 min (s)",
  plateauConcurrency: "4a. max concurrency = partitions",
  maxInvocationsPerMin: "4b. max invocations per minute = partitions × 60 / mean duration",
  coolDownSec: "5. cool-down ~15 min (s)",
} as const;
/** The policy of the blog's era: the scaler its figures were measured under. */
export const BLOG_POLICY = "legacy-15min";

/**
 * Whether the blog's figures are a yardstick for a run: a simulation of one of its three cases
 * under the scaler of its era. For any other run — another workload, another scaler, a
 * measurement of the user's own system — its conclusions describe something else, and "1 of 6
 * within 10 %" would read as a verdict on a system the blog never saw. A user who knows a run
 * is comparable says so (`esmlab fit --blog`, `phaseVerdict(…, { blog: true })`).
 * @example blogApplies(simulate(case2 under legacy-15min)) // true
 */
export function blogApplies(run: Run): boolean {
  if (run.meta.source !== "simulated") return false;
  const sc = run.meta.scenario;
  return (SEED_CASES as readonly string[]).includes(sc.name) && sc.scaler.policy === BLOG_POLICY;
}

/** A compared figure's key ("plateauConcurrency"). */
export type BlogFigure = keyof typeof BLOG_FIGURES;

/**
 * The number of the blog's conclusion a figure tests, as the report's column heads show it.
 * @example conclusionKey("plateauConcurrency") // "4a"
 */
export function conclusionKey(f: BlogFigure): string {
  return BLOG_FIGURES[f].split(".")[0]!;
}

/**
 * The blog's conclusion a figure tests, in words, without its number.
 * @example conclusionText("plateauConcurrency") // "max concurrency = partitions"
 */
export function conclusionText(f: BlogFigure): string {
  return BLOG_FIGURES[f].slice(BLOG_FIGURES[f].indexOf(".") + 1).trim();
}

export interface BlogComparisonRow {
  readonly figure: BlogFigure;
  /** The blog's conclusion, in words (numbered as in `docs/aws-esm.md`). */
  readonly conclusion: string;
  readonly observed: number | null;
  readonly predicted: number | null;
  /** (observed − predicted) / predicted; null when either is unknown or predicted is 0. */
  readonly relativeError: number | null;
  readonly note: string;
}

/** Figures of the three-phase fit that the comparison uses; null when not found. */
export interface PhaseObservations {
  /** When the tear-up starts (first activity), seconds from the run start. */
  readonly startSec: number;
  /** Max concurrency of the max-throughput phase. */
  readonly plateauConcurrency: number | null;
  readonly evaluationIntervalSec: number | null;
  /** Length of the cool-down phase, seconds. */
  readonly coolDownSec: number | null;
  /** Why a null observation is null, by figure. */
  readonly why: Partial<Record<BlogFigure, string>>;
}

/**
 * A run's three-phase fit compared with the blog: {@link compareWithBlog} on what the fit
 * observed (the tear-up's start, the plateau's peak, the scale-up interval, the cool-down's
 * length, and why any of them is missing). The one way esmlab reads the blog's figures off a
 * fitted run: `esmlab fit`, `esmlab cases`, the verdicts and the conclusions table all use it.
 *
 * @example blogComparison(case1, fitThreePhases(case1))[1].predicted // 300 (900 / 3 s)
 */
export function blogComparison(run: Run, fit: ThreePhaseFit): BlogComparisonRow[] {
  const phase = (name: string) => fit.phases.find((p) => p.name === name);
  const why: Partial<Record<BlogFigure, string>> = {};
  if (fit.evaluationIntervalSec === null) {
    why.evaluationIntervalSec = "no scale-up seen: nothing to measure";
  }
  const mtWhy = fit.missingReasons["max-throughput"];
  const cdWhy = fit.missingReasons["cool-down"];
  if (mtWhy !== undefined) why.plateauConcurrency = `no max-throughput phase: ${mtWhy}`;
  if (cdWhy !== undefined) why.coolDownSec = `no cool-down phase: ${cdWhy}`;
  return compareWithBlog(
    run,
    {
      startSec: fit.startSec,
      plateauConcurrency: phase("max-throughput")?.maxConcurrency ?? null,
      evaluationIntervalSec: fit.evaluationIntervalSec,
      coolDownSec: phase("cool-down")?.durationSec ?? null,
      why,
    },
    fit.facts,
  );
}

/**
 * Compare a run with the blog's five conclusions. The first 15 minutes are counted from the
 * tear-up's start; a run shorter than that gets no invocation count (a part of the window would
 * not compare with 900 / duration). Invocations per minute are per clock minute (⌊t / 60⌋, as
 * CloudWatch groups them); at a resolution coarser than a minute, the per-minute average of
 * the busiest interval.
 *
 * @param run the run whose series are read (invocations, concurrency)
 * @param phases what the three-phase fit found
 * @param facts partitions and mean duration, if known
 * @returns six rows, in {@link BLOG_FIGURES} order
 * @example
 * compareWithBlog(case1, phases, facts)[1]
 * // { figure: "invocationsFirst15Min", observed: 300, predicted: 300, relativeError: 0, … }
 */
export function compareWithBlog(
  run: Run,
  phases: PhaseObservations,
  facts: RunFacts,
): BlogComparisonRow[] {
  const { t, concurrency, invocations } = run.series.columns;
  const res = run.meta.resolutionSec;
  const n = run.series.length;
  const windowEnd = phases.startSec + TEAR_UP_SEC;
  const covered = n > 0 && t[n - 1]! + res >= windowEnd;
  let max15: number | null = null;
  let inv15 = 0;
  const perMinute = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    const c = concurrency[i]!;
    const v = invocations[i]!;
    if (ti >= phases.startSec && ti < windowEnd) {
      if (c > (max15 ?? Number.NEGATIVE_INFINITY)) max15 = c;
      if (v > 0) inv15 += v;
    }
    if (v > 0) {
      const minute = Math.floor(ti / 60);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + v);
    }
  }
  let busiest = 0;
  for (const count of perMinute.values()) if (count > busiest) busiest = count;
  const perMin = res > 60 ? (busiest * 60) / res : busiest;
  const hasInvocations = invocations.some((v) => !Number.isNaN(v));

  const { partitions: p, meanDurationSec: d, sources } = facts;
  const pUnknown = p === null && "partitions unknown (give --partitions)";
  const dUnknown = d === null && "mean duration unknown (give --duration)";
  const pText = `${p} partitions (${sources.partitions})`;
  const dText = `mean duration ${d === null ? "" : round(d)} s (${sources.meanDurationSec})`;
  const end = n > 0 ? t[n - 1]! + res : 0;
  const short =
    !covered && `the run covers ${round(Math.max(0, end - phases.startSec))} s of the first 15 min`;
  const noInvocations = !hasInvocations && "no invocations column";

  return [
    row("maxConcurrencyFirst15Min", max15, 1, notes(short)),
    row(
      "invocationsFirst15Min",
      covered && hasInvocations ? inv15 : null,
      d === null ? null : TEAR_UP_SEC / d,
      notes(noInvocations, short, dUnknown) || `900 / ${dText}`,
    ),
    row(
      "evaluationIntervalSec",
      phases.evaluationIntervalSec,
      TEAR_UP_SEC,
      phases.why.evaluationIntervalSec ?? "blog: every 13–15 min",
    ),
    row(
      "plateauConcurrency",
      phases.plateauConcurrency,
      p,
      notes(phases.why.plateauConcurrency ?? false, pUnknown) || pText,
    ),
    row(
      "maxInvocationsPerMin",
      hasInvocations ? perMin : null,
      p === null || d === null ? null : (p * 60) / d,
      notes(noInvocations, pUnknown, dUnknown) || `${pText} × 60 / ${dText}`,
    ),
    row("coolDownSec", phases.coolDownSec, TEAR_UP_SEC, phases.why.coolDownSec ?? "blog: ~15 min"),
  ];
}

/** The reasons that apply, joined; "" when none does. */
function notes(...reasons: (string | false)[]): string {
  return reasons.filter((r) => r !== false).join("; ");
}

function row(
  figure: BlogFigure,
  observed: number | null,
  predicted: number | null,
  note: string,
): BlogComparisonRow {
  return {
    figure,
    conclusion: BLOG_FIGURES[figure],
    observed: observed === null ? null : round(observed),
    predicted: predicted === null ? null : round(predicted),
    relativeError:
      observed === null || predicted === null || predicted === 0
        ? null
        : round((observed - predicted) / predicted),
    note,
  };
}
