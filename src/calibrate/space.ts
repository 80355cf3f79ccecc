/**
 * What calibration may change in a scenario's scaler, over which ranges, and how a searched
 * point becomes a scaler: the parameter space of {@link minimise}, built from the scaler types
 * so that a misspelt setting does not compile.
 *
 * Ranges are plausible bounds, not priors: AWS documents cadences of 1 minute (on demand) and
 * 15 minutes (legacy), actuation "within three minutes", at most one consumer per partition and
 * 5 concurrent invocations per provisioned poller (docs/aws-esm.md); the bounds reach well
 * beyond each. The scale-up rule is categorical: each rule is a branch of the search with its
 * own step (add k pollers, multiply by k, a target lag per poller, or none for to-max).
 */
import type { ScaleUpRule } from "../scaler/lag-scaler.js";
import type { ScalerSpec, Scenario } from "../scenario/types.js";
import { EsmlabError } from "../util/errors.js";
import type { Branch, Dimension, Point } from "./search.js";

/** A scaler of one of the lag-driven AWS presets. */
export type LagSpec = Extract<ScalerSpec, { policy: LagPolicy }>;
export type KedaSpec = Extract<ScalerSpec, { policy: "keda" }>;
type LagPolicy = "legacy-15min" | "on-demand-2022" | "on-demand-current" | "provisioned";

/** The parameters calibration can fit for the lag-driven AWS presets (paths under `scaler.`). */
export const LAG_PARAMS = [
  "evaluationIntervalSec",
  "initialPollers",
  "concurrencyPerPoller",
  "scaleUp",
  "actuationDelaySec",
  "scaleDown.waitSec",
] as const;
/** The parameters calibration can fit for the KEDA peer policy (paths under `scaler.`). */
export const KEDA_PARAMS = [
  "pollingIntervalSec",
  "lagThresholdRecords",
  "concurrencyPerPoller",
  "actuationDelaySec",
  "stabilizationWindowSec",
  "cooldownSec",
] as const;
/** Every parameter name calibration knows, for `--params`. */
export const CALIBRATABLE = [...new Set([...LAG_PARAMS, ...KEDA_PARAMS])];
export type LagParam = (typeof LAG_PARAMS)[number];
export type KedaParam = (typeof KEDA_PARAMS)[number];
export type CalibratableParam = LagParam | KedaParam;

/** One numeric parameter: its search dimension and how to read and write it. */
interface NumericParam<S> {
  readonly name: CalibratableParam;
  readonly dim: (spec: S) => Dimension;
  readonly read: (spec: S) => number;
  readonly write: (spec: S, v: number) => S;
}

const SEC = 1; // search quantum of every duration: whole seconds

/** Numeric parameters of the lag-driven presets. */
const LAG_NUMERIC: readonly NumericParam<LagSpec>[] = [
  {
    name: "evaluationIntervalSec",
    dim: () => ({ name: "evaluationIntervalSec", lo: 10, hi: 1800, quantum: SEC }),
    read: (s) => s.evaluationIntervalSec,
    write: (s, v) => ({ ...s, evaluationIntervalSec: v }),
  },
  {
    name: "actuationDelaySec",
    dim: () => ({ name: "actuationDelaySec", lo: 0, hi: 300, quantum: SEC }),
    read: (s) => s.actuationDelaySec,
    write: (s, v) => ({ ...s, actuationDelaySec: v }),
  },
  {
    name: "initialPollers",
    dim: (s) => ({ name: "initialPollers", lo: s.minPollers, hi: s.maxPollers, quantum: 1 }),
    read: (s) => s.initialPollers,
    write: (s, v) => ({ ...s, initialPollers: v }),
  },
  {
    name: "concurrencyPerPoller",
    dim: () => ({ name: "concurrencyPerPoller", lo: 1, hi: 10, quantum: 1 }),
    read: (s) => s.concurrencyPerPoller,
    write: (s, v) => ({ ...s, concurrencyPerPoller: v }),
  },
  {
    name: "scaleDown.waitSec",
    dim: () => ({ name: "scaleDown.waitSec", lo: 0, hi: 1800, quantum: SEC }),
    read: (s) => s.scaleDown.waitSec,
    write: (s, v) => ({ ...s, scaleDown: { ...s.scaleDown, waitSec: v } }),
  },
];

