/**
 * What the data supports about each fitted parameter: the range of values whose best fit —
 * every other parameter re-fitted — stays within the noise of the measurement (a profile of
 * the error; Raue et al. 2009, "Structural and practical identifiability analysis of partially
 * observed dynamical models by exploiting the profile likelihood", Bioinformatics 25(15)).
 *
 * ```
 * archive of the search ─▶ points within best + tolerance ─▶ each dimension's [low, high]
 *   ─▶ each edge pushed outward: the dimension fixed a step further, the others re-fitted
 *      (compass search from the nearest good point); kept while the fit stays within tolerance
 *   ─▶ pinned when the range is narrow; trade-offs where good points move two parameters together
 * ```
 *
 * The archive proves a value is in the range (a point that good was evaluated); the outward
 * re-fits look for good points the search did not visit, so a range errs wide rather than
 * narrow — a parameter is never called pinned because the search looked only near its best.
 */

import {
  type Branch,
  type Dimension,
  decodeValue,
  encodeValue,
  minimise,
  type Point,
  quantumStep,
  refine,
  type ScoreCache,
  type Scored,
} from "./search.js";
import type { CalibratableParam, ParameterSpace } from "./space.js";

/** Unit-cube width below which a range counts as narrow (10 % of the searched span). */
export const PINNED_WIDTH = 0.1;
/**
 * Outward steps past a range's edge, as fractions of the searched span: from one quantum,
 * growing ×2.5 up to the whole span; after a failed step, halving back to one quantum, so an
 * edge is found to within a quantum or two of where the fits stop holding.
 */
const FIRST_STEP = 0.004;
const GROWTH = 3;

/** One dimension's range within the noise. */
export interface DimensionRange {
  readonly branch: number;
  readonly dim: number;
  readonly low: number;
  readonly high: number;
  /** Range width as a fraction of the searched span. */
  readonly width: number;
  /** Other parameters whose values move with this one along equally good fits. */
  readonly tradesOffWith: readonly CalibratableParam[];
}

export interface Identifiability {
  /**
   * False when the candidate budget ran out while profiling: ranges are then only what was
   * seen, and no parameter may be called pinned.
   */
  readonly complete: boolean;
  /** Score at or below which a fit counts as equally good (best + tolerance). */
  readonly threshold: number;
  /** Branches (scale-up rules) with a fit within the threshold. */
  readonly branches: readonly number[];
  readonly ranges: readonly DimensionRange[];
}

/**
 * Profile every dimension of every branch whose best fit is within `tolerance` of `best`.
 * @param cache the search's cache (its archive is read and grown)
 */
export async function identify(
  space: ParameterSpace,
  cache: ScoreCache,
  best: Scored,
  branchBest: readonly Scored[],
  tolerance: number,
): Promise<Identifiability> {
  const threshold = best.score + tolerance + 1e-12;
  const branches: number[] = [];
  for (const b of branchBest) {
    if (b.score <= threshold || (await fitsAfterAll(space, cache, b, best, threshold))) {
      branches.push(b.branch);
    }
  }
  const ranges: DimensionRange[] = [];
  for (const b of branches) {
    const branch = space.branches[b]!;
    for (let i = 0; i < branch.dims.length; i++) {
      const d = branch.dims[i]!;
      let lowU = Number.POSITIVE_INFINITY;
      let highU = Number.NEGATIVE_INFINITY;
      for (const p of goodPoints(cache, b, threshold)) {
        const u = encodeValue(d, p.x[i]!);
        lowU = Math.min(lowU, u);
        highU = Math.max(highU, u);
      }
      const values = smallIntegerValues(d);
      if (values !== null) {
        // few values: each one profiled (a gap between two fitting values is not assumed)
        for (const v of values) {
          const u = encodeValue(d, v);
          if (u >= lowU && u <= highU) continue;
          if (await profileHolds(space, branch, cache, b, i, v, threshold)) {
            lowU = Math.min(lowU, u);
            highU = Math.max(highU, u);
          }
        }
      } else {
        highU = await pushEdge(space, branch, cache, b, i, highU, 1, threshold);
        lowU = await pushEdge(space, branch, cache, b, i, lowU, -1, threshold);
      }
      if (highU - lowU <= PINNED_WIDTH) {
        // a narrow range is checked away from it: a fit elsewhere (another mode) widens it
        const u = await fitOutside(space, cache, b, i, lowU, highU, threshold);
        if (u !== null) {
          lowU = Math.min(lowU, u);
          highU = Math.max(highU, u);
        }
      }
      const good = goodPoints(cache, b, threshold);
      ranges.push({
        branch: b,
        dim: i,
        low: decodeValue(d, lowU),
        high: decodeValue(d, highU),
        width: highU - lowU,
        tradesOffWith: tradeOffs(branch, good, i).map((j) => space.paramOfDim(b, j)),
      });
    }
  }
  return { complete: !cache.exhausted, threshold, branches, ranges };
}

