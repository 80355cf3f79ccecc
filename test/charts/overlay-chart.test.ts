import { describe, expect, it } from "vitest";
import { calibrate } from "../../src/calibrate/calibrate.js";
import { overlayChart } from "../../src/charts/overlay-chart.js";
import { simulate } from "../../src/esm/simulate.js";
import { loadScenario } from "../../src/scenario/load.js";
import { asMeasured } from "../fit/fit-helpers.js";
import { schemaErrors, seedRun } from "./chart-helpers.js";

type Titled = { title: { text: string; subtitle: string } };
type Panels = {
  vconcat: [
    { encoding: { color: { scale: { domain: string[] } } } },
    { title: { text: string }; encoding: { tooltip: { title: string }[] } },
  ];
};

describe("overlayChart names its runs", () => {
  it("titles a measured run against a simulation by their short names", async () => {
    const measured = asMeasured(await seedRun("case1"), 3000);
    const spec = overlayChart(measured, await seedRun("case1", "on-demand-2022"));
    expect(schemaErrors(spec)).toEqual([]);
    expect((spec as unknown as Titled).title).toEqual({
      text: "case1 (measured) vs case1 (on-demand-2022)",
      subtitle: "per minute as CloudWatch shows it; case1 (on-demand-2022) shifted by 0 s",
    });
    const [top, bottom] = (spec as unknown as Panels).vconcat;
    expect(top.encoding.color.scale.domain).toEqual(["case1 (measured)", "case1 (on-demand-2022)"]);
    expect(bottom.title.text).toBe("case1 (on-demand-2022) − case1 (measured)");
  });

  it("never calls two simulated runs live and simulated", async () => {
    const spec = overlayChart(await seedRun("case1"), await seedRun("case1", "keda"));
    expect((spec as unknown as Titled).title.text).toBe("case1 vs case1 (keda)");
    // every text a reader sees: titles (chart, panels, axes, tooltips) and legend entries
    const shown: string[] = [];
    JSON.stringify(spec, (key, value) => {
      if ((key === "title" || key === "text" || key === "subtitle") && typeof value === "string")
        shown.push(value);
      if (key === "domain" && Array.isArray(value)) shown.push(...value.map(String));
      return value;
    });
    expect(shown.length).toBeGreaterThan(5);
    for (const text of shown) expect(text).not.toMatch(/\blive\b|simulated/i);
    const tooltip = (spec as unknown as Panels).vconcat[1].encoding.tooltip.map((t) => t.title);
    expect(tooltip).toEqual([
      "minute start (min)",
      "case1",
      "case1 (keda)",
      "case1 (keda) − case1",
    ]);
  });

  it("names a calibrated run after its preset", async () => {
    const { resolved } = await loadScenario("case2", { policy: "on-demand-2022" });
    const measured = asMeasured(await seedRun("case2"), 3000);
    const calibrated = await calibrate(measured, resolved, { params: ["evaluationIntervalSec"] });
    const spec = overlayChart(measured, simulate(calibrated.resolved));
    expect((spec as unknown as Titled).title.text).toBe(
      "case2 (measured) vs case2 (on-demand-2022, calibrated)",
    );
  });

  it("tells apart two runs whose names read the same, and keeps names it is given", async () => {
    const run = await seedRun("case1");
    const same = overlayChart(run, run) as unknown as Titled & Panels;
    expect(same.title.text).toBe("case1 [A] vs case1 [B]");
    expect(same.vconcat[0].encoding.color.scale.domain).toEqual(["case1 [A]", "case1 [B]"]);
    const given = overlayChart(run, run, { labels: ["before", "after"] }) as unknown as Titled;
    expect(given.title.text).toBe("before vs after");
    const measured = asMeasured(run, 3000);
    const named = { ...measured, meta: { ...measured.meta, label: "measured in prod" } };
    expect((overlayChart(named, run) as unknown as Titled).title.text).toBe(
      "measured in prod vs case1",
    );
  });
});
