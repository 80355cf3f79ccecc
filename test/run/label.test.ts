import { describe, expect, it } from "vitest";
import { shortLabel } from "../../src/blog/verdict.js";
import { qualifyLabel } from "../../src/run/label.js";
import { BUILTIN_SCENARIOS } from "../../src/scenario/builtins.js";
import { applyOverrides, loadScenario } from "../../src/scenario/load.js";

describe("qualifyLabel", () => {
  it.each([
    ["case2: 5 msg/s × 2000 s", "keda", "case2 (keda): 5 msg/s × 2000 s"],
    ["case2 (keda): 5 msg/s", "calibrated", "case2 (keda, calibrated): 5 msg/s"],
    ["case2 (keda, calibrated): 5 msg/s", "calibrated", "case2 (keda, calibrated): 5 msg/s"],
    ["spike", "legacy-15min", "spike (legacy-15min)"],
    ["gmd export", "measured", "gmd export (measured)"],
  ])("qualifyLabel(%j, %j) is %j", (label, qualifier, expected) => {
    expect(qualifyLabel(label, qualifier)).toBe(expected);
  });
});

describe("run labels", () => {
  it("name a policy other than the scenario's own in the short name", async () => {
    const label = async (policy?: "legacy-15min" | "on-demand-2022" | "keda") =>
      (await loadScenario("case2", policy === undefined ? {} : { policy })).resolved.scenario.label;
    const own = "case2: 5 msg/s × 2000 s, 20 partitions, 3 s function";
    expect(await label()).toBe(own);
    expect(await label("legacy-15min")).toBe(own);
    expect(await label("on-demand-2022")).toBe(
      "case2 (on-demand-2022): 5 msg/s × 2000 s, 20 partitions, 3 s function",
    );
    const shorts = await Promise.all(
      (["legacy-15min", "on-demand-2022", "keda"] as const).map(async (p) =>
        shortLabel(await label(p)),
      ),
    );
    expect(shorts).toEqual(["case2", "case2 (on-demand-2022)", "case2 (keda)"]);
  });

  it("take the name when a scenario has no label, and leave alone one with neither", () => {
    const { label: _l, ...unlabelled } = BUILTIN_SCENARIOS.case1!;
    expect(applyOverrides(unlabelled, { policy: "keda" }).label).toBe("case1 (keda)");
    const { name: _n, ...anonymous } = unlabelled;
    expect(applyOverrides(anonymous, { policy: "keda" }).label).toBeUndefined();
    expect(applyOverrides(BUILTIN_SCENARIOS.case1!, { seed: 7 }).label).toBe(
      BUILTIN_SCENARIOS.case1!.label,
    );
  });
});