/**
 * Whether a branch the search left behind (racing drops a rule that looks worse early) fits
 * within the threshold after all: its own best point and the overall best's shared values
 * with this branch's step, each refined over every dimension.
 */
async function fitsAfterAll(
  space: ParameterSpace,
  cache: ScoreCache,
  own: Scored,
  best: Scored,
  threshold: number,
): Promise<boolean> {
  const branch = space.branches[own.branch]!;
  if (branch.dims.length === 0) return own.score <= threshold;
  const shared = branch.dims.map((_, i) =>
    i < best.x.length && space.branches[best.branch]!.dims[i]?.name === branch.dims[i]!.name
      ? best.x[i]!
      : (own.x[i] ?? branch.dims[i]!.lo),
  );
  const [sharedScore] = await cache.scores([{ branch: own.branch, x: shared }]);
  for (const start of [{ branch: own.branch, x: shared, score: sharedScore! }, own]) {
    if (start.x.length !== branch.dims.length) continue;
    const fit = await refine(start, branch, cache, threshold, undefined, 0.0625, 6, false);
    if (fit.score <= threshold) return true;
  }
  return false;
}

/** Candidates the search for a fit outside a narrow range may spend, per branch searched. */
const OUTSIDE_BUDGET = 50;

/**
 * A value of dimension `i` outside [lowU, highU] (unit coordinates) at which some fit stays
 * within the threshold, or null when a small global search finds none: differential evolution
 * over every branch that has the dimension (the same parameter under another scale-up rule),
 * dimension `i` searched only over the outside of the range, seeded with the best archived
 * points out there. What a narrow range must survive before it is called pinned.
 */
async function fitOutside(
  space: ParameterSpace,
  cache: ScoreCache,
  b: number,
  i: number,
  lowU: number,
  highU: number,
  threshold: number,
): Promise<number | null> {
  const d = space.branches[b]!.dims[i]!;
  const outside = lowU + (1 - highU);
  if (outside <= 1e-9) return null;
  // t in [0, 1] covers [0, lowU) then (highU, 1]
  const toU = (t: number) => (t * outside < lowU ? t * outside : highU + (t * outside - lowU));
  const toT = (u: number) => (u < lowU ? u / outside : (lowU + (u - highU)) / outside);
  const sharing = space.branches
    .map((br, k) => ({ br, k }))
    .filter(({ br }) => br.dims[i]?.name === d.name);
  const tDim: Dimension = { name: d.name, lo: 0, hi: 1 };
  const inside = (u: number) => u >= lowU - 1e-12 && u <= highU + 1e-12;
  const sub: Branch[] = sharing.map(({ br, k }) => ({
    name: br.name,
    dims: br.dims.map((dim, j) => (j === i ? tDim : dim)),
    starts: cache.archive
      .filter((p) => p.branch === k && !inside(encodeValue(d, p.x[i]!)))
      .sort((p, q) => p.score - q.score)
      .slice(0, 4)
      .map((p) => p.x.map((v, j) => (j === i ? toT(encodeValue(d, v)) : v))),
  }));
  const full = (x: readonly number[]) => x.map((v, j) => (j === i ? decodeValue(d, toU(v)) : v));
  const result = await minimise(
    sub,
    async (points) =>
      cache.scores(points.map((p) => ({ branch: sharing[p.branch]!.k, x: full(p.x) }))),
    {
      seed: 7 + i,
      populationPerDim: 2,
      restarts: 0,
      target: threshold,
      stopAtTarget: true,
      maxEvaluations: OUTSIDE_BUDGET * sub.length,
    },
  );
  if (result.best.score > threshold) return null;
  const u = encodeValue(d, full(result.best.x)[i]!);
  return inside(u) ? null : u;
}

