/**
 * Where the three phases lie in a run: the step model of its concurrency, and the phase
 * windows read off it (definitions at `fitThreePhases`, three-phase.ts). Cost O(rows), plus
 * {@link segment} over the run's minutes, O(R²) over R runs of equal values.
 *
 * ```
 * concurrency (missing = idle) ─▶ peak per minute ─▶ median of 3 ─▶ segment (≥ minStepSec)
 *   ─▶ minute steps, levels ─▶ which phases exist, between which minutes   (the decisions)
 *   ─▶ each boundary placed on the run's own rows ─▶ levels, R², phase windows (the times)
 * ```
 *
 * Decisions are made on the CloudWatch minute, so that a run agrees with itself at any
 * resolution. Every decision — where the steps are, the initial, peak, plateau and floor
 * levels, whether a phase exists — is taken on the concurrency CloudWatch would show: the peak
 * of each 1-minute bucket `floor(t / 60)` (the Maximum of ConcurrentExecutions; docs/aws-esm.md,
 * "CloudWatch: what a measured run looks like"), a missing cell counting as idle
 * ("ConcurrentExecutions is not emitted while idle"). A run finer than a minute is grouped into
 * those buckets first (the simulator's concurrency is the peak in flight per interval, so the
 * peak of its rows is the minute's peak); a 60 s run already is them. A 1 s run, the same
 * scenario simulated at 60 s and the 1 s run's CloudWatch view imported as a measured run
 * therefore find the same steps and the same phases. Steps found on 1 s rows directly do not
 * agree with the minutes: a step's least-squares gain grows with its row count while the
 * penalty hardly does, so case 1 under on-demand-2022 stepped 5 → 6 at 120 s at 1 s and not at
 * 60 s, and the median of 3 and the shortest step, counted in rows, meant other things at each
 * resolution. A run whose interval does not divide a minute is read at its own interval.
 *
 * What a boundary time means. Boundaries are seconds from the run's start, placed on the run's
 * own rows of r seconds (on row edges, but for production's end); each lies less than a minute
 * from where a 60 s run of the same scenario, or its CloudWatch view, puts it:
 * - tear-up start: the start of the first row with concurrency > 0;
 * - a change of level (tear-up end, plateau start and end): the first row of the new level.
 *   At 60 s, the first minute whose peak shows it: the minute of a rise, the minute after a
 *   fall (a minute's peak still shows the level it fell from). Finer, the least-squares cut
 *   between the two steps' mean levels among the rows of the minutes either side of that
 *   minute edge m, in [m − 60 + r, m + 60 − r];
 * - production end: the instant the last record was produced when the run knows it (summary,
 *   given); from a `produced` column, which only tells the row, the middle of the last row
 *   with records produced: off by half a row at most, where either edge of the row may be off
 *   by a whole one, and inside the row, so a cool-down that began in it is never empty;
 * - cool-down end: the end of the last row above the floor (tear-up end when concurrency never
 *   steps up: the end of the last row above 0); at 60 s the end of that minute, finer a row
 *   within it. When the minutes show a cool-down that its rows would leave empty (production
 *   ended in the minute the floor was reached, after its last row above the floor), it still
 *   covers the row in which it began.
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

/** When production ended, as the run or the caller tells it. */
export interface ProductionEnd {
  /** Seconds from the run start. */
  readonly sec: number;
  /**
   * True when `sec` is the end of the last row with records produced (read from a `produced`
   * column: the instant lies somewhere in that row), false when it is the instant itself.
   */
  readonly rowEnd: boolean;
}

/** The period steps are found on, seconds: CloudWatch's 1-minute period (docs/aws-esm.md). */
export const DETECTION_PERIOD_SEC = 60;

/**
 * Step model of concurrency from row `first` (the first activity) on, and the phases in it;
 * decisions on 1-minute peaks, boundaries on the run's rows (see the file comment).
 *
 * @param run the run
 * @param first index of the first row with concurrency > 0
 * @param minStepSec shortest sustained step, seconds (at least two minutes are used, or two
 *   rows for a run whose interval does not divide a minute)
 * @param production when production ended; null when unknown
 * @example
 * phaseLayout(case1Run, 0, 120, { sec: 1999.5, rowEnd: false }).windows
 * // [{ name: "tear-up", start: 0, end: 900 }, { name: "max-throughput", start: 900,
 * //   end: 1999.5 }, { name: "cool-down", start: 1999.5, end: 2011 }]
 */
