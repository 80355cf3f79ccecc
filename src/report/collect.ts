/**
 * Executed notebooks → the report's content: one section per notebook, its cells turned into
 * blocks (rendered Markdown, numbered figures, numbered tables, optional code), and the
 * headings for the table of contents. Pure: no I/O, no clock.
 *
 * Cell tags (Jupyter Book / nbconvert conventions): `remove-cell` drops the cell,
 * `remove-output` drops its outputs, `hide-input` hides its code even when code is shown.
 */

import { prefixSvgIds } from "../charts/svg-ids.js";
import type { Cell, Json, MimeBundle, Notebook, Output } from "../notebooks/nbformat.js";
import { type MarkdownHeading, renderMarkdown, slugify } from "./markdown.js";
import { sanitizeSvg, sanitizeTable } from "./sanitize.js";

/** One executed notebook and the name it is known by (its file name). */
export interface ReportNotebook {
  name: string;
  notebook: Notebook;
}

/** One piece of a section; exactly one field besides `kind` is set. HTML fields are safe. */
export interface ReportBlock {
  kind: "markdown" | "figure" | "table" | "code" | "stream" | "error";
  /** markdown: the rendered HTML */
  html?: string;
  /** figure or table */
  number?: number;
  id?: string;
  caption?: string;
  /** figure: the sanitised SVG with ids prefixed; table: the sanitised table */
  body?: string;
  /** code, stream or error: plain text (escaped by the template) */
  text?: string;
  /** figure: the output's Vega-Lite spec, when it carries one (for the interactive report) */
  spec?: Json;
}

/** One notebook in the report. */
export interface ReportSection {
  id: string;
  /** the notebook's first heading, or its file name */
  title: string;
  notebook: string;
  /** true when the notebook has no level-1 heading, so the template adds one */
  needsHeading: boolean;
  blocks: ReportBlock[];
}

/** A table-of-contents entry. */
export interface TocEntry {
  level: number;
  text: string;
  id: string;
}

/** What {@link collectSections} returns. */
export interface CollectedContent {
  sections: ReportSection[];
  toc: TocEntry[];
  figureCount: number;
  tableCount: number;
}

/** Options of {@link collectSections}. */
export interface CollectOptions {
  /** show code cells (not those tagged hide-input) and their printed output (default false) */
  showCode?: boolean;
  /** ids already used elsewhere in the page, so headings do not collide with them */
  reservedIds?: Iterable<string>;
}

/**
 * Walks the notebooks in order and builds the sections. Figures and tables are numbered from 1
 * across the whole report; every id is unique in the page.
 *
 * @example collectSections([{ name: "a.ipynb", notebook: nb }]).figureCount // 2
 */
export function collectSections(
  notebooks: readonly ReportNotebook[],
  options: CollectOptions = {},
): CollectedContent {
  const used = new Set<string>(options.reservedIds ?? []);
  const uniqueId = (base: string): string => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
  const toc: TocEntry[] = [];
  const counts = { figure: 0, table: 0 };
  const sections = notebooks.map((entry): ReportSection => {
    const blocks: ReportBlock[] = [];
    const headings: MarkdownHeading[] = [];
    for (const cell of entry.notebook.cells) {
      const tags = cellTags(cell);
      if (tags.has("remove-cell")) continue;
      if (cell.cell_type === "markdown") {
        const md = renderMarkdown(cell.source, {
          headingOffset: 1,
          headingId: (text) => uniqueId(slugify(text)),
        });
        headings.push(...md.headings);
        if (md.html !== "") blocks.push({ kind: "markdown", html: md.html });
        continue;
      }
      if (cell.cell_type !== "code") continue;
      const showInput = options.showCode === true && !tags.has("hide-input");
      if (showInput && cell.source.trim() !== "") blocks.push({ kind: "code", text: cell.source });
      if (tags.has("remove-output")) continue;
      for (const output of cell.outputs) {
        const block = outputBlock(output, options.showCode === true, counts, uniqueId);
        if (block) blocks.push(block);
      }
    }
    const first = headings[0];
    const needsHeading = first === undefined || first.level !== 2;
    const title = needsHeading ? entry.name : first.text;
    const id = needsHeading ? uniqueId(slugify(entry.name)) : first.id;
    if (needsHeading) toc.push({ level: 2, text: title, id });
    for (const h of headings)
      if (h.level <= 3) toc.push({ level: h.level, text: h.text, id: h.id });
    return { id, title, notebook: entry.name, needsHeading, blocks };
  });
  return { sections, toc, figureCount: counts.figure, tableCount: counts.table };
}

function outputBlock(
  output: Output,
  showCode: boolean,
  counts: { figure: number; table: number },
  uniqueId: (base: string) => string,
): ReportBlock | null {
  switch (output.output_type) {
    case "stream":
      // printed text is for the notebook's reader (and tests), shown only alongside code
      return showCode && output.name === "stdout" && output.text.trim() !== ""
        ? { kind: "stream", text: output.text }
        : null;
    case "error":
      return { kind: "error", text: `${output.ename}: ${output.evalue}` };
    default:
      return bundleBlock(output.data, counts, uniqueId);
  }
}

function bundleBlock(
  data: MimeBundle,
  counts: { figure: number; table: number },
  uniqueId: (base: string) => string,
): ReportBlock | null {
  const svg = data["image/svg+xml"];
  if (typeof svg === "string") {
    const number = ++counts.figure;
    const id = uniqueId(`figure-${number}`);
    const spec = vegaLiteSpec(data);
    return {
      kind: "figure",
      number,
      id,
      caption: chartCaption(data) ?? `Figure ${number}`,
      body: prefixSvgIds(sanitizeSvg(svg), `${id}-`),
      ...(spec === null ? {} : { spec }),
    };
  }
  const html = data["text/html"];
  if (typeof html === "string") {
    const table = sanitizeTable(html);
    if (table.html !== "") {
      const number = ++counts.table;
      return {
        kind: "table",
        number,
        id: uniqueId(`table-${number}`),
        caption: table.caption ?? `Table ${number}`,
        body: table.html,
      };
    }
  }
  const text = data["text/plain"];
  if (typeof text === "string" && text.trim() !== "") return { kind: "stream", text };
  return null;
}

/** The output's Vega-Lite spec (any `application/vnd.vegalite.v*+json`), or null. */
function vegaLiteSpec(data: MimeBundle): Json | null {
  for (const [mime, spec] of Object.entries(data)) {
    if (/^application\/vnd\.vegalite\.v\d+\+json$/.test(mime) && isRecord(spec)) return spec;
  }
  return null;
}

/** The chart's title from its Vega-Lite spec, else from the text/plain `[chart] title`. */
function chartCaption(data: MimeBundle): string | null {
  for (const [mime, spec] of Object.entries(data)) {
    if (!mime.startsWith("application/vnd.vegalite") || !isRecord(spec)) continue;
    const title = textOf(spec.title) ?? (isRecord(spec.title) ? textOf(spec.title.text) : null);
    if (title !== null) return title;
    const description = textOf(spec.description);
    if (description !== null) return description;
  }
  const plain = data["text/plain"];
  const m = typeof plain === "string" ? /^\[chart\] (.+)$/.exec(plain.trim()) : null;
  return m && m[1] !== "chart" ? m[1]! : null;
}

function textOf(value: Json | undefined): string | null {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(" ");
  return null;
}

function cellTags(cell: Cell): Set<string> {
  const tags = cell.metadata.tags;
  return new Set(Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : []);
}

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
