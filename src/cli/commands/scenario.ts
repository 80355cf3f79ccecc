import type { Command } from "commander";
import type { PolicyName } from "../../scaler/policy.js";
import { BUILTIN_SCENARIOS } from "../../scenario/builtins.js";
import { loadScenario } from "../../scenario/load.js";
import { toScenarioInput } from "../../scenario/to-input.js";
import { formatValue } from "../../util/format.js";
import { CLI_OPTIONS, formatTable } from "../../util/text-table.js";
import { parsePolicy } from "../options.js";

interface ScenarioFlags {
  policy?: PolicyName;
  json?: boolean;
}

export function registerScenario(program: Command): void {
  program
    .command("scenario")
    .description(
      "validate a scenario and show every parameter with its basis (given, documented, assumed)",
    )
    .argument(
      "[scenario]",
      `scenario JSON file or built-in name (${Object.keys(BUILTIN_SCENARIOS).join(", ")})`,
    )
    .option(
      "-p, --policy <name>",
      "replace the scenario's scaler by this policy's preset",
      parsePolicy,
    )
    .option("--json", "print the fully resolved scenario as JSON (a valid scenario file)")
    .action(async (name: string | undefined, flags: ScenarioFlags) => {
      if (name === undefined) {
        process.stdout.write(`built-in scenarios: ${Object.keys(BUILTIN_SCENARIOS).join(", ")}\n`);
        return;
      }
      const { resolved, traceFile } = await loadScenario(
        name,
        flags.policy === undefined ? {} : { policy: flags.policy },
      );
      if (flags.json) {
        // a trace file by absolute path, so the printout simulates from wherever it is saved
        const input = toScenarioInput(resolved, traceFile === undefined ? {} : { traceFile });
        process.stdout.write(`${JSON.stringify(input, null, 2)}\n`);
        return;
      }
      const rows = Object.entries(resolved.parameters).map(([path, p]) => [
        path,
        formatValue(p.value, CLI_OPTIONS),
        p.basis,
        p.note ?? "",
      ]);
      process.stdout.write(
        `${resolved.scenario.label}\n\n${formatTable(["parameter", "value", "basis", "note"], rows)}\n`,
      );
    });
}
