/**
 * Pass 1 of the report's content: executed notebooks → sections of blocks. Markdown rendered
 * (headings given unique ids), charts and tables taken with their labels and captions but not
 * yet numbered, code and printed text when code is shown, and the data the notebooks recorded.
 * Pure: no I/O, no clock.
 *
 * ```
 * collectSections (this file) ─▶ numberBlocks (numbering.ts) ─▶ resolveReferences ─▶ templates
 *   cells → blocks, headings,     figures and tables numbered,    "@fig-x" → "Figure 3"
 *   runs, verdicts                labels checked, contents
 * ```
 *
 * Cell tags (Jupyter Book / nbconvert conventions): `remove-cell` drops the cell with all its
 * outputs (cells for the test suite; the executed notebook keeps them, collapsed),
 * `remove-output` drops its outputs, `hide-input` hides its code even when code is shown.
 * esmlab's own `notebook-only` shows nothing of the cell but keeps the data it recorded: for
 * what the report gives in its own form (the blog's conclusions in the summary's table, the
 * assumed parameters in the appendix), which a notebook reader still wants in place.
 *
 * Outputs of esmlab's own MIME types (display/report-data.ts) are data, not content: the runs a
 * notebook recorded and the verdicts it showed go to the section's `runs` and `verdicts`, for
 * the provenance appendix and the executive summary. A chart or table labelled in its output
 * metadata (`{ esmlab: { label: "fig-…" } }`) can be referred to from any Markdown cell as
 * `@fig-…`; references are resolved once every figure and table is numbered.
 */

import { VEGA_LITE_SCHEMA } from "../charts/chart-style.js";
import { LABEL_PATTERN } from "../display/bundle.js";
import { FINDINGS_METADATA } from "../display/markdown.js";
import {
  parseRunRecords,
  parseVerdictRecords,
  RUNS_MIME,
  type RunRecord,
  VERDICTS_MIME,
  type VerdictRecord,
} from "../display/report-data.js";
import { WHATIF_MIME } from "../display/whatif.js";
import type { Json, MimeBundle, Notebook, Output, TextCell } from "../notebooks/nbformat.js";
import { cellTags } from "../notebooks/parameters.js";
import { parseScenario } from "../scenario/parse.js";
import { isEsmlabError } from "../util/errors.js";
import type {
  CollectedBlock,
  CollectedSection,
  FigureContent,
  PageIds,
  SectionHeading,
  TableContent,
} from "./blocks.js";
import { renderMarkdown, slugify } from "./markdown.js";
import { sanitizeSvg, sanitizeTable } from "./sanitize.js";

/** One executed notebook and the name it is known by (its file name). */
export interface ReportNotebook {
  name: string;
  notebook: Notebook;
}

/** Options of {@link collectSections}. */
export interface CollectOptions {
  /** show code cells (not those tagged hide-input) and their printed output (default false) */
  showCode?: boolean;
}

/** What {@link collectSections} returns. */
export interface Collected {
  sections: CollectedSection[];
  /** problems that do not stop the report: malformed data outputs */
  warnings: string[];
}

/**
 * Walks the notebooks in order and builds their sections; headings take ids from `ids`.
 *
 * @example collectSections([{ name: "a.ipynb", notebook: nb }], new PageIds()).sections[0].blocks
 */
export function collectSections(
  notebooks: readonly ReportNotebook[],
  ids: PageIds,
  options: CollectOptions = {},
): Collected {
  const warnings: string[] = [];
  const sections = notebooks.map((entry): CollectedSection => {
    const blocks: CollectedBlock[] = [];
    const headings: SectionHeading[] = [];
    const data = {
      runs: [] as RunRecord[],
      verdicts: [] as VerdictRecord[],
      findings: [] as string[],
    };
    const markdownBlock = (source: string, attachments?: TextCell["attachments"]) => {
      const md = renderMarkdown(source, {
        headingOffset: 1,
        headingId: (text) => ids.unique(slugify(text)),
        ...(attachments === undefined ? {} : { attachments }),
      });
      headings.push(...md.headings);
      return md.html;
    };
    entry.notebook.cells.forEach((cell, index) => {
      const tags = new Set(cellTags(cell));
      if (tags.has("remove-cell")) return;
      const shown = !tags.has(NOTEBOOK_ONLY);
      if (cell.cell_type === "markdown") {
        if (!shown) return;
        const html = markdownBlock(cell.source, cell.attachments);
        if (html !== "") blocks.push({ kind: "markdown", html });
        return;
      }
      if (cell.cell_type !== "code") return;
      const showInput = shown && options.showCode === true && !tags.has("hide-input");
      if (showInput && cell.source.trim() !== "") blocks.push({ kind: "code", text: cell.source });
      if (tags.has("remove-output")) return;
      const where = `${entry.name}, cell ${index + 1}`;
      for (const output of cell.outputs) {
        if (output.output_type === "display_data" || output.output_type === "execute_result") {
          const read = reportData(output.data, data, where);
          if (read.kind === "invalid") {
            warnings.push(`${where}: esmlab data output ignored: ${read.message}`);
            continue;
          }
          if (read.kind === "read") {
            if (read.block !== null && shown) blocks.push(read.block);
            continue;
          }
          // Markdown built by the notebook (showMarkdown, showFindings): rendered as a
          // Markdown cell is, cross-references included; findings also go to the summary
          const source = output.data["text/markdown"];
          if (typeof source === "string") {
            if (isFindings(output.metadata)) data.findings.push(renderMarkdown(source).html);
            const html = shown ? markdownBlock(source) : "";
            if (html !== "") blocks.push({ kind: "markdown", html });
            continue;
          }
        }
        const block = shown ? outputBlock(output, options.showCode === true, where) : null;
        if (block !== null) blocks.push(block);
      }
    });
    const first = headings[0];
    const needsHeading = first === undefined || first.level !== 2;
    return {
      id: needsHeading ? ids.unique(slugify(entry.name)) : first.id,
      title: needsHeading ? entry.name : first.text,
      notebook: entry.name,
      needsHeading,
      headings,
      blocks,
      ...data,
    };
  });
  return { sections, warnings };
}

