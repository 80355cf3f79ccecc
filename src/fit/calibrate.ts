/**
 * Calibration: fit the scaler's undocumented parameters so that the simulated CloudWatch view
 * matches a measured one.
 *
 * ```
 * measured Run ─▶ CloudWatch view ─────────────────────────┐
 * scenario ─▶ candidate values ─▶ simulate ─▶ CloudWatch view ─▶ error ─▶ search
 * ```
 *
 * The search is coordinate-wise: each parameter is scanned over a grid of plausible values with
 * the others held, for a few rounds, from the preset and from a few seeded random grid points
 * (the error surface has local minima); the best is then refined by a compass (pattern) search
 * over the numeric parameters together, with halving steps (Hooke & Jeeves 1961; Kolda, Lewis
 * & Torczon 2003). Cost: one simulation per distinct candidate, several hundred in all; a seed
 * case simulates in milliseconds.
 *
 * A parameter is reported as not pinned down when every value of its grid gives an error within
 * `toleranceRel` of the best — the run holds no information about it (e.g. the scale-down wait:
 * Lambda's metrics do not show idle pollers) — or when it trades off with another parameter
 * (evaluation interval against actuation delay) along a valley of equally good fits.
 */
import { Rng } from "../engine/prng.js";
import { simulate } from "../esm/simulate.js";
import { qualifyLabel } from "../run/label.js";
import type { Run } from "../run/run.js";
import type { ResolvedScenario } from "../scenario/resolve.js";
import type { Scenario } from "../scenario/types.js";
import { EsmlabError } from "../util/errors.js";
import { getPath, setPath } from "../util/paths.js";
import { type ViewError, viewError } from "./view-error.js";

/** The parameters calibration can fit (paths under `scaler.`). */
export const CALIBRATABLE = [
  "evaluationIntervalSec",
  "initialPollers",
  "concurrencyPerPoller",
  "scaleUp",
  "actuationDelaySec",
  "scaleDown.waitSec",
] as const;
export type CalibratableParam = (typeof CALIBRATABLE)[number];

export interface CalibrationOptions {
  /** Parameters to fit (default: all of {@link CALIBRATABLE}). */
  readonly params?: readonly CalibratableParam[];
  /** Coordinate-wise grid rounds per start, at most (default 3). */
  readonly rounds?: number;
  /** Random grid starting points besides the preset (default 8). */
  readonly starts?: number;
  /** Seed of the starting points (default 1). */
  readonly seed?: number;
  /** Relative error band within which values count as equally good (default 0.02). */
  readonly toleranceRel?: number;
}

export interface CalibratedParameter {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** False when every grid value fits within the tolerance: the data cannot tell them apart. */
  readonly pinned: boolean;
  /** Grid values whose error is within the tolerance of the best. */
  readonly nearOptimal: readonly unknown[];
  /** Parameters that can move the opposite way with this one without losing the fit. */
  readonly tradesOffWith: readonly string[];
}

export interface CalibrationResult {
  readonly measuredId: string;
  readonly policy: string;
  readonly parameters: readonly CalibratedParameter[];
  readonly errorBefore: ViewError;
  readonly errorAfter: ViewError;
  readonly simulations: number;
  readonly wallMs: number;
  /**
   * The scenario with the fitted values, those parameters marked `calibrated`, its label's
   * short name saying so ("case2 (on-demand-2022, calibrated): …").
   */
  readonly resolved: ResolvedScenario;
}

/** A scale-up setting: rule, step and (for to-target) lag per poller. */
interface ScaleUpValue {
  readonly rule: string;
  readonly step: number;
  readonly targetLagPerPollerRecords?: number;
}
type Value = number | ScaleUpValue;

const NUMERIC: ReadonlySet<CalibratableParam> = new Set([
  "evaluationIntervalSec",
  "actuationDelaySec",
  "scaleDown.waitSec",
]);

/**
 * Fit the scaler of `base` to `measured` (compared as CloudWatch shows them, minute by minute,
 * aligned on the first invocation).
 * @throws EsmlabError when the policy is not one of the lag-driven AWS presets
 */
