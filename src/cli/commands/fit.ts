import { type Command, InvalidArgumentError } from "commander";
import {
  BLOG_POLICY,
  type BlogComparisonRow,
  blogApplies,
  blogComparison,
} from "../../blog/comparison.js";
import { fitThreePhases, type ThreePhaseFit } from "../../fit/three-phase.js";
import { loadAnyRun } from "../../run/load-any.js";
import { EsmlabError, isEsmlabError } from "../../util/errors.js";
import { formatRelativeError } from "../../util/format.js";
import { CLI_OPTIONS, fmt, formatTable } from "../../util/text-table.js";
import { parseSeconds } from "../options.js";

interface FitFlags {
  json?: boolean;
  partitions?: number;
  duration?: number;
  productionEnd?: number;
  blog?: boolean;
}

/**
 * `esmlab fit RUN…`: the three-phase model of each run, beside the blog's formulas. Every run
 * is loaded and fitted before anything is printed, so an error leaves no partial output.
 */
export function registerFit(program: Command): void {
  program
    .command("fit")
    .description(
      "fit the blog's three phases (tear-up, max-throughput, cool-down) to runs and set their figures beside the blog's formulas",
    )
    .argument("<runs...>", "run directories (simulated, or imported from CloudWatch)")
    .option("--json", "print the fits as JSON (one object for one run, an array for several)")
    .option("--partitions <n>", "topic partitions, for runs that do not record them", parseCount)
    .option(
      "--duration <sec>",
      "mean function duration in seconds (default: the scenario's, or the mean of a Duration column)",
      parseSeconds,
    )
    .option(
      "--blog",
      "set the run beside the blog's figures even when it is not one of the blog's cases under its era's scaler (legacy-15min)",
    )
    .option(
      "--production-end <sec>",
      "when production ended, seconds from the run start (default: the run's summary)",
      parseNonNegative,
    )
    .addHelpText(
      "after",
      "\nPhases: tear-up (first activity → first sustained step up), max-throughput (plateau at\n" +
        "or near the peak), cool-down (end of production → concurrency at its floor). A phase the\n" +
        "run does not show is listed as missing, with the reason; a formula whose inputs are\n" +
        "unknown predicts nothing (null).\n\n" +
        "Examples:\n  esmlab fit runs/case1 runs/case2\n" +
        "  esmlab fit runs/measured --partitions 10 --duration 3 --production-end 2000 --json",
    )
    .action(async (dirs: string[], flags: FitFlags) => {
      const options = {
        ...(flags.partitions === undefined ? {} : { partitions: flags.partitions }),
        ...(flags.duration === undefined ? {} : { meanDurationSec: flags.duration }),
        ...(flags.productionEnd === undefined ? {} : { productionEndSec: flags.productionEnd }),
      };
      const fitted: { fit: ThreePhaseFit; blog: BlogComparisonRow[]; judged: boolean }[] = [];
      for (const dir of dirs) {
        const run = await loadAnyRun(dir);
        let fit: ThreePhaseFit;
        try {
          fit = fitThreePhases(run, options);
        } catch (err) {
          if (!isEsmlabError(err)) throw err;
          throw new EsmlabError(`${dir}: ${err.message}`, { cause: err });
        }
        const judged = flags.blog === true || blogApplies(run);
        fitted.push({ fit, blog: blogComparison(run, fit), judged });
      }
      // the JSON keeps each fit's blog rows, as it always had them
      const json = fitted.map(({ fit, blog }) => ({ ...fit, blog }));
      const text = flags.json
        ? JSON.stringify(json.length === 1 ? json[0] : json, null, 2)
        : fitted.map(({ fit, blog, judged }) => formatFit(fit, judged ? blog : null)).join("\n\n");
      process.stdout.write(`${text}\n`);
    });
}

/**
 * A fit as a person reads it: phases, steps, estimates, then the blog comparison — only for a
 * run the blog's figures are a yardstick for (`blogApplies`, or `--blog`); null otherwise.
 */
export function formatFit(
  fit: ThreePhaseFit,
  blogRows: readonly BlogComparisonRow[] | null,
): string {
  const phases = formatTable(
    [
      "phase",
      "start (s)",
      "end (s)",
      "mean conc.",
      "max conc.",
      "invocations",
      "processed",
      "records/min",
    ],
    fit.phases.map((p) => [
      p.name,
      p.start,
      p.end,
      p.meanConcurrency,
      p.maxConcurrency,
      p.invocations,
      p.processed,
      p.throughputPerMin,
    ]),
    (v, j) => fmt(v, j === 1 || j === 2 ? "seconds" : "auto"),
  );
  const blog = formatTable(
    ["blog's conclusion", "observed", "predicted", "error", "note"],
    (blogRows ?? []).map((b) => [
      b.conclusion,
      b.observed,
      b.predicted,
      formatRelativeError(b.observed, b.predicted, CLI_OPTIONS),
      b.note,
    ]),
  );
  const lines = [
    `${fit.label} [${fit.runId}], ${fit.source}, ${fmt(fit.resolutionSec, "seconds")} s rows`,
    "",
    fit.phases.length > 0 ? phases : "no phase found",
    ...fit.missing.map((name) => `${name} not found: ${fit.missingReasons[name] ?? ""}`),
    "",
    `steps: ${fit.steps.length === 0 ? "none" : fit.steps.map((s) => `${fmt(s.tSec, "seconds")} s ${fmt(s.from)}→${fmt(s.to)}`).join(", ")} (step model R² ${fmt(fit.r2, "ratio")})`,
    `evaluation interval: ${fit.evaluationIntervalSec === null ? "unknown (no scale-up)" : `${fmt(fit.evaluationIntervalSec, "seconds")} s, from ${fit.evaluationIntervalBasis}`}; initial pollers: ${fit.initialPollers === null ? "unknown" : fmt(fit.initialPollers)}`,
    ...fit.notes.map((note) => `note: ${note}`),
    "",
    blogRows !== null
      ? blog
      : `blog's figures not compared: the blog measured its three cases under ${BLOG_POLICY}, not this run (--blog compares them anyway)`,
  ];
  return lines.join("\n");
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return n;
}

function parseNonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(`expected seconds ≥ 0, got "${value}"`);
  return n;
}
