/**
 * The findings of a live-vs-simulated study in plain words and numbers, for the notebook's
 * reader and the report's executive summary: what the measured run did, how far the preset's
 * simulation was from it, what calibration changed and how closely the calibrated simulation
 * matches, which scaler parameters the run determines and which it cannot, and what that means
 * for sizing. Every number comes from the inputs; a sentence whose numbers are missing is left
 * out, never guessed.
 */
import type { PartitionSizing } from "../analysis/sizing.js";
import type { PhaseVerdict } from "../blog/verdict.js";
import type { CalibratedParameter, CalibrationResult } from "../calibrate/calibrate.js";
import {
  formatFitsWithinNoise,
  formatParamValue,
  type NumberWriter,
} from "../calibrate/describe.js";
import type { CalibratableParam, ParamValue } from "../calibrate/space.js";
import { type Markdown, markdown } from "../display/markdown.js";
import type { Run } from "../run/run.js";
import { syntheticNote } from "../run/synthetic.js";
import { formatDuration, formatNumber } from "../util/format.js";
import { listOf } from "../util/words.js";
import type { Comparison } from "./compare.js";

/** What {@link liveStudyFindings} is written from. */
export interface LiveStudy {
  readonly measured: Run;
  /** The measured run's phases (its verdict, `phaseVerdict(measured, fit)`). */
  readonly measuredVerdict: PhaseVerdict;
  /** The preset's name ("on-demand-2022"). */
  readonly policy: string;
  /** `compareRuns(measured, presetRun)`. */
  readonly preset: Comparison;
  readonly calibration: CalibrationResult;
  /** `compareRuns(measured, calibratedRun)`. */
  readonly calibrated: Comparison;
  /** `sizePartitions(calibration.resolved, deadline)`, when a deadline was given. */
  readonly sizing?: PartitionSizing | null;
}

/** Each calibratable parameter in words. */
const PARAM_WORDS = {
  evaluationIntervalSec: "the evaluation interval",
  actuationDelaySec: "the actuation delay",
  initialPollers: "the initial poller count",
  concurrencyPerPoller: "the invocations per poller",
  scaleUp: "the scale-up rule",
  "scaleDown.waitSec": "the scale-down wait",
  pollingIntervalSec: "the polling interval",
  lagThresholdRecords: "the lag threshold",
  stabilizationWindowSec: "the stabilisation window",
  cooldownSec: "the cooldown",
} as const satisfies Record<CalibratableParam, string>;

/** Parameters counted in seconds (their values read as durations). */
const SECONDS = new Set<string>([
  "evaluationIntervalSec",
  "actuationDelaySec",
  "scaleDown.waitSec",
  "pollingIntervalSec",
  "stabilizationWindowSec",
  "cooldownSec",
]);

/**
 * Four to six sentences on a live-vs-simulated study, as Markdown built from its values.
 * @example esmlab.showFindings(esmlab.liveStudyFindings({ measured, measuredVerdict, policy, preset: cmpBefore, calibration, calibrated: cmpAfter, sizing }))
 */
export function liveStudyFindings(study: LiveStudy): Markdown {
  const sentences: Markdown[] = [measuredSentence(study)];
  const p = study.preset.view;
  sentences.push(
    p.concurrencyRmse === 0
      ? markdown`Simulated with the ${study.policy} preset (esmlab's assumptions for what AWS does not publish), it already matches the measured concurrency minute by minute.`
      : markdown`Simulated with the ${study.policy} preset (esmlab's assumptions for what AWS does not publish), concurrency is off by ${formatNumber(p.concurrencyRmse, "ratio")} per minute (RMSE; at most ${p.concurrencyMaxError} in one minute).`,
  );
  sentences.push(calibrationSentence(study));
  const determined = determinedSentence(study.calibration);
  if (determined !== null) sentences.push(determined);
  if (study.sizing) sentences.push(sizingSentence(study.sizing));
  return { markdown: sentences.map((s) => s.markdown).join(" ") };
}

function measuredSentence(study: LiveStudy): Markdown {
  const { measured, measuredVerdict: v } = study;
  const f = v.facts;
  const name = measured.meta.label.split(":")[0]!.trim();
  const parts: Markdown[] = [];
  if (f.tearUpSec !== null && f.tearUpConcurrency !== null) {
    parts.push(
      markdown`held ${invocations(f.tearUpConcurrency)} for its first ${formatDuration(f.tearUpSec)} (the tear-up)`,
    );
  }
  if (f.plateauConcurrency !== null) {
    parts.push(
      markdown`then a plateau of ${f.plateauConcurrency}${f.partitions === null ? "" : markdown` on ${f.partitions} partitions`}`,
    );
  }
  const peak = measured.meta.summary.peakConcurrency;
  const did =
    parts.length > 0
      ? parts.map((p) => p.markdown).join(", ")
      : peak === null
        ? "shows no concurrency"
        : markdown`peaked at ${invocations(peak)}`.markdown;
  const drained =
    f.drainedAfterSec === null
      ? ""
      : markdown`; its backlog drained ${formatDuration(f.drainedAfterSec)} after production ended`
          .markdown;
  // a synthetic example is named as one, in words (its file says so: run/synthetic.ts)
  const subject =
    syntheticNote(measured.meta.provenance.warnings) === null
      ? markdown`The measured run ${name}`
      : markdown`The synthetic example ${name} (made by esmlab, not a measurement)`;
  return markdown`${subject} ${{ markdown: did }}${{ markdown: drained }}.`;
}

