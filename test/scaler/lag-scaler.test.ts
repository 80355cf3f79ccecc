import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type LagScalerSettings,
  lagScaler,
  SCALE_DOWN_RULES,
  SCALE_UP_RULES,
  SCALE_UP_WHEN,
  THROTTLE_RULES,
} from "../../src/scaler/lag-scaler.js";
import type { ScalerObservation } from "../../src/scaler/policy.js";
import { POLICY_DEFAULTS } from "../../src/scaler/presets.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { scenarioSchema } from "../../src/scenario/schema.js";
import { maxInFlight, simulateTraced } from "../helpers.js";

/** The legacy-15min rule (presets.ts): lag not decreasing → every partition; no lag → one. */
function legacy(partitions: number): LagScalerSettings {
  return {
    evaluationIntervalSec: 900,
    actuationDelaySec: 0,
    initialPollers: 1,
    minPollers: 1,
    maxPollers: partitions,
    scaleUp: {
      when: "lag-not-decreasing",
      rule: "to-max",
      step: 1,
      lagThresholdRecords: 0,
      targetLagPerPollerRecords: 100,
    },
    scaleDown: { rule: "to-min", step: 1, lagThresholdRecords: 0, waitSec: 0 },
    onThrottle: { rule: "subtract", step: 1 },
  };
}

/** A configurable lag scaler: 1-minute evaluations, 1…max pollers. */
function settings(over: {
  max?: number;
  min?: number;
  up?: Partial<LagScalerSettings["scaleUp"]>;
  down?: Partial<LagScalerSettings["scaleDown"]>;
  throttle?: Partial<LagScalerSettings["onThrottle"]>;
}): LagScalerSettings {
  return {
    evaluationIntervalSec: 60,
    actuationDelaySec: 60,
    initialPollers: over.min ?? 1,
    minPollers: over.min ?? 1,
    maxPollers: over.max ?? 20,
    scaleUp: {
      when: "lag-above-threshold",
      rule: "add",
      step: 1,
      lagThresholdRecords: 0,
      targetLagPerPollerRecords: 100,
      ...over.up,
    },
    scaleDown: { rule: "subtract", step: 1, lagThresholdRecords: 0, waitSec: 0, ...over.down },
    onThrottle: { rule: "none", step: 1, ...over.throttle },
  };
}

function observe(
  nowSec: number,
  lagRecords: number,
  previousLagRecords: number,
  pollers: number,
  partitions = 20,
  throttlesSinceLast = 0,
): ScalerObservation {
  return { nowSec, lagRecords, previousLagRecords, pollers, partitions, throttlesSinceLast };
}

describe("lagScaler, legacy-15min rule", () => {
  it("mirrors the legacy-15min preset's values", () => {
    const table = POLICY_DEFAULTS["legacy-15min"];
    const value = (key: string) => table[key]?.value;
    const s = legacy(10);
    expect(value("evaluationIntervalSec")).toBe(s.evaluationIntervalSec);
    expect(value("initialPollers")).toBe(s.initialPollers);
    expect(value("scaleUp.when")).toBe(s.scaleUp.when);
    expect(value("scaleUp.rule")).toBe(s.scaleUp.rule);
    expect(value("scaleUp.lagThresholdRecords")).toBe(s.scaleUp.lagThresholdRecords);
    expect(value("scaleDown.rule")).toBe(s.scaleDown.rule);
    expect(value("scaleDown.waitSec")).toBe(s.scaleDown.waitSec);
    expect(value("onThrottle.rule")).toBe(s.onThrottle.rule);
  });

  it("seed case 1 at 900 s: 1800 produced, 300 done by one poller → every one of 10 partitions", () => {
    // 2 msg/s, 3 s per record: one poller processes 900 / 3 = 300 records in the first 15 min
    const p = lagScaler("legacy-15min", legacy(10));
    expect(p.evaluate(observe(900, 1800 - 300, 0, 1, 10)).pollers).toBe(10);
  });

  it("seed case 3 at 900 s: 4500 produced, 300 done → 100 pollers for 100 partitions", () => {
    const p = lagScaler("legacy-15min", legacy(100));
    expect(p.evaluate(observe(900, 4500 - 300, 0, 1, 100)).pollers).toBe(100);
  });

  it("scales to max when lag is positive and not smaller than at the previous evaluation", () => {
    const p = lagScaler("legacy-15min", legacy(10));
    expect(p.evaluate(observe(900, 500, 500, 3, 10)).pollers).toBe(10);
  });

  it("holds while lag is positive but falling", () => {
    const p = lagScaler("legacy-15min", legacy(10));
    const d = p.evaluate(observe(900, 499, 500, 3, 10));
    expect(d.pollers).toBe(3);
    expect(d.reason).toContain("falling");
  });

  it("returns to one poller at the first evaluation with no lag", () => {
    const p = lagScaler("legacy-15min", legacy(10));
    expect(p.evaluate(observe(1800, 0, 1000, 10, 10)).pollers).toBe(1);
    expect(p.evaluate(observe(2700, 0, 0, 1, 10)).pollers).toBe(1);
  });

  it("gives a reason for every decision", () => {
    const p = lagScaler("legacy-15min", legacy(10));
    expect(p.evaluate(observe(900, 1500, 0, 1, 10)).reason).toMatch(
      /lag 1500 not smaller than 0: to-max/,
    );
    expect(p.name).toBe("legacy-15min");
    expect(p.evaluationIntervalSec).toBe(900);
  });
});