export function calibrate(
  measured: Run,
  base: ResolvedScenario,
  options: CalibrationOptions = {},
): CalibrationResult {
  const started = performance.now();
  const sc = base.scenario;
  const scaler = sc.scaler;
  if (scaler.policy === "keda" || scaler.policy === "fixed") {
    throw new EsmlabError(
      `cannot calibrate policy ${scaler.policy}: calibration fits the AWS presets (legacy-15min, on-demand-2022, on-demand-current, provisioned)`,
    );
  }
  const params = options.params ?? CALIBRATABLE;
  const tolerance = options.toleranceRel ?? 0.02;
  const grids = gridsFor(scaler.minPollers, scaler.maxPollers);

  let simulations = 0;
  const cache = new Map<string, ViewError>();
  const current = new Map<CalibratableParam, Value>();
  for (const p of params) current.set(p, read(sc, p));
  const evaluate = (values: Map<CalibratableParam, Value>): ViewError => {
    const key = JSON.stringify([...values]);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    simulations++;
    const err = viewError(measured, simulate({ ...base, scenario: apply(sc, values) }));
    cache.set(key, err);
    return err;
  };

  const errorBefore = evaluate(current);
  let best = errorBefore;
  // coordinate rounds from the preset and from a few seeded random grid points (multi-start:
  // the error surface has local minima, e.g. a 60 s cadence cannot reach a 15-minute tear-up
  // one parameter at a time)
  const rng = new Rng(options.seed ?? 1);
  const starts: Map<CalibratableParam, Value>[] = [new Map(current)];
  for (let i = 0; i < (options.starts ?? 8); i++) {
    starts.push(new Map(params.map((p) => [p, grids[p][rng.int(grids[p].length)]!] as const)));
  }
  let bestStart = current;
  for (const start of starts) {
    const startErr = evaluate(start);
    if (startErr.score < best.score) best = startErr;
    current.clear();
    for (const [p, v] of start) current.set(p, v);
    let score = startErr.score;
    let local = startErr;
    const tryLocal = (p: CalibratableParam, v: Value): void => {
      const err = evaluate(new Map(current).set(p, v));
      if (err.score >= local.score) return;
      local = err;
      current.set(p, v);
    };
    for (let r = 0; r < (options.rounds ?? 3); r++) {
      for (const p of params) for (const v of grids[p]) tryLocal(p, v);
      if (local.score === score) break;
      score = local.score;
    }
    if (local.score <= best.score) {
      best = local;
      bestStart = new Map(current);
    }
  }
  current.clear();
  for (const [p, v] of bestStart) current.set(p, v);
  // compass search over the numeric parameters together: along each axis and along each
  // pair's difference, since evaluation interval and actuation delay trade off against each
  // other (a scale-up at 840 s is 780 + 60 or 840 + 0 until the next evaluation tells)
  const numeric = params.filter((q) => NUMERIC.has(q));
  const directions: [CalibratableParam, number][][] = [];
  for (const p of numeric) directions.push([[p, 1]], [[p, -1]]);
  for (const p of numeric) {
    for (const q of numeric)
      if (p !== q)
        directions.push([
          [p, 1],
          [q, -1],
        ]);
  }
  const tryMove = (move: [CalibratableParam, number][], step: number): boolean => {
    const trial = new Map(current);
    for (const [p, sign] of move) trial.set(p, moved(p, current.get(p) as number, sign * step));
    const err = evaluate(trial);
    if (err.score >= best.score) return false;
    best = err;
    for (const [p, v] of trial) current.set(p, v);
    return true;
  };
  for (let step = 120; step >= 5; ) {
    if (!directions.some((move) => tryMove(move, step))) step /= 2;
  }

  const good = (values: Map<CalibratableParam, Value>) =>
    evaluate(values).score <= best.score * (1 + tolerance) + 1e-12;
  // trade-offs: moving two numeric parameters in opposite directions without losing the fit
  const tradeOffs = new Map<CalibratableParam, Set<string>>();
  for (const move of directions.filter((d) => d.length === 2)) {
    const fits = [30, 60, 120].some((step) => {
      const trial = new Map(current);
      for (const [p, sign] of move) trial.set(p, moved(p, current.get(p) as number, sign * step));
      return good(trial);
    });
    if (!fits) continue;
    const [[p], [q]] = move as [[CalibratableParam, number], [CalibratableParam, number]];
    tradeOffs.set(p, (tradeOffs.get(p) ?? new Set()).add(`scaler.${q}`));
    tradeOffs.set(q, (tradeOffs.get(q) ?? new Set()).add(`scaler.${p}`));
  }
  const parameters = params.map((p): CalibratedParameter => {
    const near = grids[p].filter((v) => good(new Map(current).set(p, v)));
    const tradesOffWith = [...(tradeOffs.get(p) ?? [])];
    return {
      path: `scaler.${p}`,
      before: read(sc, p),
      after: current.get(p),
      pinned: near.length < grids[p].length && tradesOffWith.length === 0,
      nearOptimal: near,
      tradesOffWith,
    };
  });
  // the calibrated run reads apart from the preset's: "case2 (on-demand-2022, calibrated): …"
  const calibrated = { ...apply(sc, current), label: qualifyLabel(sc.label, "calibrated") };
  const records = { ...base.parameters };
  for (const cp of parameters) {
    for (const path of recordPaths(cp.path)) {
      records[path] = {
        value: getPath(calibrated, path),
        basis: "calibrated",
        note: `fitted to measured run ${measured.meta.id}${cp.pinned ? "" : " (not pinned down by that run)"}`,
      };
    }
  }
  return {
    measuredId: measured.meta.id,
    policy: scaler.policy,
    parameters,
    errorBefore,
    errorAfter: best,
    simulations,
    wallMs: performance.now() - started,
    resolved: {
      scenario: calibrated,
      parameters: records,
      assumed: base.assumed.filter((a) => records[a]?.basis === "assumed"),
    },
  };
}

