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
 * Outward steps past a range's edge, as fractions of the searched span: from one quantum (or
 * FIRST_STEP), growing ×GROWTH while fits hold; after the first failed step, two halvings. The
 * range then reaches to the nearest value shown not to fit (see pushEdge), so it errs wide.
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
  const units: UnitRange[] = [];
  for (const b of branches) units.push(...(await profileBranch(space, cache, b, threshold)));
  // narrow ranges must survive a search for a fit elsewhere (another mode, another rule):
  // each fit found there widens the ranges it lies outside of, and its rule joins the fits
  for (let round = 0; round < ELSEWHERE_ROUNDS; round++) {
    const narrow = units.filter((r) => r.highU - r.lowU <= PINNED_WIDTH);
    if (narrow.length === 0 || cache.exhausted) break;
    const found = await fitElsewhere(space, cache, narrow, threshold);
    if (found === null) break;
    if (!branches.includes(found.branch)) {
      branches.push(found.branch);
      units.push(...(await profileBranch(space, cache, found.branch, threshold)));
    }
    for (const r of narrow) {
      const dims = space.branches[found.branch]!.dims;
      const j = dims.findIndex((d) => d.name === space.branches[r.b]!.dims[r.i]!.name);
      if (j < 0) continue;
      const u = encodeValue(dims[j]!, found.x[j]!);
      r.lowU = Math.min(r.lowU, u);
      r.highU = Math.max(r.highU, u);
    }
  }
  const ranges = units.map((r): DimensionRange => {
    const branch = space.branches[r.b]!;
    const d = branch.dims[r.i]!;
    return {
      branch: r.b,
      dim: r.i,
      low: decodeValue(d, r.lowU),
      high: decodeValue(d, r.highU),
      width: r.highU - r.lowU,
      tradesOffWith: tradeOffs(branch, goodPoints(cache, r.b, threshold), r.i).map((j) =>
        space.paramOfDim(r.b, j),
      ),
    };
  });
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

/** One dimension's range in unit coordinates, while it is being traced. */
interface UnitRange {
  readonly b: number;
  readonly i: number;
  lowU: number;
  highU: number;
}

/**
 * Each dimension's range in one branch: the good archived points' span, then small integers
 * profiled value by value and continuous edges pushed outward.
 */
async function profileBranch(
  space: ParameterSpace,
  cache: ScoreCache,
  b: number,
  threshold: number,
): Promise<UnitRange[]> {
  const branch = space.branches[b]!;
  const out: UnitRange[] = [];
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
    out.push({ b, i, lowU, highU });
  }
  return out;
}

/** Rounds of the search for fits elsewhere: each found fit widens ranges, then it looks again. */
const ELSEWHERE_ROUNDS = 3;
/** Candidates that search may spend per scale-up rule, per round. */
const ELSEWHERE_BUDGET = 150;
/** Unit coordinates a narrow parameter is moved to for that search's starting points. */
const SCAN_AT = [0.05, 0.25, 0.5, 0.75, 0.95];

/**
 * A fit within the threshold that lies outside the box of the narrow ranges — some narrow
 * parameter outside its range — in any scale-up rule, or null when a global search finds
 * none. One differential evolution over every rule, points inside the box scored as misses
 * without simulating them, seeded with each rule's own starts (the preset, the data's hints)
 * and the best archived points outside the box. A range called pinned has survived it: a
 * second mode of equally good fits (a 60-s cadence fitting as well as a 15-minute one) is
 * what a profile traced from the best fit cannot see.
 */
async function fitElsewhere(
  space: ParameterSpace,
  cache: ScoreCache,
  narrow: readonly UnitRange[],
  threshold: number,
): Promise<Scored | null> {
  // the box by parameter name: the same parameter under another rule is boxed the same
  const box = new Map<string, { lowU: number; highU: number }>();
  for (const r of narrow) {
    const name = space.branches[r.b]!.dims[r.i]!.name;
    const had = box.get(name);
    box.set(name, {
      lowU: Math.min(had?.lowU ?? r.lowU, r.lowU),
      highU: Math.max(had?.highU ?? r.highU, r.highU),
    });
  }
  const inBox = (p: Point): boolean => {
    const dims = space.branches[p.branch]!.dims;
    return dims.every((d, j) => {
      const range = box.get(d.name);
      if (range === undefined) return true;
      const u = encodeValue(d, p.x[j]!);
      return u >= range.lowU - 1e-12 && u <= range.highU + 1e-12;
    });
  };
  const scanned = await scanOutside(space, cache, narrow, box, threshold);
  if (scanned !== null && !inBox(scanned)) return scanned;
  const bestOf = (k: number) =>
    cache.archive
      .filter((p) => p.branch === k)
      .reduce<Scored | null>((a, p) => (a === null || p.score < a.score ? p : a), null);
  const scans = (k: number): number[][] => {
    const from = bestOf(k);
    if (from === null) return [];
    const dims = space.branches[k]!.dims;
    return dims.flatMap((d, j) => {
      const range = box.get(d.name);
      if (range === undefined) return [];
      return SCAN_AT.filter((u) => u < range.lowU || u > range.highU).map((u) => {
        const x = [...from.x];
        x[j] = decodeValue(d, u);
        return x;
      });
    });
  };
  const sub: Branch[] = space.branches.map((br, k) => ({
    name: br.name,
    dims: br.dims,
    starts: [
      ...(br.starts ?? []),
      // the best fit moved across the outside of each narrow range, the rest kept
      ...scans(k),
      ...cache.archive
        .filter((p) => p.branch === k && !inBox(p))
        .sort((p, q) => p.score - q.score)
        .slice(0, 6)
        .map((p) => p.x),
    ],
  }));
  const result = await minimise(
    sub,
    async (points) => {
      const outside = points.filter((p) => !inBox(p));
      const scores = await cache.scores(outside);
      let k = 0;
      return points.map((p) => (inBox(p) ? Number.POSITIVE_INFINITY : scores[k++]!));
    },
    {
      seed: 7,
      populationPerDim: 3,
      restarts: 0,
      target: threshold,
      stopAtTarget: true,
      maxEvaluations: ELSEWHERE_BUDGET * sub.length,
    },
  );
  return result.best.score <= threshold && !inBox(result.best) ? result.best : null;
}

