/**
 * `simulate`: a resolved scenario → a simulated {@link Run}.
 *
 * ```
 * Scenario ─▶ work estimate ─▶ refused beyond the budget (budget.ts)
 * Scenario ─▶ feed (arrivals × partitioner) ─┐
 *          ─▶ scaler policy ─────────────────┼─▶ runModel ─▶ series + latencies ─▶ Run
 *          ─▶ duration model ────────────────┘
 * ```
 * Deterministic: the seed drives independent streams for arrivals, keys, durations and
 * errors, so the same scenario and seed give the same run, byte for byte.
 */
import { Rng } from "../engine/prng.js";
import { FeedLimitExceeded } from "../kafka/feed.js";
import { durationSampler } from "../lambda/duration.js";
import {
  type InputFile,
  type LatencySummary,
  RUN_FORMAT,
  type Run,
  type RunSeries,
  type RunSummary,
  type SimulatedRunMeta,
} from "../run/run.js";
import { summarizeSeries } from "../run/summary.js";
import { createPolicy } from "../scaler/create.js";
import type { ResolvedScenario } from "../scenario/resolve.js";
import type { Scenario } from "../scenario/types.js";
import { EsmlabError } from "../util/errors.js";
import { sha256 } from "../util/hash.js";
import { ESMLAB_VERSION, gitCommit } from "../version.js";
import {
  checkWork,
  DEFAULT_MAX_EVENTS,
  describeStop,
  RUNTIME_SLACK,
  WorkLimitExceeded,
  workBudget,
} from "./budget.js";
import { buildFeed } from "./build-feed.js";
import { type InvocationTrace, runModel } from "./model.js";
import { SeriesRecorder } from "./series-recorder.js";

export type { InvocationTrace } from "./model.js";

export interface SimulateOptions {
  /** Timestamps of a trace workload (default: the resolved scenario's). */
  readonly traceTimesSec?: Float64Array;
  /**
   * Work budget in simulator events (default {@link DEFAULT_MAX_EVENTS}, 2·10^8: about a
   * minute at most); series rows and buffered arrivals scale with it (budget.ts). A scenario
   * estimated beyond it is refused before it starts; a run passing twice it is stopped.
   */
  readonly maxEvents?: number;
  /** Files the scenario came from, for provenance. */
  readonly inputs?: readonly InputFile[];
  /** Called for every finished invocation (tests, tracing); slows the run. */
  readonly onInvocation?: (inv: InvocationTrace) => void;
}

const STREAM = { arrivals: 1, keys: 2, durations: 3, errors: 4 } as const;

/**
 * Simulate a resolved scenario.
 * @throws EsmlabError (exit code 2) when the scenario's estimated work exceeds the budget
 *   (`maxEvents`), naming the field that makes it large; EsmlabError when a run passes twice
 *   its budget
 * @example simulate(builtinScenario("case1")).meta.summary.invocations // 4000
 */
export function simulate(
  resolved: ResolvedScenario,
  options: SimulateOptions = {},
): Run<SimulatedRunMeta> {
  const sc = resolved.scenario;
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  if (!(maxEvents > 0)) {
    throw new EsmlabError(`invalid maxEvents: ${maxEvents}: must be a number > 0`, {
      exitCode: 2,
    });
  }
  checkWork(resolved, maxEvents);
  const limits = workBudget(maxEvents * RUNTIME_SLACK);
  try {
    return simulateWithin(resolved, options, limits);
  } catch (err) {
    if (err instanceof WorkLimitExceeded || err instanceof FeedLimitExceeded) {
      throw new EsmlabError(describeStop(resolved.source ?? sc.name, err, maxEvents), {
        cause: err,
      });
    }
    throw err;
  }
}

