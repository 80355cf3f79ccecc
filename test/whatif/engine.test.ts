/**
 * The what-if panel's engine against esmlab's own CLI, and its browser bundle against the
 * engine: the panel must say what `esmlab simulate` and `esmlab fit` say of the same scenario,
 * and the bundle a browser runs (dist/browser/whatif-worker.js, run here in a bare V8 context
 * with only the web globals a worker has) must answer exactly as the Node code does.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledWorker } from "../../bench/whatif-vm.js";
import { phaseVerdict } from "../../src/blog/verdict.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import { loadRun } from "../../src/run/run-io.js";
import { BUILTIN_SCENARIOS } from "../../src/scenario/builtins.js";
import type { ScenarioInput } from "../../src/scenario/input.js";
import { type WhatIfAnswer, whatIf } from "../../src/whatif/engine.js";
import { describeValues, panelValues, scenarioFrom } from "../../src/whatif/form.js";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-whatif-");
const case2 = BUILTIN_SCENARIOS.case2!;

function outcome(answer: WhatIfAnswer) {
  if (!answer.ok) throw new Error(answer.message);
  return answer.outcome;
}

describe("whatIf", () => {
  const scenarios: [string, ScenarioInput][] = [
    ["case2", case2],
    ["case2 on 40 partitions", { ...case2, topic: { partitions: 40 } }],
    [
      "case2 under on-demand-current, Poisson",
      scenarioFrom(
        { ...panelValues(case2), policy: "on-demand-current", arrivals: "poisson" },
        case2,
      ),
    ],
    ["provisioned", { ...case2, scaler: { policy: "provisioned" } }],
  ];

  it.each(scenarios)("%s: prints what esmlab simulate prints", (name, input) => {
    const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, JSON.stringify(input));
    const res = runCli("simulate", file, "--out", join(dir, `run-${name.replace(/\W+/g, "-")}`));
    expect(res.code, res.err).toBe(0);
    const printed = res.out.split("\n").slice(0, -2); // less "wrote DIR" and the final newline
    const panel = outcome(whatIf(input));
    // the panel's input is the scenario as given, so the CLI's run has its label and id
    expect(panel.lines).toEqual(printed);
  });

  it("gives the verdict and concurrency chart of the run esmlab simulate writes", async () => {
    const input = { ...case2, topic: { partitions: 40 } };
    const file = join(dir, "fit-40.json");
    const runDir = join(dir, "run-fit-40");
    writeFileSync(file, JSON.stringify(input));
    expect(runCli("simulate", file, "--out", runDir).code).toBe(0);
    const run = await loadRun(runDir);
    const panel = outcome(whatIf(input));
    expect(panel.verdict).toBe(phaseVerdict(run, fitThreePhases(run)).line);
    expect(panel.verdict).toMatch(
      /^case2: tear-up 15 min at 1 invocation; plateau 40 = partitions;/,
    );
    expect(panel.charts.concurrency.datasets).toEqual(
      concurrencyChart(run, { maxPoints: 1280, title: "Concurrent invocations" }).datasets,
    );
  });

  it("shows the drain, p99 latency and, in provisioned mode, the EPU cost", () => {
    const legacy = outcome(whatIf(case2));
    expect(legacy.epu).toBeNull();
    expect(legacy.drainedAfterSec).toBeGreaterThan(0);
    expect(legacy.p99Sec).toBeGreaterThan(0);
    const provisioned = outcome(whatIf({ ...case2, scaler: { policy: "provisioned" } }));
    expect(provisioned.epu?.epuHours).toBeGreaterThan(0);
    // the policy's assumed parameters are listed
    expect(legacy.assumed).toContain("scaler.scaleUp.rule");
  });

  it("answers bad input and work beyond the budget with the CLI's line, not an exception", () => {
    expect(whatIf({ ...case2, topic: { partitions: 0 } })).toEqual({
      ok: false,
      message: expect.stringMatching(/^invalid topic\.partitions: 0 \(scenario what-if panel\)/),
    });
    const huge = whatIf({
      ...case2,
      workload: { kind: "constant", ratePerSec: 5000, durationSec: 30 * 86_400 },
    });
    expect(huge.ok).toBe(false);
    expect(huge.ok ? "" : huge.message).toMatch(/^scenario what-if panel: .*budget/);
  });
});

describe("the browser bundle", () => {
  it("answers as the Node engine does, refusals included", () => {
    const ask = bundledWorker();
    for (const input of [
      case2,
      { ...case2, topic: { partitions: 40 }, scaler: { policy: "on-demand-2022" } },
      { ...case2, scaler: { policy: "keda" } },
      { ...case2, topic: { partitions: 0 } },
    ]) {
      const browser = ask(input);
      const node = whatIf(input);
      if (browser.ok && node.ok) {
        // wall time differs; everything else is the same, to the run's id (a SHA-256)
        expect({ ...browser.outcome, simulateMs: 0 }).toEqual({ ...node.outcome, simulateMs: 0 });
      } else expect(browser).toEqual(node);
    }
  });
});

describe("the panel's form", () => {
  it("stands for the scenario it starts from", () => {
    const values = panelValues(case2);
    expect(values).toMatchObject({ partitions: 20, ratePerSec: 5, functionSec: 3, batchSize: 1 });
    const again = outcome(whatIf(scenarioFrom(values, case2)));
    // untouched, the form changes nothing but the run's name (its first line)
    expect(again.lines.slice(1)).toEqual(outcome(whatIf(case2)).lines.slice(1));
    expect(describeValues(values)).toBe(
      "5/s for 33.3\u00a0min, 20 partitions, 3 s function, batch 1, legacy-15min",
    );
  });

  it("builds a spike, a new policy's preset and the advanced values into the scenario", () => {
    const values = {
      ...panelValues(case2),
      shape: "spike" as const,
      spikeRatePerSec: 50,
      spikeStartSec: 600,
      spikeSec: 120,
      policy: "on-demand-current" as const,
      advanced: { actuationDelaySec: 30, "scaleUp.step": 3 },
    };
    const input = scenarioFrom(values, case2);
    expect(input.workload).toEqual({
      kind: "piecewise",
      pieces: [
        { durationSec: 600, ratePerSec: 5 },
        { durationSec: 120, ratePerSec: 50 },
        { durationSec: 1280, ratePerSec: 5 },
      ],
    });
    expect(input.scaler).toEqual({
      policy: "on-demand-current",
      actuationDelaySec: 30,
      scaleUp: { step: 3 },
    });
    // and back: the form reads its own spike
    expect(panelValues(input)).toMatchObject({
      shape: "spike",
      spikeRatePerSec: 50,
      spikeSec: 120,
    });
    const resolved = outcome(whatIf(input)).parameters;
    expect(resolved["scaler.actuationDelaySec"]).toEqual({ value: 30, basis: "given" });
  });
});
