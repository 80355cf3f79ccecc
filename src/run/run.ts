/**
 * The Run: one format for simulated and measured runs.
 *
 * ```
 * scenario ─▶ simulate ─▶ Run ◀─ import (CloudWatch)
 *                          ├─▶ fit / compare
 *                          ▼
 *                       charts ─▶ notebooks ─▶ report
 * ```
 *
 * On disk a run is a directory holding `run.json` ({@link RunMeta}) and `series.csv`
 * ({@link RunSeries}); in memory both sit in a {@link Run}. Series columns are `Float64Array`s
 * with `NaN` for a missing cell (a measured run may lack a metric or a minute).
 */

import type { Scenario } from "../scenario/types.js";

/** The `format` field of every `run.json` this version writes and reads. */
export const RUN_FORMAT = "esmlab.run/1";

/**
 * The series columns, in file order. `t` is the interval start in seconds from the run start;
 * `produced`, `processed`, `invocations`, `errors`, `throttles` are counts within the interval;
 * `concurrency` is the maximum in-flight invocations during the interval; `lag` and `pollers`
 * are the values at the interval end.
 */
export const SERIES_COLUMNS = [
  "t",
  "produced",
  "processed",
  "invocations",
  "concurrency",
  "lag",
  "pollers",
  "errors",
  "throttles",
] as const;
export type SeriesColumn = (typeof SERIES_COLUMNS)[number];

/** Where a run came from. */
export const RUN_SOURCES = { simulated: "simulated", measured: "measured" } as const;
export type RunSource = keyof typeof RUN_SOURCES;

/** Column-oriented series: every column has `length` cells; `NaN` marks a missing cell. */
export interface RunSeries {
  readonly length: number;
  readonly columns: Readonly<Record<SeriesColumn, Float64Array>>;
  /** Further named columns after the standard ones (e.g. a measured `Duration`), in file order. */
  readonly extra: Readonly<Record<string, Float64Array>>;
}

/** Per-record latency (produce → successful completion) percentiles, in seconds. */
export interface LatencySummary {
  readonly p50Sec: number;
  readonly p90Sec: number;
  readonly p99Sec: number;
  readonly maxSec: number;
  readonly meanSec: number;
  /** Relative width of the histogram bins the percentiles come from (e.g. 0.0078 = 0.78 %). */
  readonly relativePrecision: number;
}

/** A change of the number of pollers (consumers), for charts and reports. */
export interface ScaleEvent {
  /** When the new poller count took effect, seconds from the run start. */
  readonly tSec: number;
  readonly from: number;
  readonly to: number;
  /** Why the scaler changed it, in words (e.g. "lag 4200 not smaller than 0 → partitions"). */
  readonly reason: string;
}

/**
 * Figures that describe a whole run. Simulated-only figures are absent from measured runs.
 * A total or peak is `null` when its column has no value at all — not measured (a CloudWatch
 * export without that metric), which is not the same as 0. Simulated runs have every column.
 */
export interface RunSummary {
  /** End of the last interval, seconds. */
  readonly durationSec: number;
  readonly producedRecords: number | null;
  readonly processedRecords: number | null;
  readonly invocations: number | null;
  readonly errors: number | null;
  readonly throttles: number | null;
  readonly peakConcurrency: number | null;
  readonly peakLagRecords: number | null;
  readonly peakPollers: number | null;
  /** Records already in the topic when the run started (TRIM_HORIZON backlog). */
  readonly initialLagRecords?: number;
  /** Lag left when the run stopped (0 unless it was truncated). */
  readonly finalLagRecords?: number;
  /** Time the last record was produced, seconds. */
  readonly productionEndSec?: number | null;
  /** First time after production ended that lag reached 0, seconds. */
  readonly drainedAtSec?: number | null;
  readonly latency?: LatencySummary | null;
  /** Event Poller Unit hours and their cost (provisioned mode only). */
  readonly epu?: {
    readonly epuHours: number;
    readonly usd: number;
    readonly usdPerEpuHour: number;
  };
  /** True when the run hit its time limit before draining. */
  readonly truncated?: boolean;
  /** Simulation effort: discrete events processed. */
  readonly simulatedEvents?: number;
}

