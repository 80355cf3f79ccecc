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

/** A scenario parameter with its value and basis. */
export interface ParameterRecord {
  readonly value: unknown;
  readonly basis: ParameterBasis;
  /** For documented values: the source; for assumed ones: why this default. */
  readonly note?: string;
}

/** A value AWS (or KEDA/Kubernetes) documents; `note` names the source. */
export function documented(value: unknown, note: string): ParameterRecord {
  return { value, basis: "documented", note };
}

/** A value esmlab assumes where nothing is documented; `note` says why this one. */
export function assumed(value: unknown, note: string): ParameterRecord {
  return { value, basis: "assumed", note };
}

/** The content of `run.json`. */
export interface RunMeta {
  readonly format: typeof RUN_FORMAT;
  readonly id: string;
  readonly label: string;
  readonly source: RunSource;
  /** Wall-clock time of `t = 0` (ISO 8601, UTC) for measured runs; simulated runs start at 0. */
  readonly startTime?: string;
  readonly resolutionSec: number;
  /** The fully resolved scenario (simulated runs). */
  readonly scenario?: unknown;
  readonly seed?: number;
  /** Every scaler/ESM parameter by dotted path, with its basis. */
  readonly parameters?: Readonly<Record<string, ParameterRecord>>;
  /** Dotted paths of the parameters whose value is an assumption, not AWS-documented. */
  readonly assumed?: readonly string[];
  readonly provenance: Provenance;
  readonly summary: RunSummary;
  readonly scaleEvents?: readonly ScaleEvent[];
}

export interface Run {
  readonly meta: RunMeta;
  readonly series: RunSeries;
}