describe("lagScaler scale-up rules", () => {
  const up = (
    rule: keyof typeof SCALE_UP_RULES,
    step: number,
    pollers: number,
    lag: number,
    max = 20,
  ) =>
    lagScaler("on-demand-2022", settings({ max, up: { rule, step } })).evaluate(
      observe(60, lag, 0, pollers),
    ).pollers;

  it("add k: n → n + k, capped at max", () => {
    expect(up("add", 1, 2, 100)).toBe(3);
    expect(up("add", 3, 2, 100)).toBe(5);
    expect(up("add", 5, 18, 100)).toBe(20);
  });

  it("multiply k: n → ⌈max(1, n) × k⌉, capped at max", () => {
    expect(up("multiply", 2, 3, 100)).toBe(6);
    expect(up("multiply", 1.5, 3, 100)).toBe(5);
    expect(up("multiply", 2, 0, 100)).toBe(2);
    expect(up("multiply", 2, 12, 100)).toBe(20);
  });

  it("to-target: ⌈lag / target lag per poller⌉, never below the current count, capped at max", () => {
    const toTarget = (pollers: number, lag: number) =>
      lagScaler(
        "on-demand-current",
        settings({ up: { rule: "to-target", targetLagPerPollerRecords: 100 } }),
      ).evaluate(observe(60, lag, 0, pollers)).pollers;
    expect(toTarget(1, 1050)).toBe(11);
    expect(toTarget(1, 100)).toBe(1);
    expect(toTarget(8, 150)).toBe(8);
    expect(toTarget(1, 1e6)).toBe(20);
  });

  it("to-max: straight to max", () => {
    expect(up("to-max", 1, 1, 1)).toBe(20);
  });

  it("lag-above-threshold scales up only when lag exceeds the threshold, falling or not", () => {
    const p = lagScaler("provisioned", settings({ up: { lagThresholdRecords: 100 } }));
    expect(p.evaluate(observe(60, 100, 0, 2)).pollers).toBe(2);
    expect(p.evaluate(observe(120, 101, 5000, 2)).pollers).toBe(3);
  });

  it("lag-not-decreasing also needs lag above the threshold", () => {
    const p = lagScaler(
      "on-demand-2022",
      settings({ up: { when: "lag-not-decreasing", lagThresholdRecords: 100 } }),
    );
    expect(p.evaluate(observe(60, 100, 50, 2)).pollers).toBe(2);
    expect(p.evaluate(observe(120, 150, 150, 2)).pollers).toBe(3);
    expect(p.evaluate(observe(180, 149, 150, 3)).pollers).toBe(3);
  });
});