/** Numeric parameters of the KEDA peer policy. */
const KEDA_NUMERIC: readonly NumericParam<KedaSpec>[] = [
  {
    name: "pollingIntervalSec",
    dim: () => ({ name: "pollingIntervalSec", lo: 5, hi: 300, quantum: SEC }),
    read: (s) => s.pollingIntervalSec,
    // the resolved scaler keeps both names of the cadence (resolve.ts)
    write: (s, v) => ({ ...s, pollingIntervalSec: v, evaluationIntervalSec: v }),
  },
  {
    name: "lagThresholdRecords",
    dim: () => ({ name: "lagThresholdRecords", lo: 1, hi: 100_000, log: true, quantum: 0.05 }),
    read: (s) => s.lagThresholdRecords,
    write: (s, v) => ({ ...s, lagThresholdRecords: v }),
  },
  {
    name: "concurrencyPerPoller",
    dim: () => ({ name: "concurrencyPerPoller", lo: 1, hi: 10, quantum: 1 }),
    read: (s) => s.concurrencyPerPoller,
    write: (s, v) => ({ ...s, concurrencyPerPoller: v }),
  },
  {
    name: "actuationDelaySec",
    dim: () => ({ name: "actuationDelaySec", lo: 0, hi: 300, quantum: SEC }),
    read: (s) => s.actuationDelaySec,
    write: (s, v) => ({ ...s, actuationDelaySec: v }),
  },
  {
    name: "stabilizationWindowSec",
    dim: () => ({ name: "stabilizationWindowSec", lo: 0, hi: 1800, quantum: SEC }),
    read: (s) => s.stabilizationWindowSec,
    write: (s, v) => ({ ...s, stabilizationWindowSec: v }),
  },
  {
    name: "cooldownSec",
    dim: () => ({ name: "cooldownSec", lo: 0, hi: 1800, quantum: SEC }),
    read: (s) => s.cooldownSec,
    write: (s, v) => ({ ...s, cooldownSec: v }),
  },
];

/** The scale-up rules and the step each one has (none for to-max). */
const RULE_STEP: Readonly<Record<ScaleUpRule, NumericParam<LagSpec> | null>> = {
  "to-max": null,
  add: {
    name: "scaleUp",
    dim: (s) => ({ name: "scaleUp.step", lo: 1, hi: Math.max(1, s.maxPollers), quantum: 1 }),
    read: (s) => s.scaleUp.step,
    write: (s, v) => ({ ...s, scaleUp: { ...s.scaleUp, rule: "add", step: v } }),
  },
  multiply: {
    name: "scaleUp",
    dim: () => ({ name: "scaleUp.step", lo: 1.1, hi: 4, quantum: 0.05 }),
    read: (s) => s.scaleUp.step,
    write: (s, v) => ({ ...s, scaleUp: { ...s.scaleUp, rule: "multiply", step: v } }),
  },
  "to-target": {
    name: "scaleUp",
    dim: () => ({
      name: "scaleUp.targetLagPerPollerRecords",
      lo: 1,
      hi: 100_000,
      log: true,
      quantum: 0.05,
    }),
    read: (s) => s.scaleUp.targetLagPerPollerRecords,
    write: (s, v) => ({
      ...s,
      scaleUp: { ...s.scaleUp, rule: "to-target", targetLagPerPollerRecords: v },
    }),
  },
};
const RULES = Object.keys(RULE_STEP) as ScaleUpRule[];

/** One fitted parameter's value as reported: a number, or the scale-up rule with its step. */
export type ParamValue = number | ScaleUpValue;
export interface ScaleUpValue {
  readonly rule: ScaleUpRule;
  readonly step?: number;
  readonly targetLagPerPollerRecords?: number;
}

