/**
 * A chart in words, for the `text/plain` part of its notebook output (what a terminal, a screen
 * reader or a front end that shows no image gets): the title, then each axis with its title
 * (which carries the unit, "Time since start (s)") and the range it shows, then the series and
 * panels.
 *
 * ```
 * Vega-Lite spec ─▶ panels (concat children) ─▶ leaves (layers, facet spec) ─▶ x / y / color
 * rows each mark drew (render.ts) ──────────────────────────────────────────▶ ranges, names
 * ```
 *
 * Everything comes from the spec and the rows vega drew, not from knowing esmlab's charts: an
 * axis range is the scale's domain where the spec fixes one (the time axis), else the extent of
 * the values drawn on that channel; series and panel names are the values drawn, in the order
 * the spec sorts them. Fields are read as top-level row properties (esmlab's charts use no
 * nested field paths). Cost: one pass over the drawn rows per encoded field.
 */
import type { TopLevelSpec } from "vega-lite";
import { formatNumber } from "../util/format.js";
import type { PlottedMark } from "./render.js";

type Json = Readonly<Record<string, unknown>>;

/** One axis as the text names it: its title (null when the spec hides it) and its range. */
interface AxisText {
  readonly title: string | null;
  readonly range: readonly [number, number] | null;
}

/**
 * The chart described in plain text, one fact a line: `[chart] <title>`, the subtitle, `x: …`
 * and `y: …` with ranges (`y, panel 2 (<its title>): …` where stacked panels have different y
 * axes), then the series of each colour legend and the facet panels.
 * @param spec the Vega-Lite spec that was rendered
 * @param marks the rows each mark drew, from {@link renderChart}
 * @example describeChart(lagChart(run), marks)
 * // "[chart] case1: 2 msg/s × 2000 s, …: offset lag\n" +
 * // "x: Time since start (s): 0 to 2,701\ny: Offset lag (records): 0 to 1,506"
 */
export function describeChart(spec: TopLevelSpec, marks: readonly PlottedMark[]): string {
  const root = spec as unknown as Json;
  const rows = marks.flatMap((m) => m.rows);
  const lines = [`[chart] ${titleText(root.title) ?? stringOf(root.description) ?? "chart"}`];
  const subtitle = isRecord(root.title) ? textOf(root.title.subtitle) : null;
  if (subtitle !== null) lines.push(subtitle);
  const parts = panelsOf(root);
  const panels = parts.map((panel) => leavesOf(panel, {}));
  const names = parts.map((panel, i) => {
    const title = parts.length > 1 ? titleText(panel.title) : null;
    return title === null ? `panel ${i + 1}` : `panel ${i + 1} (${title})`;
  });
  for (const channel of ["x", "y"] as const) {
    const axes = panels.map((leaves) => axisOf(leaves, channel, rows));
    lines.push(...axisLines(channel, axes, names));
  }
  lines.push(...seriesLines(panels.flat(), rows));
  const facet = root.facet;
  if (isRecord(facet) && typeof facet.field === "string") {
    const values = orderedValues(rows, facet.field, facet.sort);
    if (values.length > 0) lines.push(`panels: ${values.join("; ")}`);
  }
  return lines.join("\n");
}

/** The stacked or side-by-side parts of a chart, each with its own axes; else the chart itself. */
function panelsOf(spec: Json): Json[] {
  for (const key of ["vconcat", "hconcat", "concat"]) {
    const parts = spec[key];
    if (Array.isArray(parts)) return parts.filter(isRecord).flatMap(panelsOf);
  }
  return [spec];
}

/** The unit specs (those with a mark) under `spec`, each with the encoding it inherits. */
function leavesOf(spec: Json, inherited: Json): Json[] {
  const encoding = isRecord(spec.encoding) ? { ...inherited, ...spec.encoding } : inherited;
  if (spec.mark !== undefined) return [encoding];
  const out: Json[] = [];
  if (Array.isArray(spec.layer)) {
    for (const layer of spec.layer) if (isRecord(layer)) out.push(...leavesOf(layer, encoding));
  }
  if (isRecord(spec.spec)) out.push(...leavesOf(spec.spec, encoding));
  return out;
}

/**
 * The title and range of one positional channel over a panel's leaves: the first title given,
 * else the field of an encoding without `title` (as Vega-Lite titles it), else none (every
 * encoding hides it with `title: null`); and the union of the
 * fixed scale domains, else of the values drawn for the channel and its `2` partner (x2).
 */
