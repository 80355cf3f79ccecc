/**
 * The executive summary: findings in plain words per notebook section, written from the
 * verdicts the notebook showed (`showVerdicts`: each run's tear-up, plateau, backlog and drain,
 * and its blog figures) — what the scaler did, what it cost in throughput and waiting, how the
 * scaler policies differed, how close measured and simulated runs came — and one table of the
 * blog's conclusions for every run, built from the verdicts' data, not read back from HTML.
 *
 * Every sentence is computed from the runs: a figure the runs do not give is left out, never
 * guessed, and data that is a synthetic example is called one in words.
 */

import {
  BLOG_FIGURES,
  type BlogFigure,
  conclusionKey,
  conclusionText,
} from "../blog/comparison.js";
import { conclusionParts } from "../blog/conclusions.js";
import type { VerdictRecord } from "../display/report-data.js";
import { syntheticNote } from "../run/synthetic.js";
import { formatDuration, formatNumber } from "../util/format.js";
import { listOf } from "../util/words.js";
import type { Section } from "./blocks.js";

/** The findings of one notebook section. */
export interface SummarySection {
  notebook: string;
  /** the notebook section's title and id, for a link */
  title: string;
  sectionId: string;
  /** the findings the notebook wrote itself (`showFindings`), sanitised HTML, first */
  lead: string[];
  /** three to six sentences from the verdicts (none when the section showed none) */
  findings: string[];
}

/** One cell of the conclusions table: the run's value, and the blog's figure with the gap. */
export interface SummaryCell {
  observed: string;
  /** "blog 900 · −98.7%", empty when the blog gives no figure for the run */
  blog: string;
}

/** A row of the conclusions table: one run. */
export interface SummaryRow {
  run: string;
  cells: SummaryCell[];
}

/** The summary's table of the blog's conclusions: runs as rows, grouped by section. */
export interface SummaryTable {
  number: number;
  id: string;
  caption: string;
  /** the conclusions, numbered as the column heads ("4a") */
  conclusions: { key: string; text: string }[];
  /** the run column and one per conclusion */
  columnCount: number;
  groups: { title: string; sectionId: string; rows: SummaryRow[] }[];
}

/** What the summary partial shows. */
export interface ExecutiveSummary {
  sections: SummarySection[];
  /** null when no notebook showed a verdict */
  table: SummaryTable | null;
}

/** The id of the summary's conclusions table; the layout reserves it. */
export const SUMMARY_TABLE_ID = "table-summary";

type SectionLike = Pick<Section<unknown>, "id" | "title" | "notebook" | "verdicts" | "findings">;

/**
 * The findings of each section with verdicts or findings of its own, and the conclusions
 * table (table 1 of the report). A run a later notebook repeats with the same verdict (the
 * blog's case 2 under its own era in the policy comparison) is tabulated once.
 *
 * @example executiveSummary(sections).sections[0].findings[0]
 * // "In all 3 runs the scaler ran 1 invocation at a time for the first 15 min, then rose to …"
 */
