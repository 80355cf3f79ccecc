/**
 * A global minimiser for small mixed problems: a categorical choice among *branches* (each with
 * its own numeric dimensions), integers, and reals on bounded, possibly logarithmic scales.
 * Written over any batch objective, so it is tested on functions with known optima and used by
 * calibration on simulations.
 *
 * ```
 * branches ─▶ differential evolution per branch, all trials of a generation in one batch
 *              (racing: a branch far behind the best is dropped)
 *          ─▶ converged (no gain for `patience` generations) or out of budget
 *          ─▶ compass refinement of the best points, axis and pair-diagonal moves
 * ```
 *
 * - Differential evolution, "current-to-best/1/bin" with dithered F (Storn & Price 1997,
 *   J. Global Optim. 11; Das & Suganthan 2011, IEEE TEC 15(1), §III): robust on rugged and
 *   piecewise-constant surfaces, which a simulated CloudWatch view is (a minute's maximum moves
 *   only when a scale-up crosses a minute). A trial replaces its parent when it is *no worse*,
 *   so the population drifts across plateaus instead of stalling on them.
 * - The search runs in the unit cube; each point is decoded and snapped to its dimension's
 *   quantum (1 s, one poller, …) before it is evaluated, and snapped points are cached, so a
 *   converged population costs nothing more.
 * - Branches race (successive elimination, Maron & Moore 1997): every branch gets the same
 *   generations until `raceAfter`; after that a branch whose best is clearly worse than the
 *   leader's is dropped.
 * - The refinement is a compass search (Kolda, Lewis & Torczon 2003, SIAM Review 45(3)) with
 *   pair diagonals, since calibration's parameters trade off in pairs (an evaluation interval
 *   against an actuation delay).
 *
 * Deterministic: the same seed and objective give the same result, whatever evaluates the
 * batches (in process or on worker threads).
 */
import { Rng } from "../engine/prng.js";

/** One numeric dimension. */
export interface Dimension {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  /** Searched on a log scale (lo > 0): for ratios and thresholds spanning decades. */
  readonly log?: boolean;
  /** Values are multiples of this (1 for integers); relative for log dimensions (0.02 = 2 %). */
  readonly quantum?: number;
}

/** One categorical choice and the dimensions it has. */
export interface Branch {
  readonly name: string;
  readonly dims: readonly Dimension[];
  /** Points to seed the population with (decoded values), e.g. a preset. */
  readonly starts?: readonly (readonly number[])[];
}

/** A decoded, snapped point of one branch. */
export interface Point {
  readonly branch: number;
  readonly x: readonly number[];
}

export interface Scored extends Point {
  readonly score: number;
}

/** Scores of a batch of points, in order. */
export type BatchObjective = (points: readonly Point[]) => Promise<readonly number[]>;

export interface SearchOptions {
  readonly seed?: number;
  /** Population size per dimension (default 5; between 8 and 30 in all). */
  readonly populationPerDim?: number;
  /** A branch converges after this many generations without a gain (default 10). */
  readonly patience?: number;
  /**
   * Fresh populations a converged branch gets (its best kept) before it stops, unless it is at
   * the target (default 1): restarts escape the local minima a converged population sits in
   * (Auger & Hansen 2005, "A restart CMA evolution strategy with increasing population size").
   */
  readonly restarts?: number;
  readonly maxGenerations?: number;
  /** Stop once this many distinct points were evaluated (default 20 000). */
  readonly maxEvaluations?: number;
  /** Generations every branch gets before racing drops any (default 6). */
  readonly raceAfter?: number;
  /** A branch is dropped when its best exceeds the leader's by this much (default 0.05). */
  readonly raceMargin?: number;
  /** Scores at or below this count as exact (default 0). */
  readonly target?: number;
  /**
   * Stop as soon as a point reaches the target (default false: a branch at the target goes
   * on until its population stops moving, exploring the exact fits for the profiles).
   */
  readonly stopAtTarget?: boolean;
  /**
   * The cache of an earlier search of the same branches and objective, to go on from: its
   * points cost nothing again, its budget is shared, and the result's best is over both.
   */
  readonly cache?: ScoreCache;
}