function axisOf(leaves: readonly Json[], channel: "x" | "y", rows: readonly Json[]): AxisText {
  let title: string | null = null;
  let untitled: string | null = null;
  const fields = new Set<string>();
  const domains: number[] = [];
  for (const encoding of leaves) {
    const def = encoding[channel];
    if (!isRecord(def) || typeof def.field !== "string") continue;
    fields.add(def.field);
    const partner = encoding[`${channel}2`];
    if (isRecord(partner) && typeof partner.field === "string") fields.add(partner.field);
    title ??= textOf(def.title);
    if (def.title === undefined) untitled ??= def.field;
    const domain = isRecord(def.scale) ? def.scale.domain : undefined;
    if (Array.isArray(domain) && domain.length === 2 && domain.every(isFiniteNumber)) {
      domains.push(...domain);
    }
  }
  if (fields.size === 0) return { title: null, range: null };
  const range = domains.length > 0 ? extentOf(domains) : extentOf(valuesOf(rows, fields));
  return { title: title ?? untitled, range };
}

/**
 * One line per channel when every panel shows the same range under at most one title (a panel
 * may hide its title, as the upper of two stacked panels sharing a time axis does); otherwise
 * one line per panel that has the channel.
 */
function axisLines(
  channel: "x" | "y",
  axes: readonly AxisText[],
  panelNames: readonly string[],
): string[] {
  const shown = axes.filter((a) => a.range !== null || a.title !== null);
  if (shown.length === 0) return [];
  const titles = new Set(shown.flatMap((a) => (a.title === null ? [] : [a.title])));
  const ranges = new Set(shown.map((a) => (a.range === null ? "" : a.range.join(" "))));
  if (titles.size <= 1 && ranges.size === 1) {
    return [`${channel}: ${axisText({ title: [...titles][0] ?? null, range: shown[0]!.range })}`];
  }
  return axes.flatMap((axis, i) =>
    axis.range === null && axis.title === null
      ? []
      : [`${channel}, ${panelNames[i]}: ${axisText(axis)}`],
  );
}

function axisText({ title, range }: AxisText): string {
  const span = range === null ? "" : `${formatNumber(range[0])} to ${formatNumber(range[1])}`;
  if (title === null) return span === "" ? "(untitled)" : span;
  return span === "" ? title : `${title}: ${span}`;
}

/** A line per colour field: its legend title (or "series") and the names drawn, in legend order. */
function seriesLines(leaves: readonly Json[], rows: readonly Json[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const encoding of leaves) {
    const def = encoding.color;
    if (!isRecord(def) || typeof def.field !== "string" || seen.has(def.field)) continue;
    seen.add(def.field);
    const domain = isRecord(def.scale) ? def.scale.domain : undefined;
    const names = orderedValues(rows, def.field, Array.isArray(def.sort) ? def.sort : domain);
    if (names.length === 0) continue;
    lines.push(`${textOf(def.title) ?? "series"}: ${names.join("; ")}`);
  }
  return lines;
}

/** The distinct values of `field` drawn, those listed in `order` first and in its order. */
function orderedValues(rows: readonly Json[], field: string, order: unknown): string[] {
  const drawn = new Set<string>();
  for (const row of rows) {
    const v = row[field];
    if (typeof v === "string" || isFiniteNumber(v)) drawn.add(String(v));
  }
  const listed = Array.isArray(order) ? order.map(String).filter((v) => drawn.has(v)) : [];
  return [...new Set([...listed, ...drawn])];
}

function valuesOf(rows: readonly Json[], fields: ReadonlySet<string>): number[] {
  const values: number[] = [];
  for (const row of rows) {
    for (const field of fields) {
      const v = row[field];
      if (isFiniteNumber(v)) values.push(v);
    }
  }
  return values;
}

function extentOf(values: readonly number[]): readonly [number, number] | null {
  if (values.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A title's text: a string, lines joined, or the `text` of a title object. */
function titleText(title: unknown): string | null {
  return textOf(title) ?? (isRecord(title) ? textOf(title.text) : null);
}

function textOf(value: unknown): string | null {
  if (typeof value === "string") return stringOf(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return stringOf(value.join(" "));
  }
  return null;
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
