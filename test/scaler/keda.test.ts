import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type KedaSettings, kedaScaler } from "../../src/scaler/keda.js";
import type { ScalerObservation, ScalerPolicy } from "../../src/scaler/policy.js";
import { POLICY_DEFAULTS } from "../../src/scaler/presets.js";

/**
 * KEDA and Kubernetes defaults, from their documentation: Kafka scaler lagThreshold 10,
 * activationLagThreshold 0; ScaledObject pollingInterval 30 s, cooldownPeriod 300 s,
 * minReplicaCount 0, maxReplicaCount 100; HPA scale-down stabilisation window 300 s, default
 * scale-up policy "4 pods or 100 %, whichever is more, per 15 s".
 */
function kedaDefaults(partitions: number, over: Partial<KedaSettings> = {}): KedaSettings {
  return {
    pollingIntervalSec: 30,
    actuationDelaySec: 10,
    lagThresholdRecords: 10,
    activationLagThresholdRecords: 0,
    minReplicas: 0,
    maxReplicas: Math.min(100, partitions),
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
): ScalerObservation {
  return {
    nowSec,
    lagRecords,
    previousLagRecords: lagRecords,
    pollers,
    partitions,
    throttlesSinceLast: 0,
  };
}

/** Feed the policy one lag per polling interval from `startSec`, applying each decision at once. */
function run(
  policy: ScalerPolicy,
  partitions: number,
  lags: readonly number[],
  pollers = 0,
  startSec = 30,
) {
  const out: { t: number; pollers: number }[] = [];
  let n = pollers;
  lags.forEach((lag, i) => {
    const t = startSec + i * 30;
    n = policy.evaluate(observe(t, lag, n, partitions)).pollers;
    out.push({ t, pollers: n });
  });
  return out;
}

/** HPA's default scale-up limit over one 15 s period: max(current + 4, 2 × current). */
const hpaStep = (current: number): number => Math.max(current + 4, 2 * current);

/** ⌈min(lag, partitions × threshold) / threshold⌉, the KEDA Kafka scaler's replica count. */
const kedaDesired = (lag: number, partitions: number, threshold: number): number =>
  Math.ceil(Math.min(lag, partitions * threshold) / threshold);

describe("kedaScaler", () => {
  it("polls every 30 s and starts at minReplicaCount", () => {
    const p = kedaScaler(kedaDefaults(10), 10);
    expect(p.name).toBe("keda");
    expect(p.evaluationIntervalSec).toBe(30);
    expect(p.actuationDelaySec).toBe(10);
    expect([p.initialPollers, p.minPollers, p.maxPollers]).toEqual([0, 0, 10]);
  });

  it("matches the keda preset's documented defaults", () => {
    const table = POLICY_DEFAULTS.keda;
    const value = (key: string) => table[key]?.value;
    const d = kedaDefaults(200);
    expect(value("evaluationIntervalSec")).toBe(d.pollingIntervalSec);
    expect(value("lagThresholdRecords")).toBe(d.lagThresholdRecords);
    expect(value("activationLagThresholdRecords")).toBe(d.activationLagThresholdRecords);
    expect(value("minPollers")).toBe(d.minReplicas);
    expect(value("maxPollers")).toBe(100);
    expect(value("stabilizationWindowSec")).toBe(d.stabilizationWindowSec);
    expect(value("cooldownSec")).toBe(d.cooldownSec);
    expect(value("scaleUpPods")).toBe(d.scaleUpPods);
    expect(value("scaleUpPercent")).toBe(d.scaleUpPercent);
    expect(value("scaleUpPeriodSec")).toBe(d.scaleUpPeriodSec);
  });

  it("wants ⌈min(lag, partitions × lagThreshold) / lagThreshold⌉ replicas, capped at max", () => {
    // from one replica (KEDA activates a target at zero to one, then the HPA scales), with the
    // scale-up rate limit lifted, so one evaluation reaches the wanted count
    const want = (lag: number, partitions: number) =>
      kedaScaler(kedaDefaults(partitions, { scaleUpPods: 1e9 }), partitions).evaluate(
        observe(30, lag, 1, partitions),
      ).pollers;
    expect([1, 10, 11, 95, 100, 101, 1e6].map((lag) => want(lag, 10))).toEqual([
      1, 1, 2, 10, 10, 10, 10,
    ]);
    expect(want(505, 200)).toBe(51);
    expect(want(1e6, 200)).toBe(100); // maxReplicaCount 100 below 200 partitions
    expect(want(1e6, 3)).toBe(3); // never above the partition count
  });

  it("follows the KEDA formula for any lag, partition count and threshold", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100 }),
        (lag, partitions, threshold, maxReplicas) => {
          const max = Math.min(maxReplicas, partitions);
          const policy = kedaScaler(
            kedaDefaults(partitions, {
              lagThresholdRecords: threshold,
              maxReplicas: max,
              scaleUpPods: 1e9,
            }),
            partitions,
          );
          const got = policy.evaluate(observe(30, lag, 1, partitions)).pollers;
          expect(got).toBe(Math.min(kedaDesired(lag, partitions, threshold), max));
        },
      ),
    );
  });

  it("scales up by at most max(current + 4, 2 × current) per 15 s: 1 → 10 → 40 → 100 in 30 s polls", () => {
    const partitions = 200;
    const steps = run(
      kedaScaler(kedaDefaults(partitions), partitions),
      partitions,
      [1e6, 1e6, 1e6, 1e6],
      1,
    );
    // 1 → 5 → 10; 10 → 20 → 40; 40 → 80 → 160, capped at maxReplicaCount 100
    expect(steps.map((s) => s.pollers)).toEqual([10, 40, 100, 100]);
  });

  it("limits a first scale-up to two HPA periods per 30 s poll and to the wanted count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 3000 }),
        (current, lag) => {
          const partitions = 200;
          const policy = kedaScaler(kedaDefaults(partitions), partitions);
          const got = policy.evaluate(observe(30, lag, current, partitions)).pollers;
          const desired = Math.min(Math.max(1, kedaDesired(lag, partitions, 10)), 100);
          // never active (lag 0) with minReplicaCount 0: KEDA deactivates the target at once
          if (lag === 0) expect(got).toBe(0);
          else if (desired > current)
            expect(got).toBe(Math.min(desired, hpaStep(hpaStep(current))));
          // a fresh scaler has no earlier recommendation to hold it up
          else expect(got).toBe(desired);
        },
      ),
    );
    expect(kedaScaler(kedaDefaults(100), 100).evaluate(observe(30, 1e6, 3, 100)).pollers).toBe(14);
    expect(kedaScaler(kedaDefaults(100), 100).evaluate(observe(30, 1e6, 5, 100)).pollers).toBe(20);
  });

  it("scales down only when no recommendation of the last 300 s is higher", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    // t = 30: lag 1000 → 10 replicas; from t = 60 on: lag 20 → 2 wanted
    const steps = run(policy, partitions, [1000, ...new Array<number>(12).fill(20)], 10);
    for (const s of steps) {
      if (s.t < 330) expect(s.pollers, `t = ${s.t}`).toBe(10);
      if (s.t > 330) expect(s.pollers, `t = ${s.t}`).toBe(2);
    }
  });

  it("scales down to the highest recommendation left in the window, not the latest", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    const at = (t: number, lag: number, pollers: number) =>
      policy.evaluate(observe(t, lag, pollers, partitions)).pollers;
    expect(at(30, 1000, 10)).toBe(10); // wants 10
    expect(at(45, 50, 10)).toBe(10); // wants 5
    for (let t = 60; t <= 300; t += 30) expect(at(t, 20, 10)).toBe(10); // wants 2
    expect(at(330, 20, 10)).toBe(5); // the 10 of t = 30 has left the window, the 5 of t = 45 not
    expect(at(350, 20, 5)).toBe(2);
  });

  it("drops a recommendation exactly 300 s old from the window, as the HPA does", () => {
    // Kubernetes pkg/controller/podautoscaler/horizontal.go, stabilizeRecommendationWithBehaviors:
    // a recommendation counts when rec.timestamp.After(now − stabilizationWindow), strictly. At
    // t = 330 the 10 wanted at t = 30 is exactly 300 s old and no longer counts: down to 2.
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    const steps = run(policy, partitions, [1000, ...new Array<number>(10).fill(20)], 10);
    expect(steps.find((s) => s.t === 330)?.pollers).toBe(2);
  });

  it("keeps at least one replica until the cooldown, then scales to zero", () => {
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    // active at t = 30 (lag 100), idle (lag 0) from t = 60
    const steps = run(policy, partitions, [100, ...new Array<number>(14).fill(0)], 1);
    expect(steps[0]!.pollers).toBe(10); // 1 → 5 → 10 = ⌈100 / 10⌉
    for (const s of steps) {
      if (s.t - 30 < 300) expect(s.pollers, `t = ${s.t}`).toBeGreaterThanOrEqual(1);
      if (s.t - 30 > 300) expect(s.pollers, `t = ${s.t}`).toBe(0);
    }
  });

  it("counts lag at or below activationLagThreshold as idle: to zero after the cooldown", () => {
    const partitions = 10;
    const policy = kedaScaler(
      kedaDefaults(partitions, { activationLagThresholdRecords: 50 }),
      partitions,
    );
    const steps = run(policy, partitions, [100, ...new Array<number>(14).fill(30)], 10);
    for (const s of steps) {
      if (s.t - 30 < 300) expect(s.pollers, `t = ${s.t}`).toBeGreaterThanOrEqual(3);
      if (s.t - 30 > 300) expect(s.pollers, `t = ${s.t}`).toBe(0);
    }
  });

  it("never scales to zero while lag stays above the activation threshold", () => {
    const partitions = 10;
    const steps = run(
      kedaScaler(kedaDefaults(partitions), partitions),
      partitions,
      new Array<number>(60).fill(5),
      1,
    );
    expect(steps.every((s) => s.pollers === 1)).toBe(true);
  });

  it("stays at zero replicas while lag has never exceeded the activation threshold", () => {
    // KEDA activates a scaled-to-zero target only when a trigger is active (lag above
    // activationLagThreshold): kedacore/keda pkg/scaling/executor/scale_scaledobjects.go,
    // RequestScale — replicas 0 and no active trigger is "no change". Here lastActiveSec starts
    // at 0, so before t = cooldown the idle branch asks for max(1, …) and wakes the target.
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    expect(policy.evaluate(observe(30, 0, 0, partitions)).pollers).toBe(0);
  });

  it("stays at zero replicas while lag is at or below activationLagThreshold", () => {
    const partitions = 10;
    const policy = kedaScaler(
      kedaDefaults(partitions, { activationLagThresholdRecords: 50 }),
      partitions,
    );
    expect(policy.evaluate(observe(30, 30, 0, partitions)).pollers).toBe(0);
  });

  it("stays at zero while idle and activates to one replica when lag exceeds the activation threshold", () => {
    // KEDA (pkg/scaling/executor/scale_scaledobjects.go): at zero replicas with an active
    // trigger it scales to max(minReplicaCount, 1); the HPA takes over from there
    const partitions = 10;
    const policy = kedaScaler(kedaDefaults(partitions), partitions);
    const steps = run(policy, partitions, [...new Array<number>(12).fill(0), 25, 25], 0, 400);
    expect(steps.slice(0, 12).every((s) => s.pollers === 0)).toBe(true);
    expect(steps[12]!.pollers).toBe(1);
    expect(steps[13]!.pollers).toBe(3);
  });

  it("keeps replicas within [0, min(partitions, maxReplicaCount)] and moves as HPA allows", () => {
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
            const next = policy.evaluate(observe(30 + 30 * i, lag, n, partitions)).pollers;
            expect(next).toBeGreaterThanOrEqual(0);
            expect(next).toBeLessThanOrEqual(Math.min(partitions, s.maxReplicas));
            if (next > n) expect(next).toBeLessThanOrEqual(hpaStep(hpaStep(n)));
            if (next > n && lag > 0)
              expect(next).toBeLessThanOrEqual(kedaDesired(lag, partitions, 10));
            if (next < n && next > 0)
              expect(next).toBeGreaterThanOrEqual(Math.max(1, kedaDesired(lag, partitions, 10)));
            n = next;
          });
        },
      ),
    );
  });
});