/** Most values an integer dimension may have to be profiled value by value. */
const ENUMERATE_AT_MOST = 12;

/**
 * Whether some fit with dimension `i` fixed at `value` stays within the threshold: the best
 * archived points near that value (the search's exploration, which reaches modes a local move
 * cannot — pollers × invocations per poller trade off along a hyperbola of integers) are moved
 * onto it, and the best of them is refined over the other dimensions.
 */
async function profileHolds(
  space: ParameterSpace,
  branch: Branch,
  cache: ScoreCache,
  b: number,
  i: number,
  value: number,
  threshold: number,
): Promise<boolean> {
  const d = branch.dims[i]!;
  const u = encodeValue(d, value);
  const near = cache.archive
    .filter((p) => p.branch === b && Math.abs(encodeValue(d, p.x[i]!) - u) <= 0.05)
    .sort((p, q) => p.score - q.score || Math.abs(p.x[i]! - value) - Math.abs(q.x[i]! - value))
    .slice(0, 3);
  // and the best fits moved there with what CloudWatch cannot tell apart kept (moveTo)
  const best = goodPoints(cache, b, threshold)
    .sort((p, q) => p.score - q.score)
    .slice(0, 2);
  const starts = [
    ...near.flatMap((p) => {
      const x = [...p.x];
      x[i] = value;
      return [{ branch: b, x }, space.moveTo(p, i, value)];
    }),
    ...best.map((p) => space.moveTo(p, i, value)),
    ...ridgeStarts(branch, goodPoints(cache, b, threshold), b, i, u),
  ];
  if (starts.length === 0) return false;
  const scores = await cache.scores(starts);
  let k = 0;
  for (let j = 1; j < scores.length; j++) if (scores[j]! < scores[k]!) k = j;
  let fit: Scored = { ...starts[k]!, score: scores[k]! };
  const free = branch.dims.map((_, j) => j).filter((j) => j !== i);
  if (fit.score > threshold && free.length > 0) {
    fit = await refine(fit, branch, cache, threshold, free, 0.03, 3, false);
  }
  return fit.score <= threshold;
}

/** Good points a ridge's local direction is estimated from. */
const RIDGE_POINTS = 12;

/**
 * Starts that follow a ridge of equally good fits onto `u` (unit coordinate of dimension `i`):
 * from the good point nearest in dimension `i`, every other dimension moved by its local
 * regression slope on dimension `i` (over the good points nearest there). Where two parameters
 * trade off — an evaluation interval shorter by what the actuation delay is longer — a fit at
 * the new value lies along that line, which a compass refinement of one axis at a time from
 * the old point does not reach. (The predictor step of profile-likelihood continuation:
 * Raue et al. 2009; Kreutz et al. 2013, "Profile likelihood in systems biology", FEBS J.)
 */
function ridgeStarts(
  branch: Branch,
  good: readonly Scored[],
  b: number,
  i: number,
  u: number,
): Point[] {
  if (good.length < 3) return [];
  const d = branch.dims[i]!;
  const enc = good.map((p) => p.x.map((v, j) => encodeValue(branch.dims[j]!, v)));
  const order = enc
    .map((_, k) => k)
    .sort((p, q) => Math.abs(enc[p]![i]! - u) - Math.abs(enc[q]![i]! - u));
  const local = order.slice(0, RIDGE_POINTS).map((k) => enc[k]!);
  const ui = local.map((e) => e[i]!);
  const mi = ui.reduce((s, v) => s + v, 0) / ui.length;
  const vi = ui.reduce((s, v) => s + (v - mi) ** 2, 0);
  if (vi <= 1e-12) return [];
  const from = local[0]!;
  const x = branch.dims.map((dim, j) => {
    if (j === i) return decodeValue(d, u);
    const uj = local.map((e) => e[j]!);
    const mj = uj.reduce((s, v) => s + v, 0) / uj.length;
    let c = 0;
    for (let k = 0; k < ui.length; k++) c += (ui[k]! - mi) * (uj[k]! - mj);
    const moved = from[j]! + (c / vi) * (u - from[i]!);
    return decodeValue(dim, Math.min(1, Math.max(0, moved)));
  });
  return [{ branch: b, x }];
}

