/**
 * Rich outputs for notebooks: one MIME bundle per chart or table, so JupyterLab renders the live
 * chart (`application/vnd.vegalite.v5+json`, a JSON object) while nbconvert, GitHub and the
 * report fall back to the static `image/svg+xml` (nbconvert's HTML drops Vega-Lite outputs,
 * docs/toolchain.md), the classic notebook shows an untrusted notebook's chart as `image/png` (it
 * hides SVG until the notebook is trusted) and a terminal sees `text/plain`.
 *
 * Everything from data (run labels, CloudWatch labels) is HTML-escaped.
 */
import type { TopLevelSpec } from "vega-lite";
import { VEGA_LITE_SCHEMA } from "../charts/chart-style.js";
import { describeChart } from "../charts/chart-text.js";
import { canRasterize, rasterizeSvg } from "../charts/raster.js";
import { type RenderOptions, renderChart } from "../charts/render.js";
import { EsmlabError } from "../util/errors.js";
import { formatNumber, MISSING, NUMBER_KINDS, type NumberKind } from "../util/format.js";
import { escapeHtml } from "../util/html.js";
import { type CellFormat, formatTable } from "../util/text-table.js";

/** A Jupyter MIME bundle: `data` by MIME type, plus metadata. */
export interface MimeBundle {
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A table's cells: numbers are formatted (`formatNumber`), text is escaped in HTML. */
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
  /**
   * What each column's numbers are, by column index, for their rounding (`NUMBER_KINDS`:
   * "count", "seconds", "ratio", "percent", "duration", "auto"); a column not given is "auto"
   * (integers whole and grouped, others to 1 decimal from 100 and 3 below: no float artefacts).
   * A column's unit goes in its header ("start (s)"), except for "percent" and "duration",
   * whose cells carry theirs ("12.3%", "55.6 h").
   * @example ["auto", "seconds", "seconds", "count"]
   */
  readonly numberKinds?: readonly (NumberKind | undefined)[];
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
 * The Vega-Lite MIME type JupyterLab renders live. JupyterLab 4 registers
 * `application/vnd.vegalite.v3+json`, `.v4+json` and `.v5+json`, all drawn by its
 * `@jupyterlab/vega5-extension` (vega 5, vega-lite 5, vega-embed 6); there is no v6 type.
 */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** The `$schema` of the spec sent as {@link VEGA_LITE_MIME}. */
export const VEGA_LITE_5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/**
 * A chart as one bundle: PNG at 2× (shown at the SVG's size, from `metadata["image/png"]`),
 * SVG (rendered server-side), the Vega-Lite spec as an object, and a text description (title,
 * axes with ranges, series).
 * @throws Error when the spec does not render; EsmlabError for a bad label or an SVG resvg
 *   cannot read. Where @resvg/resvg-js has no binary, the bundle has no PNG (and a warning is
 *   printed once to stderr) rather than no chart.
 * @example (await chartBundle(concurrencyChart(run))).metadata["image/png"] // { width: 685, height: 324 }
 */
export async function chartBundle(
  spec: TopLevelSpec,
  options: ShowChartOptions = {},
): Promise<MimeBundle> {
  const labels = labelMetadata(options.label, "fig", "chart options");
  const { svg, marks } = await renderChart(spec, options);
  const image = rasterAvailable() ? await rasterizeSvg(svg) : null;
  const data: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = { ...labels };
  if (image !== null) {
    data["image/png"] = image.png.toString("base64");
    // nbformat output metadata keyed by MIME type; front ends size the <img> from it
    metadata["image/png"] = { width: image.width, height: image.height };
  }
  data["image/svg+xml"] = svg;
  data[VEGA_LITE_MIME] = asVegaLite5(spec);
  data["text/plain"] = describeChart(spec, marks);
  return { data, metadata };
}

/**
 * The spec as sent under {@link VEGA_LITE_MIME}: esmlab's specs declare Vega-Lite 6 (the
 * version that renders them here), and the v6 grammar the charts use (layer, facet, vconcat,
 * fold, calculate, filter, step lines, rect with x2, rules) is unchanged from v5; 6.0 moved to
 * vega 6 and ESM, with no change to the spec language. vega-embed, which JupyterLab renders
 * with, compares the `$schema` version with its own vega-lite's and logs "The input spec uses
 * Vega-Lite v6, but the current version of Vega-Lite is v5.x" otherwise, so the v5 type
 * carries the v5 schema URL. The spec is otherwise the same object.
 */
function asVegaLite5(spec: TopLevelSpec): TopLevelSpec {
  return spec.$schema === VEGA_LITE_SCHEMA ? { ...spec, $schema: VEGA_LITE_5_SCHEMA } : spec;
}

let rasterChecked: boolean | undefined;

/** Whether charts can carry a PNG; says once on stderr when they cannot. */
function rasterAvailable(): boolean {
  if (rasterChecked === undefined) {
    rasterChecked = canRasterize();
    if (!rasterChecked) {
      process.stderr.write(
        "esmlab: @resvg/resvg-js does not load here, so charts carry no PNG; Jupyter's classic " +
          "notebook shows them only once the notebook is trusted\n",
      );
    }
  }
  return rasterChecked;
}

/**
 * A table as one bundle: an HTML table (escaped) and an aligned plain-text table, their numbers
 * written alike by `formatNumber` (grouped, rounded per column kind, true minus sign). Number
 * cells are marked `class="num"` (right-aligned by the report's style), and so are the header and
 * the missing cells of a column holding only numbers; text stays left-aligned.
 * @throws EsmlabError on a malformed label or an unknown number kind
 * @example tableBundle(["t (s)"], [[356.20000000000005]], undefined, { numberKinds: ["seconds"] }).data["text/html"] // "…<td class=\"num\">356</td>…"
 */
export function tableBundle(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  caption?: string,
  options: TableOptions = {},
): MimeBundle {
  const metadata = labelMetadata(options.label, "tbl", "table options");
  const format = columnFormat(options.numberKinds ?? []);
  const text = (c: Cell, j: number) =>
    c === null ? MISSING : typeof c === "number" ? format(c, j) : c;
  // a column of numbers (missing cells allowed) has its header right-aligned over them
  const numeric = header.map(
    (_, j) =>
      rows.some((r) => typeof r[j] === "number") &&
      rows.every((r) => typeof r[j] === "number" || r[j] === null || r[j] === undefined),
  );
  const html = [
    '<table class="esmlab-table">',
    caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${header.map((h, j) => `<th${numeric[j] ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map(
      (r) =>
        `<tr>${r.map((c, j) => `<td${typeof c === "number" || (c === null && numeric[j]) ? ' class="num"' : ""}>${escapeHtml(text(c, j))}</td>`).join("")}</tr>`,
    ),
    "</tbody></table>",
  ].join("");
  const plain = formatTable(header, rows, format);
  return {
    data: {
      "text/html": html,
      "text/plain": caption === undefined ? plain : `${caption}\n\n${plain}`,
    },
    metadata,
  };
}

/** Numbers of column j written as `kinds[j]` says ("auto" when not given), kinds checked. */
function columnFormat(kinds: readonly (NumberKind | undefined)[]): CellFormat {
  kinds.forEach((kind, j) => {
    if (kind !== undefined && !Object.hasOwn(NUMBER_KINDS, kind)) {
      throw new EsmlabError(
        `invalid numberKinds[${j}]: ${JSON.stringify(kind)} (table options): must be one of ${Object.keys(NUMBER_KINDS).join(", ")}`,
      );
    }
  });
  return (value, column) => formatNumber(value, kinds[column] ?? "auto");
}

export { escapeHtml } from "../util/html.js";
