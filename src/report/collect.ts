/**
 * Executed notebooks → the report's content: one section per notebook, its cells turned into
 * blocks (rendered Markdown, numbered figures, numbered tables, optional code), and the
 * headings for the table of contents. Pure: no I/O, no clock.
 *
 * Cell tags (Jupyter Book / nbconvert conventions): `remove-cell` drops the cell with all its
 * outputs (cells for the test suite; the executed notebook keeps them, collapsed),
 * `remove-output` drops its outputs, `hide-input` hides its code even when code is shown.
 *
 * Outputs of esmlab's own MIME types (display/report-data.ts) are data, not content: the runs a
 * notebook recorded and the verdicts it showed go to the section's `runs` and `verdicts`, for
 * the provenance appendix and the executive summary. A chart or table labelled in its output
 * metadata (`{ esmlab: { label: "fig-…" } }`) can be referred to from any Markdown cell as
 * `@fig-…`; references are resolved once every figure and table is numbered.
 */

import { VEGA_LITE_SCHEMA } from "../charts/chart-style.js";
import { prefixSvgIds } from "../charts/svg-ids.js";
import { escapeHtml, LABEL_PATTERN } from "../display/bundle.js";
import {
  parseRunRecords,
  parseVerdictRecords,
  RUNS_MIME,
  type RunRecord,
  VERDICTS_MIME,
  type VerdictRecord,
} from "../display/report-data.js";
import type { Json, MimeBundle, Notebook, Output } from "../notebooks/nbformat.js";
import { cellTags } from "../notebooks/parameters.js";
import {
  type MarkdownHeading,
  renderMarkdown,
  resolveCrossReferences,
  slugify,
  type XrefTarget,
} from "./markdown.js";
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
  /** runs the notebook recorded (`recordRuns`), in output order */
  runs: RunRecord[];
  /** verdicts the notebook showed (`showVerdicts`), in output order */
  verdicts: VerdictRecord[];
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
  /** labelled figures and tables: label → id and link text ("Figure 3") */
  labels: Map<string, XrefTarget>;
  /** problems met that do not stop the report: unresolved references, malformed data outputs */
  warnings: string[];
}