/** The values of an integer dimension with few of them, or null. */
function smallIntegerValues(d: Dimension): number[] | null {
  if (d.log || d.quantum !== 1 || d.hi - d.lo + 1 > ENUMERATE_AT_MOST) return null;
  return Array.from({ length: d.hi - d.lo + 1 }, (_, k) => d.lo + k);
}

function goodPoints(cache: ScoreCache, branch: number, threshold: number): Scored[] {
  return cache.archive.filter((p) => p.branch === branch && p.score <= threshold);
}

/**
 * Move a range's edge outward (`dir` +1 up, −1 down) while a fit with the dimension fixed
 * there, the others re-fitted from the nearest good point, stays within the threshold.
 */
async function pushEdge(
  space: ParameterSpace,
  branch: Branch,
  cache: ScoreCache,
  b: number,
  i: number,
  edgeU: number,
  dir: 1 | -1,
  threshold: number,
): Promise<number> {
  const d = branch.dims[i]!;
  const holds = (u: number) =>
    profileHolds(space, branch, cache, b, i, decodeValue(d, u), threshold);
  // after the first failure, two halvings: the edge to within a quarter of the failed step
  let halvings = 2;
  let edge = edgeU;
  let step = Math.max(FIRST_STEP, quantumStep(d));
  let growing = true;
  while (halvings >= 0 && !cache.exhausted) {
    if ((dir > 0 && edge >= 1) || (dir < 0 && edge <= 0)) break;
    const u = Math.min(1, Math.max(0, edge + dir * step));
    if (decodeValue(d, u) === decodeValue(d, edge)) {
      step *= 2; // below one quantum: a larger step
      continue;
    }
    if (await holds(u)) {
      edge = encodeValue(d, decodeValue(d, u));
      if (growing) step *= GROWTH;
    } else {
      growing = false;
      halvings--;
      step = Math.max(quantumStep(d), step / 2);
    }
  }
  return edge;
}

/**
 * The other dimensions that move with dimension `i` across the good points: a rank
 * correlation of at least 0.7 in magnitude (Spearman) over at least 10 good points, both
 * dimensions spread over at least three quanta. (A population drifting over a plateau of equal
 * fits wanders together by chance: weaker links are not named.)
 */
function tradeOffs(branch: Branch, good: readonly Scored[], i: number): number[] {
  if (good.length < 10) return [];
  const u = (j: number) => good.map((p) => encodeValue(branch.dims[j]!, p.x[j]!));
  // a dimension moves when its good values span a few quanta (1 % of the span if continuous)
  const moves = (j: number, uj: readonly number[]) =>
    spread(uj) >= Math.max(3 * quantumStep(branch.dims[j]!), 0.01);
  const ui = u(i);
  if (!moves(i, ui)) return [];
  const out: number[] = [];
  for (let j = 0; j < branch.dims.length; j++) {
    if (j === i) continue;
    const uj = u(j);
    if (!moves(j, uj)) continue;
    if (Math.abs(pearson(ranks(ui), ranks(uj))) >= 0.7) out.push(j);
  }
  return out;
}

const spread = (a: readonly number[]) => Math.max(...a) - Math.min(...a);

function ranks(a: readonly number[]): number[] {
  const order = a.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const r = new Array<number>(a.length);
  for (let k = 0; k < order.length; ) {
    let m = k;
    while (m + 1 < order.length && order[m + 1]![0] === order[k]![0]) m++;
    for (let q = k; q <= m; q++) r[order[q]![1]] = (k + m) / 2; // ties share their mean rank
    k = m + 1;
  }
  return r;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    sab += (a[k]! - ma) * (b[k]! - mb);
    saa += (a[k]! - ma) ** 2;
    sbb += (b[k]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}
