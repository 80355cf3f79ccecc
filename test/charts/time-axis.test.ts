/**
 * What the reader of a chart sees of time, colour and scale: the x domain set by activity with
 * the idle tail noted, minutes for long runs, the Okabe–Ito palette with dashes, independent y
 * scales in small multiples, an all-zero difference said in words — on hand-made runs whose
 * answers are worked out by hand, and on the seed runs against their own summaries.
 */
import { describe, expect, it } from "vitest";
import { LINE_DASHES, LINE_WIDTH_PX, OKABE_ITO } from "../../src/charts/chart-style.js";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import {
  policyComparisonChart,
  RUN_COLORS,
  smallMultiplesChart,
} from "../../src/charts/multi-run-charts.js";
import { overlayChart } from "../../src/charts/overlay-chart.js";
import { renderSvg } from "../../src/charts/render.js";
import { lagChart } from "../../src/charts/run-charts.js";
import { concurrencyRun, rep } from "../fit/fit-helpers.js";
import { minuteRun, schemaErrors, seedRun } from "./chart-helpers.js";

type Json = Record<string, unknown>;

/** Every object in a spec (depth first), to find encodings wherever the spec nests them. */
function objects(spec: unknown): Json[] {
  const out: Json[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) {
      out.push(v as Json);
      Object.values(v).forEach(visit);
    }
  };
  visit(spec);
  return out;
}

/** The x encodings of a spec that carry a scale domain (the time axes). */
function timeDomains(spec: unknown): { field: string; title: unknown; domain: number[] }[] {
  return objects(spec)
    .map((o) => o.x)
    .filter((x): x is Json => typeof x === "object" && x !== null && "scale" in x)
    .map((x) => ({
      field: x.field as string,
      title: x.title,
      domain: (x.scale as { domain: number[] }).domain,
    }));
}

const subtitleOf = (spec: unknown): string[] => {
  const sub = ((spec as Json).title as Json).subtitle;
  return sub === undefined ? [] : Array.isArray(sub) ? (sub as string[]) : [sub as string];
};

describe("the x domain ends a little after the last activity", () => {
  // busy for 41 minutes (1 then 5 invocations in flight), then idle until 130 min (2 h 10 min)
  const idleTail = concurrencyRun([...rep(1, 20), ...rep(5, 21), ...rep(0, 89)], 60);

  it("a run idle for its last 89 minutes is drawn to 44 min (41 min + 5 %, up to a whole minute), the tail noted", () => {
    const spec = concurrencyChart(idleTail, { phases: false });
    expect(schemaErrors(spec)).toEqual([]);
    const domains = timeDomains(spec);
    expect(domains.length).toBeGreaterThan(0);
    for (const d of domains) {
      expect(d.field).toMatch(/Min$/);
      // 41 × 1.05 = 43.05 min, rounded up to the next whole minute
      expect(d.domain).toEqual([0, 44]);
    }
    // 130 − 44 = 86 minutes left out
    expect(subtitleOf(spec)).toEqual([
      "idle after 41\u00a0min; 86\u00a0min of idle tail not drawn",
    ]);
  });

  it("every time chart of a run with a long idle tail clips it: the provisioned case2 run idles from 33 min to 130 min", async () => {
    const run = await seedRun("case2", "provisioned");
    const drained = run.meta.summary.drainedAtSec!;
    // the simulation runs on long after the backlog drained (the scaler settling)
    expect(run.meta.summary.durationSec).toBeGreaterThan(3 * drained);
    for (const spec of [concurrencyChart(run), lagChart(run)]) {
      for (const d of timeDomains(spec)) {
        expect(d.domain[1]! * 60).toBeGreaterThanOrEqual(drained);
        expect(d.domain[1]! * 60).toBeLessThanOrEqual(drained * 1.1);
      }
      expect(subtitleOf(spec).join(" ")).toMatch(/^idle after .+ not drawn$/);
    }
  });

  it("the policy comparison ends after the last run's activity, not at the longest run's idle end", async () => {
    const policies = ["legacy-15min", "provisioned", "keda"] as const;
    const runs = await Promise.all(policies.map((p) => seedRun("case2", p)));
    const spec = policyComparisonChart(runs);
    expect(schemaErrors(spec)).toEqual([]);
    const lastDrain = Math.max(...runs.map((r) => r.meta.summary.drainedAtSec!));
    const longest = Math.max(...runs.map((r) => r.meta.summary.durationSec));
    expect(longest).toBeGreaterThan(2 * lastDrain);
    for (const d of timeDomains(spec)) {
      expect(d.domain[1]! * 60).toBeGreaterThanOrEqual(lastDrain);
      expect(d.domain[1]! * 60).toBeLessThanOrEqual(lastDrain * 1.1);
    }
    expect(subtitleOf(spec).join(" ")).toMatch(/^every run idle after .+ not drawn$/);
  });

  it("a run busy to its end is drawn whole, without a note", () => {
    const busy = concurrencyRun([...rep(1, 20), ...rep(5, 20)], 60);
    const spec = concurrencyChart(busy, { phases: false });
    for (const d of timeDomains(spec)) expect(d.domain).toEqual([0, 40]);
    expect(subtitleOf(spec)).toEqual([]);
  });
});