/** Whether an output's metadata marks it as the section's findings (display/markdown.ts). */
function isFindings(metadata: Readonly<Record<string, Json>> | undefined): boolean {
  const own = metadata?.esmlab;
  return isRecord(own) && own[FINDINGS_METADATA] === true;
}

/** The tag of a cell shown in the notebook only; its recorded runs and verdicts still count. */
export const NOTEBOOK_ONLY = "notebook-only";

/** What {@link reportData} made of an output. */
type DataOutput =
  | { kind: "other" }
  | { kind: "invalid"; message: string }
  | { kind: "read"; block: CollectedBlock | null };

/**
 * Takes an esmlab data output into `into`. Verdicts also stay where the notebook showed them,
 * as a list; recorded runs show only in the appendix.
 */
function reportData(
  data: MimeBundle,
  into: { runs: RunRecord[]; verdicts: VerdictRecord[] },
  where: string,
): DataOutput {
  if (WHATIF_MIME in data) {
    const given = data[WHATIF_MIME];
    if (!isRecord(given) || !isRecord(given.input))
      return { kind: "invalid", message: `${WHATIF_MIME}: no scenario (input)` };
    try {
      const input = parseScenario(given.input, `${where}, what-if panel`);
      return { kind: "read", block: { kind: "whatif", input, where, html: "" } };
    } catch (err) {
      if (isEsmlabError(err)) return { kind: "invalid", message: `${WHATIF_MIME}: ${err.message}` };
      throw err;
    }
  }
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
    // the lines also stay where the notebook showed them
    return { kind: "read", block: { kind: "verdicts", verdicts } };
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

function outputBlock(output: Output, showCode: boolean, where: string): CollectedBlock | null {
  switch (output.output_type) {
    case "stream":
      // printed text is for the notebook's reader (and tests), shown only alongside code
      return showCode && output.name === "stdout" && output.text.trim() !== ""
        ? { kind: "stream", text: output.text }
        : null;
    case "error":
      return { kind: "error", text: `${output.ename}: ${output.evalue}` };
    default:
      return bundleBlock(output.data, outputLabel(output), where);
  }
}

function bundleBlock(
  data: MimeBundle,
  label: string | null,
  where: string,
): FigureContent | TableContent | CollectedBlock | null {
  const svg = data["image/svg+xml"];
  if (typeof svg === "string") {
    return {
      kind: "figure",
      label,
      where,
      caption: chartCaption(data),
      body: sanitizeSvg(svg),
      spec: vegaLiteSpec(data),
    };
  }
  const html = data["text/html"];
  if (typeof html === "string") {
    const table = sanitizeTable(html);
    if (table.html !== "") {
      return { kind: "table", label, where, caption: table.caption, body: table.html };
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

/**
 * The caption: the chart's description (what to look at) from its Vega-Lite spec, else its
 * title, else the text/plain `[chart] title`.
 */
function chartCaption(data: MimeBundle): string | null {
  for (const [mime, spec] of Object.entries(data)) {
    if (!mime.startsWith("application/vnd.vegalite") || !isRecord(spec)) continue;
    // the description says what to look at; the title, drawn in the chart, what is drawn
    const description = textOf(spec.description);
    if (description !== null) return description;
    const title = textOf(spec.title) ?? (isRecord(spec.title) ? textOf(spec.title.text) : null);
    if (title !== null) return title;
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
