import { describe, expect, it } from "vitest";
import { blogComparison } from "../../src/blog/comparison.js";
import { formatSpan, phaseVerdict, shortLabel } from "../../src/blog/verdict.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import type { Run } from "../../src/run/run.js";
import { concurrencyRun, rep, toMinutes } from "../fit/fit-helpers.js";
import { measuredMeta, simulateBuiltin } from "../helpers.js";

const verdictOf = (run: Run, options = {}) => phaseVerdict(run, fitThreePhases(run, options));

describe("phaseVerdict", () => {
  // The seed blog (legacy scaler): one invocation for the first 15 minutes, then concurrency
  // = partitions (10, 20, 100); production ends at 2000 s.
  it.each([
    ["case1", 10],
    ["case2", 20],
    ["case3", 100],
  ])("%s: tear-up 15 min at 1 invocation, plateau = %i partitions", async (name, partitions) => {
    const { run } = await simulateBuiltin(name);
    const v = verdictOf(run);
    expect(v.label).toBe(name);
    expect(v.tearUp).toBe("tear-up 15 min at 1 invocation");
    expect(v.plateau).toBe(`plateau ${partitions} = partitions`);
    expect(
      v.line.startsWith(
        `${name}: tear-up 15 min at 1 invocation; plateau ${partitions} = partitions; drained `,
      ),
    ).toBe(true);
  });

  // the blog is no yardstick for another scaler: the run is judged against its own scenario —
  // case 2's arrivals (5 records/s × 3 s ÷ batch 1 = 15 concurrent invocations, the blog's
  // own workload) and the cadence AWS documents for on-demand-2022 (a 1-minute evaluation,
  // changes "within three minutes of evaluation": a first scale-up within 4 min)
  it("judges a run of another scaler against its own scenario, not the blog", async () => {
    const { run } = await simulateBuiltin("case2", { policy: "on-demand-2022" });
    const v = phaseVerdict(run, fitThreePhases(run), { blog: false });
    expect(v.conclusions).toEqual([]);
    expect(v.facts.arrivalBound).toBeCloseTo(15, 9);
    expect(v.facts.documentedFirstScaleSec).toBe(240);
    expect(v.facts.latencyP99Sec).toBe(run.meta.summary.latency!.p99Sec);
    expect(v.line).toMatch(
      /; not the blog's scaler: arrivals need ≈ 15 \(rate × duration \/ batch\); on-demand-2022 documents a first scale-up within 240 s; records waited [\d.]+ s at the 99th percentile$/,
    );
    expect(v.line).not.toMatch(/blog figures: \d/);
  });

  it("says when the lag drained after production ended, from the lag series of a 1-minute run", async () => {
    const { run } = await simulateBuiltin("case2");
    const minutes = toMinutes(run);
    // a measured-like run: no summary drain time; find by hand the first minute ending with lag 0
    const { t, lag } = minutes.series.columns;
    let drainedEnd = Number.NaN;
    for (let i = 0; i < t.length; i++) {
      if (t[i]! + 60 >= 2000 && lag[i] === 0) {
        drainedEnd = t[i]! + 60;
        break;
      }
    }
    const { drainedAtSec: _drop, ...summary } = minutes.meta.summary;
    const measured: Run = { ...minutes, meta: { ...measuredMeta(minutes.meta), summary } };
    const v = verdictOf(measured);
    expect(drainedEnd).toBeGreaterThan(2000);
    expect(v.drained).toBe(`drained ${formatSpan(drainedEnd - 2000)} after production ended`);
  });

  it("counts the blog figures within the tolerance", async () => {
    const { run } = await simulateBuiltin("case1");
    const fit = fitThreePhases(run);
    const compared = blogComparison(run, fit).filter((b) => b.relativeError !== null);
    const within = (pct: number) =>
      compared.filter((b) => Math.abs(b.relativeError!) * 100 <= pct).length;
    for (const tolerancePct of [0.5, 10, 1000]) {
      const v = phaseVerdict(run, fit, { tolerancePct });
      expect(v.blog).toEqual({
        compared: compared.length,
        agreeing: within(tolerancePct),
        tolerancePct,
      });
      expect(v.line).toContain(
        `blog figures: ${within(tolerancePct)} of ${compared.length} within ${tolerancePct}%`,
      );
    }
  });

  it("says what it cannot know instead of guessing", () => {
    // concurrency only: no partitions, no production end, no lag
    const run = concurrencyRun([...rep(1, 10), ...rep(8, 10), ...rep(0, 5)], 60);
    const v = verdictOf(run);
    expect(v.tearUp).toBe("tear-up 10 min at 1 invocation");
    expect(v.plateau).toBe("plateau 8 (partitions unknown)");
    expect(v.drained).toBe("end of production unknown");
    // given the partitions and the end of production, but still no lag series
    const given = verdictOf(run, { partitions: 10, productionEndSec: 1080 });
    expect(given.plateau).toBe("plateau 8 < 10 partitions");
    expect(given.drained).toBe(
      "concurrency back down 120 s after production ended (no lag series)",
    );
  });

  it("says a run that never drained is not drained, with the lag left", () => {
    const run = concurrencyRun([...rep(1, 10), ...rep(4, 10)], 60);
    const lag = run.series.columns.lag;
    lag.forEach((_v, i) => {
      lag[i] = 100 + i;
    });
    const v = verdictOf(run, { partitions: 4, productionEndSec: 600 });
    expect(v.drained).toBe("not drained by the end of the run (lag 119)");
  });
});

describe("formatSpan and shortLabel", () => {
  it("writes durations as the shared formatter does: seconds below ten minutes, then minutes", () => {
    expect(formatSpan(900)).toBe("15 min");
    expect(formatSpan(354)).toBe("354 s");
    expect(formatSpan(59.95)).toBe("60 s");
    expect(formatSpan(11.5)).toBe("11.5 s");
  });

  it("shortens a label to its part before the first colon", () => {
    expect(shortLabel("case2: 5 msg/s × 2000 s")).toBe("case2");
    expect(shortLabel("measured")).toBe("measured");
    expect(shortLabel(": odd")).toBe(": odd");
  });
});
