import { existsSync, readFileSync } from "node:fs";
import opentype from "opentype.js";
import { describe, expect, it } from "vitest";
import { CONCURRENCY_LAYERS, concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { LIBERATION_SANS_METRICS } from "../../src/charts/liberation-sans-metrics.js";
import { smallMultiplesChart } from "../../src/charts/multi-run-charts.js";
import { renderSvg } from "../../src/charts/render.js";
import { lagChart } from "../../src/charts/run-charts.js";
import { prefixSvgIds } from "../../src/charts/svg-ids.js";
import { textWidthPx, vegaTextWidth } from "../../src/charts/text-width.js";
import { SEED_CASES } from "../../src/scenario/builtins.js";
import { seedRun } from "./chart-helpers.js";

/** The `<g class="… NAME_marks">` group of a rendered mark, up to its closing tag. */
function markGroup(svg: string, name: string): string {
  const start = svg.indexOf(`${name}_marks"`);
  expect(start).toBeGreaterThan(0);
  return svg.slice(start, svg.indexOf("</g>", start));
}

describe("renderSvg", () => {
  it("renderSvg(concurrencyChart(case1)) draws the phases at x ∝ time and one rule per scale event", async () => {
    const run = await seedRun("case1");
    const spec = concurrencyChart(run, { width: 640 });
    const svg = await renderSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain(`${run.meta.label}: concurrent invocations`);
    expect(svg).toContain("Concurrent invocations</text>");
    // rects are paths "M x,y h w …": tear-up 0–900 s, max-throughput from 900 s, on an axis in
    // minutes from 0 to the window's end (the spec's domain)
    const rects = [
      ...markGroup(svg, CONCURRENCY_LAYERS.phases).matchAll(/d="M([\d.]+),[\d.]+h([\d.]+)/g),
    ];
    expect(rects).toHaveLength(3);
    const x = (spec as unknown as { layer: { encoding: { x: { scale: { domain: number[] } } } }[] })
      .layer[0]!.encoding.x;
    const endMin = x.scale.domain[1]!;
    const px = (sec: number) => (sec / 60 / endMin) * 640;
    expect(Number(rects[0]![1])).toBeCloseTo(0, 6);
    expect(Number(rects[0]![2])).toBeCloseTo(px(900), 3);
    expect(Number(rects[1]![1])).toBeCloseTo(px(900), 3);
    const rules = [
      ...markGroup(svg, CONCURRENCY_LAYERS.scaleEvents).matchAll(/translate\(([\d.]+),0\)/g),
    ];
    expect(rules.map((m) => Number(m[1]))).toEqual(
      run.meta.scaleEvents!.map((e) => expect.closeTo(px(e.tSec), 3)),
    );
  });

  it("renders the same spec to the same bytes, and again after other charts", async () => {
    const spec = smallMultiplesChart(await Promise.all(SEED_CASES.map((n) => seedRun(n))));
    const first = await renderSvg(spec);
    await renderSvg(lagChart(await seedRun("case2")));
    const [second, third] = await Promise.all([renderSvg(spec), renderSvg(spec)]);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it("ids of two rendered charts do not collide, and every reference points at its own chart", async () => {
    // facets clip their panels: the small multiples define clip paths
    const a = await renderSvg(
      smallMultiplesChart([await seedRun("case1"), await seedRun("case2")]),
    );
    const b = await renderSvg(
      smallMultiplesChart([await seedRun("case2"), await seedRun("case3")]),
    );
    const ids = (svg: string) => [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids(a).length).toBeGreaterThan(0);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    for (const svg of [a, b])
      for (const [, ref] of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids(svg)).toContain(ref);
  });

  it("renderSvg takes an explicit idPrefix", async () => {
    const spec = smallMultiplesChart([await seedRun("case1")]);
    const svg = await renderSvg(spec, { idPrefix: "fig3-" });
    expect([...svg.matchAll(/\sid="([^"]+)"/g)].every((m) => m[1]!.startsWith("fig3-"))).toBe(true);
    await expect(renderSvg(spec, { idPrefix: "3 bad" })).rejects.toThrow(/invalid idPrefix/);
  });

  it("prefixSvgIds rewrites id, url(#…) and href references, not unknown ones", () => {
    const svg =
      '<clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/><use xlink:href="#other"/>';
    expect(prefixSvgIds(svg, "p-")).toBe(
      '<clipPath id="p-clip1"/><g clip-path="url(#p-clip1)"/><use href="#p-clip1"/><use xlink:href="#other"/>',
    );
  });
});

describe("text width in Liberation Sans", () => {
  const text = "Concurrent invocations";

  it("textWidthPx('Concurrent invocations', 11) is the metrics table sum, not 0.8 × chars × size", () => {
    const { ranges, unitsPerEm, regular } = LIBERATION_SANS_METRICS;
    const widthOf = (c: number) => {
      let i = 0;
      for (const [a, b] of ranges) {
        if (c >= a && c <= b) return regular.widths[i + c - a]!;
        i += b - a + 1;
      }
      throw new Error(`not in table: ${c}`);
    };
    const sum = [...text].reduce((s, ch) => s + widthOf(ch.codePointAt(0)!), 0);
    expect(textWidthPx(text, 11)).toBeCloseTo((sum * 11) / unitsPerEm, 9);
    expect(Math.abs(textWidthPx(text, 11) - 0.8 * text.length * 11)).toBeGreaterThan(50);
    expect(textWidthPx(text, 11, "bold")).toBeGreaterThan(textWidthPx(text, 11));
    expect(textWidthPx("\u4e2d", 10)).toBeCloseTo((regular.averageWidth * 10) / unitsPerEm, 9);
  });

  const font = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf";
  it.skipIf(!existsSync(font))(
    "textWidthPx matches opentype.js reading the font file itself",
    () => {
      const bytes = readFileSync(font);
      const f = opentype.parse(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      expect(textWidthPx(text, 11)).toBeCloseTo(f.getAdvanceWidth(text, 11, { kerning: false }), 9);
    },
  );

  it("renderSvg installs the metrics into vega's textMetrics", async () => {
    await renderSvg(lagChart(await seedRun("case1")));
    const vega = (await import("vega")) as unknown as {
      textMetrics: { width: (item: object, text: string) => number };
    };
    expect(vega.textMetrics.width({ fontSize: 11 }, text)).toBeCloseTo(textWidthPx(text, 11), 9);
  });

  it("vegaTextWidth truncates to the item's limit with an ellipsis, as vega does", () => {
    const item = { fontSize: 11, limit: 60 };
    expect(vegaTextWidth(item, text)).toBeLessThanOrEqual(60);
    expect(vegaTextWidth(item, text)).toBeGreaterThan(60 - textWidthPx("W", 11));
    expect(vegaTextWidth({ fontSize: 11, fontWeight: "bold" }, ` ${text} `)).toBeCloseTo(
      textWidthPx(text, 11, "bold"),
      9,
    );
  });
});
