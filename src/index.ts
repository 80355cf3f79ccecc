/**
 * esmlab's public API: everything notebooks, the CLI and other programs use, by name.
 *
 * Two parts whose declarations are heavy live behind their own entry points, so that a
 * notebook importing "esmlab" type-checks its cells against esmlab's types alone:
 * `esmlab/cloudwatch` (the live fetch, typed by the AWS SDK) and `esmlab/schema` (the scenario
 * file's zod schema and its JSON Schema). A test keeps both out of this entry's graph.
 *
 * ```
 * scenario ─▶ simulate ─▶ Run ◀─ import (CloudWatch exports, live fetch)
 *                          ├─▶ CloudWatch view, three-phase fit, calibrate, compare
 *                          ▼
 *                    run directory (run.json + series.csv)
 * ```
 */

export {
  onPartitions,
  type PartitionSizing,
  type SizingTrial,
  sizePartitions,
} from "./analysis/sizing.js";
export {
  BLOG_FIGURES,
  BLOG_POLICY,
  type BlogComparisonRow,
  type BlogFigure,
  blogApplies,
  blogComparison,
  compareWithBlog,
} from "./blog/comparison.js";
// notebook display
export {
  type ConclusionParts,
  type ConclusionRow,
  type ConclusionsColumn,
  type ConclusionsTable,
  conclusionCell,
  conclusionParts,
  conclusionsTable,
} from "./blog/conclusions.js";
// analysis: blog figures, calibration, comparison
export { type BlogFigures, blogFigures, TEAR_UP_SEC } from "./blog/figures.js";
export {
  formatSpan,
  type PhaseVerdict,
  phaseVerdict,
  shortLabel,
  type VerdictOptions,
} from "./blog/verdict.js";
export {
  type CalibratedParameter,
  type CalibrationOptions,
  type CalibrationResult,
  calibrate,
  type ValueRange,
} from "./calibrate/calibrate.js";
export {
  formatFitsWithinNoise,
  formatParamValue,
  formatValueRange,
  type NumberWriter,
} from "./calibrate/describe.js";
export {
  CALIBRATABLE,
  type CalibratableParam,
  KEDA_PARAMS,
  LAG_PARAMS,
  type ParamValue,
} from "./calibrate/space.js";
// charts (Vega-Lite specs, rendered to SVG server-side)
export { CHART_CONFIG, type ChartOptions } from "./charts/chart-style.js";
export { type ConcurrencyChartOptions, concurrencyChart } from "./charts/concurrency-chart.js";
export {
  type PolicyComparisonOptions,
  policyComparisonChart,
  type SmallMultiplesOptions,
  smallMultiplesChart,
} from "./charts/multi-run-charts.js";
export {
  type OverlayChartOptions,
  type OverlayMetric,
  overlayChart,
} from "./charts/overlay-chart.js";
export { type RenderOptions, renderSvg } from "./charts/render.js";
export {
  cumulativeRecordsChart,
  invocationsPerMinuteChart,
  lagChart,
} from "./charts/run-charts.js";
export { CHART_FONT, textWidthPx } from "./charts/text-width.js";
export {
  type BoundaryDiff,
  type CompareOptions,
  type Comparison,
  type CumulativeAt,
  compareRuns,
} from "./compare/compare.js";
export { type LiveStudy, liveStudyFindings } from "./compare/findings.js";
export { type ViewError, viewError } from "./compare/view-error.js";
export {
  type Cell,
  chartBundle,
  escapeHtml,
  type MimeBundle,
  type ShowChartOptions,
  type TableOptions,
  tableBundle,
} from "./display/bundle.js";
export {
  canMakeDataFrames,
  DANFOJS_INSTALL,
  type DataFrameLike,
  runToDataFrame,
} from "./display/dataframe.js";
export { display, showChart, showTable } from "./display/display.js";
export {
  escapeMarkdown,
  type Markdown,
  markdown,
  markdownBundle,
  rawMarkdown,
  showFindings,
  showMarkdown,
} from "./display/markdown.js";
export {
  parseRunRecords,
  parseVerdictRecords,
  RUNS_MIME,
  type RunRecord,
  recordRuns,
  runRecord,
  runsBundle,
  showVerdicts,
  VERDICTS_MIME,
  type VerdictRecord,
  verdictsBundle,
} from "./display/report-data.js";
export { showWhatIf, WHATIF_MIME, whatIfBundle } from "./display/whatif.js";
// engine (knows nothing of Kafka or Lambda)
export { EventQueue } from "./engine/event-queue.js";
export { LatencyHistogram } from "./engine/histogram.js";
export { Rng } from "./engine/prng.js";
// the simulator
export {
  checkWork,
  DEFAULT_MAX_EVENTS,
  estimateWork,
  type WorkBudget,
  type WorkEstimate,
} from "./esm/budget.js";
export { type InvocationTrace, type SimulateOptions, simulate } from "./esm/simulate.js";
export {
  SEGMENT_METHODS,
  type Segment,
  type Segmentation,
  type SegmentMethod,
  type SegmentOptions,
  segment,
} from "./fit/change-points.js";
export { PHASE_NAMES, type PhaseFigures, type PhaseName } from "./fit/phase-figures.js";
export { type RunFacts, type RunFactsOptions, runFacts } from "./fit/run-facts.js";
export {
  fitThreePhases,
  type LevelSpan,
  type StepChange,
  type ThreePhaseFit,
  type ThreePhaseOptions,
} from "./fit/three-phase.js";
// measured runs: CloudWatch exports (the live fetch is in "esmlab/cloudwatch")
export { parseCloudWatchCsv } from "./import/console-csv.js";
export { parseGetMetricData } from "./import/get-metric-data.js";
export { parseGetMetricStatistics } from "./import/get-metric-statistics.js";
export {
  DEFAULT_MAX_IMPORT_BYTES,
  type LoadCloudWatchOptions,
  loadCloudWatch,
  parseCloudWatchExport,
} from "./import/load.js";
export { IMPORT_FORMATS, type ImportFormat, type MeasuredInput } from "./import/measured.js";
export { type MeasuredRun, type MeasuredRunOptions, measuredRun } from "./import/measured-run.js";
export { type ColumnMapping, parseColumnMapping } from "./import/metric-map.js";
export { kafkaPartition, murmur2 } from "./kafka/murmur2.js";
export { PARTITIONER_KINDS, type PartitionerKind } from "./kafka/partitioner.js";
export { DURATION_KINDS, type DurationModel, meanDurationSec } from "./lambda/duration.js";
export {
  CLOUDWATCH_METRICS,
  CLOUDWATCH_PERIOD_SEC,
  type CloudWatchMetricId,
  type CloudWatchSeries,
  type CloudWatchView,
  cloudWatchSeries,
  toCloudWatchView,
} from "./run/cloudwatch-view.js";
export { loadAnyRun } from "./run/load-any.js";
// runs
export {
  type InputFile,
  type LatencySummary,
  type MeasuredRunMeta,
  PARAMETER_BASES,
  type ParameterBasis,
  type ParameterRecord,
  type Provenance,
  RUN_FORMAT,
  RUN_SOURCES,
  type Run,
  type RunMeta,
  type RunSeries,
  type RunSource,
  type RunSummary,
  type ScaleEvent,
  SERIES_COLUMNS,
  type SeriesColumn,
  type SimulatedRunMeta,
} from "./run/run.js";
export { loadRun, parseRunMeta, RUN_FILES, writeRun } from "./run/run-io.js";
export {
  createSeries,
  formatSeriesCsv,
  parseSeriesCsv,
  seriesFromColumns,
} from "./run/series-csv.js";
export { type SeriesSummary, summarizeSeries } from "./run/summary.js";
export { SYNTHETIC_CODE, syntheticNote } from "./run/synthetic.js";
export {
  POLICIES,
  type PolicyName,
  type ScalerObservation,
  type ScalerPolicy,
} from "./scaler/policy.js";
export { POLICY_DEFAULTS, type PresetTable } from "./scaler/presets.js";
// scenarios
export { BUILTIN_SCENARIOS, SEED_CASES } from "./scenario/builtins.js";
export {
  MODEL_DEFAULTS,
  type ModelPath,
  RUN_DEFAULTS,
  type ScenarioPath,
} from "./scenario/defaults.js";
export {
  type CommonScalerInput,
  type DurationInput,
  HALF_MAX_POLLERS,
  type LagRulesInput,
  type PartitionerInput,
  type RatePiece,
  type ScalerInput,
  type ScenarioInput,
  type WorkloadInput,
} from "./scenario/input.js";
export {
  applyOverrides,
  type LoadedScenario,
  loadScenario,
  parseScenario,
  parseTrace,
  type ScenarioOverrides,
} from "./scenario/load.js";
export { type ResolvedScenario, type ResolveOptions, resolveScenario } from "./scenario/resolve.js";
export { toScenarioInput } from "./scenario/to-input.js";
export type {
  PartitionerSpec,
  PollerSettings,
  RatePieceSpec,
  ScalerSpec,
  Scenario,
  WorkloadSpec,
} from "./scenario/types.js";
// errors, number formatting and version
export { EsmlabError, isEsmlabError } from "./util/errors.js";
export {
  type FormatOptions,
  formatDuration,
  formatNumber,
  formatRelativeError,
  formatValue,
  type Grouping,
  NUMBER_KINDS,
  type NumberKind,
  UNIT_SPACE,
} from "./util/format.js";
export { type CellFormat, CLI_OPTIONS, fmt, formatTable } from "./util/text-table.js";
export { ESMLAB_VERSION, gitCommit } from "./version.js";
export {
  WHATIF_MAX_EVENTS,
  type WhatIfAnswer,
  type WhatIfOptions,
  type WhatIfOutcome,
  whatIf,
} from "./whatif/engine.js";