function simulateWithin(
  resolved: ResolvedScenario,
  options: SimulateOptions,
  limits: ReturnType<typeof workBudget>,
): Run<SimulatedRunMeta> {
  const sc = resolved.scenario;
  const seed = sc.seed;
  const feed = buildFeed(
    sc,
    { arrivals: Rng.stream(seed, STREAM.arrivals), keys: Rng.stream(seed, STREAM.keys) },
    options.traceTimesSec ?? resolved.traceTimesSec,
    { generated: limits.maxEvents, held: limits.maxHeldArrivals },
  );
  const policy = createPolicy(sc.scaler, sc.topic.partitions);
  const series = new SeriesRecorder(
    sc.run.resolutionSec,
    (t) => feed.producedBefore(t),
    feed.initialBacklog,
    limits.maxSeriesRows,
  );
  const result = runModel(
    feed,
    policy,
    {
      ...sc.function,
      batchSize: sc.esm.batchSize,
      batchingWindowSec: sc.esm.batchingWindowSec,
      maxPayloadBytes: sc.esm.maxPayloadBytes,
      recordBytes: sc.workload.recordBytes,
      concurrencyPerPoller: sc.scaler.concurrencyPerPoller,
      pollerBytesPerSec: sc.scaler.pollerBytesPerSec,
      rebalancePauseSec: sc.scaler.rebalancePauseSec,
      maxDurationSec: sc.run.maxDurationSec,
      maxEvents: limits.maxEvents,
    },
    { sample: durationSampler(sc.function.duration), rng: Rng.stream(seed, STREAM.durations) },
    Rng.stream(seed, STREAM.errors),
    series,
    options.onInvocation,
  );
  const data = series.finish(result.endSec);
  const lastArrival = feed.lastArrival();
  const lat = result.latencies;
  const latency: LatencySummary | null =
    lat.count === 0
      ? null
      : {
          p50Sec: lat.quantile(0.5),
          p90Sec: lat.quantile(0.9),
          p99Sec: lat.quantile(0.99),
          maxSec: lat.maxSec,
          meanSec: lat.mean(),
          relativePrecision: 1 / 128,
        };
  const summary: RunSummary = {
    ...summarizeSeries(data, sc.run.resolutionSec),
    initialLagRecords: feed.initialBacklog,
    finalLagRecords: data.columns.lag[data.length - 1]!,
    productionEndSec: Number.isFinite(lastArrival) ? lastArrival : null,
    drainedAtSec: drainedAt(data, sc.run.resolutionSec, lastArrival),
    latency,
    ...(sc.scaler.policy === "provisioned" ? { epu: epuCost(data, sc) } : {}),
    truncated: result.truncated,
    simulatedEvents: result.events,
  };
  const scenarioJson = JSON.stringify(sc);
  return {
    meta: {
      format: RUN_FORMAT,
      id: `sim-${sc.name}-${sc.scaler.policy}-s${seed}-${sha256(scenarioJson).slice(0, 12)}`,
      label: sc.label,
      source: "simulated",
      resolutionSec: sc.run.resolutionSec,
      scenario: sc,
      seed,
      parameters: resolved.parameters,
      assumed: resolved.assumed,
      provenance: {
        esmlabVersion: ESMLAB_VERSION,
        gitCommit: gitCommit(),
        inputs: options.inputs ?? [],
        warnings: result.truncated
          ? [`stopped at run.maxDurationSec ${sc.run.maxDurationSec} s before the backlog drained`]
          : [],
      },
      summary,
      scaleEvents: result.scaleEvents,
    },
    series: data,
  };
}

/** End of the first interval after production ended whose closing lag is 0. */
function drainedAt(series: RunSeries, res: number, lastArrival: number): number | null {
  if (!Number.isFinite(lastArrival)) return null;
  const lag = series.columns.lag;
  for (let i = Math.max(0, Math.floor(lastArrival / res)); i < series.length; i++) {
    if (lag[i] === 0) return (i + 1) * res;
  }
  return null;
}

/** Event Poller Units: per interval max(⌈pollers / 10⌉, ⌈bytes/s / 20 MB/s⌉), summed as hours. */
function epuCost(series: RunSeries, sc: Scenario): NonNullable<RunSummary["epu"]> {
  if (sc.scaler.policy !== "provisioned") throw new Error("epu cost needs a provisioned scaler");
  const { pollersPerEpu, epuBytesPerSec, usdPerEpuHour } = sc.scaler;
  const res = sc.run.resolutionSec;
  let epuSec = 0;
  for (let i = 0; i < series.length; i++) {
    const bytesPerSec = (series.columns.processed[i]! * sc.workload.recordBytes) / res;
    const units = Math.max(
      Math.ceil(series.columns.pollers[i]! / pollersPerEpu),
      Math.ceil(bytesPerSec / epuBytesPerSec),
    );
    epuSec += units * res;
  }
  const epuHours = epuSec / 3600;
  return { epuHours, usd: epuHours * usdPerEpuHour, usdPerEpuHour };
}
