/**
 * The KEDA peer policy inside the simulator: what KEDA sees of partitions without a committed
 * offset, when a run with KEDA ends, and that its cooldown leaves N > 1 replicas to the HPA
 * (docs/aws-esm.md, "KEDA and the HPA").
 */
import { describe, expect, it } from "vitest";
import type { Run } from "../../src/run/run.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { simulateTraced } from "../helpers.js";

type KedaInput = Extract<NonNullable<ScenarioInput["scaler"]>, { policy: "keda" }>;

function scenario(
  scaler: Omit<KedaInput, "policy">,
  over: Partial<ScenarioInput> = {},
): ScenarioInput {
  return {
    name: "keda",
    workload: { kind: "constant", ratePerSec: 50, durationSec: 120 },
    topic: { partitions: 20 },
    function: { duration: { kind: "constant", sec: 3 } },
    scaler: { policy: "keda", ...scaler },
    ...over,
  };
}

/** The series' poller count at time t (the row holding t). */
function pollersAt(run: Run, t: number): number {
  const { t: times, pollers } = run.series.columns;
  let i = 0;
  while (i + 1 < run.series.length && times[i + 1]! <= t) i++;
  return pollers[i]!;
}

/** End of the last series row with lag: when the lag fell to zero for good. */
function lagFellAt(run: Run): number {
  const { t, lag } = run.series.columns;
  const resolution = t[1]! - t[0]!;
  let last = 0;
  for (let i = 0; i < run.series.length; i++) if (lag[i]! > 0) last = t[i]! + resolution;
  return last;
}

describe("KEDA in the simulator", () => {
  it("keeps a consumer for a partition nobody committed on; the run ends drained, at rest", () => {
    // every record has one key, so 3 of 4 partitions never get one and never get a committed
    // offset: KEDA counts each as lag 1 under offsetResetPolicy latest and never scales to zero
    // (kedacore/keda#2033); the HPA holds one replica, where the run ends
    const { run } = simulateTraced(
      scenario(
        {},
        {
          workload: { kind: "constant", ratePerSec: 2, durationSec: 60 },
          topic: { partitions: 4, partitioner: { kind: "key-hash", keySpace: 1 } },
          function: { duration: { kind: "constant", sec: 0.2 } },
        },
      ),
    );
    expect(run.meta.summary.truncated).toBe(false);
    expect(run.meta.summary.processedRecords).toBe(120);
    expect(run.series.columns.pollers.at(-1)).toBe(1);
    expect(run.meta.summary.durationSec).toBeLessThan(120);
  });

  it("never starts a fresh consumer group with scaleToZeroOnInvalidOffset and minReplicaCount 0", () => {
    // every partition without a committed offset counts as lag 0: a group that never ran shows
    // KEDA no lag at all, so nothing activates it (the run stops at its time limit, undrained)
    const fresh = (minPollers: number) =>
      simulateTraced(
        scenario(
          { scaleToZeroOnInvalidOffset: true, minPollers },
          {
            workload: { kind: "constant", ratePerSec: 2, durationSec: 60 },
            run: { maxDurationSec: 600 },
          },
        ),
      ).run.meta.summary;
    expect(fresh(0)).toMatchObject({ truncated: true, processedRecords: 0, peakPollers: 0 });
    // a consumer that runs from the start commits, and KEDA sees the real lag from then on
    expect(fresh(1)).toMatchObject({ truncated: false, processedRecords: 120 });
  });

  it("does not see a backlog under offsetResetPolicy latest until its partitions commit", () => {
    // 10 partitions of 100 records each (TRIM_HORIZON), batches of 100, 3 s each. KEDA polls at
    // t = 30: 10 partitions without a commit, lag 10 under latest → one replica (at t = 40).
    // At the HPA's sync of t = 45 the replica has committed one partition: lag 9 → 9/10 is
    // within the tolerance, one replica. Under earliest KEDA sees the 900 records left: 5.
    const backlog = (offsetResetPolicy: "latest" | "earliest") =>
      simulateTraced(
        scenario(
          { offsetResetPolicy },
          {
            workload: { kind: "constant", ratePerSec: 0.001, durationSec: 1 },
            topic: { partitions: 10, backlogRecords: 1000 },
            esm: { batchSize: 100, startingPosition: "TRIM_HORIZON" },
          },
        ),
      ).run;
    const latest = backlog("latest");
    const earliest = backlog("earliest");
    expect(pollersAt(latest, 41)).toBe(1);
    expect(pollersAt(earliest, 41)).toBe(1);
    expect(pollersAt(latest, 56)).toBe(1);
    expect(pollersAt(earliest, 56)).toBe(5);
    for (const { meta } of [latest, earliest]) {
      expect(meta.summary.truncated).toBe(false);
      expect(meta.summary.processedRecords).toBe(1000 + (meta.summary.producedRecords ?? 0));
    }
  });

  describe("cooldownPeriod 30 s, yet N > 1 replicas scale down about 300 s after lag falls (kedacore/keda#1983)", () => {
    // 50 records/s for 120 s over 20 partitions: KEDA reaches 20 replicas, the lag falls to zero
    // soon after production stops. With minReplicaCount 1 KEDA never deactivates the target:
    // from 20 down it is the HPA's turn, and its scale-down waits for the stabilisation window.
    it("the HPA's 300 s window, not the 30 s cooldown, sets the scale-down", () => {
      const { run } = simulateTraced(scenario({ cooldownSec: 30, minPollers: 1 }));
      const fell = lagFellAt(run);
      const down = run.meta.scaleEvents!.find((e) => e.to < e.from)!;
      expect(down.from).toBe(20);
      // the last recommendation of 20 leaves the window 300 s later; then a sync (≤ 15 s) and
      // the 10 s pod actuation delay
      expect(down.tSec - fell).toBeGreaterThanOrEqual(285);
      expect(down.tSec - fell).toBeLessThanOrEqual(300 + 15 + 10);
      expect(run.meta.summary.truncated).toBe(false);
    });

    it("a shorter window scales down sooner; the cooldown changes nothing above one replica", () => {
      const window60 = simulateTraced(
        scenario({ cooldownSec: 30, minPollers: 1, stabilizationWindowSec: 60 }),
      ).run;
      const fell = lagFellAt(window60);
      const down = window60.meta.scaleEvents!.find((e) => e.to < e.from)!;
      expect(down.tSec - fell).toBeGreaterThanOrEqual(45);
      expect(down.tSec - fell).toBeLessThanOrEqual(60 + 15 + 10);
      const events = (cooldownSec: number) =>
        simulateTraced(scenario({ cooldownSec, minPollers: 1 })).run.meta.scaleEvents;
      expect(events(30)).toEqual(events(3000));
    });

    it("with minReplicaCount 0 and the lag at zero, the cooldown takes KEDA straight to zero", () => {
      // kedacore/keda pkg/scaling/executor/scale_scaledobjects.go: an inactive trigger scales
      // the target to zero from any count once cooldownPeriod has passed since it was active
      const { run } = simulateTraced(scenario({ cooldownSec: 30 }));
      const down = run.meta.scaleEvents!.find((e) => e.to < e.from)!;
      expect([down.from, down.to]).toEqual([20, 0]);
      expect(down.tSec - lagFellAt(run)).toBeLessThan(30 + 2 * 30 + 10);
    });
  });
});
