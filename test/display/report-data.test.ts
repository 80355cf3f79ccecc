/**
 * The data a notebook hands to the report: its payloads survive the notebook file (JSON) and
 * are read back checked; bad payloads are named, not trusted; labels follow Quarto's
 * `fig-` / `tbl-` convention.
 */
import { describe, expect, it } from "vitest";
import { phaseVerdict } from "../../src/blog/verdict.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { chartBundle, tableBundle } from "../../src/display/bundle.js";
import {
  parseRunRecords,
  parseVerdictRecords,
  RUNS_MIME,
  runsBundle,
  VERDICTS_MIME,
  verdictsBundle,
} from "../../src/display/report-data.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import { simulateBuiltin } from "../helpers.js";

/** What a payload looks like after a trip through the .ipynb file. */
const viaJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe("report data outputs", async () => {
  const { run } = await simulateBuiltin("case2");

  it("records a run's scenario, seed and every parameter that was not given", () => {
    const bundle = runsBundle([run]);
    expect(bundle.data["text/plain"]).toBe(
      `Recorded for the report's provenance appendix: 1 run (${run.meta.label})`,
    );
    const records = parseRunRecords(viaJson(bundle.data[RUNS_MIME]));
    if (typeof records === "string") throw new Error(records);
    const [record] = records;
    expect(record!.scenario).toEqual(viaJson(run.meta.scenario));
    expect(record!.seed).toBe(1);
    const assumed = record!.parameters.filter((p) => p.basis === "assumed").map((p) => p.path);
    expect(assumed).toEqual(run.meta.assumed);
    // the legacy era's 15-minute evaluation is documented (AWS docs until Jan 2022)
    expect(record!.parameters.find((p) => p.path === "scaler.evaluationIntervalSec")).toMatchObject(
      { value: 900, basis: "documented" },
    );
    expect(record!.parameters.some((p) => p.basis === "given")).toBe(false);
  });

  it("carries each verdict with its blog comparison, and shows it as a Markdown list", () => {
    const v = phaseVerdict(run, fitThreePhases(run));
    const bundle = verdictsBundle([v, { ...v, label: "odd*label", line: "odd*label: <b>x</b>" }]);
    const records = parseVerdictRecords(viaJson(bundle.data[VERDICTS_MIME]));
    if (typeof records === "string") throw new Error(records);
    expect(records[0]!.line).toBe(v.line);
    expect(records[0]!.conclusions.map((c) => c.figure)).toEqual(
      v.conclusions.map((c) => c.figure),
    );
    expect(bundle.data["text/markdown"]).toBe(
      `- ${v.line.replace(/[*_<>#|[\]`\\]/g, (c) => `\\${c}`)}\n- odd\\*label: \\<b\\>x\\</b\\>`,
    );
  });

  it("names the field of a malformed payload", () => {
    expect(parseRunRecords({ runs: [{ id: "x" }] })).toMatch(/^runs\.0\.label: /);
    expect(parseVerdictRecords({ verdicts: "no" })).toMatch(/^verdicts: /);
    expect(parseRunRecords(null)).toMatch(/^payload: /);
  });

  it("puts a chart's or table's label in the output metadata, and refuses a malformed one", async () => {
    const chart = await chartBundle(concurrencyChart(run), { label: "fig-case2" });
    // beside the PNG's display size (test/display/chart-bundle.test.ts)
    expect(chart.metadata).toMatchObject({ esmlab: { label: "fig-case2" } });
    expect(tableBundle(["a"], [[1]], "c", { label: "tbl-a_1" }).metadata).toEqual({
      esmlab: { label: "tbl-a_1" },
    });
    expect(() => tableBundle(["a"], [[1]], "c", { label: "fig-a" })).toThrow(
      'invalid label "fig-a" (table options): must be "tbl-" followed by letters, digits, "-" or "_"',
    );
    await expect(chartBundle(concurrencyChart(run), { label: "fig-a." })).rejects.toThrow(
      /invalid label "fig-a\." \(chart options\)/,
    );
  });
});