/** One input file that a run was made from. */
export interface InputFile {
  readonly path: string;
  readonly sha256: string;
}

export interface Provenance {
  readonly esmlabVersion: string;
  /** The git commit of the esmlab checkout that made the run, when known. */
  readonly gitCommit: string | null;
  readonly inputs: readonly InputFile[];
  /** Non-fatal problems met while making the run (e.g. a PartialData CloudWatch result). */
  readonly warnings: readonly string[];
}

/**
 * Where a parameter's value came from: documented by AWS (or KEDA/Kubernetes), assumed by
 * esmlab, given in the scenario, or calibrated (fitted to a measured run by `esmlab calibrate`).
 */
export const PARAMETER_BASES = {
  documented: "documented",
  assumed: "assumed",
  given: "given",
  calibrated: "calibrated",
} as const;
export type ParameterBasis = keyof typeof PARAMETER_BASES;

/** A scenario parameter with its value and basis; `V` types the value where the path is known. */
export interface ParameterRecord<V = unknown> {
  readonly value: V;
  readonly basis: ParameterBasis;
  /** For documented values: the source; for assumed ones: why this default. */
  readonly note?: string;
}

/**
 * A value AWS (or KEDA/Kubernetes) documents; `note` names the source. The value keeps its
 * literal type (`"LATEST"`, not `string`), so a table of defaults can be checked against the
 * scenario's types.
 * @example documented(100, "AWS: BatchSize default 100") // { value: 100, basis: "documented", note: "AWS: BatchSize default 100" }
 */
export function documented<const V>(value: V, note: string): ParameterRecord<V> {
  return { value, basis: "documented", note };
}

/**
 * A value esmlab assumes where nothing is documented; `note` says why this one.
 * @example assumed(0, "cold starts ignored") // { value: 0, basis: "assumed", note: "cold starts ignored" }
 */
export function assumed<const V>(value: V, note: string): ParameterRecord<V> {
  return { value, basis: "assumed", note };
}

/** What every `run.json` holds, simulated or measured. */
interface RunMetaBase {
  readonly format: typeof RUN_FORMAT;
  readonly id: string;
  readonly label: string;
  readonly resolutionSec: number;
  readonly provenance: Provenance;
  readonly summary: RunSummary;
}

/**
 * A simulated run's `run.json`: the scenario it ran and how every parameter was chosen. The
 * fields of measured runs are `never` here (and the other way round), so reading one on a
 * {@link RunMeta} gives `undefined` in its type, and making a run with the wrong ones fails
 * to compile.
 */
export interface SimulatedRunMeta extends RunMetaBase {
  readonly source: "simulated";
  readonly startTime?: never;
  /** The fully resolved scenario. */
  readonly scenario: Scenario;
  readonly seed: number;
  /** Every scaler/ESM parameter by dotted path, with its basis. */
  readonly parameters: Readonly<Record<string, ParameterRecord>>;
  /** Dotted paths of the parameters whose value is an assumption, not AWS-documented. */
  readonly assumed: readonly string[];
  readonly scaleEvents: readonly ScaleEvent[];
}

/** A measured run's `run.json`: no scenario, parameters or scale events, a clock time instead. */
export interface MeasuredRunMeta extends RunMetaBase {
  readonly source: "measured";
  /**
   * Wall-clock time of `t = 0` (ISO 8601, UTC). Every import records it; a run written by
   * hand may lack it.
   */
  readonly startTime?: string;
  readonly scenario?: never;
  readonly seed?: never;
  readonly parameters?: never;
  readonly assumed?: never;
  readonly scaleEvents?: never;
}

/** The content of `run.json`; `source` tells which of the two a run is. */
export type RunMeta = SimulatedRunMeta | MeasuredRunMeta;

/** A run: its `run.json` and its series; `Run<SimulatedRunMeta>` is one the simulator made. */
export interface Run<M extends RunMeta = RunMeta> {
  readonly meta: M;
  readonly series: RunSeries;
}