export function phaseLayout(
  run: Run,
  first: number,
  minStepSec: number,
  production: ProductionEnd | null,
): Layout {
  const { t } = run.series.columns;
  const n = run.series.length;
  const res = run.meta.resolutionSec;
  const runEnd = t[n - 1]! + res;
  // CloudWatch emits no concurrency while idle: a missing cell is 0, wherever it falls.
  const y = Float64Array.from(run.series.columns.concurrency, (c) => (Number.isNaN(c) ? 0 : c));
  const grid = minuteGrid(t, y, first, res);
  const buckets = grid.rowStart.length - 1;
  const bucketStart = (c: number): number => {
    const row = grid.rowStart[c]!;
    return row < n ? t[row]! : runEnd;
  };

  // Decisions: on the minutes. Steps are found on the smoothed peaks (no one-minute blips);
  // their levels are those of the peaks within the steps found.
  const smooth = medianFilter3(grid.peak);
  const sigma = peakNoise(smooth);
  const seg = segment(smooth, {
    minSegmentLength: Math.max(2, Math.ceil(minStepSec / grid.bucketSec)),
    penalty: 3 * sigma * sigma * Math.log(smooth.length),
  }).segments;
  const g = stepFit(grid.peak, seg).levels;

  // Times: each step's first row, on the run's own rows; levels and R² are those of the
  // measured values within them.
  const cutRow = seg.map((_s, j) => (j === 0 ? first : placeCut(grid, y, seg, j)));
  const rowEdges = [...cutRow, n];
  const fitted = stepFit(
    y.subarray(first),
    cutRow.map((r, j) => ({ start: r - first, end: rowEdges[j + 1]! - first })),
  );
  const at = (j: number): number => (j < seg.length ? t[cutRow[j]!]! : runEnd);
  const levels = seg.map((_s, j) => ({
    start: at(j),
    end: at(j + 1),
    level: round(fitted.levels[j]!),
  }));
  const steps = levels
    .slice(1)
    .map((l, j) => ({ tSec: l.start, from: levels[j]!.level, to: l.level }));
  const windows: Layout["windows"] = [];
  const missingReasons: Layout["missingReasons"] = {};
  const notes: string[] = [];
  const layout = {
    startSec: t[first]!,
    windows,
    missingReasons,
    levels,
    steps,
    r2: fitted.r2,
    notes,
  };

  const initial = g[0]!;
  const peak = Math.max(...g);
  const tol = Math.max(0.5, 0.05 * peak);
  const firstUp = g.findIndex((l) => l > initial + tol);
  if (firstUp < 0) {
    let last = n - 1;
    while (!(y[last]! > 0)) last--;
    windows.push({ name: "tear-up", start: t[first]!, end: t[last]! + res });
    missingReasons["max-throughput"] =
      `concurrency never rose in a sustained step (≥ ${minStepSec} s) above its initial level ${levels[0]!.level}`;
    missingReasons["cool-down"] = "no max-throughput phase to cool down from";
    return layout;
  }
  windows.push({ name: "tear-up", start: t[first]!, end: at(firstUp) });

  const near = peak - Math.max(tol, 0.1 * (peak - initial));
  let p0 = firstUp;
  while (g[p0]! < near) p0++;
  let p1 = p0;
  while (p1 + 1 < g.length && g[p1 + 1]! >= near) p1++;
  const plateauStart = at(p0);
  const plateauEnd = at(p1 + 1);
  if (p0 > firstUp) {
    notes.push(
      `ramp from ${fmtSec(at(firstUp))} to ${fmtSec(plateauStart)} (levels ${levels
        .slice(firstUp, p0)
        .map((l) => l.level)
        .join(", ")}) belongs to no phase`,
    );
  }
  // When the cool-down may start from production's end (the middle of the last row that
  // produced, when only the row is known), and the minute that falls in.
  const prod = production === null ? null : productionInstant(production, res, grid);
  // Only after the plateau's first minute: an end within it would leave no plateau.
  const fromProd = prod !== null && prod.bucket > seg[p0]!.start ? prod : null;
  const coolStart = fromProd?.sec ?? plateauEnd;
  const coolStartBucket = fromProd?.bucket ?? seg[p1]!.end;
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

  const floorSeg = initial <= g[g.length - 1]! ? 0 : g.length - 1;
  const floor = g[floorSeg]!;
  const floorLevel = levels[floorSeg]!.level;
  const { start: fa, end: fb } = seg[floorSeg]!;
  // Above the floor = beyond its own scatter (a trickle of 0s and 1s is not a cool-down), but
  // below half the peak's height, so the peak step always has a value above it.
  const threshold =
    floor + Math.min(Math.max(0.5, 2 * spread(smooth, fa, fb, floor)), (peak - floor) / 2);
  let above = buckets - 1;
  while (above >= 0 && !(smooth[above]! > threshold)) above--;
  if (prod !== null && prod.bucket >= buckets) {
    missingReasons["cool-down"] =
      `production ended at ${fmtSec(prod.givenSec)}, at or after the run's end (${fmtSec(runEnd)})`;
  } else if (above === buckets - 1) {
    missingReasons["cool-down"] =
      `concurrency was still above its floor ${floorLevel} at the run's end (${fmtSec(runEnd)})`;
  } else if (above < coolStartBucket) {
    missingReasons["cool-down"] =
      production === null
        ? `production end unknown (give --production-end): concurrency fell from the plateau to its floor ${floorLevel} at ${fmtSec(coolStart)}, so a drain cannot be told apart`
        : `concurrency was already at its floor ${floorLevel} at ${fmtSec(coolStart)}`;
  } else {
    // The last row above the floor in the last such minute; the smoothed minute may have
    // none of its own (its neighbours held it up): then the minute's end.
    let floorAt = bucketStart(above + 1);
    for (let i = grid.rowStart[above + 1]! - 1; i >= grid.rowStart[above]!; i--) {
      if (y[i]! > threshold) {
        floorAt = t[i]! + res;
        break;
      }
    }
    const coolStartRowEnd = t[0]! + (Math.floor((coolStart - t[0]!) / res + 1e-9) + 1) * res;
    windows.push({ name: "cool-down", start: coolStart, end: Math.max(floorAt, coolStartRowEnd) });
  }
  return layout;
}

