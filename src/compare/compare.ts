/**
 * Compare two runs — typically a measured one (A) and a simulation of it (B) — the way CloudWatch
 * shows them.
 *
 * ```
 * A ─┬─▶ CloudWatch view ─▶ per-minute errors ─┐
 *    └─▶ three-phase fit ─▶ boundaries, plateau ┼─▶ Comparison + verdict
 * B ─┴─▶ (same, shifted by the alignment) ─────┘
 * ```
 *
 * Alignment: B's time is shifted by an offset so that both runs' first minute with an
 * invocation coincide, or by a given offset. Every B time reported is already shifted (B's
 * seconds minus the offset), so differences read as "B later by …".
 */
import { fitThreePhases, type ThreePhaseFit, type ThreePhaseOptions } from "../fit/three-phase.js";
import type { Run } from "../run/run.js";
import { EsmlabError } from "../util/errors.js";
import { type ViewError, viewError } from "./view-error.js";

export interface CompareOptions {
  /** Shift of B in seconds (B's t − offset is compared with A's t); default: first invocations. */
  readonly offsetSec?: number;
  /** Facts for fitting A's phases (partitions, duration, production end) when A lacks them. */
  readonly fitA?: ThreePhaseOptions;
  readonly fitB?: ThreePhaseOptions;
}

/** One phase boundary in both runs. */
export interface BoundaryDiff {
  /** e.g. "tear-up end" */
  readonly boundary: string;
  readonly aSec: number;
  /** B's time, shifted by the offset. */
  readonly bSec: number;
  /** bSec − aSec */
  readonly diffSec: number;
}

/** Records processed before a boundary of A, in both runs. */
export interface CumulativeAt {
  readonly atSec: number;
  readonly boundary: string;
  readonly a: number;
  readonly b: number;
  readonly diff: number;
  /** diff / a; null when a is 0. */
  readonly relative: number | null;
}

export interface Comparison {
  readonly a: RunRef;
  readonly b: RunRef;
  readonly offsetSec: number;
  readonly alignment: "first invocation" | "given offset";
  /** Per-minute errors of the CloudWatch views. */
  readonly view: ViewError;
  readonly boundaries: BoundaryDiff[];
  /** Boundaries that only one of the runs has. */
  readonly unmatchedBoundaries: string[];
  /** Mean concurrency of the max-throughput phase; null when a run has none. */
  readonly plateau: { readonly a: number; readonly b: number; readonly diff: number } | null;
  /** Null when a run has no processed records (e.g. a measured run without CommittedEventCount). */
  readonly cumulativeProcessed: CumulativeAt[] | null;
  /** Deepest lag; null when a run has no lag cells. */
  readonly peakLag: { readonly a: number; readonly b: number; readonly diff: number } | null;
  /** The evaluation interval the verdict counts in, and where it came from. */
  readonly evaluationIntervalSec: number | null;
  readonly evaluationIntervalBasis: string;
  readonly verdict: string;
}

export interface RunRef {
  readonly id: string;
  readonly label: string;
  readonly source: string;
}

/**
 * Compare B with A.
 * @throws EsmlabError when a run has no concurrency to fit (from fitThreePhases)
 * @example compareRuns(measured, simulated).verdict
 * // "B within 1 evaluation interval (900 s) of A at every phase boundary and ±0 consumers on the plateau; concurrency RMSE 0.4"
 */
export function compareRuns(a: Run, b: Run, options: CompareOptions = {}): Comparison {
  if (options.offsetSec !== undefined) checkOffset(options.offsetSec, a, b, "offsetSec");
  const view = viewError(a, b, options.offsetSec);
  const offset = view.offsetSec;
  const fa = fitThreePhases(a, options.fitA);
  const fb = fitThreePhases(b, options.fitB);
  const ba = boundaryTimes(fa, 0);
  const bb = boundaryTimes(fb, offset);
  const boundaries: BoundaryDiff[] = [];
  const unmatched: string[] = [];
  for (const name of new Set([...ba.keys(), ...bb.keys()])) {
    const x = ba.get(name);
    const y = bb.get(name);
    if (x === undefined || y === undefined)
      unmatched.push(`${name} (only in ${x === undefined ? "B" : "A"})`);
    else boundaries.push({ boundary: name, aSec: x, bSec: y, diffSec: y - x });
  }
  const plateauOf = (f: ThreePhaseFit) =>
    f.phases.find((p) => p.name === "max-throughput")?.meanConcurrency ?? null;
  const pa = plateauOf(fa);
  const pb = plateauOf(fb);
  const plateau = pa === null || pb === null ? null : { a: pa, b: pb, diff: pb - pa };
  const la = peak(a.series.columns.lag);
  const lb = peak(b.series.columns.lag);
  const peakLag = la === null || lb === null ? null : { a: la, b: lb, diff: lb - la };
  const interval = evaluationInterval(a, b, fa, fb);
  const cumulativeProcessed = cumulative(a, b, [...ba], offset);
  const comparison = {
    a: ref(a),
    b: ref(b),
    offsetSec: offset,
    alignment:
      options.offsetSec === undefined ? ("first invocation" as const) : ("given offset" as const),
    view,
    boundaries,
    unmatchedBoundaries: unmatched,
    plateau,
    cumulativeProcessed,
    peakLag,
    evaluationIntervalSec: interval.sec,
    evaluationIntervalBasis: interval.basis,
  };
  return { ...comparison, verdict: verdict(comparison) };
}

