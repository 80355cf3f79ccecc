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
import { EsmlabError } from "../util/errors.js";
import { formatTable } from "../util/text-table.js";

/** A Jupyter MIME bundle: `data` by MIME type, plus metadata. */
export interface MimeBundle {
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A table's cells: numbers are formatted, text is escaped in HTML. */
export type Cell = string | number | null;

/** Options of {@link chartBundle}: rendering, and a label for cross-references. */
export interface ShowChartOptions extends RenderOptions {
  /**
   * A name the report's text can refer to as `@fig-name` (Quarto's cross-reference syntax,
   * https://quarto.org/docs/authoring/cross-references.html): "fig-" then letters, digits,
   * "-" or "_". The report replaces the reference with a link "Figure N".
   */
  readonly label?: string;
}

/** Options of {@link tableBundle}. */
export interface TableOptions {
  /** A name for cross-references, `@tbl-name` in the report's text: "tbl-" then letters, digits, "-" or "_". */
  readonly label?: string;
}

/**
 * A cross-reference label, as a regular-expression source shared with the report's Markdown
 * (which finds `@label` in text): a kind prefix, then letters, digits, "-" or "_", ending on a
 * letter or digit (so "see @fig-x." ends the label before the full stop).
 */
export const LABEL_SOURCE = "(?:fig|tbl)-[A-Za-z0-9_-]*[A-Za-z0-9]";

/** A whole string that is a label. */
export const LABEL_PATTERN = new RegExp(`^${LABEL_SOURCE}$`);

/** The bundle metadata that carries a label: `{ esmlab: { label } }`. */
function labelMetadata(label: string | undefined, kind: "fig" | "tbl", where: string) {
  if (label === undefined) return {};
  if (!LABEL_PATTERN.test(label) || !label.startsWith(`${kind}-`)) {
    throw new EsmlabError(
      `invalid label ${JSON.stringify(label)} (${where}): must be "${kind}-" followed by letters, digits, "-" or "_"`,
    );
  }
  return { esmlab: { label } };
}

/**
 * A chart as one bundle: SVG (rendered server-side), the Vega-Lite spec as an object, and its
 * title as plain text.
 * @example (await chartBundle(concurrencyChart(run))).data["image/svg+xml"] // "<svg …"
 */
export async function chartBundle(
  spec: TopLevelSpec,
  options: ShowChartOptions = {},
): Promise<MimeBundle> {
  const metadata = labelMetadata(options.label, "fig", "chart options");
  const svg = await renderSvg(spec, options);
  const title = typeof spec.title === "string" ? spec.title : (spec.description ?? "chart");
  return {
    data: {
      "image/svg+xml": svg,
      "application/vnd.vegalite.v5+json": spec,
      "text/plain": `[chart] ${title}`,
    },
    metadata,
  };
}

/** A table as one bundle: an HTML table (escaped) and an aligned plain-text table. */
export function tableBundle(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  caption?: string,
  options: TableOptions = {},
): MimeBundle {
  const metadata = labelMetadata(options.label, "tbl", "table options");
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
    metadata,
  };
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
