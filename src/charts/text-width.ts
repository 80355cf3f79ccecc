/**
 * Text width in Liberation Sans from the font's own advance widths, so server-side layout
 * (axis title offsets, legend columns, truncation) matches what a browser or Chromium's PDF
 * draws with that font — vega without `canvas` guesses 0.8 × characters × font size instead.
 *
 * Widths come from {@link LIBERATION_SANS_METRICS} (generated from the TrueType files by
 * scripts/gen-font-metrics.mjs). Kerning is not applied; a character missing from the table
 * counts as the font's mean printable-ASCII advance. Cost: O(characters), one Map lookup each.
 */
import { LIBERATION_SANS_METRICS } from "./liberation-sans-metrics.js";

/** The two weights the table holds. */
export const FONT_WEIGHTS = { regular: "regular", bold: "bold" } as const;
export type FontWeight = keyof typeof FONT_WEIGHTS;

/** The font family every esmlab chart uses (Arial is metric-compatible, as a fallback). */
export const CHART_FONT = "Liberation Sans, Arial, Helvetica, sans-serif";

const advances: Record<FontWeight, Map<number, number>> = {
  regular: advanceMap("regular"),
  bold: advanceMap("bold"),
};

function advanceMap(weight: FontWeight): Map<number, number> {
  const { ranges } = LIBERATION_SANS_METRICS;
  const { widths } = LIBERATION_SANS_METRICS[weight];
  const map = new Map<number, number>();
  let i = 0;
  for (const [first, last] of ranges)
    for (let c = first; c <= last; c++) map.set(c, widths[i++] ?? 0);
  return map;
}

/**
 * Width of one line of text in Liberation Sans, in pixels (sum of advance widths, no kerning).
 * @param text the text; measured as given (no trimming)
 * @param fontSizePx font size in px (CSS px = user units of the SVG)
 * @param weight "regular" (default) or "bold"
 * @example textWidthPx("Concurrent invocations", 11) // 112.50 (0.8 × 22 × 11 would be 193.6)
 */
export function textWidthPx(
  text: string,
  fontSizePx: number,
  weight: FontWeight = "regular",
): number {
  const map = advances[weight];
  const fallback = LIBERATION_SANS_METRICS[weight].averageWidth;
  let units = 0;
  for (const ch of text) units += map.get(ch.codePointAt(0)!) ?? fallback;
  return (units * fontSizePx) / LIBERATION_SANS_METRICS.unitsPerEm;
}

/** CSS/vega font weight → the table's weight: bold for "bold", "bolder" and 600 or more. */
export function fontWeightOf(weight: unknown): FontWeight {
  if (weight === "bold" || weight === "bolder") return "bold";
  const n = typeof weight === "number" ? weight : typeof weight === "string" ? Number(weight) : 0;
  return n >= 600 ? "bold" : "regular";
}

/** The fields of a vega scenegraph text item that width measurement reads. */
export interface TextItem {
  readonly fontSize?: number | string | null;
  readonly fontWeight?: unknown;
  readonly limit?: number | null;
  readonly ellipsis?: string | null;
  readonly dir?: string | null;
}

/**
 * A drop-in for vega's `textMetrics.width(item, text)`: the width of `text` (trimmed, and cut
 * with an ellipsis to `item.limit` as vega's own truncation does) in the item's font size and
 * weight. Measures every family as Liberation Sans: esmlab charts pin their font to it.
 */
export function vegaTextWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
  const str = text == null ? "" : String(text).trim();
  if (size <= 0 || str === "") return 0;
  const weight = fontWeightOf(item.fontWeight);
  const width = (s: string) => textWidthPx(s, size, weight);
  const limit = Number(item.limit ?? 0);
  return width(
    limit > 0 ? truncated(str, limit, width, item.ellipsis ?? "…", item.dir === "rtl") : str,
  );
}

/**
 * vega-scenegraph's `truncate` (text.js): the longest prefix (suffix when right-to-left) that
 * fits in `limit` with the ellipsis, found by bisection. Reimplemented because vega's calls
 * back into `textMetrics.width`, which would recurse into this one.
 */
function truncated(
  text: string,
  limitPx: number,
  width: (s: string) => number,
  ellipsis: string,
  rtl: boolean,
): string {
  if (width(text) < limitPx) return text;
  const limit = limitPx - width(ellipsis);
  let lo = 0;
  let hi = text.length;
  if (rtl) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (width(text.slice(mid)) > limit) lo = mid + 1;
      else hi = mid;
    }
    return ellipsis + text.slice(lo);
  }
  while (lo < hi) {
    const mid = 1 + ((lo + hi) >>> 1);
    if (width(text.slice(0, mid)) < limit) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + ellipsis;
}
