import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type KedaSettings, kedaEvaluationIntervalSec, kedaScaler } from "../../src/scaler/keda.js";
import type { ScalerObservation, ScalerPolicy } from "../../src/scaler/policy.js";
import { POLICY_DEFAULTS } from "../../src/scaler/presets.js";

/**
 * KEDA and Kubernetes defaults, from their documentation (docs/aws-esm.md, "KEDA and the HPA"):
 * Kafka scaler lagThreshold 10, activationLagThreshold 0, offsetResetPolicy latest,
 * scaleToZeroOnInvalidOffset false; ScaledObject pollingInterval 30 s, cooldownPeriod 300 s,
 * minReplicaCount 0, maxReplicaCount 100; HPA sync period 15 s, tolerance 0.1, scale-down
 * stabilisation window 300 s, default scale-up policy "4 pods or 100 %, whichever is more, per
 * 15 s".
 */
function kedaDefaults(partitions: number, over: Partial<KedaSettings> = {}): KedaSettings {
  return {
    pollingIntervalSec: 30,
    hpaSyncPeriodSec: 15,
    actuationDelaySec: 10,
    lagThresholdRecords: 10,
    activationLagThresholdRecords: 0,
    offsetResetPolicy: "latest",
    scaleToZeroOnInvalidOffset: false,
    minReplicas: 0,
    maxReplicas: Math.min(100, partitions),
    tolerance: 0.1,
    stabilizationWindowSec: 300,
    cooldownSec: 300,
    scaleUpPods: 4,
    scaleUpPercent: 100,
    scaleUpPeriodSec: 15,
    ...over,
  };
}

function observe(
  nowSec: number,
  lagRecords: number,
  pollers: number,
  partitions: number,
  commits: { without: number; lag: number } = { without: 0, lag: 0 },
): ScalerObservation {
  return {
    nowSec,
    lagRecords,
    previousLagRecords: lagRecords,
    pollers,
    partitions,
    throttlesSinceLast: 0,
    partitionsWithoutCommit: commits.without,
    lagWithoutCommitRecords: commits.lag,
  };
}

/**
 * Feed the policy one lag per evaluation (every `policy.evaluationIntervalSec`, from one
 * interval on, as the simulator does), applying each decision at once.
 */
function run(policy: ScalerPolicy, partitions: number, lags: readonly number[], pollers = 0) {
  const out: { t: number; pollers: number }[] = [];
  let n = pollers;
  const step = policy.evaluationIntervalSec;
  lags.forEach((lag, i) => {
    const t = (i + 1) * step;
    n = policy.evaluate(observe(t, lag, n, partitions)).pollers;
    out.push({ t, pollers: n });
  });
  return out;
}

/** The same lag `count` times. */
const repeat = (lag: number, count: number): number[] => new Array<number>(count).fill(lag);

/** HPA's default scale-up limit over one 15 s period: max(current + 4, 2 × current). */
const hpaStep = (current: number): number => Math.max(current + 4, 2 * current);

/** ⌈min(lag, partitions × threshold) / threshold⌉, the KEDA Kafka scaler's replica count. */
const kedaDesired = (lag: number, partitions: number, threshold: number): number =>
  Math.ceil(Math.min(lag, partitions * threshold) / threshold);

