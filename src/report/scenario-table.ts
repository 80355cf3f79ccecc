/**
 * The appendix's two views of the runs' scenarios, both computed from the scenarios' leaves
 * (dotted paths such as `topic.partitions`):
 *
 * - {@link parameterTable}: one row per parameter for the whole report, its values grouped by
 *   the runs that used them, each with its basis (given in the scenario, documented with its
 *   source, assumed with the reason, calibrated) — instead of one table per notebook that
 *   repeats the same 32 defaults.
 * - {@link scenarioDifferences}: each run as its differences from a named earlier run ("as case2
 *   (run 2), except topic.partitions = 1000"), the run it differs least from.
 *
 * Pure; cost O(runs² × leaves) for the differences (38 runs × 60 leaves: well under 10 ms).
 */
import type { RunRecord } from "../display/report-data.js";
import { formatNumber } from "../util/format.js";

/** A run as these views see it: its report-wide number and its record. */
export interface NumberedRun {
  number: number;
  record: RunRecord;
}

/** A value of a parameter (or all its given values) and the runs that used it. */
export interface ParameterLine {
  /** the dotted path on the parameter's first line, "" on the lines of its other values */
  parameter: string;
  /** the value and its runs: "0.5 (all)", "60 (5, 7, 20–29)"; given values all on one line */
  values: string;
  /** given, documented, assumed or calibrated */
  basis: string;
  /** the documented source, or why the value was assumed; "" for given values */
  note: string;
}

/** One parameter's values in the provenance file, each with the numbers of the runs that used it. */
export interface ParameterEntry {
  path: string;
  values: { value: unknown; basis: string; note: string | null; runs: number[] }[];
}

/** Scenario fields that name a run rather than shape it; the runs table shows the label. */
const NAMING_FIELDS = new Set(["name", "label", "description"]);

/**
 * A scenario's leaves by dotted path, in the scenario's order (arrays are leaves); the naming
 * fields (name, label, description) left out.
 *
 * @example scenarioLeaves({ name: "a", topic: { partitions: 10 } }) // Map { "topic.partitions" => 10 }
 */
