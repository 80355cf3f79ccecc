/**
 * How far apart two runs are as CloudWatch shows them: per-minute ConcurrentExecutions
 * (Maximum) and Invocations (Sum), aligned on each run's first minute with an invocation
 * (or a given offset).
 *
 * Lambda emits no datapoint in an idle minute, so inside the compared span a minute absent
 * from one view counts as 0 for that run (docs/aws-esm.md: "ConcurrentExecutions is not emitted
 * while idle"). The span runs from the aligned first invocation to the later of the two last
 * datapoints.
 */
import { cloudWatchSeries, toCloudWatchView } from "../run/cloudwatch-view.js";
import type { Run } from "../run/run.js";

export interface ViewError {
  /** Root-mean-square difference of per-minute max concurrency. */
  readonly concurrencyRmse: number;
  /** Largest per-minute concurrency difference (absolute). */
  readonly concurrencyMaxError: number;
  /** Root-mean-square difference of invocations per minute. */
  readonly invocationsRmse: number;
  /** concurrency RMSE / peak concurrency + invocations RMSE / peak invocations per minute (dimensionless; what calibration minimises). */
  readonly score: number;
  readonly minutesCompared: number;
  /** Offset applied to B, seconds (B's minute m + offset/60 is compared with A's minute m). */
  readonly offsetSec: number;
}

/** Per-minute values of one metric on a dense minute grid (absent minutes = 0), and its first active minute. */
export interface MinuteSeries {
  readonly firstMinute: number;
  readonly values: Float64Array;
  readonly firstActiveMinute: number;
}

/** Dense per-minute ConcurrentExecutions and Invocations of a run (absent minutes → 0). */
export function minuteSeries(run: Run): { concurrency: MinuteSeries; invocations: MinuteSeries } {
  const view = toCloudWatchView(run);
  const dense = (id: "ConcurrentExecutions" | "Invocations"): MinuteSeries => {
    const s = cloudWatchSeries(view, id);
    if (s.tSec.length === 0)
      return { firstMinute: 0, values: new Float64Array(0), firstActiveMinute: -1 };
    const first = Math.round(s.tSec[0]! / 60);
    const last = Math.round(s.tSec[s.tSec.length - 1]! / 60);
    const values = new Float64Array(last - first + 1);
    let firstActive = -1;
    for (let i = 0; i < s.tSec.length; i++) {
      const m = Math.round(s.tSec[i]! / 60);
      values[m - first] = s.values[i]!;
      if (firstActive < 0 && s.values[i]! > 0) firstActive = m;
    }
    return { firstMinute: first, values, firstActiveMinute: firstActive };
  };
  return { concurrency: dense("ConcurrentExecutions"), invocations: dense("Invocations") };
}

/**
 * Compare B with A minute by minute.
 * @param offsetSec shift of B; default: align the first minutes with an invocation
 */
export function viewError(a: Run, b: Run, offsetSec?: number): ViewError {
  return viewErrorOf(minuteSeries(a), minuteSeries(b), offsetSec);
}

/** Both per-minute series of a run, as {@link minuteSeries} gives them. */
export type MinuteViews = ReturnType<typeof minuteSeries>;

/**
 * {@link viewError} of runs already reduced to their minute series (calibration reduces the
 * measured run once, not once per simulation).
 */
export function viewErrorOf(ma: MinuteViews, mb: MinuteViews, offsetSec?: number): ViewError {
  const offsetMin =
    offsetSec === undefined
      ? Math.max(0, mb.invocations.firstActiveMinute) -
        Math.max(0, ma.invocations.firstActiveMinute)
      : Math.round(offsetSec / 60);
  const conc = compareSeries(ma.concurrency, mb.concurrency, offsetMin);
  const inv = compareSeries(ma.invocations, mb.invocations, offsetMin);
  const peak = (s: MinuteSeries) => Math.max(1, ...s.values);
  return {
    concurrencyRmse: conc.rmse,
    concurrencyMaxError: conc.maxError,
    invocationsRmse: inv.rmse,
    score: conc.rmse / peak(ma.concurrency) + inv.rmse / peak(ma.invocations),
    minutesCompared: conc.minutes,
    offsetSec: offsetMin * 60,
  };
}

function compareSeries(
  a: MinuteSeries,
  b: MinuteSeries,
  offsetMin: number,
): { rmse: number; maxError: number; minutes: number } {
  const start = Math.max(0, a.firstActiveMinute);
  const endA = a.firstMinute + a.values.length;
  const endB = b.firstMinute + b.values.length - offsetMin;
  const end = Math.max(endA, endB);
  let sum = 0;
  let max = 0;
  let minutes = 0;
  for (let m = start; m < end; m++) {
    const ia = m - a.firstMinute;
    const ib = m + offsetMin - b.firstMinute;
    const va = ia >= 0 && ia < a.values.length ? a.values[ia]! : 0;
    const vb = ib >= 0 && ib < b.values.length ? b.values[ib]! : 0;
    const d = vb - va;
    sum += d * d;
    if (Math.abs(d) > max) max = Math.abs(d);
    minutes++;
  }
  return { rmse: minutes > 0 ? Math.sqrt(sum / minutes) : 0, maxError: max, minutes };
}

/** Peak per-minute concurrency and invocations of a run's minute series (at least 1 each). */
export function viewPeaks(m: MinuteViews): { concurrency: number; invocations: number } {
  let c = 1;
  let i = 1;
  for (const v of m.concurrency.values) if (v > c) c = v;
  for (const v of m.invocations.values) if (v > i) i = v;
  return { concurrency: c, invocations: i };
}

/**
 * Several runs' errors as one, every compared minute weighing the same: RMSEs pooled over all
 * minutes (√(Σ nᵣ·RMSEᵣ² / Σ nᵣ)), the score's two terms pooled the same way after each run's
 * errors are divided by that run's own peaks, the largest error the largest of any run. Of one
 * run, exactly that run's error.
 */
export function pooledViewError(
  parts: readonly { readonly error: ViewError; readonly peaks: ReturnType<typeof viewPeaks> }[],
): ViewError {
  let n = 0;
  let c2 = 0;
  let i2 = 0;
  let cs2 = 0;
  let is2 = 0;
  let max = 0;
  for (const { error: e, peaks } of parts) {
    const m = e.minutesCompared;
    n += m;
    c2 += m * e.concurrencyRmse ** 2;
    i2 += m * e.invocationsRmse ** 2;
    cs2 += m * (e.concurrencyRmse / peaks.concurrency) ** 2;
    is2 += m * (e.invocationsRmse / peaks.invocations) ** 2;
    max = Math.max(max, e.concurrencyMaxError);
  }
  if (parts.length === 1) return parts[0]!.error;
  const root = (x: number) => (n > 0 ? Math.sqrt(x / n) : 0);
  return {
    concurrencyRmse: root(c2),
    concurrencyMaxError: max,
    invocationsRmse: root(i2),
    score: root(cs2) + root(is2),
    minutesCompared: n,
    offsetSec: parts[0]?.error.offsetSec ?? 0,
  };
}