/**
 * The search space of one calibration: its branches (one per scale-up rule when the rule is
 * fitted, else one), and the mapping from a point back to a scaler.
 */
export interface ParameterSpace {
  readonly policy: ScalerSpec["policy"];
  readonly params: readonly CalibratableParam[];
  readonly branches: readonly Branch[];
  /** The scaler at a point of the space. */
  apply(point: Point): ScalerSpec;
  /** The reported value of each fitted parameter at a point. */
  values(point: Point): Readonly<Partial<Record<CalibratableParam, ParamValue>>>;
  /** The value of each fitted parameter in a scaler. */
  read(spec: ScalerSpec): Readonly<Partial<Record<CalibratableParam, ParamValue>>>;
  /** The point of a scaler (the preset's own values), in the branch of its rule. */
  pointOf(spec: ScalerSpec): Point;
  /** Which fitted parameter each dimension of a branch belongs to. */
  paramOfDim(branch: number, dim: number): CalibratableParam;
  /**
   * `point` moved to `value` on dimension `dim`, with the dimensions that CloudWatch cannot
   * tell apart from it moved to keep what it shows: concurrency is pollers × invocations per
   * poller, so fixing one rescales the other, and the scale-up step with them where it is
   * counted in pollers (`add` k pollers, `to-target` lag per poller).
   */
  moveTo(point: Point, dim: number, value: number): Point;
}

/**
 * The parameter space of `base`'s scaler.
 * @param params the parameters to fit (default: all of the policy's)
 * @throws EsmlabError for the fixed policy (nothing to fit) or a parameter the policy lacks
 */
export function parameterSpace(
  base: ScalerSpec,
  params?: readonly CalibratableParam[],
  hints: DataHints | null = null,
): ParameterSpace {
  if (base.policy === "fixed") {
    throw new EsmlabError(
      "cannot calibrate policy fixed: it has no scaling rule to fit (use an AWS preset or keda)",
    );
  }
  if (base.policy === "keda") return kedaSpace(base, params ?? KEDA_PARAMS);
  return lagSpace(base, params ?? LAG_PARAMS, hints);
}

/**
 * What a measured run's concurrency shows at a glance, to seed the search near plausible
 * values (moment estimates as starting points: the search still covers the whole space).
 */
export interface DataHints {
  /** Seconds between successive rises of per-minute concurrency (each a multiple of 60). */
  readonly risesSec: readonly number[];
  /** Concurrency of the first active minutes (their median). */
  readonly firstLevel: number;
  /** Rise of concurrency at each step, in order. */
  readonly stepSizes: readonly number[];
}

/** {@link DataHints} of per-minute concurrency (values from the first active minute on). */
export function dataHints(concurrency: readonly number[]): DataHints {
  const first = concurrency.findIndex((v) => v > 0);
  if (first < 0) return { risesSec: [], firstLevel: 0, stepSizes: [] };
  const v = concurrency.slice(first);
  const head = [...v.slice(0, 3)].sort((a, b) => a - b);
  const risesSec: number[] = [];
  const stepSizes: number[] = [];
  for (let m = 1; m < v.length; m++) {
    if (v[m]! > v[m - 1]!) {
      risesSec.push(m * 60);
      stepSizes.push(v[m]! - v[m - 1]!);
    }
  }
  return { risesSec, firstLevel: head[head.length >> 1] ?? 0, stepSizes };
}

/**
 * Starting points of the lag scaler's numeric parameters and the rule's step suggested by the
 * hints: evaluation intervals from the gaps between rises, actuation delays that put the first
 * scale-up in its minute, and the splits of the first level into pollers × invocations each.
 */
