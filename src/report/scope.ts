/**
 * The report's scope for its title page, in words, from the runs the notebooks recorded: how
 * many runs, simulated or measured, under which scaler policies, from which data (a synthetic
 * example is called synthetic), which scenarios, and what each notebook covers. Pure.
 */

import type { RunRecord } from "../display/report-data.js";
import { syntheticNote } from "../run/synthetic.js";

/** One notebook's line of the scope. */
export interface ScopeSection {
  title: string;
  notebook: string;
  /** "3 simulated", "1 measured, 2 simulated", "none recorded" */
  runs: string;
  /** the scaler policies of its simulated runs, "–" when none */
  scalers: string;
}

/** What the title page says the report covers. */
export interface ReportScope {
  /** "38 runs: 37 simulated, 1 measured (a synthetic example, not a measurement)" */
  runs: string;
  /** "legacy-15min (13 runs), keda (1 run)", or null without simulated runs */
  scalers: string | null;
  /** one line per measured run: its files, and whether they are synthetic */
  measured: string[];
  /** the simulated scenarios: each described one with its description, the others counted */
  scenarios: string[];
  sections: ScopeSection[];
}

/** The message code by which an example export says it is synthetic (src/study/scaffold.ts). */

/**
 * The scope of a report.
 *
 * @param sections each notebook's title and the distinct runs it recorded
 * @param runs every distinct run of the report, in report order
 * @example reportScope([{ title: "Cases", notebook: "01.ipynb", runs }], runs).runs
 * // "3 runs: 3 simulated"
 */
export function reportScope(
  sections: readonly { title: string; notebook: string; runs: readonly RunRecord[] }[],
  runs: readonly RunRecord[],
): ReportScope {
  const simulated = runs.filter((r) => r.scenario !== null);
  const measured = runs.filter((r) => r.source === "measured");
  const synthetic = measured.filter((r) => syntheticNote(r.warnings) !== null).length;
  const parts = [
    ...(simulated.length > 0 ? [`${simulated.length} simulated`] : []),
    ...(measured.length > 0
      ? [
          `${measured.length} measured${
            synthetic === 0
              ? ""
              : synthetic === 1 && measured.length === 1
                ? " (a synthetic example, not a measurement)"
                : ` (${synthetic === measured.length ? "all" : synthetic} synthetic examples, not measurements)`
          }`,
        ]
      : []),
  ];
  return {
    runs:
      runs.length === 0
        ? "none recorded (recordRuns)"
        : `${plural(runs.length, "run")}: ${parts.join(", ")}`,
    scalers: simulated.length === 0 ? null : counted(simulated.map(policy), "run"),
    measured: measured.map(measuredLine),
    scenarios: scenarioLines(simulated),
    sections: sections.map((s) => {
      const sim = s.runs.filter((r) => r.scenario !== null);
      const other = s.runs.filter((r) => r.scenario === null);
      const kinds = [
        ...(other.length > 0 ? [`${other.length} ${other[0]!.source}`] : []),
        ...(sim.length > 0 ? [`${sim.length} simulated`] : []),
      ];
      const policies = [...new Set(sim.map(policy))];
      return {
        title: s.title,
        notebook: s.notebook,
        runs: kinds.length === 0 ? "none recorded" : kinds.join(", "),
        scalers: policies.length === 0 ? "–" : policies.join(", "),
      };
    }),
  };
}

/**
 * A measured run's data in words. esmlab's measured runs are CloudWatch metrics (src/import:
 * GetMetricData and GetMetricStatistics exports, the console's CSV, a live fetch).
 */
function measuredLine(run: RunRecord): string {
  const files = run.inputs.map((f) => f.path.split(/[/\\]/).pop() ?? f.path);
  const from = files.length === 0 ? run.label : files.join(", ");
  const note = syntheticNote(run.warnings);
  return note === null
    ? `CloudWatch metrics from ${from}`
    : `CloudWatch metrics from ${from}, synthetic: “${note}”`;
}

function policy(run: RunRecord): string {
  const scaler = run.scenario?.scaler;
  const name =
    typeof scaler === "object" && scaler !== null ? (scaler as { policy?: unknown }).policy : null;
  return typeof name === "string" ? name : "unknown";
}

/** Described scenarios one per line; the others counted, a few named. */
function scenarioLines(runs: readonly RunRecord[]): string[] {
  const described = new Map<string, string>();
  const others: string[] = [];
  for (const run of runs) {
    const name = String(run.scenario?.name ?? run.label);
    const description = run.scenario?.description;
    if (typeof description === "string" && description.trim() !== "") {
      if (!described.has(name)) described.set(name, description.trim());
    } else if (!others.includes(name) && !described.has(name)) others.push(name);
  }
  const lines = [...described].map(([name, text]) => `${name}: ${text}`);
  if (others.length > 0) {
    const shown =
      others.length <= 5
        ? others.join(", ")
        : `${others.slice(0, 3).join(", ")}, …, ${others.at(-1)}`;
    lines.push(
      `${described.size > 0 ? "and " : ""}${plural(others.length, "scenario")} without a description: ${shown}`,
    );
  }
  return lines;
}

/** "legacy-15min (13 runs), keda (1 run)", in first-seen order. */
function counted(names: readonly string[], unit: string): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => `${n} (${plural(c, unit)})`).join(", ");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