export function executiveSummary(sections: readonly SectionLike[]): ExecutiveSummary {
  const summaries = sections
    .filter((s) => s.verdicts.length > 0 || s.findings.length > 0)
    .map((s) => ({
      notebook: s.notebook,
      title: s.title,
      sectionId: s.id,
      lead: [...s.findings],
      findings: s.verdicts.length > 0 ? findings(s.verdicts) : [],
    }));
  const withVerdicts = sections.filter((s) => s.verdicts.length > 0);
  if (withVerdicts.length === 0) return { sections: summaries, table: null };
  const seen = new Set<string>();
  const groups = withVerdicts
    .map((s) => ({
      title: s.title,
      sectionId: s.id,
      rows: s.verdicts
        .filter((v) => {
          if (v.conclusions.length === 0) return false; // not judged by the blog's figures
          const key = `${v.label}|${v.facts?.policy ?? ""}|${v.line}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .map((v) => ({ run: runName(v, s.verdicts), cells: FIGURES.map((f) => cell(v, f)) })),
    }))
    .filter((g) => g.rows.length > 0);
  if (groups.length === 0) return { sections: summaries, table: null };
  return {
    sections: summaries,
    table: {
      number: 1,
      id: SUMMARY_TABLE_ID,
      caption:
        "The blog's conclusions, run by run: the run's value, then the blog's figure or formula for that run and how far the run is from it",
      conclusions: FIGURES.map((f) => ({ key: conclusionKey(f), text: conclusionText(f) })),
      columnCount: FIGURES.length + 1,
      groups,
    },
  };
}

const FIGURES = Object.keys(BLOG_FIGURES) as BlogFigure[];

function cell(v: VerdictRecord, f: BlogFigure): SummaryCell {
  const row = v.conclusions.find((c) => c.figure === f);
  const parts = conclusionParts(row === undefined ? undefined : { ...row, figure: f });
  const blog =
    row === undefined || row.predicted === null
      ? ""
      : `blog ${parts.predicted}${row.observed === null ? "" : ` · ${parts.error}`}`;
  return { observed: parts.observed, blog };
}

/**
 * A run's name in the summary: its label, with its scaler policy when runs of one label
 * differ by policy (the policy comparison's "case2, keda").
 */
function runName(v: VerdictRecord, all: readonly VerdictRecord[]): string {
  const policy = v.facts?.policy ?? null;
  const sameLabel = all.filter((w) => w.label === v.label);
  if (policy !== null && sameLabel.length > 1) return `${v.label}, ${policy}`;
  return v.source === "measured" ? `${v.label} (measured)` : v.label;
}

/** Three to six sentences from a section's verdicts. */
function findings(verdicts: readonly VerdictRecord[]): string[] {
  // one workload under several policies (each run its own policy): a run is its policy
  const policyOf = new Set(verdicts.map((v) => v.facts?.policy ?? null));
  const byPolicy = !policyOf.has(null) && policyOf.size === verdicts.length && verdicts.length > 1;
  const runs = verdicts.map((v) => ({
    v,
    name: byPolicy ? v.facts!.policy! : runName(v, verdicts),
    f: v.facts,
  }));
  const out: string[] = [];
  const measured = runs.filter((r) => r.v.source === "measured");
  const synthetic = measured.filter((r) => syntheticNote(r.v.warnings) !== null);
  if (measured.length > 0) {
    const what =
      synthetic.length === measured.length
        ? `a synthetic example (simulated data in CloudWatch's format, not a measurement)`
        : synthetic.length > 0
          ? "measured data, part of it a synthetic example rather than a measurement"
          : "measured data";
    out.push(
      `${measured.length === 1 ? `The measured run, ${measured[0]!.name},` : `The ${measured.length} measured runs`} ${measured.length === 1 ? "is" : "are"} ${what}.`,
    );
  }
  out.push(...behaviour(runs));
  const own = ownScenarioSentence(runs);
  if (own !== null) out.push(own);
  const cost = costSentence(runs);
  if (cost !== null) out.push(cost);
  const policies = policySentence(runs);
  if (policies !== null) out.push(policies);
  const close = measuredSentence(runs);
  if (close !== null) out.push(close);
  const blog = blogSentence(verdicts);
  if (blog !== null) out.push(blog);
  return out.slice(0, 6);
}

interface NamedRun {
  v: VerdictRecord;
  name: string;
  f: VerdictRecord["facts"];
}

const count = (x: number) => formatNumber(x, "count");

/** What the scaler did: the tear-up and the plateau against the partition count. */
function behaviour(runs: readonly NamedRun[]): string[] {
  const known = runs.filter(
    (r) => r.f !== undefined && r.f.tearUpSec !== null && r.f.tearUpConcurrency !== null,
  );
  if (known.length === 0) return runs.length > 0 ? [`${runs[0]!.v.line}.`] : [];
  const tearUps = known.map(
    (r) => `${formatDuration(r.f!.tearUpSec)} at ${count(r.f!.tearUpConcurrency!)}`,
  );
  const plateaus = known.map((r) => plateauWords(r.f!));
  const same = tearUps.every((t) => t === tearUps[0]);
  // a fitted "tear-up" as high as the plateau is no wait at a low level (a scaler ramping from
  // the start): said so, not as a tear-up followed by a rise
  const flat = known.filter(
    (r) => r.f!.plateauConcurrency !== null && r.f!.tearUpConcurrency! >= r.f!.plateauConcurrency,
  );
  if (known.length === 1 && flat.length === 1) {
    const f = flat[0]!.f!;
    return [
      `In ${flat[0]!.name} there was no low tear-up: concurrency was already up to ${count(f.tearUpConcurrency!)} in the first ${formatDuration(f.tearUpSec)}, then held about ${count(f.plateauConcurrency!)}.`,
    ];
  }
  if (same) {
    const [t] = known;
    const all =
      known.length === 1
        ? `In ${t!.name}`
        : known.length === 2
          ? "In both runs"
          : `In all ${known.length} runs`;
    const levels = known.map((r) =>
      r.f!.plateauConcurrency === null ? null : count(r.f!.plateauConcurrency),
    );
    const plateauText = levels.every((l) => l !== null)
      ? `then rose to ${listOf(levels as string[])}`
      : "then rose";
    const perPartition = known.every(
      (r) => r.f!.partitions !== null && r.f!.plateauConcurrency === r.f!.partitions,
    );
    return [
      `${all} the scaler held concurrency at ${count(t!.f!.tearUpConcurrency!)} for the first ${formatDuration(t!.f!.tearUpSec)} (the tear-up), ${plateauText}${perPartition ? ", one invocation per partition" : ""}.`,
    ];
  }
  // runs that differ (one workload under several scaler policies): the range, then the plateaus
  const ranged = known.length > flat.length ? known.filter((r) => !flat.includes(r)) : known;
  const order = ranged
    .map((_, i) => i)
    .sort((i, j) => ranged[i]!.f!.tearUpSec! - ranged[j]!.f!.tearUpSec!);
  const short = ranged[order[0]!]!;
  const long = ranged[order[order.length - 1]!]!;
  const at = (r: NamedRun) =>
    `${formatDuration(r.f!.tearUpSec)} at concurrency ${count(r.f!.tearUpConcurrency!)} under ${r.name}`;
  const noTearUp =
    ranged.length < known.length
      ? ` (${listOf(flat.map((r) => r.name))} had no low tear-up: concurrency was up from the start)`
      : "";
  const reached = known.filter(
    (r) => r.f!.partitions !== null && r.f!.plateauConcurrency === r.f!.partitions,
  );
  const partitions = new Set(known.map((r) => r.f!.partitions));
  const others = known.filter((r) => !reached.includes(r));
  const plateau =
    reached.length === known.length && partitions.size === 1
      ? `Every run then reached the partition count, ${count(known[0]!.f!.partitions!)}.`
      : reached.length > 0 && partitions.size === 1
        ? `${reached.length === known.length - 1 ? "All runs but one" : `${count(reached.length)} of ${count(known.length)} runs`} then reached the partition count, ${count(known[0]!.f!.partitions!)}; ${listOf(others.map((r) => `${r.name} ${plateaus[known.indexOf(r)]!}`))}.`
        : `Concurrency then ${listOf(known.map((r, i) => `${plateaus[i]} under ${r.name}`))}.`;
  const range =
    short === long
      ? `The tear-up lasted ${at(short)}${noTearUp}.`
      : `The tear-up ranged from ${at(short)} to ${at(long)}${noTearUp}.`;
  return [range, plateau];
}

function plateauWords(f: NonNullable<VerdictRecord["facts"]>): string {
  if (f.plateauConcurrency === null) return "found no plateau";
  const level = count(f.plateauConcurrency);
  if (f.partitions === null) return `reached ${level}`;
  if (f.plateauConcurrency === f.partitions) return `reached ${level}, the partition count`;
  return `reached ${level} with ${count(f.partitions)} partitions`;
}

/**
 * For runs the blog is no yardstick for (no conclusions compared): their plateaus against the
 * concurrency arrivals need, and tear-ups longer than the first scale-up the policy documents.
 */
function ownScenarioSentence(runs: readonly NamedRun[]): string | null {
  const own = runs.filter((r) => r.v.conclusions.length === 0 && r.f !== undefined);
  const parts: string[] = [];
  const bounded = own.filter(
    (r) =>
      r.f!.arrivalBound !== null &&
      r.f!.arrivalBound !== undefined &&
      r.f!.plateauConcurrency !== null,
  );
  if (bounded.length > 0) {
    const bounds = new Set(bounded.map((r) => formatNumber(r.f!.arrivalBound!)));
    const need =
      bounds.size === 1
        ? `keeping up with arrivals takes about ${[...bounds][0]} concurrent invocations (records per second × mean duration ÷ batch size)`
        : `keeping up with arrivals takes about ${listOf(bounded.map((r) => `${formatNumber(r.f!.arrivalBound!)} in ${r.name}`))} concurrent invocations (records per second × mean duration ÷ batch size)`;
    const short = bounded.filter((r) => r.f!.plateauConcurrency! < r.f!.arrivalBound!);
    parts.push(
      short.length === 0
        ? `${need}, and every plateau reached it`
        : `${need}; ${listOf(short.map((r) => `${r.name} plateaued below that, at ${count(r.f!.plateauConcurrency!)}`))}`,
    );
  }
  // a tear-up below the plateau is the wait for the first scale-up; a fitted "tear-up" at the
  // plateau's level (a scaler ramping from the start) says nothing of that wait
  const late = own.filter(
    (r) =>
      r.f!.documentedFirstScaleSec !== null &&
      r.f!.documentedFirstScaleSec !== undefined &&
      r.f!.tearUpSec !== null &&
      r.f!.tearUpConcurrency !== null &&
      r.f!.plateauConcurrency !== null &&
      r.f!.tearUpConcurrency < r.f!.plateauConcurrency &&
      r.f!.tearUpSec > r.f!.documentedFirstScaleSec,
  );
  if (late.length > 0) {
    parts.push(
      `the tear-up outlasted the first scale-up the policy documents under ${listOf(late.map((r) => `${r.name} (${formatDuration(r.f!.tearUpSec)} against ${formatDuration(r.f!.documentedFirstScaleSec)})`))}`,
    );
  }
  const waited = own.filter((r) => r.f!.latencyP99Sec !== null && r.f!.latencyP99Sec !== undefined);
  if (waited.length > 0) {
    const worst = waited.reduce((a, r) => (r.f!.latencyP99Sec! > a.f!.latencyP99Sec! ? r : a));
    parts.push(
      waited.length === 1
        ? `records waited up to ${formatDuration(worst.f!.latencyP99Sec)} (99th percentile)`
        : `records waited longest under ${worst.name}, ${formatDuration(worst.f!.latencyP99Sec)} at the 99th percentile`,
    );
  }
  if (parts.length === 0) return null;
  const text = `${parts.join("; ")}.`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What it cost: throughput during the tear-up against production, backlog and drain. */
function costSentence(runs: readonly NamedRun[]): string | null {
  const known = runs.filter(
    (r) => r.f?.peakLagRecords !== null && r.f?.peakLagRecords !== undefined,
  );
  if (known.length === 0) return null;
  const worst = known.reduce((a, r) => (r.f!.peakLagRecords! > a.f!.peakLagRecords! ? r : a));
  const f = worst.f!;
  const rate =
    f.tearUpThroughputPerMin !== null && f.producedPerMin !== null
      ? `while the tear-up lasted, ${worst.name} processed ${count(f.tearUpThroughputPerMin)} records a minute against ${count(f.producedPerMin)} produced, so `
      : "";
  const drain =
    f.drainedAfterSec === null
      ? "was not drained by the end of the run"
      : f.drainedAfterSec === 0
        ? "was drained by the end of production"
        : `drained ${formatDuration(f.drainedAfterSec)} after production ended`;
  const which = known.length > 1 ? ` (the deepest of the ${known.length} runs)` : "";
  const text = `${rate}the backlog grew to ${count(f.peakLagRecords!)} records${which} and ${drain}.`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How the scaler policies differed, when the section's runs differ by policy. */
function policySentence(runs: readonly NamedRun[]): string | null {
  const byPolicy = runs.filter((r) => r.f?.policy !== null && r.f?.policy !== undefined);
  const policies = new Set(byPolicy.map((r) => r.f!.policy));
  if (policies.size < 2) return null;
  const drained = byPolicy.filter((r) => r.f!.drainedAfterSec !== null);
  const never = byPolicy.filter((r) => r.f!.drainedAfterSec === null).map((r) => r.f!.policy!);
  const parts: string[] = [];
  if (drained.length >= 2) {
    const sorted = [...drained].sort((a, b) => a.f!.drainedAfterSec! - b.f!.drainedAfterSec!);
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    parts.push(
      `the backlog drained soonest under ${first.f!.policy} (${formatDuration(first.f!.drainedAfterSec)} after production ended) and last under ${last.f!.policy} (${formatDuration(last.f!.drainedAfterSec)})`,
    );
  }
  if (never.length > 0)
    parts.push(`under ${listOf(never)} it was not drained by the end of the run`);
  if (parts.length === 0) return null;
  const text = `Between the ${policies.size} scaler policies, ${parts.join("; ")}.`;
  return text;
}

/** How close simulated runs came to the measured one, in the verdicts' own figures. */
function measuredSentence(runs: readonly NamedRun[]): string | null {
  const measured = runs.find((r) => r.v.source === "measured" && r.f !== undefined);
  const simulated = runs.filter((r) => r.v.source === "simulated" && r.f !== undefined);
  if (measured === undefined || simulated.length === 0) return null;
  const m = measured.f!;
  if (m.tearUpSec === null) return null;
  const against = simulated
    .filter((r) => r.f!.tearUpSec !== null)
    .map((r) => `${formatDuration(r.f!.tearUpSec)} in ${r.name}`);
  if (against.length === 0) return null;
  const plateau =
    m.plateauConcurrency === null
      ? ""
      : `; its plateau was ${count(m.plateauConcurrency)} against ${listOf(simulated.map((r) => (r.f!.plateauConcurrency === null ? "none" : count(r.f!.plateauConcurrency))))}`;
  return `The measured run's tear-up lasted ${formatDuration(m.tearUpSec)}, against ${listOf(against)}${plateau}.`;
}

/** How many of the blog's figures the section's runs reproduce. */
function blogSentence(verdicts: readonly VerdictRecord[]): string | null {
  const compared = verdicts.reduce((n, v) => n + v.blog.compared, 0);
  if (compared === 0) return null;
  const agreeing = verdicts.reduce((n, v) => n + v.blog.agreeing, 0);
  const tolerance = verdicts[0]!.blog.tolerancePct;
  return `Of the blog's figures that could be compared, ${count(agreeing)} of ${count(compared)} are within ${tolerance}% (Table 1).`;
}
