/**
 * Where the three phases lie in a run: the step model of its concurrency, and the phase
 * windows read off it (definitions at `fitThreePhases`, three-phase.ts). Cost O(rows) besides
 * {@link segment}, which is O(R²) over R runs of equal values.
 *
 * ```
 * concurrency ─▶ running median of 3 ─▶ segment (steps ≥ minStepSec) ─▶ step boundaries
 *   boundaries + measured values ─▶ levels, R² ─▶ tear-up, max-throughput, cool-down windows
 * ```
 */
import type { Run } from "../run/run.js";
import { type Segment, segment } from "./change-points.js";
import { medianFilter3 } from "./median-filter.js";
import { type PhaseName, round } from "./phase-figures.js";

/** A change of level between two steps. */
export interface StepChange {
  /** Start of the new level, seconds from the run start. */
  readonly tSec: number;
  readonly from: number;
  readonly to: number;
}

/** One step of the fitted step model, seconds from the run start. */
export interface LevelSpan {
  readonly start: number;
  readonly end: number;
  /** Mean concurrency over the step. */
  readonly level: number;
}

/** The phase windows of a run and the step model they come from. */
export interface Layout {
  readonly startSec: number;
  readonly windows: { name: PhaseName; start: number; end: number }[];
  readonly missingReasons: Partial<Record<PhaseName, string>>;
  readonly levels: LevelSpan[];
  readonly steps: StepChange[];
  readonly r2: number;
  readonly notes: string[];
}

/**
 * The layout of a run without activity: no phase, each missing for that reason.
 * @example idleLayout(0).windows // []
 */
export function idleLayout(startSec: number): Layout {
  const idle = "concurrency is 0 throughout: the run shows no activity";
  return {
    startSec,
    windows: [],
    missingReasons: { "tear-up": idle, "max-throughput": idle, "cool-down": idle },
    levels: [],
    steps: [],
    r2: 1,
    notes: [],
  };
}

/**
 * Step model of concurrency from row `first` (the first activity) on, and the phases in it.
 *
 * @param run the run
 * @param first index of the first row with concurrency > 0
 * @param minStepSec shortest sustained step, seconds (at least two rows are used)
 * @param productionEndSec when production ended, seconds; null when unknown
 * @example
 * phaseLayout(case1Run, 0, 120, 1999.5).windows
 * // [{ name: "tear-up", start: 0, end: 900 }, { name: "max-throughput", start: 900,
 * //   end: 1999.5 }, { name: "cool-down", start: 1999.5, end: 2011 }]
 */
