/**
 * What calibration minimises: how far the simulated runs are from the measured ones, as
 * CloudWatch shows them, pooled over every run's minutes ({@link pooledViewError}).
 *
 * A calibration problem is plain data (measured minute series, base scenarios, the fitted
 * parameter names), so worker threads rebuild the same objective from it (`pool.ts`).
 */
import {
  type MinuteViews,
  minuteSeries,
  pooledViewError,
  type ViewError,
  viewErrorOf,
  viewPeaks,
} from "../compare/view-error.js";
import { simulate } from "../esm/simulate.js";
import type { Run } from "../run/run.js";
import type { ResolvedScenario } from "../scenario/resolve.js";
import type { ScalerSpec } from "../scenario/types.js";
import type { Point } from "./search.js";
import {
  type CalibratableParam,
  dataHints,
  type ParameterSpace,
  parameterSpace,
  withScaler,
} from "./space.js";

/** One measured run and the scenario of its workload. */
export interface CalibrationCase {
  readonly measured: MinuteViews;
  readonly base: ResolvedScenario;
}

/** Everything an objective needs, structured-cloneable for worker threads. */
export interface CalibrationProblem {
  readonly cases: readonly CalibrationCase[];
  /** The scaler the space is built on (the first case's). */
  readonly scaler: ScalerSpec;
  readonly params: readonly CalibratableParam[];
}

/** The problem of fitting `bases` (one per run) to `measured`. */
export function calibrationProblem(
  measured: readonly Run[],
  bases: readonly ResolvedScenario[],
  params: readonly CalibratableParam[] | undefined,
): CalibrationProblem {
  const space = parameterSpace(bases[0]!.scenario.scaler, params);
  return {
    cases: measured.map((run, i) => ({ measured: minuteSeries(run), base: bases[i]! })),
    scaler: bases[0]!.scenario.scaler,
    params: space.params,
  };
}

/**
 * The scaler of one point applied to every case's scenario (each keeps its own partition
 * count's cap), simulated by minute, compared with its measured run.
 */
export class Objective {
  readonly space: ParameterSpace;
  /** Each case's measured peaks (what its errors are divided by in the score). */
  readonly peaks: readonly ReturnType<typeof viewPeaks>[];
  simulations = 0;

  constructor(readonly problem: CalibrationProblem) {
    const c = problem.cases[0]!.measured.concurrency;
    this.space = parameterSpace(problem.scaler, problem.params, dataHints(Array.from(c.values)));
    this.peaks = problem.cases.map((k) => viewPeaks(k.measured));
  }

  /** The pooled error of the scaler at `point` (score Infinity when a simulation fails). */
  error(point: Point): ViewError {
    return this.errorOf(this.space.apply(point));
  }

  /** The pooled error of a scaler over every case. */
  errorOf(scaler: ScalerSpec): ViewError {
    return this.fit(scaler).error;
  }

  /** A scaler's pooled error, and each case's error and simulated minute series. */
  fit(scaler: ScalerSpec): {
    error: ViewError;
    cases: { error: ViewError; minutes: MinuteViews }[];
  } {
    const cases = this.problem.cases.map((c) => {
      const minutes = minuteSeries(this.simulateCase(c, scaler));
      return { error: viewErrorOf(c.measured, minutes), minutes };
    });
    const error = pooledViewError(cases.map((c, i) => ({ error: c.error, peaks: this.peaks[i]! })));
    return { error, cases };
  }

  /** One case simulated with `scaler` (its maxima capped at the case's partition count). */
  simulateCase(c: CalibrationCase, scaler: ScalerSpec, resolutionSec = 60): Run {
    this.simulations++;
    const sc = withScaler(c.base.scenario, capScaler(scaler, c.base.scenario.scaler));
    return simulate({ ...c.base, scenario: { ...sc, run: { ...sc.run, resolutionSec } } });
  }

  score(point: Point): number {
    try {
      return this.error(point).score;
    } catch {
      // a candidate whose run cannot finish within the work budget fits nothing
      return Number.POSITIVE_INFINITY;
    }
  }
}

/**
 * `scaler` on another case: the pollers' bounds stay that case's own (they follow its
 * partition count), and an initial poller count is kept inside them.
 */
export function capScaler(scaler: ScalerSpec, own: ScalerSpec): ScalerSpec {
  if (scaler.policy === "fixed" || own.policy === "fixed") return scaler;
  if (scaler.policy === "keda" && own.policy === "keda") {
    return { ...scaler, minReplicas: own.minReplicas, maxReplicas: own.maxReplicas };
  }
  if (scaler.policy !== "keda" && own.policy !== "keda") {
    const initialPollers = Math.min(
      own.maxPollers,
      Math.max(own.minPollers, scaler.initialPollers),
    );
    return { ...scaler, minPollers: own.minPollers, maxPollers: own.maxPollers, initialPollers };
  }
  return scaler;
}
