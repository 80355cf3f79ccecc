/**
 * The what-if panel's inputs and the scenario they stand for. The panel starts from a scenario
 * (the notebook's, or a seed case) and lets a reader change the figures a sizing question turns
 * on; everything else in the scenario is kept as it was, so the JSON the panel copies is the
 * whole scenario, which `esmlab simulate` accepts.
 *
 * ```
 * scenario ─▶ panelValues ─▶ form fields ─▶ (reader edits) ─▶ scenarioFrom(values, scenario)
 * ```
 * Pure functions over plain objects: tested in Node, bundled into the page.
 */

import type { PolicyName } from "../scaler/policy.js";
import type {
  DurationInput,
  LagRulesInput,
  ScalerInput,
  ScenarioInput,
  WorkloadInput,
} from "../scenario/input.js";
import { formatDuration, formatNumber } from "../util/format.js";
import { setPath } from "../util/paths.js";

/** A scaler parameter's value as the panel edits it. */
export type AdvancedValue = number | string | boolean;

/**
 * The choices of the scaler's parameters that are words, by field path below `scaler` (the
 * scenario schema's values; `satisfies` ties each list to the scenario types).
 */
export const ADVANCED_CHOICES = {
  "scaleUp.when": ["lag-not-decreasing", "lag-above-threshold"],
  "scaleUp.rule": ["add", "multiply", "to-target", "to-max"],
  "scaleDown.rule": ["to-min", "subtract", "halve"],
  "onThrottle.rule": ["none", "subtract", "halve"],
  offsetResetPolicy: ["latest", "earliest"],
  scaleToZeroOnInvalidOffset: [true, false],
} as const satisfies {
  "scaleUp.when": readonly NonNullable<NonNullable<LagRulesInput["scaleUp"]>["when"]>[];
  "scaleUp.rule": readonly NonNullable<NonNullable<LagRulesInput["scaleUp"]>["rule"]>[];
  "scaleDown.rule": readonly NonNullable<NonNullable<LagRulesInput["scaleDown"]>["rule"]>[];
  "onThrottle.rule": readonly NonNullable<NonNullable<LagRulesInput["onThrottle"]>["rule"]>[];
  offsetResetPolicy: readonly NonNullable<
    Extract<ScalerInput, { policy: "keda" }>["offsetResetPolicy"]
  >[];
  scaleToZeroOnInvalidOffset: readonly boolean[];
};

/** The scaler policies the panel offers, in the order of docs/aws-esm.md's eras. */
export const PANEL_POLICIES: readonly PolicyName[] = [
  "legacy-15min",
  "on-demand-2022",
  "on-demand-current",
  "provisioned",
  "keda",
  "fixed",
];

/** The panel's figures; times in seconds, as in a scenario file. */
export interface PanelValues {
  /** "constant": one rate; "spike": the rate, then `spikeRatePerSec` for a while. */
  shape: "constant" | "spike";
  /** Arrivals at exactly the rate, or a Poisson process of that mean. */
  arrivals: "steady" | "poisson";
  ratePerSec: number;
  productionSec: number;
  spikeRatePerSec: number;
  spikeStartSec: number;
  spikeSec: number;
  partitions: number;
  startingPosition: "LATEST" | "TRIM_HORIZON";
  backlogRecords: number;
  /** Function duration, s: a constant's, a normal's mean, a lognormal's median. */
  functionSec: number;
  batchSize: number;
  batchingWindowSec: number;
  policy: PolicyName;
  /** Scaler parameters the reader set under "advanced", by field path below `scaler`. */
  advanced: Record<string, AdvancedValue>;
}

/**
 * The panel's first values for a scenario: its rate and production time (a piecewise or trace
 * workload as its mean rate over its span, a three-piece workload whose middle is highest as a
 * spike), partitions, backlog, function duration, batching and policy.
 *
 * @example panelValues(BUILTIN_SCENARIOS.case2).partitions // → 20
 */
export function panelValues(input: ScenarioInput): PanelValues {
  const w = input.workload;
  const pieces = workloadPieces(w);
  const total = pieces.reduce((s, p) => s + p.durationSec, 0);
  const produced = pieces.reduce((s, p) => s + p.durationSec * p.ratePerSec, 0);
  const spike =
    pieces.length === 3 &&
    pieces[1]!.ratePerSec > pieces[0]!.ratePerSec &&
    pieces[2]!.ratePerSec === pieces[0]!.ratePerSec;
  const base = spike ? pieces[0]!.ratePerSec : total > 0 ? produced / total : 0;
  return {
    shape: spike ? "spike" : "constant",
    arrivals: w.kind === "poisson" ? "poisson" : "steady",
    ratePerSec: round(base),
    productionSec: total,
    spikeRatePerSec: spike ? pieces[1]!.ratePerSec : round(base * 5),
    spikeStartSec: spike ? pieces[0]!.durationSec : Math.round(total / 3),
    spikeSec: spike ? pieces[1]!.durationSec : Math.round(Math.max(60, total / 6)),
    partitions: input.topic.partitions,
    startingPosition: input.esm?.startingPosition ?? "LATEST",
    backlogRecords: input.topic.backlogRecords ?? 0,
    functionSec: durationFigure(input.function?.duration),
    batchSize: input.esm?.batchSize ?? 100,
    batchingWindowSec: input.esm?.batchingWindowSec ?? 0.5,
    policy: input.scaler?.policy ?? "legacy-15min",
    advanced: {},
  };
}