export function phaseLayout(
  run: Run,
  first: number,
  minStepSec: number,
  productionEndSec: number | null,
): Layout {
  const { t, concurrency } = run.series.columns;
  const n = run.series.length;
  const res = run.meta.resolutionSec;
  const runEnd = t[n - 1]! + res;
  // Trailing missing cells are idle minutes (CloudWatch emits no concurrency while idle): the
  // last step ends with the last value, not the run.
  let lastPresent = n - 1;
  while (Number.isNaN(concurrency[lastPresent]!)) lastPresent--;
  // Steps are found on the smoothed series (no one-interval blips); levels and R² are those of
  // the measured values within the steps found.
  const smooth = medianFilter3(concurrency.subarray(first));
  const seg = segment(smooth, { minSegmentLength: Math.max(2, Math.ceil(minStepSec / res)) });
  const fitted = stepFit(concurrency.subarray(first), seg.segments);
  const raw = seg.segments.map((s, j) => ({
    start: t[first + s.start]!,
    end: first + s.end < n ? t[first + s.end]! : t[lastPresent]! + res,
    level: fitted.levels[j]!,
  }));
  const levels = raw.map((l) => ({ start: l.start, end: l.end, level: round(l.level) }));
  const steps = levels
    .slice(1)
    .map((l, j) => ({ tSec: l.start, from: levels[j]!.level, to: l.level }));
  const windows: Layout["windows"] = [];
  const missingReasons: Layout["missingReasons"] = {};
  const notes: string[] = [];
  const layout = {
    startSec: raw[0]!.start,
    windows,
    missingReasons,
    levels,
    steps,
    r2: fitted.r2,
    notes,
  };

  const initial = raw[0]!.level;
  const peak = Math.max(...raw.map((l) => l.level));
  const tol = Math.max(0.5, 0.05 * peak);
  const firstUp = raw.findIndex((l) => l.level > initial + tol);
  if (firstUp < 0) {
    let last = n - 1;
    while (!(concurrency[last]! > 0)) last--;
    windows.push({ name: "tear-up", start: raw[0]!.start, end: t[last]! + res });
    missingReasons["max-throughput"] =
      `concurrency never rose in a sustained step (≥ ${minStepSec} s) above its initial level ${round(initial)}`;
    missingReasons["cool-down"] = "no max-throughput phase to cool down from";
    return layout;
  }
  windows.push({ name: "tear-up", start: raw[0]!.start, end: raw[firstUp]!.start });

  const near = peak - Math.max(tol, 0.1 * (peak - initial));
  let p0 = firstUp;
  while (raw[p0]!.level < near) p0++;
  let p1 = p0;
  while (p1 + 1 < raw.length && raw[p1 + 1]!.level >= near) p1++;
  const plateauStart = raw[p0]!.start;
  const plateauEnd = raw[p1]!.end;
  if (p0 > firstUp) {
    notes.push(
      `ramp from ${fmtSec(raw[firstUp]!.start)} to ${fmtSec(plateauStart)} (levels ${raw
        .slice(firstUp, p0)
        .map((l) => round(l.level))
        .join(", ")}) belongs to no phase`,
    );
  }
  const prodEnd = productionEndSec;
  const afterStart = prodEnd !== null && prodEnd > plateauStart;
  const coolStart = afterStart ? prodEnd : plateauEnd;
  windows.push({
    name: "max-throughput",
    start: plateauStart,
    end: Math.min(plateauEnd, coolStart),
  });
  if (coolStart > plateauEnd && coolStart < runEnd) {
    notes.push(
      `concurrency left the plateau at ${fmtSec(plateauEnd)}, ${fmtSec(coolStart - plateauEnd)} before production ended; that stretch belongs to no phase`,
    );
  }

  const floorSeg = initial <= raw[raw.length - 1]!.level ? 0 : raw.length - 1;
  const floor = raw[floorSeg]!.level;
  const { start: fa, end: fb } = seg.segments[floorSeg]!;
  // Above the floor = beyond its own scatter (a trickle of 0s and 1s is not a cool-down), but
  // below half the peak's height, so the peak step always has a value above it.
  const floorTol = Math.min(Math.max(0.5, 2 * spread(smooth, fa, fb, floor)), (peak - floor) / 2);
  let above = smooth.length - 1;
  while (above >= 0 && !(smooth[above]! > floor + floorTol)) above--;
  above += first;
  const floorAt = t[above]! + res;
  if (prodEnd !== null && prodEnd >= runEnd) {
    missingReasons["cool-down"] =
      `production ended at ${fmtSec(coolStart)}, at or after the run's end (${fmtSec(runEnd)})`;
  } else if (above === n - 1) {
    missingReasons["cool-down"] =
      `concurrency was still above its floor ${round(floor)} at the run's end (${fmtSec(runEnd)})`;
  } else if (floorAt <= coolStart) {
    missingReasons["cool-down"] =
      prodEnd === null
        ? `production end unknown (give --production-end): concurrency fell from the plateau to its floor ${round(floor)} at ${fmtSec(coolStart)}, so a drain cannot be told apart`
        : `concurrency was already at its floor ${round(floor)} at ${fmtSec(coolStart)}`;
  } else {
    windows.push({ name: "cool-down", start: coolStart, end: floorAt });
  }
  return layout;
}

/**
 * Levels of given steps = means of the measured values in them (least squares for those
 * steps), and the R² of that step model; missing values are skipped.
 */
function stepFit(
  values: Float64Array,
  segments: readonly Segment[],
): { levels: number[]; r2: number } {
  let total = 0;
  let count = 0;
  const levels = segments.map((s) => {
    let sum = 0;
    let k = 0;
    for (let i = s.start; i < s.end; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      sum += v;
      k++;
    }
    total += sum;
    count += k;
    return k === 0 ? 0 : sum / k;
  });
  const mean = count === 0 ? 0 : total / count;
  let sse = 0;
  let sst = 0;
  segments.forEach((s, j) => {
    for (let i = s.start; i < s.end; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      sse += (v - levels[j]!) ** 2;
      sst += (v - mean) ** 2;
    }
  });
  return { levels, r2: sst > 0 ? round(1 - sse / sst) : 1 };
}

/** Standard deviation of the present values of column[a..b) about `mean`. */
function spread(column: Float64Array, a: number, b: number, mean: number): number {
  let sum = 0;
  let count = 0;
  for (let i = a; i < b; i++) {
    const v = column[i]!;
    if (Number.isNaN(v)) continue;
    sum += (v - mean) * (v - mean);
    count++;
  }
  return count === 0 ? 0 : Math.sqrt(sum / count);
}

function fmtSec(sec: number): string {
  return `${round(sec)} s`;
}