describe("lagScaler scale-down", () => {
  it("waits waitSec of idle lag before each step down: 60 s evaluations, 180 s wait, subtract 1", () => {
    const p = lagScaler("on-demand-2022", settings({ down: { waitSec: 180 } }));
    let n = 5;
    const seen: number[] = [];
    for (let t = 60; t <= 600; t += 60) {
      n = p.evaluate(observe(t, 0, 0, n)).pollers;
      seen.push(n);
    }
    // idle since 60: steps at 240 and 420 (each step waits again), then 600
    expect(seen).toEqual([5, 5, 5, 4, 4, 4, 3, 3, 3, 2]);
  });

  it("restarts the wait when lag comes back", () => {
    const p = lagScaler(
      "on-demand-2022",
      settings({ down: { waitSec: 180 }, up: { lagThresholdRecords: 1000 } }),
    );
    const at = (t: number, lag: number, n: number) => p.evaluate(observe(t, lag, 0, n)).pollers;
    expect(at(60, 0, 5)).toBe(5); // idle since 60
    expect(at(120, 0, 5)).toBe(5);
    expect(at(180, 500, 5)).toBe(5); // lag above the idle threshold, below the scale-up one
    expect(at(240, 0, 5)).toBe(5); // idle again since 240
    expect(at(360, 0, 5)).toBe(5);
    expect(at(420, 0, 5)).toBe(4);
  });

  it("counts lag at or below the scale-down threshold as idle", () => {
    const p = lagScaler(
      "on-demand-2022",
      settings({
        up: { lagThresholdRecords: 100 },
        down: { lagThresholdRecords: 10, waitSec: 60 },
      }),
    );
    expect(p.evaluate(observe(60, 10, 0, 5)).pollers).toBe(5);
    expect(p.evaluate(observe(120, 10, 0, 5)).pollers).toBe(4);
  });

  it("halve: n → ⌊n / 2⌋; to-min: n → min; never below min", () => {
    const down = (rule: keyof typeof SCALE_DOWN_RULES, n: number, min = 1) =>
      lagScaler("on-demand-2022", settings({ min, down: { rule } })).evaluate(observe(60, 0, 0, n))
        .pollers;
    expect(down("halve", 7)).toBe(3);
    expect(down("halve", 1)).toBe(1);
    expect(down("halve", 5, 3)).toBe(3);
    expect(down("to-min", 9, 2)).toBe(2);
    expect(down("subtract", 2, 2)).toBe(2);
  });
});

describe("lagScaler throttle response", () => {
  it("removes step pollers on throttles, even while lag grows", () => {
    const p = lagScaler("legacy-15min", legacy(10));
    const d = p.evaluate(observe(900, 1000, 0, 5, 10, 3));
    expect(d.pollers).toBe(4);
    expect(d.reason).toBe("3 throttles");
  });

  it("halves on throttles when told to, never below min", () => {
    const p = lagScaler("provisioned", settings({ min: 2, throttle: { rule: "halve" } }));
    expect(p.evaluate(observe(60, 1000, 0, 9, 20, 1)).pollers).toBe(4);
    expect(p.evaluate(observe(120, 1000, 0, 3, 20, 1)).pollers).toBe(2);
  });

  it("ignores throttles with rule none", () => {
    const p = lagScaler("provisioned", settings({ throttle: { rule: "none" } }));
    expect(p.evaluate(observe(60, 1000, 0, 5, 20, 10)).pollers).toBe(6);
  });

  it("restarts the scale-down wait after throttles", () => {
    const p = lagScaler(
      "on-demand-2022",
      settings({ down: { waitSec: 120 }, throttle: { rule: "subtract" } }),
    );
    expect(p.evaluate(observe(60, 0, 0, 5)).pollers).toBe(5); // idle since 60
    expect(p.evaluate(observe(120, 0, 0, 5, 20, 1)).pollers).toBe(4); // throttled
    expect(p.evaluate(observe(180, 0, 0, 4)).pollers).toBe(4); // idle since 180
    expect(p.evaluate(observe(240, 0, 0, 4)).pollers).toBe(4);
    expect(p.evaluate(observe(300, 0, 0, 4)).pollers).toBe(3);
  });
});

describe("lagScaler invariants", () => {
  it("keeps pollers within [min, max] and moves them only in the direction the rule allows", () => {
    const settingsArb = fc
      .record({
        min: fc.integer({ min: 0, max: 5 }),
        span: fc.integer({ min: 0, max: 50 }),
        when: fc.constantFrom(...Object.values(SCALE_UP_WHEN)),
        upRule: fc.constantFrom(...Object.values(SCALE_UP_RULES)),
        upStep: fc.integer({ min: 1, max: 4 }),
        upThreshold: fc.integer({ min: 0, max: 100 }),
        target: fc.integer({ min: 1, max: 500 }),
        downRule: fc.constantFrom(...Object.values(SCALE_DOWN_RULES)),
        downStep: fc.integer({ min: 1, max: 4 }),
        downThreshold: fc.integer({ min: 0, max: 100 }),
        waitSec: fc.constantFrom(0, 60, 180, 600),
        throttle: fc.constantFrom(...Object.values(THROTTLE_RULES)),
      })
      .map(
        (r): LagScalerSettings => ({
          evaluationIntervalSec: 60,
          actuationDelaySec: 60,
          initialPollers: r.min,
          minPollers: r.min,
          maxPollers: r.min + r.span,
          scaleUp: {
            when: r.when,
            rule: r.upRule,
            step: r.upStep,
            lagThresholdRecords: r.upThreshold,
            targetLagPerPollerRecords: r.target,
          },
          scaleDown: {
            rule: r.downRule,
            step: r.downStep,
            lagThresholdRecords: r.downThreshold,
            waitSec: r.waitSec,
          },
          onThrottle: { rule: r.throttle, step: r.upStep },
        }),
      );
    const stepArb = fc.record({
      lag: fc.integer({ min: 0, max: 100_000 }),
      throttles: fc.constantFrom(0, 0, 0, 5),
    });
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb, { maxLength: 40 }), (s, steps) => {
        const p = lagScaler("on-demand-current", s);
        let n = s.initialPollers;
        let previous = 0;
        steps.forEach(({ lag, throttles }, i) => {
          const next = p.evaluate(observe(60 * (i + 1), lag, previous, n, 100, throttles)).pollers;
          expect(next).toBeGreaterThanOrEqual(s.minPollers);
          expect(next).toBeLessThanOrEqual(s.maxPollers);
          const above = lag > s.scaleUp.lagThresholdRecords;
          const growing =
            s.scaleUp.when === "lag-not-decreasing" ? above && lag >= previous : above;
          if (throttles > 0 && s.onThrottle.rule !== "none") expect(next).toBeLessThanOrEqual(n);
          else if (growing) expect(next).toBeGreaterThanOrEqual(n);
          else expect(next).toBeLessThanOrEqual(n);
          n = next;
          previous = lag;
        });
      }),
    );
  });
});