describe("time in minutes for runs over ten minutes, seconds for shorter ones", () => {
  it("a 40-minute run is labelled in minutes, its tooltips too", () => {
    const spec = concurrencyChart(concurrencyRun(rep(3, 40), 60), { phases: false });
    for (const d of timeDomains(spec))
      expect(d.title ?? "Time since start (min)").toBe("Time since start (min)");
    const tooltipTitles = objects(spec)
      .filter((o) => typeof o.title === "string" && o.type === "quantitative")
      .map((o) => o.title as string)
      .filter((t) => t.startsWith("scale event"));
    expect(tooltipTitles).toEqual(["scale event (min)"]);
  });

  it("the minute axis of a 40-minute run is drawn with ticks at a whole step of 1, 2, 5 or 10 min from 0 to 40", async () => {
    const svg = await renderSvg(
      concurrencyChart(concurrencyRun(rep(3, 40), 60), { phases: false }),
    );
    const start = svg.indexOf(
      `aria-label="X-axis titled 'Time since start (min)' for a linear scale with values from 0 to 40"`,
    );
    expect(start).toBeGreaterThan(0);
    const axis = svg.slice(start, svg.indexOf("role-axis-title", start));
    const ticks = [...axis.matchAll(/>([^<>]+)<\/text>/g)].map((m) => Number(m[1]));
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(40);
    const step = ticks[1]! - ticks[0]!;
    expect([1, 2, 5, 10]).toContain(step);
    expect(ticks).toEqual(ticks.map((_, i) => i * step));
  });

  it("a 5-minute run stays in seconds, its domain its own length", () => {
    const spec = concurrencyChart(concurrencyRun(rep(2, 30), 10), { phases: false });
    const domains = timeDomains(spec);
    for (const d of domains) {
      expect(d.field).not.toMatch(/Min$/);
      expect(d.domain).toEqual([0, 300]);
    }
    expect(domains.some((d) => d.title === "Time since start (s)")).toBe(true);
  });
});

describe("colours, dashes and scales", () => {
  // Okabe & Ito (2008), "Color Universal Design", https://jfly.uni-koeln.de/color/: the eight
  // colours as the page gives them, in RGB
  const PUBLISHED_RGB = [
    [0, 0, 0],
    [230, 159, 0],
    [86, 180, 233],
    [0, 158, 115],
    [240, 228, 66],
    [0, 114, 178],
    [213, 94, 0],
    [204, 121, 167],
  ];
  const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  const byValue = (a: number[], b: number[]) => a.join().localeCompare(b.join());

  it("the run colours are the Okabe–Ito set, all eight, yellow last", () => {
    expect(RUN_COLORS.map(rgb).sort(byValue)).toEqual([...PUBLISHED_RGB].sort(byValue));
    expect(rgb(RUN_COLORS.at(-1)!)).toEqual([240, 228, 66]);
    expect(Object.values(OKABE_ITO)).toEqual(RUN_COLORS);
  });

  it("the policy comparison gives each run its own colour and dash pattern, lines ≥ 1.5 px", async () => {
    const policies = ["legacy-15min", "on-demand-2022", "on-demand-current", "provisioned", "keda"];
    const runs = await Promise.all(policies.map((p) => seedRun("case2", p)));
    const spec = policyComparisonChart(runs);
    const encodings = objects(spec).filter((o) => "strokeDash" in o && "color" in o);
    expect(encodings).toHaveLength(2);
    for (const e of encodings) {
      const color = e.color as { field: string; scale: { range: string[] } };
      const dash = e.strokeDash as { field: string; scale: { range: number[][] } };
      expect(dash.field).toBe(color.field);
      expect(new Set(color.scale.range).size).toBe(policies.length);
      expect(new Set(dash.scale.range.map((d) => d.join())).size).toBe(policies.length);
      for (const c of color.scale.range) expect(PUBLISHED_RGB).toContainEqual(rgb(c));
    }
    const lines = objects(spec).filter((o) => o.type === "line");
    expect(lines.length).toBe(2);
    for (const l of lines) expect(l.strokeWidth).toBeGreaterThanOrEqual(1.5);
    expect(LINE_WIDTH_PX).toBeGreaterThanOrEqual(1.5);
    expect(new Set(LINE_DASHES.map((d) => d.join())).size).toBe(LINE_DASHES.length);
  });

  it("small multiples give each panel its own y scale: the seed cases' axes end at 10, 20 and 100", async () => {
    const runs = await Promise.all(["case1", "case2", "case3"].map((c) => seedRun(c)));
    const spec = smallMultiplesChart(runs);
    expect(spec).toMatchObject({ resolve: { scale: { y: "independent" } } });
    expect(schemaErrors(spec)).toEqual([]);
    const svg = await renderSvg(spec);
    const yAxes = [
      ...svg.matchAll(
        /aria-label="Y-axis titled 'Concurrent invocations' for a linear scale with values from 0 to (\d+)"/g,
      ),
    ].map((m) => Number(m[1]));
    // the plateaus are the partition counts (10, 20, 100): one labelled axis per panel
    expect(yAxes).toEqual([10, 20, 100]);
  });
});

describe("the overlay's difference panel", () => {
  it("an all-zero difference is said in the panel's title and caption, its axis −1 to 1 with whole ticks", async () => {
    const spec = overlayChart(await minuteRun(), await seedRun("case1"));
    expect(schemaErrors(spec)).toEqual([]);
    const svg = await renderSvg(spec);
    expect(svg).not.toContain("0.000000");
    expect(svg).toContain("no difference in any minute");
    expect((spec as unknown as Json).description).toMatch(/agree in every minute/);
    expect(svg).toMatch(/for a linear scale with values from −1 to 1"/);
  });

  it("a real difference keeps the data's own axis, without six-decimal ticks", async () => {
    const spec = overlayChart(await minuteRun(), await seedRun("case1", "keda"));
    const svg = await renderSvg(spec);
    expect(svg).not.toMatch(/\d\.\d{6}</);
    expect(svg).not.toContain("no difference in any minute");
    expect((spec as unknown as Json).description).toMatch(/Where the two lines part/);
  });
});
