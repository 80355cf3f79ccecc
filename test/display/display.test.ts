/**
 * Notebook outputs: a chart is one bundle with SVG, the Vega-Lite spec as a JSON object and
 * text; tables escape markup; the conclusions table carries the blog's numbers (Hexaview, Feb
 * 2023: one at a time, 900 / 3 = 300 invocations, 15-min evaluation, partitions, ~15 min
 * cool-down) beside each seed case's.
 */
import { describe, expect, it } from "vitest";
import { conclusionsTable } from "../../src/blog/conclusions.js";
import { phaseVerdict } from "../../src/blog/verdict.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { chartBundle, tableBundle } from "../../src/display/bundle.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import { simulateBuiltin } from "../helpers.js";

describe("notebook display", async () => {
  const runs = await Promise.all(
    ["case1", "case2", "case3"].map(async (c) => (await simulateBuiltin(c)).run),
  );

  it("shows a chart as SVG + Vega-Lite object + text in one bundle", async () => {
    const b = await chartBundle(concurrencyChart(runs[0]!));
    expect(String(b.data["image/svg+xml"])).toMatch(/^<svg/);
    expect(typeof b.data["application/vnd.vegalite.v5+json"]).toBe("object");
    expect(String(b.data["text/plain"])).toContain("[chart]");
  });

  it("escapes markup from data in tables", () => {
    const b = tableBundle(["run"], [["<script>alert(1)</script>"]], "labels & <b>");
    const html = String(b.data["text/html"]);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;");
    expect(html).toContain("labels &#38; &#60;b&#62;");
    expect(String(b.data["text/plain"])).toContain("<script>alert(1)</script>");
  });

  it("puts each seed case's figures beside the blog's in the conclusions table", () => {
    const t = conclusionsTable(runs.map((r) => phaseVerdict(r, fitThreePhases(r))));
    expect(t.header).toEqual(["blog's conclusion", "case1", "case2", "case3"]);
    const row = (prefix: string) => t.rows.find((r) => r[0]!.startsWith(prefix))!;
    expect(row("1.").slice(1)).toEqual(["1 (blog 1, 0%)", "1 (blog 1, 0%)", "1 (blog 1, 0%)"]);
    expect(row("2.").slice(1)).toEqual([
      "300 (blog 300, 0%)",
      "300 (blog 300, 0%)",
      "300 (blog 300, 0%)",
    ]);
    expect(row("4a. max concurrency").slice(1)).toEqual([
      "10 (blog 10, 0%)",
      "20 (blog 20, 0%)",
      "100 (blog 100, 0%)",
    ]);
    expect(t.rows).toHaveLength(6);
  });
});