describe("legacy-15min starting at half the maximum consumers", () => {
  // A Jan 2022 AWS What's New says the scaler before it "started with 50 % of the maximum
  // consumers"; the 2021 developer guide and the seed blog say one, the default. The marker
  // "halfMaxPollers" gives the alternative: ⌈maxPollers / 2⌉, maxPollers being the partitions.
  const legacyHalf = (partitions: number): ScenarioInput => ({
    name: "legacy-half",
    workload: { kind: "constant", ratePerSec: 5, durationSec: 600 },
    topic: { partitions },
    function: { duration: { kind: "constant", sec: 3 } },
    esm: { batchSize: 1 },
    scaler: { policy: "legacy-15min", initialPollers: "halfMaxPollers" },
  });

  it("starts a legacy run at ⌈partitions / 2⌉ pollers", () => {
    for (const [partitions, half] of [
      [10, 5],
      [15, 8],
      [1, 1],
    ] as const) {
      const { run, trace } = simulateTraced(legacyHalf(partitions));
      expect(run.series.columns.pollers[0], `${partitions} partitions`).toBe(half);
      // one invocation per poller in the first 15 minutes (concurrencyPerPoller 1)
      expect(maxInFlight(trace, 0, 900), `${partitions} partitions`).toBe(half);
      expect(run.meta.summary.truncated).toBe(false);
    }
    const one = simulateTraced({ ...legacyHalf(10), scaler: { policy: "legacy-15min" } });
    expect(one.run.series.columns.pollers[0]).toBe(1); // the default
  });

  it("is recorded as given, with its source and value in the note", () => {
    const resolved = resolveScenario(legacyHalf(15), { source: "legacy-half" });
    expect(resolved.scenario.scaler).toMatchObject({ initialPollers: 8 });
    const record = resolved.parameters["scaler.initialPollers"];
    expect(record).toMatchObject({ value: "halfMaxPollers", basis: "given" });
    expect(record?.note).toMatch(/⌈15 \/ 2⌉ = 8/);
    expect(record?.note).toMatch(/Jan 2022 AWS What's New/);
    expect(resolved.assumed).not.toContain("scaler.initialPollers");
    // the default's note names the alternative
    expect(POLICY_DEFAULTS["legacy-15min"].initialPollers?.note).toMatch(/halfMaxPollers/);
  });

  it("halves maxPollers once capped at the partition count", () => {
    const capped = resolveScenario(
      {
        ...legacyHalf(10),
        scaler: { policy: "legacy-15min", initialPollers: "halfMaxPollers", maxPollers: 7 },
      },
      { source: "x" },
    ).scenario.scaler;
    expect(capped).toMatchObject({ maxPollers: 7, initialPollers: 4 });
  });

  it("is a legacy-15min marker only", () => {
    const parse = (policy: string) =>
      scenarioSchema.safeParse({
        ...legacyHalf(10),
        scaler: { policy, initialPollers: "halfMaxPollers" },
      }).success;
    expect(parse("legacy-15min")).toBe(true);
    for (const policy of ["on-demand-2022", "on-demand-current", "provisioned", "keda"]) {
      expect(parse(policy), policy).toBe(false);
    }
  });
});
