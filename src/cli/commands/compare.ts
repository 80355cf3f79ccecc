import type { Command } from "commander";
import { type Comparison, checkOffset, compareRuns } from "../../compare/compare.js";
import { loadAnyRun } from "../../run/load-any.js";
import { fmt, formatTable, type TextCell } from "../../util/text-table.js";
import { parseSignedSeconds } from "../options.js";

interface CompareFlags {
  offset?: number;
  json?: boolean;
}

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description(
      "compare two runs (e.g. measured A, simulated B) minute by minute and phase by phase",
    )
    .argument("<a>", "run directory or CloudWatch export (the reference, e.g. measured)")
    .argument("<b>", "run directory or CloudWatch export (e.g. simulated)")
    .option(
      "--offset <sec>",
      "shift of B in seconds, within ± the two runs' spans (default: align the first invocations)",
      parseSignedSeconds,
    )
    .option("--json", "print the comparison as JSON")
    .addHelpText(
      "after",
      "\nBoth runs are brought to the CloudWatch view (1-minute ConcurrentExecutions Maximum,\n" +
        "Invocations Sum) and fitted to the three-phase model; reported: concurrency RMSE and\n" +
        "max error, phase-boundary differences, plateau difference, records processed by each\n" +
        "boundary, peak lag, and a one-line verdict.\n\n" +
        "Example:\n  esmlab compare runs/measured-1 runs/case2-calibrated",
    )
    .action(async (aPath: string, bPath: string, flags: CompareFlags) => {
      const [a, b] = await Promise.all([loadAnyRun(aPath), loadAnyRun(bPath)]);
      if (flags.offset !== undefined) checkOffset(flags.offset, a, b, "--offset");
      const c = compareRuns(a, b, flags.offset === undefined ? {} : { offsetSec: flags.offset });
      process.stdout.write(
        flags.json ? `${JSON.stringify(c, null, 2)}\n` : `${formatComparison(c)}\n`,
      );
    });
}

/** The comparison as tables a person reads. */
export function formatComparison(c: Comparison): string {
  const lines = [
    `A: ${c.a.label} [${c.a.id}, ${c.a.source}]`,
    `B: ${c.b.label} [${c.b.id}, ${c.b.source}]`,
    `aligned on the ${c.alignment}: B shifted by ${fmt(c.offsetSec)} s`,
    "",
    formatTable(
      ["per minute (CloudWatch view)", "value"],
      [
        ["concurrency RMSE", c.view.concurrencyRmse],
        ["concurrency max error", c.view.concurrencyMaxError],
        ["invocations RMSE", c.view.invocationsRmse],
        ["minutes compared", c.view.minutesCompared],
      ],
    ),
    "",
    formatTable(
      ["phase boundary", "A (s)", "B (s)", "B − A (s)"],
      c.boundaries.map((d) => [d.boundary, d.aSec, d.bSec, d.diffSec]),
      (v) => fmt(v, "seconds"),
    ),
  ];
  if (c.unmatchedBoundaries.length > 0)
    lines.push(`unmatched: ${c.unmatchedBoundaries.join(", ")}`);
  const rows: TextCell[][] = [
    ["plateau concurrency (mean)", c.plateau?.a, c.plateau?.b, c.plateau?.diff],
    ["peak lag (records)", c.peakLag?.a, c.peakLag?.b, c.peakLag?.diff],
  ];
  for (const p of c.cumulativeProcessed ?? []) {
    rows.push([`processed by ${p.boundary} (${fmt(p.atSec)} s)`, p.a, p.b, p.diff]);
  }
  lines.push("", formatTable(["figure", "A", "B", "B − A"], rows));
  if (c.cumulativeProcessed === null) lines.push("processed records: not in both runs");
  lines.push(
    "",
    `evaluation interval: ${c.evaluationIntervalSec === null ? "unknown" : `${fmt(c.evaluationIntervalSec, "seconds")} s`} (${c.evaluationIntervalBasis})`,
    `verdict: ${c.verdict}`,
  );
  return lines.join("\n");
}