/** Plausible values of each parameter: AWS's documented cadences and the blog's 13–15 min. */
function gridsFor(minPollers: number, maxPollers: number): Record<CalibratableParam, Value[]> {
  const initial = [...new Set([1, 2, 5, Math.ceil(maxPollers / 2), maxPollers])]
    .filter((n) => n >= minPollers && n <= maxPollers)
    .sort((a, b) => a - b);
  return {
    evaluationIntervalSec: [60, 120, 180, 300, 600, 780, 840, 900, 960, 1200],
    initialPollers: initial,
    concurrencyPerPoller: [1, 2, 5, 10],
    scaleUp: [
      { rule: "to-max", step: 1 },
      { rule: "add", step: 1 },
      { rule: "add", step: 2 },
      { rule: "add", step: 5 },
      { rule: "multiply", step: 2 },
      { rule: "multiply", step: 1.5 },
      { rule: "to-target", step: 1, targetLagPerPollerRecords: 100 },
      { rule: "to-target", step: 1, targetLagPerPollerRecords: 1000 },
    ],
    actuationDelaySec: [0, 30, 60, 120, 180],
    "scaleDown.waitSec": [0, 60, 180, 300, 600, 900],
  };
}

/** A numeric parameter moved by `delta`, kept in its valid range (intervals stay ≥ 1 s). */
function moved(p: CalibratableParam, value: number, delta: number): number {
  return Math.max(p === "evaluationIntervalSec" ? 1 : 0, value + delta);
}

function read(sc: Scenario, p: CalibratableParam): Value {
  if (p !== "scaleUp") return getPath(sc.scaler, p) as number;
  const up = getPath(sc.scaler, "scaleUp") as Required<ScaleUpValue>;
  return up.rule === "to-target"
    ? { rule: up.rule, step: up.step, targetLagPerPollerRecords: up.targetLagPerPollerRecords }
    : { rule: up.rule, step: up.step };
}

/** A copy of the scenario with the values set, simulated at 1-minute resolution (compared by minute). */
function apply(sc: Scenario, values: Map<CalibratableParam, Value>): Scenario {
  const out = structuredClone(sc) as unknown as Record<string, unknown>;
  for (const [p, v] of values) {
    if (typeof v === "number") {
      setPath(out, `scaler.${p}`, v);
      continue;
    }
    setPath(out, "scaler.scaleUp.rule", v.rule);
    setPath(out, "scaler.scaleUp.step", v.step);
    if (v.targetLagPerPollerRecords !== undefined) {
      setPath(out, "scaler.scaleUp.targetLagPerPollerRecords", v.targetLagPerPollerRecords);
    }
  }
  setPath(out, "run.resolutionSec", 60);
  return out as unknown as Scenario;
}

function recordPaths(path: string): string[] {
  return path === "scaler.scaleUp"
    ? ["scaler.scaleUp.rule", "scaler.scaleUp.step", "scaler.scaleUp.targetLagPerPollerRecords"]
    : [path];
}