/** A run's rows grouped into the minutes (buckets) decisions are made on. */
interface MinuteGrid {
  /** Length of a bucket, seconds: 60, or the run's interval when that does not divide 60. */
  readonly bucketSec: number;
  /** First row of each bucket from the first activity's on, then the row count (length + 1). */
  readonly rowStart: Uint32Array;
  /** Peak concurrency of each bucket (0 for a bucket without rows). */
  readonly peak: Float64Array;
  /** Index of the bucket holding time `sec`: < 0 before the first, ≥ length after the last. */
  bucketOf(sec: number): number;
}

/**
 * Buckets of `floor(t / 60)` from the bucket of row `first` to the last row's, as
 * toCloudWatchView makes them (run/cloudwatch-view.ts); 1e-9 absorbs rounding in `t`.
 */
function minuteGrid(t: Float64Array, y: Float64Array, first: number, res: number): MinuteGrid {
  const perMinute = DETECTION_PERIOD_SEC / res;
  const whole = Math.abs(perMinute - Math.round(perMinute)) < 1e-9 && perMinute >= 1;
  const bucketSec = whole ? DETECTION_PERIOD_SEC : res;
  const bucket = (sec: number): number => Math.floor(sec / bucketSec + 1e-9);
  const c0 = bucket(t[first]!);
  const n = t.length;
  const count = bucket(t[n - 1]!) - c0 + 1;
  const rowStart = new Uint32Array(count + 1);
  const peak = new Float64Array(count);
  let row = first;
  for (let c = 0; c < count; c++) {
    rowStart[c] = row;
    let max = 0;
    for (; row < n && bucket(t[row]!) - c0 === c; row++) if (y[row]! > max) max = y[row]!;
    peak[c] = max;
  }
  rowStart[count] = n;
  return { bucketSec, rowStart, peak, bucketOf: (sec) => bucket(sec) - c0 };
}

