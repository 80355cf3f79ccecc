import { type Command, InvalidArgumentError } from "commander";
import { simulate } from "../../esm/simulate.js";
import {
  CALIBRATABLE,
  type CalibratableParam,
  type CalibrationResult,
  calibrate,
} from "../../fit/calibrate.js";
import { loadAnyRun } from "../../run/load-any.js";
import { writeRun } from "../../run/run-io.js";
import type { PolicyName } from "../../scaler/policy.js";
import { loadScenario } from "../../scenario/load.js";
import { checkRunDirTarget } from "../../util/output-guard.js";
import { fmt, formatTable } from "../../util/text-table.js";
import { parsePolicy } from "../options.js";

interface CalibrateFlags {
  scenario: string;
  policy?: PolicyName;
  params?: CalibratableParam[];
  out?: string;
  json?: boolean;
}

export function registerCalibrate(program: Command): void {
  program
    .command("calibrate")
    .description(
      "fit the scaler's undocumented parameters so the simulation matches a measured run",
    )
    .argument("<measured>", "measured run directory, or a CloudWatch export file")
    .requiredOption(
      "-s, --scenario <scenario>",
      "scenario of the measured workload (JSON file or built-in)",
    )
    .option(
      "-p, --policy <name>",
      "scaler preset to start from (default: the scenario's)",
      parsePolicy,
    )
    .option(
      "--params <list>",
      `comma-separated parameters to fit (default: all of ${CALIBRATABLE.join(", ")})`,
      parseParams,
    )
    .option(
      "-o, --out <dir>",
      "also write the calibrated simulated run (a new folder, or a run directory to replace)",
    )
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nRuns are compared as CloudWatch shows them: per-minute ConcurrentExecutions (Maximum) and\n" +
        "Invocations (Sum), aligned on the first invocation. The search scans a grid per parameter,\n" +
        "then refines the numeric ones together; it reports the fitted values, the error before and\n" +
        "after, which parameters the run cannot pin down, and how many simulations it took.\n\n" +
        "Example:\n  esmlab calibrate runs/measured-1 --scenario case2 --out runs/case2-calibrated",
    )
    .action(async (measuredPath: string, flags: CalibrateFlags) => {
      const measured = await loadAnyRun(measuredPath);
      const { resolved, inputs } = await loadScenario(
        flags.scenario,
        flags.policy === undefined ? {} : { policy: flags.policy },
      );
      // the measured run and the scenario files must survive: checked before the search runs
      const guard = { inputs: [measuredPath, ...inputs.map((i) => i.path)] };
      if (flags.out !== undefined) await checkRunDirTarget(flags.out, guard);
      const result = calibrate(
        measured,
        resolved,
        flags.params === undefined ? {} : { params: flags.params },
      );
      if (flags.out !== undefined) await writeRun(simulate(result.resolved), flags.out, guard);
      if (flags.json) {
        const { resolved: calibrated, ...rest } = result;
        process.stdout.write(
          `${JSON.stringify({ ...rest, scenario: calibrated.scenario }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(`${formatCalibration(result, measured.meta.label)}\n`);
      }
      if (flags.out !== undefined) process.stdout.write(`wrote ${flags.out}\n`);
    });
}

function parseParams(value: string): CalibratableParam[] {
  const names = value.split(",").map((s) => s.trim().replace(/^scaler\./, ""));
  for (const n of names) {
    if (!(CALIBRATABLE as readonly string[]).includes(n)) {
      throw new InvalidArgumentError(`unknown parameter "${n}": one of ${CALIBRATABLE.join(", ")}`);
    }
  }
  return names as CalibratableParam[];
}

const show = (v: unknown): string =>
  typeof v === "object" && v !== null
    ? Object.entries(v)
        .map(([k, x]) => `${k}=${String(x)}`)
        .join(" ")
    : String(v);

/** The calibration as tables a person reads. */
export function formatCalibration(r: CalibrationResult, label: string): string {
  const params = formatTable(
    ["parameter", "before", "after", "pinned down", "equally good"],
    r.parameters.map((p) => [
      p.path,
      show(p.before),
      show(p.after),
      p.pinned ? "yes" : "no",
      [
        p.nearOptimal.length > 1 ? `values ${p.nearOptimal.map(show).join(", ")}` : "",
        p.tradesOffWith.length > 0 ? `trades off with ${p.tradesOffWith.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; "),
    ]),
  );
  const e0 = r.errorBefore;
  const e1 = r.errorAfter;
  const errors = formatTable(
    ["error, per minute (CloudWatch view)", "before", "after"],
    [
      ["concurrency RMSE", e0.concurrencyRmse, e1.concurrencyRmse],
      ["concurrency max error", e0.concurrencyMaxError, e1.concurrencyMaxError],
      ["invocations RMSE", e0.invocationsRmse, e1.invocationsRmse],
      ["score (minimised)", e0.score, e1.score],
      ["minutes compared", e0.minutesCompared, e1.minutesCompared],
    ],
  );
  return [
    `calibrated ${r.policy} to measured run "${label}" [${r.measuredId}]: ${r.simulations} simulations in ${fmt(r.wallMs / 1000)} s`,
    "",
    params,
    "",
    errors,
    "",
    "Calibrated values fit this run; they are estimates, not AWS-documented facts.",
  ].join("\n");
}
