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
import type { DurationInput, ScenarioInput, WorkloadInput } from "../scenario/input.js";
import { setPath } from "../util/paths.js";

/** The scaler policies the panel offers, in the order of docs/aws-esm.md's eras. */
export const PANEL_POLICIES: readonly PolicyName[] = [
  "legacy-15min",
  "on-demand-2022",
  "on-demand-current",
  "provisioned",
  "keda",
  "fixed",
];

/** The panel's figures. Times the reader types in minutes are minutes here too. */
export interface PanelValues {
  /** "constant": one rate; "spike": the rate, then `spikeRatePerSec` for a while. */
  shape: "constant" | "spike";
  /** Arrivals at exactly the rate, or a Poisson process of that mean. */
  arrivals: "steady" | "poisson";
  ratePerSec: number;
  productionMin: number;
  spikeRatePerSec: number;
  spikeStartMin: number;
  spikeMin: number;
  partitions: number;
  startingPosition: "LATEST" | "TRIM_HORIZON";
  backlogRecords: number;
  /** Function duration, s: a constant's, a normal's mean, a lognormal's median. */
  functionSec: number;
  batchSize: number;
  batchingWindowSec: number;
  policy: PolicyName;
  /** Scaler parameters the reader set under "advanced", by field path below `scaler`. */
  advanced: Record<string, number>;
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
    productionMin: round(total / 60),
    spikeRatePerSec: spike ? pieces[1]!.ratePerSec : round(base * 5),
    spikeStartMin: spike ? round(pieces[0]!.durationSec / 60) : round(total / 60 / 3),
    spikeMin: spike ? round(pieces[1]!.durationSec / 60) : round(Math.max(1, total / 60 / 6)),
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
  const recordBytes = base.workload.recordBytes;
  const pieces =
    values.shape === "spike"
      ? spikePieces(values)
      : [{ durationSec: values.productionMin * 60, ratePerSec: values.ratePerSec }];
  const workload: WorkloadInput =
    values.arrivals === "poisson"
      ? { kind: "poisson", pieces }
      : pieces.length === 1
        ? { kind: "constant", ratePerSec: values.ratePerSec, durationSec: pieces[0]!.durationSec }
        : { kind: "piecewise", pieces };
  if (recordBytes !== undefined) workload.recordBytes = recordBytes;
  const samePolicy = (base.scaler?.policy ?? "legacy-15min") === values.policy;
  const scaler: Record<string, unknown> = samePolicy
    ? structuredClone(base.scaler ?? { policy: values.policy })
    : { policy: values.policy };
  for (const [path, value] of Object.entries(values.advanced)) setPath(scaler, path, value);
  const { name: _n, label: _l, description: _d, ...rest } = base;
  return {
    ...rest,
    name: "what-if",
    label: `what-if: ${describeValues(values)}`,
    workload,
    topic: {
      ...base.topic,
      partitions: values.partitions,
      backlogRecords: values.backlogRecords,
    },
    esm: {
      ...base.esm,
      batchSize: values.batchSize,
      batchingWindowSec: values.batchingWindowSec,
      startingPosition: values.startingPosition,
    },
    function: {
      ...base.function,
      duration: withFigure(base.function?.duration, values.functionSec),
    },
    scaler: scaler as ScenarioInput["scaler"],
  };
}

/**
 * The values in a few words, for the run's label and the printed page.
 * @example describeValues(panelValues(case2)) // → "5/s for 33.3 min, 20 partitions, 3 s function, batch 1, legacy-15min"
 */
export function describeValues(v: PanelValues): string {
  const rate =
    v.shape === "spike"
      ? `${v.ratePerSec}/s with ${v.spikeRatePerSec}/s for ${v.spikeMin} min at ${v.spikeStartMin} min`
      : `${v.ratePerSec}/s`;
  const poisson = v.arrivals === "poisson" ? " (Poisson)" : "";
  const backlog = v.backlogRecords > 0 ? `, backlog ${v.backlogRecords}` : "";
  return `${rate}${poisson} for ${v.productionMin} min, ${v.partitions} partitions${backlog}, ${v.functionSec} s function, batch ${v.batchSize}, ${v.policy}`;
}

function spikePieces(v: PanelValues): { durationSec: number; ratePerSec: number }[] {
  const total = v.productionMin * 60;
  const start = Math.min(v.spikeStartMin * 60, total);
  const length = Math.min(v.spikeMin * 60, total - start);
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