/**
 * The scenario the values stand for: `base` with the panel's figures put in. A changed policy
 * takes the new policy's preset (as `esmlab simulate --policy` does), then the advanced values.
 *
 * @example scenarioFrom({ ...panelValues(case2), partitions: 40 }, case2).topic.partitions // → 40
 */
export function scenarioFrom(values: PanelValues, base: ScenarioInput): ScenarioInput {
  // a figure the reader left as it was leaves the scenario as it was (a default stays a
  // default, an assumption stays one)
  const start = panelValues(base);
  const changed = (...keys: (keyof PanelValues)[]) => keys.some((k) => values[k] !== start[k]);
  const input: ScenarioInput = structuredClone(base);
  if (
    changed(
      "shape",
      "arrivals",
      "ratePerSec",
      "productionSec",
      "spikeRatePerSec",
      "spikeStartSec",
      "spikeSec",
    )
  )
    input.workload = workloadFrom(values, base.workload.recordBytes);
  if (changed("partitions")) input.topic.partitions = values.partitions;
  if (changed("backlogRecords")) input.topic.backlogRecords = values.backlogRecords;
  const esm = { ...input.esm };
  if (changed("batchSize")) esm.batchSize = values.batchSize;
  if (changed("batchingWindowSec")) esm.batchingWindowSec = values.batchingWindowSec;
  if (changed("startingPosition")) esm.startingPosition = values.startingPosition;
  if (Object.keys(esm).length > 0) input.esm = esm;
  if (changed("functionSec"))
    input.function = {
      ...input.function,
      duration: withFigure(input.function?.duration, values.functionSec),
    };
  if (changed("policy") || Object.keys(values.advanced).length > 0) {
    // another policy takes its preset, as `esmlab simulate --policy` does
    const scaler: Record<string, unknown> = changed("policy")
      ? { policy: values.policy }
      : (structuredClone(base.scaler ?? { policy: values.policy }) as Record<string, unknown>);
    for (const [path, value] of Object.entries(values.advanced)) setPath(scaler, path, value);
    input.scaler = scaler as ScenarioInput["scaler"];
  }
  const { description: _d, ...rest } = input;
  return { ...rest, name: "what-if", label: `what-if: ${describeValues(values)}` };
}

function workloadFrom(values: PanelValues, recordBytes: number | undefined): WorkloadInput {
  const pieces =
    values.shape === "spike"
      ? spikePieces(values)
      : [{ durationSec: values.productionSec, ratePerSec: values.ratePerSec }];
  const workload: WorkloadInput =
    values.arrivals === "poisson"
      ? { kind: "poisson", pieces }
      : pieces.length === 1
        ? { kind: "constant", ratePerSec: values.ratePerSec, durationSec: values.productionSec }
        : { kind: "piecewise", pieces };
  if (recordBytes !== undefined) workload.recordBytes = recordBytes;
  return workload;
}

/**
 * The values in a few words, for the run's label and the printed page.
 * @example describeValues(panelValues(case2)) // → "5/s for 33.3 min, 20 partitions, 3 s function, batch 1, legacy-15min"
 */
export function describeValues(v: PanelValues): string {
  const rate =
    v.shape === "spike"
      ? `${v.ratePerSec}/s with ${v.spikeRatePerSec}/s for ${formatDuration(v.spikeSec)} at ${formatDuration(v.spikeStartSec)}`
      : `${v.ratePerSec}/s`;
  const poisson = v.arrivals === "poisson" ? " (Poisson)" : "";
  const backlog =
    v.backlogRecords > 0 ? `, backlog ${formatNumber(v.backlogRecords, "count")} records` : "";
  return `${rate}${poisson} for ${formatDuration(v.productionSec)}, ${v.partitions} partitions${backlog}, ${v.functionSec} s function, batch ${v.batchSize}, ${v.policy}`;
}

function spikePieces(v: PanelValues): { durationSec: number; ratePerSec: number }[] {
  const total = v.productionSec;
  const start = Math.min(v.spikeStartSec, total);
  const length = Math.min(v.spikeSec, total - start);
  const pieces = [
    { durationSec: start, ratePerSec: v.ratePerSec },
    { durationSec: length, ratePerSec: v.spikeRatePerSec },
    { durationSec: total - start - length, ratePerSec: v.ratePerSec },
  ];
  return pieces.filter((p) => p.durationSec > 0);
}

function workloadPieces(w: WorkloadInput): { durationSec: number; ratePerSec: number }[] {
  switch (w.kind) {
    case "constant":
      return [{ durationSec: w.durationSec, ratePerSec: w.ratePerSec }];
    case "piecewise":
      return w.pieces;
    case "poisson":
      return w.pieces ?? [{ durationSec: w.durationSec ?? 0, ratePerSec: w.ratePerSec ?? 0 }];
    case "trace": {
      const t = w.timestampsSec ?? [];
      const span = t.length > 0 ? t[t.length - 1]! + 1 : 0;
      return [{ durationSec: span, ratePerSec: span > 0 ? t.length / span : 0 }];
    }
  }
}

function durationFigure(d: DurationInput | undefined): number {
  if (d === undefined) return 3;
  switch (d.kind) {
    case "constant":
      return d.sec;
    case "normal":
      return d.meanSec;
    case "lognormal":
      return d.medianSec;
    case "empirical": {
      const sorted = [...d.samplesSec].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 3;
    }
  }
}

function withFigure(d: DurationInput | undefined, sec: number): DurationInput {
  if (d?.kind === "normal") return { ...d, meanSec: sec };
  if (d?.kind === "lognormal") return { ...d, medianSec: sec };
  return { kind: "constant", sec };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
