import { type Command, InvalidArgumentError } from "commander";
import { type CalibrationResult, calibrate } from "../../calibrate/calibrate.js";
import { formatFitsWithinNoise, formatParamValue } from "../../calibrate/describe.js";
import {
  CALIBRATABLE,
  type CalibratableParam,
  KEDA_PARAMS,
  LAG_PARAMS,
  type ParamValue,
} from "../../calibrate/space.js";
import { simulate } from "../../esm/simulate.js";
import { loadAnyRun } from "../../run/load-any.js";
import { writeRun } from "../../run/run-io.js";
import type { PolicyName } from "../../scaler/policy.js";
import { loadScenario } from "../../scenario/load.js";
import { EsmlabError } from "../../util/errors.js";
import { checkRunDirTarget } from "../../util/output-guard.js";
import { fmt, formatTable } from "../../util/text-table.js";
import { parsePolicy } from "../options.js";

interface CalibrateFlags {
  scenario: string;
  policy?: PolicyName;
  seed?: number;
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
    .argument(
      "<measured...>",
      "measured run directories or CloudWatch export files (several: one scaler fitted to all)",
    )
    .requiredOption(
      "-s, --scenario <scenarios>",
      "scenario of each measured workload (JSON file or built-in), comma-separated in the runs' order",
    )
    .option(
      "-p, --policy <name>",
      "scaler preset to start from (default: the scenario's)",
      parsePolicy,
    )
    .option(
      "--params <list>",
      `comma-separated parameters to fit (default for the AWS presets: ${LAG_PARAMS.join(", ")}; for keda: ${KEDA_PARAMS.join(", ")})`,
      parseParams,
    )
    .option(
      "-o, --out <dir>",
      "also write the (first) calibrated simulated run (a new folder, or a run directory to replace)",
    )
    .option("--seed <n>", "seed of the search (default 1)", parseSeed)
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nRuns are compared as CloudWatch shows them: per-minute ConcurrentExecutions (Maximum) and\n" +
        "Invocations (Sum), aligned on the first invocation; with several runs every minute weighs\n" +
        "the same. The search (differential evolution per scale-up rule, then a compass search, on\n" +
        "every core) stops when it converges. Each parameter gets the range of values whose best\n" +
        "fit stays within the noise of the measurement; it is pinned down only when that range is\n" +
        "narrow (a tenth of the searched span or less).\n\n" +
        "Examples:\n  esmlab calibrate runs/measured-1 --scenario case2 --out runs/case2-calibrated\n" +
        "  esmlab calibrate m1 m2 m3 --scenario case1,case2,case3 --policy on-demand-2022",
    )
    .action(async (measuredPaths: string[], flags: CalibrateFlags) => {
      const names = flags.scenario.split(",").map((n) => n.trim());
      if (names.length !== measuredPaths.length) {
        throw new EsmlabError(
          `calibrate got ${measuredPaths.length} measured run${measuredPaths.length === 1 ? "" : "s"} and ${names.length} scenario${names.length === 1 ? "" : "s"} (--scenario ${flags.scenario}): give one scenario per run, in the same order`,
          { exitCode: 2 },
        );
      }
      const measured = await Promise.all(measuredPaths.map((p) => loadAnyRun(p)));
      const loaded = await Promise.all(
        names.map((n) =>
          loadScenario(n, flags.policy === undefined ? {} : { policy: flags.policy }),
        ),
      );
      // the measured runs and the scenario files must survive: checked before the search runs
      const guard = {
        inputs: [...measuredPaths, ...loaded.flatMap((l) => l.inputs.map((i) => i.path))],
      };
      if (flags.out !== undefined) await checkRunDirTarget(flags.out, guard);
      const result = await calibrate(
        measured,
        loaded.map((l) => l.resolved),
        {
          ...(flags.params === undefined ? {} : { params: flags.params }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        },
      );
      if (flags.out !== undefined) await writeRun(simulate(result.resolved), flags.out, guard);
      if (flags.json) {
        const { resolved: calibrated, resolvedAll, ...rest } = result;
        process.stdout.write(
          `${JSON.stringify({ ...rest, scenario: calibrated.scenario }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(
          `${formatCalibration(
            result,
            measured.map((m) => m.meta.label),
          )}\n`,
        );
      }
      if (flags.out !== undefined) process.stdout.write(`wrote ${flags.out}\n`);
    });
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(`seed must be a whole number ≥ 0, got "${value}"`);
  }
  return n;
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

/** A fitted value as a person reads it: "add 2", "to-target 1000/poller", "240". */
function show(v: ParamValue | undefined): string {
  return v === undefined ? "" : formatParamValue(v, fmt);
}

/** The calibration as tables a person reads. */
export function formatCalibration(r: CalibrationResult, labels: readonly string[]): string {
  const params = formatTable(
    ["parameter", "before", "after", "fits within the noise", "pinned down", "trades off with"],
    r.parameters.map((p) => [
      p.path,
      show(p.before),
      show(p.after),
      formatFitsWithinNoise(p, fmt) ?? "",
      p.pinned ? "yes" : "no",
      p.tradesOffWith.join(", "),
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
    (v) => fmt(v, "ratio"),
  );
  const runs =
    labels.length === 1
      ? `measured run "${labels[0]}" [${r.measuredId}]`
      : `${labels.length} measured runs (${labels.map((l, i) => `"${l}" [${r.measuredIds[i]}]`).join(", ")})`;
  return [
    `calibrated ${r.policy} to ${runs}: ${fmt(r.candidates)} candidates, ${fmt(r.simulations)} simulations in ${fmt(r.wallMs / 1000, "duration")}${r.converged ? "" : " (stopped on its budget before converging)"}`,
    ...(r.fitWithinNoise
      ? []
      : [
          "The best fit is further from the measurement than its noise: the model misses something in these runs, so the ranges hold every fit within twice the best score and no parameter is called pinned down.",
        ]),
    ...(r.profilesComplete
      ? []
      : [
          "The candidate budget ran out while the ranges were being traced: they show only what was seen, and no parameter is called pinned down.",
        ]),
    "",
    params,
    "",
    errors,
    "",
    `Noise of the measurement: score ${fmt(r.noise.tolerance, "ratio")} (per-minute jitter ${fmt(r.noise.jitterScore, "ratio")}, other random draws ${fmt(r.noise.replicateScore, "ratio")}, the fit's own uncertainty ${fmt(r.noise.residualScore, "ratio")}).`,
    "A range holds the values whose best fit, the other parameters re-fitted, stays within that noise;",
    "a parameter is pinned down only when its range is narrow. Calibrated values fit these runs;",
    "they are estimates, not AWS-documented facts.",
  ].join("\n");
}
