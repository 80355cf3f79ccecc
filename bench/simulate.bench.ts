/**
 * `npm run bench`: speed and memory of the simulator, printed as figures (never asserted in
 * tests, which would flake on shared machines).
 *
 * Each scenario runs in its own child process so its peak RSS is its own. Targets (issue 2):
 * - the three seed cases together in under 50 ms of simulation time (warm);
 * - ≥ 100 M simulated records per wall-second, batch size 100 over 100 partitions;
 * - ≥ 5 M simulated invocations per second with batch size 1;
 * - 10^8 records in under 150 MB peak RSS.
 */
import { spawnSync } from "node:child_process";
import { simulate } from "../src/esm/simulate.js";
import { SEED_CASES } from "../src/scenario/builtins.js";
import type { ScenarioInput } from "../src/scenario/input.js";
import { loadScenario } from "../src/scenario/load.js";
import { resolveScenario } from "../src/scenario/resolve.js";

const BIG: Record<string, { input: ScenarioInput; note: string }> = {
  "batch100-1e8": {
    note: "10^8 records at 10^4/s for 10^4 s, 100 partitions, batch 100, window 1 s, fixed 100 pollers, 0.5 s function",
    input: {
      name: "batch100-1e8",
      workload: { kind: "constant", ratePerSec: 10_000, durationSec: 10_000 },
      topic: { partitions: 100 },
      esm: { batchSize: 100, batchingWindowSec: 1 },
      function: { duration: { kind: "constant", sec: 0.5 } },
      scaler: { policy: "fixed", pollers: 100 },
    },
  },
  "batch100-1e8-legacy": {
    note: "the same workload under legacy-15min (1 poller for 15 min, then 100)",
    input: {
      name: "batch100-1e8-legacy",
      workload: { kind: "constant", ratePerSec: 10_000, durationSec: 10_000 },
      topic: { partitions: 100 },
      esm: { batchSize: 100, batchingWindowSec: 1 },
      function: { duration: { kind: "constant", sec: 0.5 } },
      scaler: { policy: "legacy-15min" },
    },
  },
  "batch1-backlog-1e7": {
    note: "10^7-record TRIM_HORIZON backlog, 100 partitions, batch 1, fixed 100 pollers, 10 ms function",
    input: {
      name: "batch1-backlog-1e7",
      workload: { kind: "constant", ratePerSec: 1, durationSec: 1 },
      topic: { partitions: 100, backlogRecords: 10_000_000 },
      esm: { batchSize: 1, startingPosition: "TRIM_HORIZON" },
      function: { duration: { kind: "constant", sec: 0.01 } },
      scaler: { policy: "fixed", pollers: 100 },
    },
  },
  "batch1-live-1e7": {
    note: "10^7 records at 10^4/s, 100 partitions, batch 1, fixed 100 pollers, 5 ms function (a wake per record)",
    input: {
      name: "batch1-live-1e7",
      workload: { kind: "constant", ratePerSec: 10_000, durationSec: 1000 },
      topic: { partitions: 100 },
      esm: { batchSize: 1 },
      function: { duration: { kind: "constant", sec: 0.005 } },
      scaler: { policy: "fixed", pollers: 100 },
    },
  },
  "poisson-keyhash-1e7": {
    note: "10^7 Poisson records at 10^4/s, key-hash over 10^5 keys, 100 partitions, batch 100, on-demand-current",
    input: {
      name: "poisson-keyhash-1e7",
      workload: { kind: "poisson", ratePerSec: 10_000, durationSec: 1000 },
      topic: { partitions: 100, partitioner: { kind: "key-hash", keySpace: 100_000 } },
      esm: { batchSize: 100 },
      function: { duration: { kind: "lognormal", medianSec: 0.2, sigma: 0.5 } },
      scaler: { policy: "on-demand-current" },
    },
  },
};

interface Figures {
  name: string;
  wallSec: number;
  events: number;
  records: number;
  invocations: number;
  peakRssMb: number;
}

function runOne(name: string): Figures {
  const spec = BIG[name]!;
  const resolved = resolveScenario(spec.input, { source: name });
  const t0 = performance.now();
  const run = simulate(resolved);
  const wallSec = (performance.now() - t0) / 1000;
  const s = run.meta.summary;
  if (s.truncated) throw new Error(`${name} did not drain`);
  return {
    name,
    wallSec,
    events: s.simulatedEvents ?? 0,
    records: s.processedRecords ?? 0,
    invocations: s.invocations ?? 0,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function seedCases(): Promise<void> {
  const resolved = await Promise.all(SEED_CASES.map(async (c) => (await loadScenario(c)).resolved));
  const once = () => {
    const t0 = performance.now();
    for (const r of resolved) simulate(r);
    return performance.now() - t0;
  };
  const cold = once();
  const times: number[] = [];
  for (let i = 0; i < 30; i++) times.push(once());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log("seed cases (case1+case2+case3 under legacy-15min, 1 s series), simulate() only:");
  console.log(
    `  first run (cold JIT) ${cold.toFixed(1)} ms; warm median of 30 ${median.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms  [target < 50 ms]`,
  );
}

const rate = (n: number, sec: number) => `${(n / sec / 1e6).toFixed(1)} M/s`;

/** Child-process entry: run one large scenario and print its figures as JSON. */
export function benchSimulateChild(name: string): void {
  process.stdout.write(JSON.stringify(runOne(name)));
}

/** The simulator's figures: seed cases in-process, large scenarios each in a child process. */
export async function benchSimulate(entry: string): Promise<void> {
  console.log("== simulate");
  await seedCases();
  console.log("\nlarge scenarios (each in its own process; peak RSS of that process):");
  for (const [name, spec] of Object.entries(BIG)) {
    const res = spawnSync(process.execPath, [entry, "--child", name], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    if (res.status !== 0) {
      console.log(`  ${name}: FAILED\n${res.stderr}`);
      process.exitCode = 1;
      continue;
    }
    const f = JSON.parse(res.stdout) as Figures;
    console.log(`  ${name}: ${spec.note}`);
    console.log(
      `    ${f.wallSec.toFixed(2)} s wall; records ${rate(f.records, f.wallSec)}, invocations ${rate(f.invocations, f.wallSec)}, events ${rate(f.events, f.wallSec)}; peak RSS ${f.peakRssMb.toFixed(0)} MB` +
        ` (${(f.records / 1e6).toFixed(0)} M records, ${(f.invocations / 1e6).toFixed(2)} M invocations)`,
    );
  }
  console.log(
    "\ntargets: ≥ 100 M records/s (batch 100 × 100 partitions), ≥ 5 M invocations/s (batch 1), 10^8 records < 150 MB RSS",
  );
}
