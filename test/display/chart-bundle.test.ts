/**
 * A chart output: PNG (2×, sized by its metadata) for front ends that hide SVG, the SVG, the
 * Vega-Lite spec under the MIME type JupyterLab renders, and a text description. The report
 * still takes the SVG, and the PNG adds nothing to its HTML.
 */
import { describe, expect, it } from "vitest";
import { VEGA_LITE_SCHEMA } from "../../src/charts/chart-style.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { lagChart } from "../../src/charts/run-charts.js";
import { chartBundle, VEGA_LITE_5_SCHEMA, VEGA_LITE_MIME } from "../../src/display/bundle.js";
import type { Json, Output } from "../../src/notebooks/nbformat.js";
import { reportContent } from "../../src/report/numbering.js";
import { renderReportHtml } from "../../src/report/render-html.js";
import { seedRun } from "../charts/chart-helpers.js";
import { pngSize } from "../charts/png.js";
import { code, nb } from "../report/report-fixtures.js";

/** The width and height attributes of an SVG document's root element. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg[^>]*>/.exec(svg)![0];
  return {
    width: Number(/\swidth="([\d.]+)"/.exec(root)![1]),
    height: Number(/\sheight="([\d.]+)"/.exec(root)![1]),
  };
}

/** A bundle as the runner stores it: a display_data output, through JSON. */
const asOutput = (bundle: { data: unknown; metadata: unknown }): Output =>
  JSON.parse(
    JSON.stringify({ output_type: "display_data", data: bundle.data, metadata: bundle.metadata }),
  ) as Output;

describe("chartBundle", () => {
  it("carries PNG, SVG, the Vega-Lite spec and text, the PNG sized by its metadata at the SVG's size", async () => {
    const run = await seedRun("case1");
    const b = await chartBundle(concurrencyChart(run));
    expect(Object.keys(b.data).sort()).toEqual(
      ["application/vnd.vegalite.v5+json", "image/png", "image/svg+xml", "text/plain"].sort(),
    );
    const svg = String(b.data["image/svg+xml"]);
    expect(svg).toMatch(/^<svg/);
    const size = svgSize(svg);
    expect(b.metadata).toEqual({ "image/png": size });
    const png = Buffer.from(String(b.data["image/png"]), "base64");
    expect(pngSize(png)).toEqual({ width: 2 * size.width, height: 2 * size.height });
  });

  it("keeps a label beside the PNG's size in the metadata", async () => {
    const b = await chartBundle(lagChart(await seedRun("case1")), { label: "fig-lag" });
    expect(b.metadata).toMatchObject({ esmlab: { label: "fig-lag" } });
    expect(Object.keys(b.metadata).sort()).toEqual(["esmlab", "image/png"]);
  });

  it("sends the spec as Vega-Lite 5, JupyterLab's type, with the v5 schema URL and nothing else changed", async () => {
    const spec = lagChart(await seedRun("case1"));
    // as JSON, as the notebook stores it (vega tags the data rows it reads with a symbol key)
    const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    const before = json(spec);
    const b = await chartBundle(spec);
    expect(VEGA_LITE_MIME).toBe("application/vnd.vegalite.v5+json");
    const sent = json(b.data[VEGA_LITE_MIME]);
    expect(sent.$schema).toBe(VEGA_LITE_5_SCHEMA);
    expect({ ...sent, $schema: VEGA_LITE_SCHEMA }).toEqual(before);
    expect(json(spec)).toEqual(before);
  });

  it("describes the chart in text/plain: title, axes with ranges and units, series", async () => {
    const run = await seedRun("case1");
    const text = String((await chartBundle(concurrencyChart(run))).data["text/plain"]);
    const lines = text.split("\n");
    expect(lines[0]).toBe(`[chart] ${run.meta.label}: concurrent invocations`);
    // case1 idles for its last minutes: the subtitle says how much the chart leaves out
    expect(lines[1]).toMatch(/^idle after .+ not drawn$/);
    expect(lines[2]).toMatch(/^x: Time since start \(min\): 0 to [\d,]+$/);
    expect(lines[3]).toMatch(/^y: Concurrent invocations: 0 to \d+$/);
    expect(lines[4]).toBe("Phase: tear-up; max-throughput; cool-down");
  });
});

describe("the report from a chart output that carries a PNG", () => {
  it("takes the SVG as the figure, and its HTML is the same as without the PNG", async () => {
    const run = await seedRun("case1");
    const withPng = asOutput(await chartBundle(lagChart(run), { label: "fig-lag" }));
    if (withPng.output_type !== "display_data") throw new Error("not display_data");
    const { "image/png": png, ...rest } = withPng.data;
    const withoutPng: Output = { ...withPng, data: rest as Record<string, Json> };
    expect(typeof png).toBe("string");

    const sections = (output: Output) =>
      reportContent([{ name: "a.ipynb", notebook: nb([code("", [output])]) }]).sections;
    const [figure] = sections(withPng)[0]!.blocks;
    expect(figure).toMatchObject({
      kind: "figure",
      number: 1,
      // the caption is what to look at (the spec's description), not the title drawn above
      caption: (lagChart(run) as { description?: string }).description,
    });
    expect(figure?.kind === "figure" && figure.body).toMatch(/^<svg/);

    const fixed = { generatedAt: new Date("2026-03-04T05:06:07Z"), gitCommit: null, title: "t" };
    const html = async (output: Output) =>
      renderReportHtml([{ name: "a.ipynb", notebook: nb([code("", [output])]) }], fixed);
    const [a, b] = [await html(withPng), await html(withoutPng)];
    expect(a).toBe(b);
    expect(a).not.toContain(String(png).slice(0, 200));
    expect(a).not.toContain("image/png");
  });
});
