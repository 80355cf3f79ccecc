import type { Command } from "commander";
import { simulate } from "../../esm/simulate.js";
import type { Run } from "../../run/run.js";
import { writeRun } from "../../run/run-io.js";
import type { PolicyName } from "../../scaler/policy.js";
import { loadScenario } from "../../scenario/load.js";
import { checkRunDirTarget } from "../../util/output-guard.js";
import { fmt } from "../../util/text-table.js";
import { parseCount, parsePolicy, parseSeconds, parseSeed } from "../options.js";

interface SimulateFlags {
  out: string;
  policy?: PolicyName;
  seed?: number;
  resolution?: number;
  maxEvents?: number;
  json?: boolean;
}

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description(
      "simulate a scenario (a JSON file or a built-in: case1, case2, case3) and write a run directory",
    )
    .argument("<scenario>", "scenario JSON file or built-in name")
    .requiredOption(
      "-o, --out <dir>",
      "run directory to write: a new folder, or an esmlab run directory to replace",
    )
    .option(
      "-p, --policy <name>",
      "replace the scenario's scaler by this policy's preset",
      parsePolicy,
    )
    .option("-s, --seed <n>", "random seed (default: the scenario's, else 1)", parseSeed)
    .option(
      "-r, --resolution <sec>",
      "series interval in seconds, dividing 60 (default 1)",
      parseSeconds,
    )
    .option(
      "--max-events <n>",
      "work budget in simulator events (default 2e8, about a minute); series rows and buffered arrivals scale with it",
      parseCount,
    )
    .option("--json", "print the run summary as JSON")
    .addHelpText(
      "after",
      "\nWrites DIR/run.json (scenario, assumed parameters, provenance, summary) and DIR/series.csv\n" +
        "(t,produced,processed,invocations,concurrency,lag,pollers,errors,throttles).\n\n" +
        "Example:\n  esmlab simulate case2 --policy on-demand-2022 --out runs/case2-od",
    )
    .action(async (scenario: string, flags: SimulateFlags) => {
      const loaded = await loadScenario(scenario, {
        ...(flags.policy === undefined ? {} : { policy: flags.policy }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.resolution === undefined ? {} : { resolutionSec: flags.resolution }),
      });
      // the output is checked before a long simulation, not after it
      await checkRunDirTarget(flags.out, { inputs: loaded.inputs.map((i) => i.path) });
      // simulate() refuses work beyond the budget before it starts, so nothing is written
      const run = simulate(loaded.resolved, {
        inputs: loaded.inputs,
        ...(flags.maxEvents === undefined ? {} : { maxEvents: flags.maxEvents }),
      });
      await writeRun(run, flags.out);
      if (flags.json) process.stdout.write(`${JSON.stringify(run.meta.summary, null, 2)}\n`);
      else process.stdout.write(`${describeRun(run)}\nwrote ${flags.out}\n`);
    });
}

/** A few lines a person reads after a simulation. */
export function describeRun(run: Run): string {
  const s = run.meta.summary;
  const lat = s.latency;
  const events = run.meta.scaleEvents ?? [];
  const lines = [
    `${run.meta.label} [${run.meta.id}]`,
    `  records ${s.initialLagRecords ? `${fmt(s.initialLagRecords)} in the initial backlog + ` : ""}${fmt(s.producedRecords)} produced, ${fmt(s.processedRecords)} processed; ${fmt(s.invocations)} invocations, ${fmt(s.errors)} errors, ${fmt(s.throttles)} throttles`,
    `  peak concurrency ${fmt(s.peakConcurrency)}, peak lag ${fmt(s.peakLagRecords)}, peak pollers ${fmt(s.peakPollers)}; run ends at ${fmt(s.durationSec, "duration")}${s.truncated ? " (TRUNCATED: backlog not drained)" : ""}`,
  ];
  if (lat) {
    lines.push(
      `  latency p50 ${fmt(lat.p50Sec, "duration")}, p90 ${fmt(lat.p90Sec, "duration")}, p99 ${fmt(lat.p99Sec, "duration")}, max ${fmt(lat.maxSec, "duration")}`,
    );
  }
  if (events.length > 0) {
    lines.push(
      `  scaling: ${events.map((e) => `${fmt(e.tSec, "seconds")} s ${fmt(e.from)}→${fmt(e.to)}`).join(", ")}`,
    );
  }
  if (s.epu)
    lines.push(
      `  EPU ${fmt(s.epu.epuHours, "ratio")} h ≈ $${fmt(s.epu.usd, "ratio")} at $${fmt(s.epu.usdPerEpuHour)}/EPU-hour`,
    );
  if (run.meta.assumed && run.meta.assumed.length > 0) {
    lines.push(
      `  assumed (undocumented) parameters: ${fmt(run.meta.assumed.length)} — see run.json "parameters"`,
    );
  }
  return lines.join("\n");
}