export interface SearchResult {
  readonly best: Scored;
  /** The cache of every point evaluated: further searches (profiles) share its budget. */
  readonly cache: ScoreCache;
  /** Best score of each branch (Infinity when a branch has no point). */
  readonly branchBest: readonly Scored[];
  readonly generations: number;
  /** False when the budget ran out before every branch converged. */
  readonly converged: boolean;
}

/**
 * Minimise `objective` over `branches`.
 * @example
 * const r = await minimise([{ name: "x", dims: [{ name: "x", lo: -5, hi: 5 }] }],
 *   async (pts) => pts.map((p) => (p.x[0]! - 1) ** 2));
 * r.best.x[0]; // ≈ 1
 */
export async function minimise(
  branches: readonly Branch[],
  objective: BatchObjective,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const rng = new Rng(options.seed ?? 1);
  const cache = options.cache ?? new ScoreCache(objective, options.maxEvaluations ?? 20_000);
  const target = options.target ?? 0;
  const patience = options.patience ?? 10;
  const maxGenerations = options.maxGenerations ?? 400;
  const raceAfter = options.raceAfter ?? 6;
  const raceMargin = options.raceMargin ?? 0.05;

  const states = branches.map((b, index) => newState(b, index, rng, options));
  await evaluateAll(
    cache,
    states.flatMap((s) => s.pop),
    branches,
  );
  for (const s of states) s.adopt();
  let generations = 0;
  const active = () => states.filter((s) => !s.dropped && !s.converged);
  while (active().length > 0 && generations < maxGenerations && !cache.exhausted) {
    generations++;
    const trials = active().map((s) => ({ s, trials: s.propose(rng) }));
    await evaluateAll(
      cache,
      trials.flatMap((t) => t.trials),
      branches,
    );
    for (const t of trials) t.s.select(t.trials, patience);
    // a branch at the target goes on until its population stops moving, and restarts: it
    // drifts over the plateau of exact fits and looks for other ones, which the profiles read
    // from the archive
    const leader = Math.min(...states.map((s) => s.best.score));
    if (options.stopAtTarget && leader <= target) break;
    if (generations >= raceAfter) {
      for (const s of states) if (s.best.score > leader + raceMargin) s.dropped = true;
    }
  }
  const converged = states.every((s) => s.dropped || s.converged || s.best.score <= target);
  // refine the best point of every branch still in the race
  const leader = Math.min(...states.map((s) => s.best.score));
  for (const s of states) {
    if (s.dims.length === 0 || s.best.score > leader + raceMargin) continue;
    await refine(s.best, branches[s.index]!, cache, target);
  }
  const branchBest = states.map((s) => cache.bestOf(s.index));
  const best = branchBest.reduce((a, b) => (b.score < a.score ? b : a));
  return {
    best,
    cache,
    branchBest,
    generations,
    converged,
  };
}

/**
 * Local search from `start` over its branch's dimensions: compass moves along each axis and
 * each pair diagonal (x_i ± s, x_j ∓ s and x_i ± s, x_j ± s), all evaluated in one batch per
 * step; the best improving move is taken, the step halves when none improves, down to one
 * quantum. Exported for profiles, which re-fit all but one dimension.
 * @param free indices of the dimensions that may move (default all)
 * @param pairs whether to try pair diagonals (2·D² moves a step) or axes only (2·D)
 */
export async function refine(
  start: Scored,
  branch: Branch,
  cache: ScoreCache,
  target = 0,
  free: readonly number[] = branch.dims.map((_, i) => i),
  initialStep = 0.125,
  maxSteps = 60,
  pairs = true,
): Promise<Scored> {
  let current = start;
  let u = encode(branch, current.x);
  let step = initialStep;
  const minStep = Math.min(...free.map((i) => quantumStep(branch.dims[i]!)), 1 / 1024);
  // a move is at least one quantum of its dimension, so integers move at every step size
  const unit = branch.dims.map((d) => quantumStep(d));
  for (let k = 0; k < maxSteps && step >= minStep && current.score > target; k++) {
    const moves: number[][] = [];
    const by = (i: number) => Math.max(step, unit[i]!);
    for (const i of free) {
      for (const si of [1, -1]) {
        moves.push(nudged(u, [[i, si * by(i)]]));
        for (const j of pairs ? free : []) {
          if (j <= i) continue;
          moves.push(
            nudged(u, [
              [i, si * by(i)],
              [j, -si * by(j)],
            ]),
          );
          moves.push(
            nudged(u, [
              [i, si * by(i)],
              [j, si * by(j)],
            ]),
          );
        }
      }
    }
    const points = moves.map((m) => ({ branch: start.branch, x: decode(branch, m) }));
    const scores = await cache.scores(points);
    let bestIdx = -1;
    for (let i = 0; i < points.length; i++) {
      if (scores[i]! < (bestIdx < 0 ? current.score : scores[bestIdx]!)) bestIdx = i;
    }
    if (bestIdx < 0 || cache.exhausted) {
      step /= 2;
      if (cache.exhausted) break;
      continue;
    }
    current = { ...points[bestIdx]!, score: scores[bestIdx]! };
    u = encode(branch, current.x);
  }
  return current;
}

