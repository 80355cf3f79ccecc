import { join } from "node:path";
import type { Command } from "commander";
import { blogFigures, TEAR_UP_SEC } from "../../blog/figures.js";
import { simulate } from "../../esm/simulate.js";
import type { Run, SimulatedRunMeta } from "../../run/run.js";
import { writeRun } from "../../run/run-io.js";
import type { PolicyName } from "../../scaler/policy.js";
import { SEED_CASES } from "../../scenario/builtins.js";
import { loadScenario } from "../../scenario/load.js";
import { checkRunDirTarget } from "../../util/output-guard.js";
import { fmt, formatTable } from "../../util/text-table.js";
import { parsePolicy } from "../options.js";

interface CasesFlags {
  out?: string;
  policy?: PolicyName;
}

export function registerCases(program: Command): void {
  program
    .command("cases")
    .description("simulate the seed blog's three cases and print their figures beside the blog's")
    .option("-o, --out <dir>", "also write each run to DIR/case1, DIR/case2, DIR/case3")
    .option(
      "-p, --policy <name>",
      "scaler policy (default legacy-15min, the blog's era)",
      parsePolicy,
    )
    .action(async (flags: CasesFlags) => {
      const out = flags.out;
      if (out !== undefined) {
        for (const name of SEED_CASES) await checkRunDirTarget(join(out, name));
      }
      const runs: Run<SimulatedRunMeta>[] = [];
      const started = performance.now();
      for (const name of SEED_CASES) {
        const loaded = await loadScenario(
          name,
          flags.policy === undefined ? {} : { policy: flags.policy },
        );
        runs.push(simulate(loaded.resolved));
      }
      const elapsedMs = performance.now() - started;
      if (flags.out !== undefined) {
        for (const run of runs) await writeRun(run, join(flags.out, run.meta.scenario.name));
      }
      process.stdout.write(
        `${formatCases(runs)}\n\nsimulated in ${fmt(elapsedMs, "count")} ms (wall clock, including start-up of the simulator)\n`,
      );
      if (flags.out !== undefined)
        process.stdout.write(`wrote ${flags.out}/{${SEED_CASES.join(",")}}\n`);
    });
}

/** The seed cases' figures, "simulated (blog)", and the assumptions behind them. */
export function formatCases(runs: readonly Run<SimulatedRunMeta>[]): string {
  const rows = runs.map((run) => {
    const sc = run.meta.scenario;
    const f = blogFigures(run);
    const P = sc.topic.partitions;
    const d = sc.function.duration.kind === "constant" ? sc.function.duration.sec : Number.NaN;
    const s = run.meta.summary;
    const prodEnd = s.productionEndSec ?? Number.NaN;
    const backToMin = run.meta.scaleEvents.at(-1);
    return [
      sc.name,
      `${sc.workload.kind === "constant" ? fmt(sc.workload.ratePerSec) : "?"}/s, ${fmt(P)} part.`,
      `${fmt(f.maxConcurrencyFirst15Min)} (1)`,
      `${fmt(f.invocationsFirst15Min)} (${fmt(TEAR_UP_SEC / d)})`,
      `${f.evaluationIntervalSec === null ? "none" : `${fmt(f.evaluationIntervalSec, "seconds")} s`} (13–15 min)`,
      `${fmt(f.peakConcurrency)} (${fmt(P)})`,
      `${fmt(f.maxInvocationsPerMinute)} (${fmt((P * 60) / d)})`,
      s.drainedAtSec === null || s.drainedAtSec === undefined
        ? "–"
        : fmt(s.drainedAtSec - prodEnd, "duration"),
      backToMin && backToMin.to < backToMin.from
        ? `${fmt(backToMin.tSec - prodEnd, "seconds")} s (~900 s)`
        : "–",
      s.latency
        ? `${fmt(s.latency.p50Sec, "seconds")} / ${fmt(s.latency.p99Sec, "seconds")} s`
        : "–",
    ];
  });
  const policy = runs[0]?.meta.scenario.scaler.policy ?? "?";
  const assumed = runs[0]?.meta.assumed ?? [];
  return [
    `Seed blog cases under ${policy}: simulated value (blog's figure or formula)`,
    "",
    formatTable(
      [
        "case",
        "workload",
        "max conc. 0–15 min",
        "invocations 0–15 min",
        "re-evaluation",
        "peak conc.",
        "max invocations/min",
        "drained after prod. end",
        "scaled down after prod. end",
        "latency p50 / p99",
      ],
      rows,
    ),
    "",
    `Blog formulas: 900 / duration invocations in the first 15 min; peak = partitions; partitions × 60 / duration per minute.`,
    `Assumed, not documented by AWS (${assumed.length}): ${assumed.join(", ")}`,
  ].join("\n");
}
