/**
 * Speed of the charts stage, printed as figures (never asserted in tests). Target (toolchain
 * notes): about 10 ms per chart warm. Each figure is the median of repeated renders after every
 * chart was rendered five times, so vega's modules are loaded and its code compiled by the JIT
 * (the first render of a process is printed on its own); the spec is built once per chart.
 */
import { fileURLToPath } from "node:url";
import type { TopLevelSpec } from "vega-lite";
import { concurrencyChart } from "../src/charts/concurrency-chart.js";
import { policyComparisonChart, smallMultiplesChart } from "../src/charts/multi-run-charts.js";
import { overlayChart } from "../src/charts/overlay-chart.js";
import { renderSvg } from "../src/charts/render.js";
import {
  cumulativeRecordsChart,
  invocationsPerMinuteChart,
  lagChart,
} from "../src/charts/run-charts.js";
import { simulate } from "../src/esm/simulate.js";
import { SEED_CASES } from "../src/scenario/builtins.js";
import { loadScenario } from "../src/scenario/load.js";

/** Median wall time of an async `f` in ms, after `warmUp` unmeasured calls. */
async function medianMs(f: () => Promise<unknown>, warmUp: number, runs: number): Promise<number> {
  for (let i = 0; i < warmUp; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1]!;
}

/** The charts stage's speed figures, on stdout: spec build and warm SVG render per chart. */
export async function benchCharts(): Promise<void> {
  console.log("== charts");
  const seeds = await Promise.all(
    SEED_CASES.map(async (name) => simulate((await loadScenario(name)).resolved)),
  );
  const case1 = seeds[0]!;
  const policies = await Promise.all(
    (["legacy-15min", "on-demand-current", "keda"] as const).map(async (policy) =>
      simulate((await loadScenario("case1", { policy })).resolved),
    ),
  );
  const charts: [string, () => TopLevelSpec][] = [
    ["concurrencyChart(case1)", () => concurrencyChart(case1)],
    ["lagChart(case1)", () => lagChart(case1)],
    ["cumulativeRecordsChart(case1)", () => cumulativeRecordsChart(case1)],
    ["invocationsPerMinuteChart(case1)", () => invocationsPerMinuteChart(case1)],
    ["smallMultiplesChart(3 seed cases)", () => smallMultiplesChart(seeds)],
    ["policyComparisonChart(case1 × 3 policies)", () => policyComparisonChart(policies)],
    ["overlayChart(case1 vs case1 keda)", () => overlayChart(case1, policies[2]!)],
  ];
  // vega's code keeps getting faster over the first few dozen renders of a process (the JIT),
  // so every chart is rendered a few times before any is timed; the first render is printed too
  const specs = charts.map(([, build]) => build());
  const firstStart = performance.now();
  await renderSvg(specs[0]!);
  const firstMs = performance.now() - firstStart;
  for (let round = 0; round < 5; round++) for (const spec of specs) await renderSvg(spec);
  console.log(`first render in the process (cold JIT): ${firstMs.toFixed(1)} ms`);
  for (const [i, [name, build]] of charts.entries()) {
    const buildMs = await medianMs(async () => build(), 3, 11);
    const spec = specs[i]!;
    const svg = await renderSvg(spec);
    const renderMs = await medianMs(() => renderSvg(spec), 3, 11);
    console.log(
      `${name}: spec ${buildMs.toFixed(1)} ms (${(JSON.stringify(spec).length / 1024).toFixed(0)} KiB),` +
        ` render ${renderMs.toFixed(1)} ms median of 11 warm [target ≈ 10 ms] (SVG ${(svg.length / 1024).toFixed(0)} KiB)`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchCharts();
