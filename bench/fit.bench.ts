/**
 * Speed of the fit stage, printed as figures (never asserted in tests, which would flake on
 * shared machines). Targets (issue "three-phase model"):
 * - segmenting a 10⁶-point series in under 100 ms (binary segmentation);
 * - the three-phase fit of each seed case (1 s rows, 2701 of them) in under 10 ms.
 * Each figure is the median of repeated runs after a warm-up, so it measures optimised code.
 */
import { fileURLToPath } from "node:url";
import { Rng } from "../src/engine/prng.js";
import { simulate } from "../src/esm/simulate.js";
import { segment } from "../src/fit/change-points.js";
import { fitThreePhases } from "../src/fit/three-phase.js";
import { SEED_CASES } from "../src/scenario/builtins.js";
import { loadScenario } from "../src/scenario/load.js";

/** Median wall time of `f` in ms, after `warmUp` unmeasured calls. */
function medianMs(f: () => unknown, warmUp: number, runs: number): number {
  for (let i = 0; i < warmUp; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1]!;
}

/** n points: 20 steps of random height, N(0, 1) noise, 1 % of points missing. */
function stepSeries(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const values = new Float64Array(n);
  let level = 0;
  for (let i = 0; i < n; i++) {
    if (i % (n / 20) === 0) level = 10 * rng.next();
    values[i] = rng.next() < 0.01 ? Number.NaN : level + rng.normal();
  }
  return values;
}

/** The fit stage's speed figures, on stdout. */
export async function benchFit(): Promise<void> {
  console.log("== fit");
  const big = stepSeries(1_000_000, 1);
  const seg = segment(big);
  const bigMs = medianMs(() => segment(big), 3, 11);
  console.log(
    `segment, 10^6 points (20 steps, N(0,1) noise, 1 % missing): ${bigMs.toFixed(1)} ms median of 11 [target < 100 ms]` +
      ` — ${seg.method}, ${seg.breakpoints.length} change points, R² ${seg.r2.toFixed(3)}`,
  );
  // Pure noise: no change for PELT to prune at, so the exact method's O(n²) worst case.
  const rng = new Rng(2);
  const noise = Float64Array.from({ length: 1000 }, () => rng.normal());
  const noiseMs = medianMs(() => segment(noise, { method: "exact" }), 5, 21);
  console.log(
    `segment, 1000 points of pure noise by the exact method (auto's threshold, worst case): ${noiseMs.toFixed(1)} ms`,
  );
  for (const name of SEED_CASES) {
    const run = simulate((await loadScenario(name)).resolved);
    const ms = medianMs(() => fitThreePhases(run), 20, 51);
    const fit = fitThreePhases(run);
    console.log(
      `fitThreePhases(${name}), ${run.series.length} rows at 1 s: ${ms.toFixed(2)} ms median of 51 [target < 10 ms]` +
        ` — ${fit.found.join(", ")}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchFit();
