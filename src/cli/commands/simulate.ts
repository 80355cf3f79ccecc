import type { Command } from "commander";
import { simulate } from "../../esm/simulate.js";
import { describeRun } from "../../run/describe.js";
import { writeRun } from "../../run/run-io.js";
import type { PolicyName } from "../../scaler/policy.js";
import { loadScenario } from "../../scenario/load.js";
import { checkRunDirTarget } from "../../util/output-guard.js";
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