/** Production's end as an instant (see the file comment), and the bucket it falls in. */
function productionInstant(
  production: ProductionEnd,
  res: number,
  grid: MinuteGrid,
): { givenSec: number; sec: number; bucket: number } {
  const sec = production.sec - (production.rowEnd ? res / 2 : 0);
  return { givenSec: production.sec, sec, bucket: grid.bucketOf(sec) };
}

/**
 * The first row of step `j` on the run's rows: the cut between the mean levels a, b of steps
 * j − 1 and j that leaves the least squared error, among the rows of the minutes either side of
 * the minute edge m the step was found at — but not the first row of the earlier minute, whose
 * peak showed the old level, so the cut lies in [m − 60 + r, m + 60 − r] at resolution r. Moving
 * the cut past a row changes the error by (b − a)(2y − a − b), so the best cut is at the least
 * prefix sum of those terms; ties go to the cut nearest m. A run read at its own interval (one
 * row a bucket) keeps m.
 */
function placeCut(grid: MinuteGrid, y: Float64Array, seg: readonly Segment[], j: number): number {
  const { rowStart } = grid;
  const edgeBucket = seg[j]!.start;
  const edge = rowStart[edgeBucket]!;
  const lo = rowStart[edgeBucket - 1]! + 1;
  const hi = rowStart[edgeBucket + 1]!;
  if (hi - lo <= 1) return edge;
  const a = mean(y, rowStart[seg[j - 1]!.start]!, edge);
  const b = mean(y, edge, rowStart[seg[j]!.end]!);
  const change = (i: number): number => (b - a) * (2 * y[i]! - a - b);
  // error of the cut at i minus that of the cut at the edge, from i = lo on
  let sum = 0;
  for (let i = lo; i < edge; i++) sum -= change(i);
  let best = edge;
  let bestSum = 0;
  for (let i = lo; i < hi; i++) {
    if (sum < bestSum || (sum === bestSum && Math.abs(i - edge) < Math.abs(best - edge))) {
      best = i;
      bestSum = sum;
    }
    sum += change(i);
  }
  return best;
}

/**
 * Noise σ̂ of the smoothed minute peaks, for the change-point penalty 3σ̂²·ln n (the modified
 * BIC that change-points.ts uses by default). When the peaks move from minute to minute, the
 * MAD estimate change-points.ts uses, 1.4826 · median|Δ| / √2 (Fryzlewicz 2014). When they stay
 * put in most minutes — a simulated run is constant between scaling steps — the MAD is 0, and
 * the default fallback (the root mean square of the differences) counts the steps themselves:
 * on case 3's minutes it made the penalty about 2200 and hid a sustained fall from 15 to 0. Such a
 * series has no noise but the rounding of concurrency to whole invocations, uniform over one
 * unit: σ̂ = 1/√12.
 */
function peakNoise(values: Float64Array): number {
  const diffs = Float64Array.from({ length: Math.max(0, values.length - 1) }, (_v, i) =>
    Math.abs(values[i + 1]! - values[i]!),
  ).sort();
  const median = diffs.length === 0 ? 0 : diffs[(diffs.length - 1) >> 1]!;
  return median > 0 ? (1.4826 * median) / Math.SQRT2 : 1 / Math.sqrt(12);
}

/** Mean of y[a..b). */
function mean(y: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let i = a; i < b; i++) sum += y[i]!;
  return b > a ? sum / (b - a) : 0;
}

/**
 * Levels of given steps = means of the measured values in them (least squares for those
 * steps), and the R² of that step model; missing values are skipped.
 */
function stepFit(
  values: Float64Array,
  segments: readonly { readonly start: number; readonly end: number }[],
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