export function scenarioLeaves(
  scenario: Readonly<Record<string, unknown>>,
  prefix = "",
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  for (const [key, value] of Object.entries(scenario)) {
    if (prefix === "" && NAMING_FIELDS.has(key)) continue;
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      scenarioLeaves(value as Record<string, unknown>, path, out);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

/**
 * A parameter value as the page shows it: numbers through the shared formatter, strings bare,
 * arrays and objects as spaced JSON.
 *
 * @example showValue(6291456) // "6,291,456"
 * @example showValue("to-max") // "to-max"
 * @example showValue([50, 100]) // "[50, 100]"
 */
export function showValue(value: unknown): string {
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "none";
  return (JSON.stringify(value) ?? "none").replace(/,(?=["[{\d-])/g, ", ");
}

/** Basis order within a parameter: what the reader must trust least first. */
const BASIS_ORDER = ["calibrated", "assumed", "documented", "given"];

/** A run's values by path: the scenario's leaves, with each recorded parameter's value and basis. */
function runValues(
  record: RunRecord,
): Map<string, { value: unknown; basis: string; note: string | null }> {
  const values = new Map<string, { value: unknown; basis: string; note: string | null }>();
  if (record.scenario !== null) {
    for (const [path, value] of scenarioLeaves(record.scenario)) {
      values.set(path, { value, basis: "given", note: null });
    }
  }
  // a recorded parameter keeps its own value: "partitions" says more than the 20 it became
  for (const p of record.parameters)
    values.set(p.path, { value: p.value, basis: p.basis, note: p.note });
  return values;
}

/** Every parameter of the runs, a value per group of runs, in path order. */
function parameterGroups(runs: readonly NumberedRun[]) {
  const byPath = new Map<
    string,
    Map<string, { value: unknown; basis: string; note: string | null; runs: NumberedRun[] }>
  >();
  for (const run of runs) {
    for (const [path, v] of runValues(run.record)) {
      const groups = byPath.get(path) ?? new Map();
      const key = JSON.stringify([v.value, v.basis, v.note]);
      const group = groups.get(key) ?? { ...v, runs: [] };
      group.runs.push(run);
      groups.set(key, group);
      byPath.set(path, groups);
    }
  }
  return [...byPath]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, groups]) => ({
      path,
      groups: [...groups.values()].sort(
        (a, b) =>
          BASIS_ORDER.indexOf(a.basis) - BASIS_ORDER.indexOf(b.basis) ||
          a.runs[0]!.number - b.runs[0]!.number,
      ),
    }));
}

/**
 * The report's parameter table: a line per documented, assumed or calibrated value of each
 * parameter, with its source or reason, and one line for all its given values, each value
 * naming the runs that used it ("all" when every run with parameters used the one value).
 *
 * @example parameterTable(runs)[0]
 * // { parameter: "esm.batchScope", values: "partition (all)", basis: "assumed", note: "AWS allows…" }
 */
export function parameterTable(runs: readonly NumberedRun[]): ParameterLine[] {
  const withValues = runs.filter(
    (r) => r.record.scenario !== null || r.record.parameters.length > 0,
  ).length;
  return parameterGroups(runs).flatMap(({ path, groups: all }) => {
    const groups = all.filter((g) => !UNUSED.test(g.note ?? ""));
    const used = (g: (typeof groups)[number]) =>
      `${showValue(g.value)} (${
        groups.length === 1 && g.runs.length === withValues && withValues > 1
          ? "all"
          : listNumbers(g.runs.map((r) => r.number))
      })`;
    const given = groups.filter((g) => g.basis === "given");
    const lines = groups
      .filter((g) => g.basis !== "given")
      .map((g) => ({ values: used(g), basis: g.basis, note: g.note ?? "" }));
    if (given.length > 0) {
      lines.push({ values: given.map(used).join(", "), basis: "given", note: "" });
    }
    return lines.map((line, i) => ({ parameter: i === 0 ? path : "", ...line }));
  });
}

/**
 * The parameters some runs have but do not use (their scaler rule ignores them), each with
 * those runs — left out of {@link parameterTable}, kept in the provenance file. The preset
 * tables say so in the note: "unused by to-max" (src/scaler/presets.ts).
 *
 * @example unusedParameters(runs) // "scaler.scaleDown.step (1–3, 10–19), scaler.scaleUp.step (1–3)"
 */
export function unusedParameters(runs: readonly NumberedRun[]): string {
  return parameterGroups(runs)
    .flatMap(({ path, groups }) => {
      const numbers = groups
        .filter((g) => UNUSED.test(g.note ?? ""))
        .flatMap((g) => g.runs.map((r) => r.number));
      const sorted = [...new Set(numbers)].sort((a, b) => a - b);
      return sorted.length === 0 ? [] : [`${path} (${listNumbers(sorted)})`];
    })
    .join(", ");
}

/** How a preset table marks a setting the policy's rule ignores. */
const UNUSED = /^unused by /;

/** The same table for the provenance file: values as they are, runs by id. */
export function parameterEntries(runs: readonly NumberedRun[]): ParameterEntry[] {
  return parameterGroups(runs).map(({ path, groups }) => ({
    path,
    values: groups.map((g) => ({
      value: g.value,
      basis: g.basis,
      note: g.note,
      runs: g.runs.map((r) => r.number),
    })),
  }));
}

/** More differences than this and a run is a base of its own, its values in the parameter table. */
const MAX_DIFFERENCES = 12;

/**
 * Each run's scenario in words: the first simulated run (and any far from every earlier one) as
 * a base whose values the parameter table gives, every other as its differences from the
 * earlier run it differs least from, named by scenario and number; a measured run by its input
 * files. A change of scaler policy brings the new preset's settings with it: they are counted,
 * not listed (the parameter table lists them with their runs).
 *
 * @example scenarioDifferences(runs)[1] // "as case1 (run 1), except topic.partitions = 20; scaler.maxPollers = 20"
 */
export function scenarioDifferences(runs: readonly NumberedRun[]): string[] {
  const leaves = runs.map((r) =>
    r.record.scenario === null ? null : comparable(scenarioLeaves(r.record.scenario)),
  );
  return runs.map((run, i) => {
    const own = leaves[i];
    if (own === null || own === undefined) return measuredInputs(run.record);
    let best: { run: NumberedRun; changes: string[] } | null = null;
    for (let j = 0; j < i; j++) {
      const other = leaves[j];
      if (other === null || other === undefined) continue;
      const changes = differences(other, own);
      if (best === null || changes.length < best.changes.length) best = { run: runs[j]!, changes };
    }
    if (best === null || best.changes.length > MAX_DIFFERENCES) {
      return "a base scenario: its values are in the parameter table";
    }
    const name = `${String(best.run.record.scenario?.name ?? "run")} (run ${best.run.number})`;
    return best.changes.length === 0
      ? `same as ${name}`
      : `as ${name}, except ${best.changes.join("; ")}`;
  });
}

/** A scenario's leaves in path order, each with its JSON, for comparing runs pairwise. */
interface Comparable {
  sorted: { path: string; value: unknown }[];
  json: Map<string, string | undefined>;
}

function comparable(leaves: ReadonlyMap<string, unknown>): Comparable {
  const sorted = [...leaves]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, value]) => ({ path, value }));
  return { sorted, json: new Map(sorted.map((l) => [l.path, JSON.stringify(l.value)])) };
}