/** Options of {@link collectSections}. */
export interface CollectOptions {
  /** show code cells (not those tagged hide-input) and their printed output (default false) */
  showCode?: boolean;
  /** ids already used elsewhere in the page, so headings do not collide with them */
  reservedIds?: Iterable<string>;
  /** the number of the first table (default 1; the executive summary may hold table 1) */
  firstTableNumber?: number;
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
  const counts = { figure: 0, table: (options.firstTableNumber ?? 1) - 1 };
  const labels = new Map<string, XrefTarget>();
  const warnings: string[] = [];
  const sections = notebooks.map((entry): ReportSection => {
    const blocks: ReportBlock[] = [];
    const headings: MarkdownHeading[] = [];
    const section = { runs: [] as RunRecord[], verdicts: [] as VerdictRecord[] };
    entry.notebook.cells.forEach((cell, index) => {
      const tags = new Set(cellTags(cell));
      if (tags.has("remove-cell")) return;
      if (cell.cell_type === "markdown") {
        const md = renderMarkdown(cell.source, {
          headingOffset: 1,
          headingId: (text) => uniqueId(slugify(text)),
        });
        headings.push(...md.headings);
        if (md.html !== "") blocks.push({ kind: "markdown", html: md.html });
        return;
      }
      if (cell.cell_type !== "code") return;
      const showInput = options.showCode === true && !tags.has("hide-input");
      if (showInput && cell.source.trim() !== "") blocks.push({ kind: "code", text: cell.source });
      if (tags.has("remove-output")) return;
      const where = `${entry.name}, cell ${index + 1}`;
      for (const output of cell.outputs) {
        if (output.output_type === "display_data" || output.output_type === "execute_result") {
          const data = reportData(output.data, section);
          if (data.kind === "invalid") {
            warnings.push(`${where}: esmlab data output ignored: ${data.message}`);
            continue;
          }
          if (data.kind === "read") {
            if (data.block !== null) blocks.push(data.block);
            continue;
          }
        }
        const block = outputBlock(output, options.showCode === true, counts, uniqueId);
        if (block === null) continue;
        blocks.push(block);
        const label = outputLabel(output);
        if (label === null || block.number === undefined || block.id === undefined) continue;
        const kind = block.kind === "figure" ? "fig" : "tbl";
        if (!label.startsWith(`${kind}-`)) {
          warnings.push(`${where}: label ${label} is not a ${kind}- label for a ${block.kind}`);
        } else if (labels.has(label)) {
          warnings.push(`${where}: label ${label} is used twice; references go to the first`);
        } else {
          const name = block.kind === "figure" ? "Figure" : "Table";
          labels.set(label, { id: block.id, text: `${name} ${block.number}` });
        }
      }
    });
    const first = headings[0];
    const needsHeading = first === undefined || first.level !== 2;
    const title = needsHeading ? entry.name : first.text;
    const id = needsHeading ? uniqueId(slugify(entry.name)) : first.id;
    if (needsHeading) toc.push({ level: 2, text: title, id });
    for (const h of headings)
      if (h.level <= 3) toc.push({ level: h.level, text: h.text, id: h.id });
    return { id, title, notebook: entry.name, needsHeading, blocks, ...section };
  });
  for (const section of sections) {
    for (const block of section.blocks) {
      if (block.kind !== "markdown" || block.html === undefined) continue;
      block.html = resolveCrossReferences(
        block.html,
        (label) => labels.get(label) ?? null,
        (label) =>
          warnings.push(`${section.notebook}: @${label} refers to no labelled figure or table`),
      );
    }
  }
  return {
    sections,
    toc,
    figureCount: counts.figure,
    tableCount: counts.table,
    labels,
    warnings,
  };
}

/** What {@link reportData} made of an output. */
type DataOutput =
  | { kind: "other" }
  | { kind: "invalid"; message: string }
  | { kind: "read"; block: ReportBlock | null };

/**
 * Takes an esmlab data output into `into`. Verdicts also stay where the notebook showed them,
 * as a list; recorded runs show only in the appendix.
 */
function reportData(
  data: MimeBundle,
  into: { runs: RunRecord[]; verdicts: VerdictRecord[] },
): DataOutput {
  if (RUNS_MIME in data) {
    const runs = parseRunRecords(data[RUNS_MIME]);
    if (typeof runs === "string") return { kind: "invalid", message: `${RUNS_MIME}: ${runs}` };
    into.runs.push(...runs);
    return { kind: "read", block: null };
  }
  if (VERDICTS_MIME in data) {
    const verdicts = parseVerdictRecords(data[VERDICTS_MIME]);
    if (typeof verdicts === "string")
      return { kind: "invalid", message: `${VERDICTS_MIME}: ${verdicts}` };
    into.verdicts.push(...verdicts);
    const items = verdicts.map((v) => `<li>${escapeHtml(v.line)}</li>`).join("");
    return {
      kind: "read",
      block: { kind: "markdown", html: `<ul class="verdicts">${items}</ul>` },
    };
  }
  return { kind: "other" };
}

/** The cross-reference label in an output's metadata (`esmlab.label`), when it is well formed. */
function outputLabel(output: Output): string | null {
  if (output.output_type !== "display_data" && output.output_type !== "execute_result") return null;
  const meta = output.metadata.esmlab;
  const label = isRecord(meta) ? meta.label : undefined;
  return typeof label === "string" && LABEL_PATTERN.test(label) ? label : null;
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
    // the notebook's copy names Vega-Lite 5, the newest MIME type JupyterLab renders; the
    // report's live charts run the Vega-Lite esmlab builds with, which warns of any other
    if (/^application\/vnd\.vegalite\.v\d+\+json$/.test(mime) && isRecord(spec)) {
      return { ...spec, $schema: VEGA_LITE_SCHEMA };
    }
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

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