function calibrationSentence(study: LiveStudy): Markdown {
  const { calibration: c, calibrated } = study;
  const moved = c.parameters.filter((p) => !sameValue(p.before, p.after));
  const after = calibrated.view;
  // the tear-up's end: where the scaler first acts, the boundary calibration is about
  const end = calibrated.boundaries.find((b) => b.boundary === "tear-up end");
  const tearUp =
    end === undefined
      ? ""
      : end.diffSec === 0
        ? markdown`, its tear-up ending when the measured one does (${formatDuration(end.aSec)})`
            .markdown
        : markdown`, its tear-up ending ${formatDuration(Math.abs(end.diffSec))} ${end.diffSec > 0 ? "later" : "earlier"} than the measured one`
            .markdown;
  const changed =
    moved.length === 0
      ? "Calibration kept the preset's values"
      : markdown`Calibration changed ${{
          markdown: listOf(
            moved.map(
              (p) =>
                `${wordsOf(p.path)} (${showValue(p.path, p.before)} → ${showValue(p.path, p.after)})`,
            ),
          ),
        }}`.markdown;
  const off =
    after.concurrencyRmse === 0
      ? markdown`the calibrated simulation matches the measured concurrency minute by minute`
      : markdown`the calibrated simulation is off by ${formatNumber(after.concurrencyRmse, "ratio")} per minute (at most ${after.concurrencyMaxError})`;
  const fit = c.fitWithinNoise
    ? markdown`${off}${{ markdown: tearUp }}, within the noise of the measurement`
    : markdown`${off}${{ markdown: tearUp }}: further from the run than its noise, so the model misses something in this run`;
  return markdown`${{ markdown: changed }}; ${fit}.`;
}

function determinedSentence(c: CalibrationResult): Markdown | null {
  if (!c.profilesComplete || !c.fitWithinNoise) {
    return markdown`No parameter is pinned down by this run (${c.fitWithinNoise ? "the search ran out of budget while tracing the ranges" : "the fit is not within the noise"}).`;
  }
  const pinned = c.parameters.filter((p) => p.pinned);
  const open = c.parameters.filter((p) => !p.pinned);
  const list = (ps: readonly CalibratedParameter[], withRange: boolean) => ({
    markdown: listOf(ps.map((p) => `${wordsOf(p.path)}${withRange ? ` (${rangeOf(p)})` : ""}`)),
  });
  if (pinned.length === 0) {
    return markdown`The run pins down none of the ${c.parameters.length} parameters: each one's range of equally good values is wide, so they stay assumptions.`;
  }
  const first = markdown`The run pins down ${list(pinned, true)}`;
  if (open.length === 0) return markdown`${first}.`;
  return markdown`${first}; it cannot tell ${list(open, false)} (values across wide ranges fit as well, so those stay assumptions).`;
}

function sizingSentence(s: PartitionSizing): Markdown {
  const now =
    s.drainedAfterSecNow === null
      ? markdown`never drains`
      : markdown`drains ${formatDuration(s.drainedAfterSecNow)} after production ends`;
  const caveat = "the scaler's rules behind that are estimates fitted to one run";
  if (s.partitions === null) {
    return markdown`With the calibrated scaler, no partition count up to ${s.max} drains this workload within ${formatDuration(s.deadlineSec)} of the end of production (on its ${s.partitionsNow} partitions it ${now}); ${caveat}.`;
  }
  if (s.partitions === s.partitionsNow) {
    return markdown`With the calibrated scaler, the workload's ${s.partitionsNow} partitions are the fewest that drain it within ${formatDuration(s.deadlineSec)} of the end of production (it ${now}); ${caveat}.`;
  }
  return markdown`With the calibrated scaler, this workload drains within ${formatDuration(s.deadlineSec)} of the end of production from ${s.partitions} partitions on (on its ${s.partitionsNow} it ${now}); ${caveat}.`;
}

/** "1 concurrent invocation", "20 concurrent invocations". */
function invocations(n: number): Markdown {
  return markdown`${n} concurrent invocation${n === 1 ? "" : "s"}`;
}

function wordsOf(path: string): string {
  const name = path.replace(/^scaler\./, "");
  return (PARAM_WORDS as Record<string, string>)[name] ?? name;
}

/** Numbers of the parameter at `path`: durations for those in seconds. */
function writerOf(path: string): NumberWriter {
  return SECONDS.has(path.replace(/^scaler\./, ""))
    ? (n) => formatDuration(n)
    : (n) => formatNumber(n);
}

function showValue(path: string, v: ParamValue | undefined): string {
  return v === undefined ? "–" : formatParamValue(v, writerOf(path));
}

function rangeOf(p: CalibratedParameter): string {
  return formatFitsWithinNoise(p, writerOf(p.path)) ?? showValue(p.path, p.after);
}

function sameValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