/** Distinct points and their scores; evaluates only points it has not seen. */
export class ScoreCache {
  readonly archive: Scored[] = [];
  private readonly known = new Map<string, number>();
  constructor(
    private readonly objective: BatchObjective,
    private readonly maxEvaluations: number,
  ) {}

  get exhausted(): boolean {
    return this.archive.length >= this.maxEvaluations;
  }

  /** Scores of `points`, evaluating the new ones in one batch (Infinity past the budget). */
  async scores(points: readonly Point[]): Promise<number[]> {
    const fresh: Point[] = [];
    const freshKeys = new Set<string>();
    for (const p of points) {
      const key = keyOf(p);
      if (this.known.has(key) || freshKeys.has(key)) continue;
      if (this.archive.length + fresh.length >= this.maxEvaluations) continue;
      freshKeys.add(key);
      fresh.push(p);
    }
    if (fresh.length > 0) {
      const got = await this.objective(fresh);
      fresh.forEach((p, i) => {
        const score = got[i]!;
        this.known.set(keyOf(p), score);
        this.archive.push({ ...p, score });
      });
    }
    return points.map((p) => this.known.get(keyOf(p)) ?? Number.POSITIVE_INFINITY);
  }

  /** The best point evaluated in `branch` (score Infinity when none). */
  bestOf(branch: number): Scored {
    let best: Scored = { branch, x: [], score: Number.POSITIVE_INFINITY };
    for (const p of this.archive) if (p.branch === branch && p.score < best.score) best = p;
    return best;
  }
}

const keyOf = (p: Point): string => `${p.branch}:${p.x.join(",")}`;

/** The unit-cube coordinate of a decoded value. */
export function encodeValue(d: Dimension, v: number): number {
  if (d.hi === d.lo) return 0;
  const u = d.log
    ? (Math.log(v) - Math.log(d.lo)) / (Math.log(d.hi) - Math.log(d.lo))
    : (v - d.lo) / (d.hi - d.lo);
  return Math.min(1, Math.max(0, u));
}

/** The snapped value of a unit-cube coordinate. */
export function decodeValue(d: Dimension, u: number): number {
  const c = Math.min(1, Math.max(0, u));
  if (d.log) {
    const v = Math.exp(Math.log(d.lo) + c * (Math.log(d.hi) - Math.log(d.lo)));
    if (!d.quantum) return v;
    // relative quantum: a grid of ratios (1 + q)^k from lo
    const k = Math.round(Math.log(v / d.lo) / Math.log(1 + d.quantum));
    return Math.min(d.hi, d.lo * (1 + d.quantum) ** k);
  }
  const v = d.lo + c * (d.hi - d.lo);
  if (!d.quantum) return v;
  const q = d.quantum;
  const snapped = d.lo + Math.round((v - d.lo) / q) * q;
  // keep the decimal grid clean (0.1 + 0.2): round to the quantum's decimals
  const decimals = Math.max(0, -Math.floor(Math.log10(q)) + 1);
  return Math.min(d.hi, Number(snapped.toFixed(decimals)));
}

const encode = (b: Branch, x: readonly number[]) => b.dims.map((d, i) => encodeValue(d, x[i]!));
const decode = (b: Branch, u: readonly number[]) => b.dims.map((d, i) => decodeValue(d, u[i]!));

/** The unit-cube width of one quantum of `d` (0 for a continuous dimension). */
export function quantumStep(d: Dimension): number {
  if (!d.quantum || d.hi === d.lo) return 0;
  if (d.log) return Math.log(1 + d.quantum) / (Math.log(d.hi) - Math.log(d.lo));
  return d.quantum / (d.hi - d.lo);
}

