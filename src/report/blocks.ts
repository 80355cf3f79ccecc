/**
 * The report's content model, shared by the collection passes (collect.ts → numbering.ts) and
 * the templates (templates/report/partials/block.hbs): what a notebook section holds, as data.
 * HTML appears here only as already-sanitised content (rendered Markdown, a chart's SVG, a
 * table); every element the report adds around it — captions, lists, links — is the
 * templates' job.
 */
import type { RunRecord, VerdictRecord } from "../display/report-data.js";
import type { Json } from "../notebooks/nbformat.js";
import type { ScenarioInput } from "../scenario/input.js";

/** Rendered Markdown (sanitised); cross-references still `@label` placeholders until resolved. */
export interface MarkdownBlock {
  readonly kind: "markdown";
  html: string;
}

/** Text shown as is: code (with code shown), printed output, an error. */
export interface TextBlock {
  readonly kind: "code" | "stream" | "error";
  readonly text: string;
}

/** The verdict lines a notebook showed (`showVerdicts`), where it showed them. */
/**
 * A notebook's what-if panel (`esmlab.showWhatIf`): its scenario, and the panel's HTML, which
 * the renderer fills in (report/whatif-html.ts) once it knows whether the page is interactive.
 */
export interface WhatIfBlock {
  readonly kind: "whatif";
  readonly input: ScenarioInput;
  /** notebook and cell, for messages */
  readonly where: string;
  html: string;
}

export interface VerdictsBlock {
  readonly kind: "verdicts";
  readonly verdicts: readonly VerdictRecord[];
}

/** A chart as collected: its sanitised SVG (ids not yet made unique in the page). */
export interface FigureContent {
  readonly kind: "figure";
  /** the cross-reference label from the output's metadata (`fig-…`), if any */
  readonly label: string | null;
  /** where it came from, for warnings: "a.ipynb, cell 3" */
  readonly where: string;
  /** the caption: the chart's description, else its title */
  readonly caption: string | null;
  readonly body: string;
  /** the output's Vega-Lite spec, when it carries one (for the interactive report) */
  readonly spec: Json | null;
}

/** A table as collected: its sanitised HTML. */
export interface TableContent {
  readonly kind: "table";
  readonly label: string | null;
  readonly where: string;
  readonly caption: string | null;
  readonly body: string;
}

/** A figure or table once numbered: its number across the report and its id in the page. */
export type Numbered<T extends FigureContent | TableContent> = Omit<T, "caption"> & {
  readonly number: number;
  readonly id: string;
  /** the caption, or "Figure N" / "Table N" when the output had none */
  readonly caption: string;
};

/** A block before numbering. */
export type CollectedBlock =
  | MarkdownBlock
  | TextBlock
  | VerdictsBlock
  | WhatIfBlock
  | FigureContent
  | TableContent;

/** A block of the report, numbered. */
export type ReportBlock =
  | MarkdownBlock
  | TextBlock
  | VerdictsBlock
  | WhatIfBlock
  | Numbered<FigureContent>
  | Numbered<TableContent>;

/** A heading met in a notebook's Markdown, for the contents. */
export interface SectionHeading {
  readonly level: number;
  readonly text: string;
  readonly id: string;
}

/** One notebook in the report. */
export interface Section<B = ReportBlock> {
  readonly id: string;
  /** the notebook's first heading, or its file name */
  readonly title: string;
  readonly notebook: string;
  /** true when the notebook has no level-2 heading (after the offset), so the template adds one */
  readonly needsHeading: boolean;
  readonly headings: readonly SectionHeading[];
  readonly blocks: B[];
  /** runs the notebook recorded (`recordRuns`), in output order */
  readonly runs: readonly RunRecord[];
  /** verdicts the notebook showed (`showVerdicts`), in output order */
  readonly verdicts: readonly VerdictRecord[];
  /** the section's findings as the notebook wrote them (`showFindings`), sanitised HTML */
  readonly findings: readonly string[];
}

/** A section as collected, before numbering. */
export type CollectedSection = Section<CollectedBlock>;
/** A section of the report. */
export type ReportSection = Section<ReportBlock>;

/** A table-of-contents entry. */
export interface TocEntry {
  readonly level: number;
  readonly text: string;
  readonly id: string;
}

/**
 * Ids in one page: each id handed out once, headings and figures kept off the layout's own.
 *
 * @example const ids = new PageIds(["top"]); ids.unique("top") // "top-2"
 */
export class PageIds {
  private readonly used: Set<string>;
  constructor(reserved: Iterable<string> = []) {
    this.used = new Set(reserved);
  }

  /** `base`, or `base-2`, `base-3`… when taken. */
  unique(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}