/**
 * `path = value` for each leaf that differs from the base, then `path absent` for removed ones,
 * each in path order (the same text whatever order the scenario's keys came in).
 */
function differences(base: Comparable, other: Comparable): string[] {
  const newPolicy = base.json.get("scaler.policy") !== other.json.get("scaler.policy");
  const changed: string[] = [];
  let presetChanges = 0;
  const preset = (path: string) =>
    newPolicy && path.startsWith("scaler.") && path !== "scaler.policy";
  for (const { path, value } of other.sorted) {
    if (base.json.has(path) && base.json.get(path) === other.json.get(path)) continue;
    if (preset(path)) presetChanges++;
    else changed.push(`${path} = ${showValue(value)}`);
  }
  for (const { path } of base.sorted) {
    if (other.json.has(path)) continue;
    if (preset(path)) presetChanges++;
    else changed.push(`${path} absent`);
  }
  if (presetChanges > 0) {
    const i = changed.findIndex((c) => c.startsWith("scaler.policy ="));
    changed[i] +=
      ` (and its preset's ${presetChanges} other scaler setting${presetChanges === 1 ? "" : "s"})`;
  }
  return changed;
}

function measuredInputs(record: RunRecord): string {
  if (record.inputs.length === 0) return `${record.source}: no scenario`;
  return `${record.source}: ${record.inputs.map((f) => `${f.path} (sha256 ${shortHash(f.sha256)})`).join("; ")}`;
}

/**
 * A SHA-256 as its first 12 hex digits and an ellipsis (the provenance file has it in full);
 * anything else unchanged.
 *
 * @example shortHash("sha256:9f122b3ca671ea6613d5a7b3…") // "sha256:9f122b3ca671…"
 */
export function shortHash(hash: string): string {
  return hash.replace(/^((?:sha256:)?[0-9a-f]{12})[0-9a-f]{20,}$/, "$1…");
}

/**
 * Run numbers, consecutive ones as ranges.
 * @example listNumbers([1, 2, 3, 5]) // "1–3, 5"
 */
export function listNumbers(numbers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    parts.push(j > i ? `${numbers[i]}–${numbers[j]}` : String(numbers[i]));
    i = j + 1;
  }
  return parts.join(", ");
}