function nudged(u: readonly number[], moves: readonly [number, number][]): number[] {
  const out = [...u];
  for (const [i, delta] of moves) out[i] = Math.min(1, Math.max(0, out[i]! + delta));
  return out;
}

async function evaluateAll(
  cache: ScoreCache,
  members: readonly Member[],
  branches: readonly Branch[],
): Promise<void> {
  const points = members.map((m) => ({ branch: m.branch, x: decode(branches[m.branch]!, m.u) }));
  const scores = await cache.scores(points);
  members.forEach((m, i) => {
    m.x = points[i]!.x;
    m.score = scores[i]!;
  });
}

interface Member {
  readonly branch: number;
  u: number[];
  x: readonly number[];
  score: number;
}

interface BranchState {
  readonly index: number;
  readonly dims: readonly Dimension[];
  readonly pop: Member[];
  best: Scored;
  converged: boolean;
  dropped: boolean;
  adopt(): void;
  propose(rng: Rng): Member[];
  select(trials: readonly Member[], patience: number): void;
}

function newState(b: Branch, index: number, rng: Rng, options: SearchOptions): BranchState {
  const D = b.dims.length;
  const size = D === 0 ? 1 : Math.min(30, Math.max(8, (options.populationPerDim ?? 5) * D));
  const pop: Member[] = [];
  for (const start of b.starts ?? []) {
    if (pop.length < size) pop.push(member(index, encode(b, start)));
  }
  const fill = (from: number) => {
    // Latin hypercube: each dimension's strata shuffled independently
    const rest = size - from;
    const strata = b.dims.map(() => shuffled(rest, rng));
    for (let k = 0; k < rest; k++) {
      pop[from + k] = member(
        index,
        b.dims.map((_, i) => (strata[i]![k]! + rng.next()) / rest),
      );
    }
  };
  fill(pop.length);
  let stale = 0;
  let restartsLeft = options.restarts ?? 1;
  const state: BranchState = {
    index,
    dims: b.dims,
    pop,
    best: { branch: index, x: [], score: Number.POSITIVE_INFINITY },
    converged: D === 0,
    dropped: false,
    adopt() {
      for (const m of pop) if (m.score < state.best.score) state.best = snapshot(m);
    },
    propose(r) {
      const bestU = encode(b, state.best.x);
      return pop.map((m, i) => {
        if (m.score === Number.POSITIVE_INFINITY && m.x.length === 0) return m; // fresh: as is
        const [r1, r2] = distinctPair(pop.length, i, r);
        const F = 0.5 + 0.4 * r.next(); // dither (Das & Suganthan 2011, §IV-A)
        const jRand = r.int(D);
        const u = m.u.map((ui, j) => {
          if (j !== jRand && r.next() >= 0.9) return ui;
          const v = ui + F * (bestU[j]! - ui) + F * (pop[r1]!.u[j]! - pop[r2]!.u[j]!);
          // out of the cube: halfway back towards the parent (keeps boundary optima reachable)
          return v < 0 ? ui / 2 : v > 1 ? (ui + 1) / 2 : v;
        });
        return member(index, u);
      });
    },
    select(trials, pat) {
      const before = state.best.score;
      trials.forEach((t, i) => {
        if (t.score <= pop[i]!.score) pop[i] = t;
      });
      state.adopt();
      stale = state.best.score < before - 1e-12 ? 0 : stale + 1;
      if (stale < pat) return;
      if (restartsLeft <= 0) {
        state.converged = true;
        return;
      }
      // restart: the best kept, a fresh population around it
      restartsLeft--;
      stale = 0;
      const keep = member(index, encode(b, state.best.x));
      keep.x = state.best.x;
      keep.score = state.best.score;
      fill(1);
      pop[0] = keep;
    },
  };
  return state;
}

function member(branch: number, u: number[]): Member {
  return { branch, u, x: [], score: Number.POSITIVE_INFINITY };
}

const snapshot = (m: Member): Scored => ({ branch: m.branch, x: m.x, score: m.score });

function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function distinctPair(n: number, not: number, rng: Rng): [number, number] {
  if (n < 3) return [0, n - 1];
  let a = rng.int(n);
  while (a === not) a = rng.int(n);
  let b = rng.int(n);
  while (b === not || b === a) b = rng.int(n);
  return [a, b];
}