describe("kedaScaler", () => {
  it("evaluates on the HPA's 15 s sync period and starts at minReplicaCount", () => {
    const p = kedaScaler(kedaDefaults(10), 10);
    expect(p.name).toBe("keda");
    expect(p.evaluationIntervalSec).toBe(15);
    expect(p.actuationDelaySec).toBe(10);
    expect([p.initialPollers, p.minPollers, p.maxPollers]).toEqual([0, 0, 10]);
    expect(p.observesCommits).toBe(true);
  });

  it("ticks on the greatest common divisor of pollingInterval and the sync period", () => {
    const g = (pollingIntervalSec: number, hpaSyncPeriodSec: number) =>
      kedaEvaluationIntervalSec({ pollingIntervalSec, hpaSyncPeriodSec });
    expect(g(30, 15)).toBe(15);
    expect(g(15, 15)).toBe(15);
    expect(g(60, 15)).toBe(15);
    expect(g(5, 15)).toBe(5);
    expect(g(10, 15)).toBe(5);
    expect(g(20, 15)).toBe(5);
    expect(g(0.5, 15)).toBe(0.5);
    expect(g(30, 60)).toBe(30);
    expect(kedaScaler(kedaDefaults(10, { pollingIntervalSec: 10 }), 10).evaluationIntervalSec).toBe(
      5,
    );
  });

  it("matches the keda preset's documented defaults", () => {
    const table = POLICY_DEFAULTS.keda;
    const value = (key: string) => table[key]?.value;
    const d = kedaDefaults(200);
    expect(value("evaluationIntervalSec")).toBe(d.pollingIntervalSec);
    expect(value("hpaSyncPeriodSec")).toBe(d.hpaSyncPeriodSec);
    expect(value("lagThresholdRecords")).toBe(d.lagThresholdRecords);
    expect(value("activationLagThresholdRecords")).toBe(d.activationLagThresholdRecords);
    expect(value("offsetResetPolicy")).toBe(d.offsetResetPolicy);
    expect(value("scaleToZeroOnInvalidOffset")).toBe(d.scaleToZeroOnInvalidOffset);
    expect(value("tolerance")).toBe(d.tolerance);
    expect(value("minPollers")).toBe(d.minReplicas);
    expect(value("maxPollers")).toBe(100);
    expect(value("stabilizationWindowSec")).toBe(d.stabilizationWindowSec);
    expect(value("cooldownSec")).toBe(d.cooldownSec);
    expect(value("scaleUpPods")).toBe(d.scaleUpPods);
    expect(value("scaleUpPercent")).toBe(d.scaleUpPercent);
    expect(value("scaleUpPeriodSec")).toBe(d.scaleUpPeriodSec);
    for (const key of ["hpaSyncPeriodSec", "tolerance", "offsetResetPolicy"]) {
      expect(table[key]?.basis, key).toBe("documented");
    }
  });

  it("wants ⌈min(lag, partitions × lagThreshold) / lagThreshold⌉ replicas, capped at max", () => {
    // from one replica (KEDA activates a target at zero to one, then the HPA scales), with the
    // scale-up rate limit lifted, so one HPA sync reaches the wanted count
    const want = (lag: number, partitions: number) =>
      kedaScaler(kedaDefaults(partitions, { scaleUpPods: 1e9 }), partitions).evaluate(
        observe(15, lag, 1, partitions),
      ).pollers;
    // lag 11: 11 / (10 × 1) = 1.1, and |1 − 1.1| is 0.10000000000000009 in floating point, as in
    // the HPA's Go: just past the tolerance
    expect([1, 10, 11, 95, 100, 101, 1e6].map((lag) => want(lag, 10))).toEqual([
      1, 1, 2, 10, 10, 10, 10,
    ]);
    expect(want(505, 200)).toBe(51);
    expect(want(1e6, 200)).toBe(100); // maxReplicaCount 100 below 200 partitions
    expect(want(1e6, 3)).toBe(3); // never above the partition count
  });

  it("follows the KEDA formula and the HPA tolerance for any lag, replica count and threshold", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        (lag, partitions, threshold, maxReplicas, currentRaw) => {
          const max = Math.min(maxReplicas, partitions);
          const current = Math.min(currentRaw, max);
          const policy = kedaScaler(
            kedaDefaults(partitions, {
              lagThresholdRecords: threshold,
              maxReplicas: max,
              minReplicas: 1, // keep KEDA's deactivation out of it
              scaleUpPods: 1e9,
            }),
            partitions,
          );
          const got = policy.evaluate(observe(15, lag, current, partitions)).pollers;
          const metric = Math.min(lag, partitions * threshold);
          const within = Math.abs(1 - metric / (threshold * current)) <= 0.1;
          // a fresh scaler has no earlier recommendation to hold a scale-down up
          const want = within
            ? current
            : Math.min(Math.max(1, kedaDesired(lag, partitions, threshold)), max);
          expect(got).toBe(want);
        },
      ),
    );
  });

  it("keeps the replica count while desired / current is within the 10 % tolerance", () => {
    // Kubernetes replica_calculator.go: usageRatio = metric / (target × current); no change
    // while |1 − usageRatio| ≤ tolerance
    const at = (lag: number, tolerance = 0.1) =>
      kedaScaler(kedaDefaults(100, { tolerance }), 100).evaluate(observe(15, lag, 20, 100)).pollers;
    expect(at(215)).toBe(20); // 1.075: would be ⌈21.5⌉ = 22
    expect(at(185)).toBe(20); // 0.925: would be 19
    expect(at(180)).toBe(20); // 0.9: on the edge, kept
    expect(at(225)).toBe(23); // 1.125: outside
    expect(at(175)).toBe(18); // 0.875: outside
    expect(at(215, 0)).toBe(22);
    expect(at(185, 0)).toBe(19);
    const reason = kedaScaler(kedaDefaults(100), 100).evaluate(observe(15, 215, 20, 100)).reason;
    expect(reason).toMatch(/215\/\(10×20\) within 0\.1 of 1: keep 20/);
  });

  it("activates only on KEDA's 30 s polls; the HPA takes over on its 15 s syncs", () => {
    // KEDA (pkg/scaling/executor/scale_scaledobjects.go): at zero replicas with an active
    // trigger it scales to max(minReplicaCount, 1); the HPA does nothing at zero replicas
    const partitions = 10;
    const steps = run(kedaScaler(kedaDefaults(partitions), partitions), partitions, [25, 25, 25]);
    expect(steps).toEqual([
      { t: 15, pollers: 0 }, // an HPA sync, not a KEDA poll
      { t: 30, pollers: 1 }, // KEDA activates
      { t: 45, pollers: 3 }, // the HPA: ⌈25 / 10⌉
    ]);
  });

  it("scales up by at most max(current + 4, 2 × current) per 15 s sync: 1 → 5 → 10 → … → 100", () => {
    const partitions = 200;
    const steps = run(
      kedaScaler(kedaDefaults(partitions), partitions),
      partitions,
      repeat(1e6, 7),
      1,
    );
    expect(steps.map((s) => s.pollers)).toEqual([5, 10, 20, 40, 80, 100, 100]);
  });

  it("limits a scale-up per scaleUpPeriodSec whatever the sync period", () => {
    // Kubernetes horizontal.go: the limit counts from the replicas at the start of the period,
    // the HPA's own changes within the last periodSeconds undone
    const partitions = 200;
    const fast = kedaScaler(kedaDefaults(partitions, { hpaSyncPeriodSec: 5 }), partitions);
    expect(fast.evaluationIntervalSec).toBe(5);
    const steps = run(fast, partitions, repeat(1e6, 9), 1);
    // t = 5: 1 → 5; t = 10, 15: the +4 of t = 5 is within 15 s: still 5 from a start of 1;
    // t = 20: the change of t = 5 is exactly 15 s old and no longer counts: 5 → 10
    expect(steps.map((s) => s.pollers)).toEqual([5, 5, 5, 10, 10, 10, 20, 20, 20]);
    const slow = kedaScaler(
      kedaDefaults(partitions, { hpaSyncPeriodSec: 60, pollingIntervalSec: 30 }),
      partitions,
    );
    expect(slow.evaluationIntervalSec).toBe(30);
    // a sync every 60 s: one step per sync, not compounded over the periods in between
    expect(run(slow, partitions, repeat(1e6, 6), 1).map((s) => s.pollers)).toEqual([
      1, 5, 5, 10, 10, 20,
    ]);
  });

  it("scales down only when no recommendation of the last 300 s is higher", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    // t = 15: lag 1000 → 10 replicas; from t = 30 on: lag 20 → 2 wanted
    const steps = run(policy, partitions, [1000, ...repeat(20, 24)], 10);
    for (const s of steps) {
      if (s.t < 315) expect(s.pollers, `t = ${s.t}`).toBe(10);
      else expect(s.pollers, `t = ${s.t}`).toBe(2);
    }
  });

  it("scales down to the highest recommendation left in the window, not the latest", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    const at = (t: number, lag: number, pollers: number) =>
      policy.evaluate(observe(t, lag, pollers, partitions)).pollers;
    expect(at(15, 1000, 10)).toBe(10); // wants 10
    expect(at(45, 50, 10)).toBe(10); // wants 5
    for (let t = 60; t <= 300; t += 15) expect(at(t, 20, 10)).toBe(10); // wants 2
    expect(at(315, 20, 10)).toBe(5); // the 10 of t = 15 has left the window, the 5 of t = 45 not
    expect(at(345, 20, 5)).toBe(2);
  });

  it("drops a recommendation exactly 300 s old from the window, as the HPA does", () => {
    // Kubernetes pkg/controller/podautoscaler/horizontal.go, stabilizeRecommendationWithBehaviors:
    // a recommendation counts when rec.timestamp.After(now − stabilizationWindow), strictly. At
    // t = 315 the 10 wanted at t = 15 is exactly 300 s old and no longer counts: down to 2.
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    const steps = run(policy, partitions, [1000, ...repeat(20, 20)], 10);
    expect(steps.find((s) => s.t === 300)?.pollers).toBe(10);
    expect(steps.find((s) => s.t === 315)?.pollers).toBe(2);
  });

  it("keeps at least one replica until the cooldown after the last active poll, then scales to zero", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    // active at the poll of t = 30 (lag 100), idle (lag 0) from t = 45: KEDA deactivates at
    // its first poll more than 300 s after t = 30, t = 360
    const steps = run(policy, partitions, [100, 100, ...repeat(0, 30)], 1);
    expect(steps[1]!.pollers).toBe(10); // 1 → 5 → 10 = ⌈100 / 10⌉
    for (const s of steps) {
      if (s.t < 360) expect(s.pollers, `t = ${s.t}`).toBeGreaterThanOrEqual(1);
      else expect(s.pollers, `t = ${s.t}`).toBe(0);
    }
  });

  it("counts lag at or below activationLagThreshold as idle: to zero after the cooldown", () => {
    const partitions = 10;
    const policy = kedaScaler(
      kedaDefaults(partitions, { activationLagThresholdRecords: 50 }),
      partitions,
    );
    const steps = run(policy, partitions, [100, 100, ...repeat(30, 30)], 10);
    for (const s of steps) {
      if (s.t < 360) expect(s.pollers, `t = ${s.t}`).toBeGreaterThanOrEqual(3);
      else expect(s.pollers, `t = ${s.t}`).toBe(0);
    }
  });

  it("never scales to zero while lag stays above the activation threshold", () => {
    const partitions = 10;
    const steps = run(
      kedaScaler(kedaDefaults(partitions), partitions),
      partitions,
      repeat(5, 120),
      1,
    );
    expect(steps.every((s) => s.pollers === 1)).toBe(true);
  });

  describe("cooldownPeriod governs only scaling to zero (kedacore/keda#1983)", () => {
    // Observed in kedacore/keda#1983: cooldownPeriod 30 s, yet N > 1 replicas scaled down about
    // 300 s after lag fell: between 1 and N replicas the HPA decides, and its scale-down waits
    // for the 300 s stabilisation window; KEDA's cooldown only takes an idle target to zero.
    const partitions = 20;
    const settings = kedaDefaults(partitions, { cooldownSec: 30 });

    /** Replicas from t = 15 every 15 s: lag `high` up to `fallSec`, then `low`. */
    const scenario = (over: Partial<KedaSettings>, high: number, low: number, fallSec: number) => {
      const policy = kedaScaler({ ...settings, ...over }, partitions);
      const lags = Array.from({ length: 60 }, (_, i) => ((i + 1) * 15 <= fallSec ? high : low));
      return run(policy, partitions, lags, 1);
    };
    const firstBelow = (steps: { t: number; pollers: number }[], n: number, after: number) =>
      steps.find((s) => s.t > after && s.pollers < n)?.t;

    it("lag falls but stays active: N → fewer about 300 s later, not 30 s", () => {
      // lag 1000 → 20 replicas by t = 45; from t = 120 on lag 50 (still active) → 5 wanted
      const steps = scenario({}, 1000, 50, 105);
      expect(steps.find((s) => s.t === 105)?.pollers).toBe(20);
      const down = firstBelow(steps, 20, 105)!;
      // the last recommendation of 20 is at t = 105: it leaves the window at t = 405
      expect(down).toBe(405);
      expect(down - 105).toBeGreaterThanOrEqual(300);
      expect(steps.find((s) => s.t === down)?.pollers).toBe(5);
      expect(steps.every((s) => s.pollers > 0)).toBe(true);
    });

    it("lag falls to zero with minReplicaCount 1: N → 1 after 300 s, never to zero", () => {
      const steps = scenario({ minReplicas: 1 }, 1000, 0, 105);
      expect(firstBelow(steps, 20, 105)).toBe(405);
      expect(steps.at(-1)?.pollers).toBe(1);
      expect(steps.every((s) => s.pollers >= 1)).toBe(true);
    });

    it("lag falls to zero with minReplicaCount 0: the cooldown takes N straight to zero", () => {
      // pkg/scaling/executor/scale_scaledobjects.go: an inactive trigger with minReplicaCount 0
      // scales the target to zero from any count once the cooldown has passed since it was last
      // active (last active at the poll of t = 90; first poll more than 30 s later: t = 150)
      const steps = scenario({}, 1000, 0, 105);
      expect(steps.find((s) => s.t === 135)?.pollers).toBe(20);
      expect(steps.find((s) => s.t === 150)?.pollers).toBe(0);
    });
  });

  describe("a partition without a committed offset", () => {
    // kedacore/keda pkg/scalers/kafka_scaler.go, getLagForPartition: an invalid (uncommitted)
    // consumer offset counts as lag 1 under offsetResetPolicy latest (0 with
    // scaleToZeroOnInvalidOffset), the partition's latest offset under earliest
    const partitions = 10;
    const sync = (over: Partial<KedaSettings>, lag: number, without: number, lagWithout: number) =>
      kedaScaler(
        kedaDefaults(partitions, { scaleUpPods: 1e9, minReplicas: 1, ...over }),
        partitions,
      ).evaluate(observe(15, lag, 1, partitions, { without, lag: lagWithout }));

    it("counts as lag 1 under latest, whatever it holds", () => {
      // 500 records, all on 10 partitions nobody committed on: KEDA sees 10 → one replica
      const d = sync({}, 500, 10, 500);
      expect(d.pollers).toBe(1);
      expect(d.reason).toMatch(/lag 10 \(10 partitions without a committed offset counted as 1\)/);
      // 3 of them hold 200 of 500: KEDA sees 300 + 3
      expect(sync({}, 500, 3, 200).reason).toMatch(/^lag 303 /);
      expect(sync({}, 500, 3, 200).pollers).toBe(10);
      // no partition without a commit: the real lag
      expect(sync({}, 500, 0, 0).pollers).toBe(10);
    });

    it("counts as 0 with scaleToZeroOnInvalidOffset, as its whole log under earliest", () => {
      expect(sync({ scaleToZeroOnInvalidOffset: true }, 500, 3, 200).reason).toMatch(/^lag 300 /);
      expect(sync({ offsetResetPolicy: "earliest" }, 500, 3, 200).reason).toMatch(/^lag 500 /);
      expect(
        sync({ offsetResetPolicy: "earliest", scaleToZeroOnInvalidOffset: true }, 500, 3, 200)
          .reason,
      ).toMatch(/^lag 300 /);
    });

    it("activates an empty topic nobody committed on and never lets it go to zero (kedacore/keda#2033)", () => {
      const idle = (over: Partial<KedaSettings>) => {
        const policy = kedaScaler(kedaDefaults(partitions, over), partitions);
        let n = 0;
        const seen: number[] = [];
        for (let t = 15; t <= 3000; t += 15) {
          n = policy.evaluate(
            observe(t, 0, n, partitions, { without: partitions, lag: 0 }),
          ).pollers;
          seen.push(n);
        }
        return seen;
      };
      const latest = idle({});
      expect(latest[1]).toBe(1); // activated at the first poll, t = 30
      expect(latest.slice(1).every((n) => n === 1)).toBe(true); // lag 10: one replica for ever
      expect(idle({ scaleToZeroOnInvalidOffset: true }).every((n) => n === 0)).toBe(true);
    });

    it("is at rest where KEDA and the HPA would stay", () => {
      const rest = (pollers: number, without: number, over: Partial<KedaSettings> = {}) =>
        kedaScaler(kedaDefaults(partitions, over), partitions).atRest!(
          observe(100, 0, pollers, partitions, { without, lag: 0 }),
        );
      // drained, every partition committed: KEDA deactivates, at rest at zero only
      expect([rest(0, 0), rest(1, 0), rest(3, 0)]).toEqual([true, false, false]);
      // 5 partitions never committed: lag 5 → active; the HPA holds one replica
      expect([rest(0, 5), rest(1, 5), rest(2, 5)]).toEqual([false, true, false]);
      // 19 partitions of 20 never committed: ⌈19 / 10⌉ = 2 replicas for ever
      const many = kedaScaler(kedaDefaults(20), 20);
      const r = (n: number) => many.atRest!(observe(100, 0, n, 20, { without: 19, lag: 0 }));
      expect([r(1), r(2), r(3)]).toEqual([false, true, false]);
      // minReplicaCount 2: the HPA's floor, with or without lag
      expect([rest(2, 0, { minReplicas: 2 }), rest(3, 0, { minReplicas: 2 })]).toEqual([
        true,
        false,
      ]);
      expect(rest(0, 5, { scaleToZeroOnInvalidOffset: true })).toBe(true);
    });
  });

  it("stays at zero replicas while lag has never exceeded the activation threshold", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    expect(run(policy, partitions, repeat(0, 40)).every((s) => s.pollers === 0)).toBe(true);
  });

  it("stays at zero replicas while lag is at or below activationLagThreshold", () => {
    const partitions = 10;
    const policy = kedaScaler(
      kedaDefaults(partitions, { activationLagThresholdRecords: 50 }),
      partitions,
    );
    expect(policy.evaluate(observe(30, 30, 0, partitions)).pollers).toBe(0);
    expect(policy.evaluate(observe(60, 51, 0, partitions)).pollers).toBe(1);
  });

  it("stays at zero while idle and activates to one replica when lag exceeds the activation threshold", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    // idle up to t = 360, lag 25 from t = 375 (a sync only), KEDA's poll at t = 390
    const steps = run(policy, partitions, [...repeat(0, 24), 25, 25, 25]);
    expect(steps.slice(0, 25).every((s) => s.pollers === 0)).toBe(true);
    expect(steps.slice(24)).toEqual([
      { t: 375, pollers: 0 },
      { t: 390, pollers: 1 },
      { t: 405, pollers: 3 },
    ]);
  });

  it("keeps replicas within [0, min(partitions, maxReplicaCount)] and moves as the HPA allows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.array(
          fc.oneof(
            fc.constant(0),
            fc.integer({ min: 0, max: 100 }),
            fc.integer({ min: 0, max: 1e6 }),
          ),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        (partitions, lags) => {
          const s = kedaDefaults(partitions);
          const policy = kedaScaler(s, partitions);
          let n = policy.initialPollers;
          lags.forEach((lag, i) => {
            const t = 15 + 15 * i;
            const next = policy.evaluate(observe(t, lag, n, partitions)).pollers;
            expect(next).toBeGreaterThanOrEqual(0);
            expect(next).toBeLessThanOrEqual(Math.min(partitions, s.maxReplicas));
            // a sync per scale-up period: one step of the HPA's limit at most
            if (next > n) expect(next).toBeLessThanOrEqual(hpaStep(n));
            if (next > n && n > 0)
              expect(next).toBeLessThanOrEqual(kedaDesired(lag, partitions, 10));
            if (next > n && n === 0) expect([t % 30, next]).toEqual([0, 1]); // KEDA activates
            if (next === 0 && n > 0) expect(t % 30).toBe(0); // KEDA deactivates on its polls
            if (next < n && next > 0)
              expect(next).toBeGreaterThanOrEqual(Math.max(1, kedaDesired(lag, partitions, 10)));
            n = next;
          });
        },
      ),
    );
  });
});