function lagStarts(
  base: LagSpec,
  numeric: readonly NumericParam<LagSpec>[],
  rule: ScaleUpRule | null,
  hints: DataHints,
): number[][] {
  const rises = hints.risesSec;
  if (rises.length === 0 || hints.firstLevel <= 0) return [];
  const gaps = rises.slice(1).map((t, i) => t - rises[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const intervals = [...new Set([median, sorted[0], rises[0]].filter((x) => x !== undefined))]
    .map((x) => x as number)
    .slice(0, 3);
  const splits: [number, number][] = [];
  for (let c = 1; c <= 10; c++) {
    const initial = hints.firstLevel / c;
    if (Number.isInteger(initial) && initial >= base.minPollers && initial <= base.maxPollers) {
      splits.push([initial, c]);
    }
  }
  const out: number[][] = [];
  for (const e of intervals) {
    for (const [initial, c] of splits.slice(0, 4)) {
      for (const lead of [0, 30]) {
        const delay = Math.min(300, Math.max(0, rises[0]! - e - lead));
        const step0 = hints.stepSizes[0] ?? c;
        const values: Record<string, number> = {
          evaluationIntervalSec: Math.max(10, e),
          actuationDelaySec: delay,
          initialPollers: initial,
          concurrencyPerPoller: c,
          "scaleDown.waitSec": base.scaleDown.waitSec,
        };
        const x = numeric.map((p) => values[p.name] ?? p.read(base));
        if (rule === "add") x.push(Math.max(1, Math.round(step0 / c)));
        else if (rule === "multiply")
          x.push(Math.min(4, Math.max(1.1, 1 + step0 / hints.firstLevel)));
        else if (rule === "to-target") x.push(base.scaleUp.targetLagPerPollerRecords);
        out.push(x);
      }
    }
  }
  return out;
}

function checkParams(
  policy: string,
  wanted: readonly CalibratableParam[],
  known: readonly string[],
): void {
  for (const p of wanted) {
    if (!known.includes(p)) {
      throw new EsmlabError(
        `cannot calibrate scaler.${p} for policy ${policy}: its parameters are ${known.join(", ")}`,
      );
    }
  }
}

function lagSpace(
  base: LagSpec,
  params: readonly CalibratableParam[],
  hints: DataHints | null,
): ParameterSpace {
  checkParams(base.policy, params, LAG_PARAMS);
  const numeric = LAG_NUMERIC.filter((p) => params.includes(p.name));
  const rules: (ScaleUpRule | null)[] = params.includes("scaleUp") ? RULES : [null];
  const stepOf = (rule: ScaleUpRule | null) => (rule === null ? null : RULE_STEP[rule]);
  const branches: Branch[] = rules.map((rule) => {
    const step = stepOf(rule);
    const dims = [...numeric.map((p) => p.dim(base)), ...(step ? [step.dim(base)] : [])];
    const onRule = rule === null || rule === base.scaleUp.rule;
    const start = [...numeric.map((p) => p.read(base)), ...(step ? [step.read(base)] : [])];
    const fromData = hints ? lagStarts(base, numeric, rule, hints) : [];
    return { name: rule ?? "scaler", dims, starts: [...(onRule ? [start] : []), ...fromData] };
  });
  const branchDims = (b: number) => branches[b]!.dims;
  const apply = (point: Point): LagSpec => {
    let spec: LagSpec = base;
    numeric.forEach((p, i) => {
      spec = p.write(spec, point.x[i]!);
    });
    const rule = rules[point.branch] ?? null;
    if (rule !== null) {
      const step = stepOf(rule);
      spec = step
        ? step.write(spec, point.x[numeric.length]!)
        : { ...spec, scaleUp: { ...spec.scaleUp, rule } };
    }
    return spec;
  };
  const read = (spec: LagSpec) => {
    const out: Partial<Record<CalibratableParam, ParamValue>> = {};
    for (const p of numeric) out[p.name] = p.read(spec);
    if (params.includes("scaleUp")) out.scaleUp = scaleUpValue(spec);
    return out;
  };
  return {
    policy: base.policy,
    params,
    branches,
    apply,
    values: (point) => read(apply(point)),
    read: (spec) => read(spec as LagSpec),
    pointOf(spec) {
      const s = spec as LagSpec;
      const branch = Math.max(0, rules.indexOf(params.includes("scaleUp") ? s.scaleUp.rule : null));
      const step = stepOf(rules[branch] ?? null);
      return { branch, x: [...numeric.map((p) => p.read(s)), ...(step ? [step.read(s)] : [])] };
    },
    paramOfDim: (_branch, dim) => numeric[dim]?.name ?? "scaleUp",
    moveTo(point, dim, value) {
      const x = [...point.x];
      const old = x[dim]!;
      x[dim] = value;
      const at = (name: CalibratableParam) => numeric.findIndex((p) => p.name === name);
      const pollers = at("initialPollers");
      const perPoller = at("concurrencyPerPoller");
      const other = dim === pollers ? perPoller : dim === perPoller ? pollers : -1;
      if (other >= 0 && value > 0) {
        const d = branchDims(point.branch)[other]!;
        const kept = Math.round((old * x[other]!) / value);
        x[other] = Math.min(d.hi, Math.max(d.lo, kept));
        // the rule's step kept in concurrency: `add` k pollers adds k × per-poller
        // concurrency, `to-target` wants ⌈lag / target⌉ pollers of per-poller concurrency
        // each (`multiply` scales concurrency whatever the split)
        const perBefore = point.x[perPoller]!;
        const perAfter = x[perPoller]!;
        const stepAt = numeric.length;
        const rule = rules[point.branch];
        if (perAfter !== perBefore && perAfter > 0 && x[stepAt] !== undefined) {
          const sd = branchDims(point.branch)[stepAt]!;
          const clamp = (v: number) => Math.min(sd.hi, Math.max(sd.lo, v));
          if (rule === "add") x[stepAt] = clamp(Math.round((x[stepAt]! * perBefore) / perAfter));
          if (rule === "to-target") x[stepAt] = clamp((x[stepAt]! * perAfter) / perBefore);
        }
      }
      return { branch: point.branch, x };
    },
  };
}

function kedaSpace(base: KedaSpec, params: readonly CalibratableParam[]): ParameterSpace {
  checkParams("keda", params, KEDA_PARAMS);
  const numeric = KEDA_NUMERIC.filter((p) => params.includes(p.name));
  const apply = (point: Point): KedaSpec => {
    let spec: KedaSpec = base;
    numeric.forEach((p, i) => {
      spec = p.write(spec, point.x[i]!);
    });
    return spec;
  };
  const read = (spec: KedaSpec) => {
    const out: Partial<Record<CalibratableParam, ParamValue>> = {};
    for (const p of numeric) out[p.name] = p.read(spec);
    return out;
  };
  return {
    policy: "keda",
    params,
    branches: [
      {
        name: "keda",
        dims: numeric.map((p) => p.dim(base)),
        starts: [numeric.map((p) => p.read(base))],
      },
    ],
    apply,
    values: (point) => read(apply(point)),
    read: (spec) => read(spec as KedaSpec),
    pointOf: (spec) => ({ branch: 0, x: numeric.map((p) => p.read(spec as KedaSpec)) }),
    paramOfDim: (_branch, dim) => numeric[dim]!.name,
    moveTo(point, dim, value) {
      const x = [...point.x];
      x[dim] = value;
      return { branch: point.branch, x };
    },
  };
}

/** The scale-up setting as reported: the rule and the step that rule uses. */
function scaleUpValue(s: LagSpec): ScaleUpValue {
  const { rule, step, targetLagPerPollerRecords } = s.scaleUp;
  if (rule === "to-target") return { rule, targetLagPerPollerRecords };
  if (rule === "to-max") return { rule };
  return { rule, step };
}

/** `sc` with another scaler, simulated at 1-minute resolution (runs are compared by minute). */
export function withScaler(sc: Scenario, scaler: ScalerSpec): Scenario {
  return { ...sc, scaler, run: { ...sc.run, resolutionSec: 60 } };
}
