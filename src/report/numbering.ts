/**
 * Passes 2 and 3 of the report's content, after collection (collect.ts):
 *
 * - {@link numberBlocks}: figures and tables numbered from 1 across the report (tables from
 *   `firstTable`, when the executive summary holds table 1), each given a unique id in the
 *   page, each chart's SVG ids prefixed with it (two inline SVGs must not share a gradient or
 *   clip-path id), and every label checked (`fig-` on a figure, `tbl-` on a table, once).
 * - {@link resolveReferences}: `@fig-…` / `@tbl-…` in Markdown → "Figure N" links, forward and
 *   across notebooks; a reference to nothing stays visible as `@label?` and is warned of.
 * - {@link tableOfContents}: the sections' headings to level 3.
 *
 * Pure: no I/O. Each pass returns new sections; the collected ones are not changed.
 */
import { prefixSvgIds } from "../charts/svg-ids.js";
import {
  type CollectedSection,
  type FigureContent,
  type Numbered,
  PageIds,
  type ReportBlock,
  type ReportSection,
  type TableContent,
  type TocEntry,
} from "./blocks.js";
import { collectSections, type ReportNotebook } from "./collect.js";
import { resolveCrossReferences, type XrefTarget } from "./markdown.js";

/** What {@link numberBlocks} returns. */
export interface NumberedContent {
  sections: ReportSection[];
  figureCount: number;
  /** the last table's number: tables before `firstTable` (the summary's) counted too */
  tableCount: number;
  /** labelled figures and tables: label → id and link text ("Figure 3") */
  labels: Map<string, XrefTarget>;
  /** labels on the wrong kind of block, or used twice */
  warnings: string[];
}

/**
 * Numbers the figures and tables of `sections` in order.
 * @param firstTable the number of the first table (default 1)
 * @example numberBlocks(collected.sections, new PageIds(), 2).tableCount
 */
export function numberBlocks(
  sections: readonly CollectedSection[],
  ids: PageIds,
  firstTable = 1,
): NumberedContent {
  let figures = 0;
  let tables = firstTable - 1;
  const labels = new Map<string, XrefTarget>();
  const warnings: string[] = [];
  const label = (block: FigureContent | TableContent, id: string, text: string) => {
    if (block.label === null) return;
    const prefix = block.kind === "figure" ? "fig-" : "tbl-";
    if (!block.label.startsWith(prefix)) {
      warnings.push(
        `${block.where}: label ${block.label} is not a ${prefix} label for a ${block.kind}`,
      );
    } else if (labels.has(block.label)) {
      warnings.push(
        `${block.where}: label ${block.label} is used twice; references go to the first`,
      );
    } else {
      labels.set(block.label, { id, text });
    }
  };
  const numbered = sections.map(
    (section): ReportSection => ({
      ...section,
      blocks: section.blocks.map((block): ReportBlock => {
        if (block.kind === "figure") {
          const number = ++figures;
          const id = ids.unique(`figure-${number}`);
          label(block, id, `Figure ${number}`);
          const figure: Numbered<FigureContent> = {
            ...block,
            number,
            id,
            caption: block.caption ?? `Figure ${number}`,
            body: prefixSvgIds(block.body, `${id}-`),
          };
          return figure;
        }
        if (block.kind === "table") {
          const number = ++tables;
          const id = ids.unique(`table-${number}`);
          label(block, id, `Table ${number}`);
          return { ...block, number, id, caption: block.caption ?? `Table ${number}` };
        }
        return block;
      }),
    }),
  );
  return {
    sections: numbered,
    figureCount: figures,
    tableCount: tables,
    labels,
    warnings,
  };
}

/**
 * Resolves the cross-references of every Markdown block.
 * @returns the sections with references resolved, and one warning per reference to nothing
 */
export function resolveReferences(
  sections: readonly ReportSection[],
  labels: ReadonlyMap<string, XrefTarget>,
): { sections: ReportSection[]; warnings: string[] } {
  const warnings: string[] = [];
  const resolved = sections.map(
    (section): ReportSection => ({
      ...section,
      blocks: section.blocks.map((block) =>
        block.kind !== "markdown"
          ? block
          : {
              kind: "markdown",
              html: resolveCrossReferences(
                block.html,
                (l) => labels.get(l) ?? null,
                (l) =>
                  warnings.push(`${section.notebook}: @${l} refers to no labelled figure or table`),
              ),
            },
      ),
    }),
  );
  return { sections: resolved, warnings };
}

/** The contents: each section (its own heading when the notebook has none) and its headings. */
export function tableOfContents(sections: readonly ReportSection[]): TocEntry[] {
  return sections.flatMap((s) => [
    ...(s.needsHeading ? [{ level: 2, text: s.title, id: s.id }] : []),
    ...s.headings
      .filter((h) => h.level <= 3)
      .map((h) => ({ level: h.level, text: h.text, id: h.id })),
  ]);
}

/** Options of {@link reportContent}. */
export interface ContentOptions {
  /** show code cells (not those tagged hide-input) and their printed output (default false) */
  showCode?: boolean;
  /** ids the layout uses itself; headings, figures and tables are kept off them */
  reservedIds?: Iterable<string>;
  /** how many tables the layout puts before the notebooks' (the summary's), given the sections */
  tablesBefore?: (sections: readonly CollectedSection[]) => number;
}

/** What {@link reportContent} returns. */
export interface ReportContent extends Omit<NumberedContent, "warnings"> {
  toc: TocEntry[];
  /** every pass's warnings, in order */
  warnings: string[];
}

/**
 * Every pass in order: collect, number, resolve references, contents.
 * @example reportContent([{ name: "a.ipynb", notebook }]).labels.get("fig-lag")?.text // "Figure 1"
 */
export function reportContent(
  notebooks: readonly ReportNotebook[],
  options: ContentOptions = {},
): ReportContent {
  const ids = new PageIds(options.reservedIds);
  const collected = collectSections(notebooks, ids, { showCode: options.showCode ?? false });
  const before = options.tablesBefore?.(collected.sections) ?? 0;
  const numbered = numberBlocks(collected.sections, ids, before + 1);
  const resolved = resolveReferences(numbered.sections, numbered.labels);
  return {
    ...numbered,
    sections: resolved.sections,
    toc: tableOfContents(resolved.sections),
    warnings: [...collected.warnings, ...numbered.warnings, ...resolved.warnings],
  };
}