/** Seconds a run spans: its rows × its resolution. */
function spanSec(run: Run): number {
  return run.series.length * run.meta.resolutionSec;
}

/**
 * The largest shift of B worth comparing: A's span plus B's. Beyond it the runs share no
 * minute, and the per-minute comparison would walk (and allocate) every minute in between.
 */
export function maxOffsetSec(a: Run, b: Run): number {
  return spanSec(a) + spanSec(b);
}

/**
 * Refuse an offset that is not a finite number of seconds within ±{@link maxOffsetSec}.
 * @param name how the caller calls it ("--offset", "offsetSec")
 * @throws EsmlabError (exit code 2) naming `name`, the value and the bound
 */
export function checkOffset(offsetSec: number, a: Run, b: Run, name: string): void {
  const bound = maxOffsetSec(a, b);
  if (Number.isFinite(offsetSec) && Math.abs(offsetSec) <= bound) return;
  throw new EsmlabError(
    `invalid ${name}: ${Number.isFinite(offsetSec) ? offsetSec : String(offsetSec)} s: must be within ±${bound} s (A's span ${spanSec(a)} s + B's ${spanSec(b)} s), beyond which the runs share no minute`,
    { exitCode: 2 },
  );
}

function ref(run: Run): RunRef {
  return { id: run.meta.id, label: run.meta.label, source: run.meta.source };
}

/** Phase starts and ends by name ("tear-up start", …), shifted back by `offset`. */
function boundaryTimes(fit: ThreePhaseFit, offset: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of fit.phases) {
    out.set(`${p.name} start`, p.start - offset);
    out.set(`${p.name} end`, p.end - offset);
  }
  return out;
}

function peak(column: Float64Array): number | null {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of column) if (v > max) max = v;
  return max === Number.NEGATIVE_INFINITY ? null : max;
}

/** Records processed in rows starting before t (null when the column has no value). */
function processedBefore(run: Run, t: number): number | null {
  const { t: ts, processed } = run.series.columns;
  let sum = 0;
  let seen = false;
  for (let i = 0; i < run.series.length && ts[i]! < t; i++) {
    const v = processed[i]!;
    if (!Number.isNaN(v)) {
      sum += v;
      seen = true;
    }
  }
  return seen ? sum : null;
}

function cumulative(
  a: Run,
  b: Run,
  boundaries: [string, number][],
  offset: number,
): CumulativeAt[] | null {
  if (peak(a.series.columns.processed) === null || peak(b.series.columns.processed) === null)
    return null;
  return boundaries.map(([boundary, atSec]) => {
    const x = processedBefore(a, atSec) ?? 0;
    const y = processedBefore(b, atSec + offset) ?? 0;
    return { boundary, atSec, a: x, b: y, diff: y - x, relative: x === 0 ? null : (y - x) / x };
  });
}

/** The scenario's interval when a run is simulated, else the fits' estimate. */
function evaluationInterval(
  a: Run,
  b: Run,
  fa: ThreePhaseFit,
  fb: ThreePhaseFit,
): { sec: number | null; basis: string } {
  for (const [run, name] of [
    [b, "B"],
    [a, "A"],
  ] as const) {
    const sc = run.meta.scenario;
    if (sc !== undefined && "evaluationIntervalSec" in sc.scaler) {
      return { sec: sc.scaler.evaluationIntervalSec, basis: `${name}'s scenario` };
    }
  }
  const est = fa.evaluationIntervalSec ?? fb.evaluationIntervalSec;
  return {
    sec: est,
    basis: est === null ? "none: no scale-ups to measure" : "estimated from the runs' steps",
  };
}

function verdict(c: Omit<Comparison, "verdict">): string {
  const parts: string[] = [];
  const worst = c.boundaries.reduce((m, d) => Math.max(m, Math.abs(d.diffSec)), 0);
  if (c.boundaries.length > 0) {
    if (c.evaluationIntervalSec !== null && c.evaluationIntervalSec > 0) {
      const n = Math.max(1, Math.ceil(worst / c.evaluationIntervalSec - 1e-9));
      parts.push(
        `within ${n} evaluation interval${n > 1 ? "s" : ""} (${c.evaluationIntervalSec} s) of A at every phase boundary (worst ${Math.round(worst)} s)`,
      );
    } else {
      parts.push(`within ${Math.round(worst)} s of A at every phase boundary`);
    }
  }
  if (c.plateau !== null) {
    const k = Math.round(Math.abs(c.plateau.diff));
    parts.push(`±${k} consumer${k === 1 ? "" : "s"} on the plateau`);
  }
  const head = parts.length > 0 ? `B ${parts.join(" and ")}` : "B and A share no phase to compare";
  const tail = [
    `concurrency RMSE ${round(c.view.concurrencyRmse)} over ${c.view.minutesCompared} min`,
  ];
  if (c.unmatchedBoundaries.length > 0) tail.push(`unmatched: ${c.unmatchedBoundaries.join(", ")}`);
  return `${head}; ${tail.join("; ")}`;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