/** The parameters whose product is the concurrency CloudWatch shows. */
const SPLITS: readonly CalibratableParam[] = ["initialPollers", "concurrencyPerPoller"];
/** Good points of distinct splits a scan starts from, per value scanned. */
const SCAN_CONFIGURATIONS = 4;
/** Scan starts re-fitted, the best-scoring first. */
const SCAN_REFINES = 3;

/**
 * A fit within the threshold with a narrow parameter moved to each of SCAN_AT outside the box,
 * the others re-fitted, or null. It starts from good points of each distinct split of
 * concurrency into pollers × invocations per poller: one mode of equally good fits may hide
 * another (one poller of 4 invocations and four pollers of 1 show the same concurrency) where
 * the evaluation cadence that fits differs, the target lag moving with it. Every start is
 * scored in one batch; the SCAN_REFINES best are re-fitted.
 */
async function scanOutside(
  space: ParameterSpace,
  cache: ScoreCache,
  narrow: readonly UnitRange[],
  box: ReadonlyMap<string, { lowU: number; highU: number }>,
  threshold: number,
): Promise<Scored | null> {
  const starts: { point: Point; free: number[] }[] = [];
  for (const r of narrow) {
    const branch = space.branches[r.b]!;
    const d = branch.dims[r.i]!;
    if (smallIntegerValues(d) !== null) continue; // profiled value by value already
    const range = box.get(d.name)!;
    const splits = branch.dims.flatMap((_, j) =>
      SPLITS.includes(space.paramOfDim(r.b, j)) && j !== r.i ? [j] : [],
    );
    const bySplit = new Map<string, Scored>();
    for (const p of goodPoints(cache, r.b, threshold).sort((p, q) => p.score - q.score)) {
      const key = splits.map((j) => p.x[j]).join(",");
      if (!bySplit.has(key)) bySplit.set(key, p);
    }
    const from = [...bySplit.values()].slice(0, SCAN_CONFIGURATIONS);
    const free = branch.dims.map((_, j) => j).filter((j) => j !== r.i);
    for (const u of SCAN_AT) {
      if (u >= range.lowU && u <= range.highU) continue;
      for (const p of from) {
        const x = [...p.x];
        x[r.i] = decodeValue(d, u);
        starts.push({ point: { branch: r.b, x }, free });
      }
    }
  }
  if (starts.length === 0) return null;
  const scores = await cache.scores(starts.map((s) => s.point));
  const order = starts.map((_, k) => k).sort((a, c) => scores[a]! - scores[c]!);
  for (const k of order.slice(0, SCAN_REFINES)) {
    if (cache.exhausted) return null;
    const { point, free } = starts[k]!;
    const start = { ...point, score: scores[k]! };
    if (start.score <= threshold) return start;
    const fit = await refine(
      start,
      space.branches[point.branch]!,
      cache,
      threshold,
      free,
      0.05,
      5,
      false,
    );
    if (fit.score <= threshold) return fit;
  }
  return null;
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
  // the nearest value shown not to fit: the true edge lies between it and `edge`
  let failed = Number.NaN;
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
      if (Number.isNaN(failed) || dir * (u - failed) < 0) failed = u;
      growing = false;
      halvings--;
      step = Math.max(quantumStep(d), step / 2);
    }
  }
  // the range errs wide: it reaches to the nearest value shown not to fit, less one quantum
  // (an integer's next value failed; a continuous edge is known only to the last step)
  if (Number.isNaN(failed) || dir * (failed - edge) <= 0) return edge;
  // on a relative grid (a log scale in 5 % steps) the values between two grid values are not
  // searched, and the truth may lie there: the range reaches to the grid value that failed
  if (d.log && d.quantum) return failed;
  const q = quantumStep(d);
  const wide = q > 0 ? failed - dir * q : failed;
  return dir * (wide - edge) > 0 ? encodeValue(d, decodeValue(d, wide)) : edge;
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
