/**
 * The live-vs-simulated findings say what the numbers say: a study built from real pieces
 * (simulated runs, a calibration), its sentences checked against those pieces' own figures.
 */
import { describe, expect, it } from "vitest";
import { sizePartitions } from "../../src/analysis/sizing.js";
import { phaseVerdict } from "../../src/blog/verdict.js";
import { calibrate } from "../../src/calibrate/calibrate.js";
import { compareRuns } from "../../src/compare/compare.js";
import { liveStudyFindings } from "../../src/compare/findings.js";
import { escapeMarkdown, markdown } from "../../src/display/markdown.js";
import { simulate } from "../../src/esm/simulate.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import { BUILTIN_SCENARIOS } from "../../src/scenario/builtins.js";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { exportAndImport } from "../calibrate/recovery.js";

describe("markdown built from values", () => {
  it("formats numbers, escapes text, and leaves Markdown values as they are", () => {
    const m = markdown`${12345.678} records from ${"case_2 *fast* @fig-x"}: ${{ markdown: "**yes**" }}`;
    expect(m.markdown).toBe("12,345.7 records from case\\_2 \\*fast\\* \\@fig-x: **yes**");
    expect(markdown`${-0.5} and ${null} and ${[1, 2000]}`.markdown).toBe("−0.5 and – and 1, 2,000");
  });

  it("escapes what would open a heading or a list only where a line starts", () => {
    expect(markdown`${"# not a heading"}`.markdown).toBe("\\# not a heading");
    expect(markdown`> ${"1. not a list"}`.markdown).toBe("> 1\\. not a list");
    expect(markdown`took ${"12.5"} min`.markdown).toBe("took 12.5 min");
    expect(escapeMarkdown("line\nbreak")).toBe("line break");
  });
});

describe("liveStudyFindings", () => {
  it("states the measured run, the preset's error, the calibration and the sizing", async () => {
    // a "measured" run: case 2's workload under an on-demand-2022 scaler evaluating every 240 s
    const truth = resolveScenario(
      {
        ...BUILTIN_SCENARIOS.case2!,
        scaler: { policy: "on-demand-2022", evaluationIntervalSec: 240, actuationDelaySec: 150 },
      },
      { source: "findings truth" },
    );
    const measured = exportAndImport(simulate(truth));
    const { resolved } = await loadScenario("case2", { policy: "on-demand-2022" });
    const presetRun = simulate(resolved);
    const calibration = await calibrate(measured, resolved, { workers: 0 });
    const calibratedRun = simulate(calibration.resolved);
    const preset = compareRuns(measured, presetRun);
    const calibrated = compareRuns(measured, calibratedRun);
    const sizing = sizePartitions(calibration.resolved, 300);
    const text = liveStudyFindings({
      measured,
      measuredVerdict: phaseVerdict(measured, fitThreePhases(measured, { partitions: 20 })),
      policy: "on-demand-2022",
      preset,
      calibration,
      calibrated,
      sizing,
    }).markdown;
    expect(text).toMatch(/^The measured run case2/);
    // three significant digits, as the report writes a ratio
    const rmse = Number(preset.view.concurrencyRmse.toPrecision(3));
    expect(text).toContain(`concurrency is off by ${rmse} per minute`);
    expect(calibration.errorAfter.concurrencyRmse).toBe(0);
    expect(text).toContain(
      "the calibrated simulation matches the measured concurrency minute by minute",
    );
    expect(text).toContain("the evaluation interval (60\u00a0s → ");
    for (const p of calibration.parameters.filter((q) => q.pinned)) {
      expect(text).toMatch(/The run pins down /);
      expect(p.path).toMatch(/^scaler\./);
    }
    expect(text).toContain(`from ${sizing.partitions} partitions on`);
    expect(text).not.toContain("synthetic");
  });
});
