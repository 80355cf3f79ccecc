/**
 * Rich outputs for notebooks: one MIME bundle per chart or table, so JupyterLab renders the live
 * chart (`application/vnd.vegalite.v5+json`, a JSON object) while nbconvert, GitHub and the
 * report fall back to the static `image/svg+xml` (nbconvert's HTML drops Vega-Lite outputs,
 * toolchain.md) and a terminal sees `text/plain`.
 *
 * Everything from data (run labels, CloudWatch labels) is HTML-escaped.
 */
import type { TopLevelSpec } from "vega-lite";
import { type RenderOptions, renderSvg } from "../charts/render.js";
import { formatTable } from "../util/text-table.js";

/** A Jupyter MIME bundle: `data` by MIME type, plus metadata. */
export interface MimeBundle {
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A table's cells: numbers are formatted, text is escaped in HTML. */
export type Cell = string | number | null;

/**
 * A chart as one bundle: SVG (rendered server-side), the Vega-Lite spec as an object, and its
 * title as plain text.
 * @example (await chartBundle(concurrencyChart(run))).data["image/svg+xml"] // "<svg …"
 */
export async function chartBundle(
  spec: TopLevelSpec,
  options: RenderOptions = {},
): Promise<MimeBundle> {
  const svg = await renderSvg(spec, options);
  const title = typeof spec.title === "string" ? spec.title : (spec.description ?? "chart");
  return {
    data: {
      "image/svg+xml": svg,
      "application/vnd.vegalite.v5+json": spec,
      "text/plain": `[chart] ${title}`,
    },
    metadata: {},
  };
}

/** A table as one bundle: an HTML table (escaped) and an aligned plain-text table. */
export function tableBundle(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  caption?: string,
): MimeBundle {
  const text = (c: Cell) => (c === null ? "–" : c);
  const html = [
    '<table class="esmlab-table">',
    caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map(
      (r) =>
        `<tr>${r.map((c) => `<td${typeof c === "number" ? ' class="num"' : ""}>${escapeHtml(String(text(c)))}</td>`).join("")}</tr>`,
    ),
    "</tbody></table>",
  ].join("");
  const plain = formatTable(header, rows);
  return {
    data: {
      "text/html": html,
      "text/plain": caption === undefined ? plain : `${caption}\n\n${plain}`,
    },
    metadata: {},
  };
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
