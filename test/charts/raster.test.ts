/**
 * Chart SVG → PNG with resvg, checked by a PNG reader written from the specification (png.ts)
 * and by Liberation Sans' own advance widths (the metrics table made from the TrueType files).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { canRasterize, rasterizeSvg } from "../../src/charts/raster.js";
import { renderSvg } from "../../src/charts/render.js";
import { lagChart } from "../../src/charts/run-charts.js";
import { CHART_FONT, textWidthPx } from "../../src/charts/text-width.js";
import { seedRun } from "./chart-helpers.js";
import { decodePng, inkBox, pngSize } from "./png.js";

type ResvgModule = typeof import("@resvg/resvg-js");

const LIBERATION = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";

/** The width and height attributes of an SVG document's root element. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg[^>]*>/.exec(svg)![0];
  return {
    width: Number(/\swidth="([\d.]+)"/.exec(root)![1]),
    height: Number(/\sheight="([\d.]+)"/.exec(root)![1]),
  };
}

describe("rasterizeSvg", () => {
  it("resvg loads here", () => {
    expect(canRasterize()).toBe(true);
  });

  it("rasterizeSvg(lagChart(case1)) is a PNG of twice the SVG's pixels, and reports the SVG's size", async () => {
    const svg = await renderSvg(lagChart(await seedRun("case1")));
    const size = svgSize(svg);
    const image = await rasterizeSvg(svg);
    expect({ width: image.width, height: image.height }).toEqual(size);
    expect(pngSize(image.png)).toEqual({ width: 2 * size.width, height: 2 * size.height });
  });

  it("writes the pixels resvg draws, as RGB, in fewer bytes than resvg's own PNG", async () => {
    const svg = await renderSvg(lagChart(await seedRun("case1")));
    const ours = await rasterizeSvg(svg);
    const { Resvg } = createRequire(import.meta.url)("@resvg/resvg-js") as ResvgModule;
    const theirs = new Resvg(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: "Liberation Sans" },
      fitTo: { mode: "zoom", value: 2 },
      background: "white",
    })
      .render()
      .asPng();
    const a = decodePng(ours.png);
    const b = decodePng(theirs);
    expect(a.channels).toBe(3);
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    const rgb = Buffer.alloc(b.width * b.height * 3);
    for (let i = 0, j = 0; i < b.data.length; i += b.channels) {
      rgb[j++] = b.data[i]!;
      rgb[j++] = b.data[i + 1]!;
      rgb[j++] = b.data[i + 2]!;
    }
    expect(Buffer.from(a.data).equals(rgb)).toBe(true);
    expect(ours.png.length).toBeLessThan(theirs.length * 0.7);
  });

  it("zoom 1 gives the SVG's own pixel size; 3 three times it", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect x="10" y="10" width="20" height="20"/></svg>';
    expect(pngSize((await rasterizeSvg(svg, { zoom: 1 })).png)).toEqual({ width: 120, height: 40 });
    const three = await rasterizeSvg(svg, { zoom: 3 });
    expect(pngSize(three.png)).toEqual({ width: 360, height: 120 });
    expect({ width: three.width, height: three.height }).toEqual({ width: 120, height: 40 });
  });

  it("paints a white background under a transparent SVG, and the shapes on it", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect x="20" y="0" width="20" height="20" fill="#000"/></svg>';
    const pixels = decodePng((await rasterizeSvg(svg, { zoom: 1 })).png);
    const at = (x: number, y: number) =>
      Array.from(
        pixels.data.subarray((y * 40 + x) * pixels.channels, (y * 40 + x + 1) * pixels.channels),
      );
    expect(at(5, 10).slice(0, 3)).toEqual([255, 255, 255]);
    expect(at(30, 10).slice(0, 3)).toEqual([0, 0, 0]);
    expect(inkBox(pixels)).toEqual({ left: 20, right: 39, top: 0, bottom: 19 });
  });

  // with no font found, resvg draws no glyphs; with a fallback font, the text has its widths
  it.skipIf(!existsSync(LIBERATION))(
    "draws chart text in Liberation Sans: the ink spans the font's advance widths",
    async () => {
      const text = "Concurrent invocations";
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="500" height="60"><text x="10" y="45" font-family="${CHART_FONT}" font-size="40">${text}</text></svg>`;
      const box = inkBox(decodePng((await rasterizeSvg(svg, { zoom: 1 })).png));
      expect(box).not.toBeNull();
      const advance = textWidthPx(text, 40);
      // the ink is the advance less the side bearings of "C" and "s" (a few px at 40 px)
      expect(box!.right - box!.left + 1).toBeGreaterThan(advance * 0.97);
      expect(box!.right - box!.left + 1).toBeLessThanOrEqual(advance);
      expect(box!.left).toBeGreaterThanOrEqual(10);
    },
  );

  it("rejects a zoom that is not a positive number, and an SVG resvg cannot read", async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
    await expect(rasterizeSvg(svg, { zoom: 0 })).rejects.toThrow(
      "invalid zoom: 0 (raster options): must be a positive number",
    );
    await expect(rasterizeSvg(svg, { zoom: Number.NaN })).rejects.toThrow("invalid zoom: NaN");
    await expect(rasterizeSvg("<svg")).rejects.toThrow(/^cannot rasterise chart SVG: /);
  });
});
