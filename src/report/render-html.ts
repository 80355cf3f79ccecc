/**
 * Executed notebooks → one self-contained HTML report (inline CSS and SVG, no network).
 *
 * ```
 * notebooks ─▶ collect (markdown, figures, tables, tags) ─▶ verdicts + provenance
 *           ─▶ model ─▶ Handlebars layout + partials (templates/report/) ─▶ HTML
 * ```
 *
 * Notebook text reaches the page only escaped (Handlebars `{{…}}`) or through the Markdown
 * renderer and the table/SVG sanitisers. A Content-Security-Policy forbids every network load
 * and every script but the page's own ready signal (`window.__esmlabReady = true` once fonts
 * are loaded), which the PDF printer waits for — and, only with `interactive`, the inlined
 * vega-embed script (interactive.ts), allowed by its own hash.
 */
import { createHash } from "node:crypto";
import { ESMLAB_VERSION, gitCommit } from "../version.js";
import { collectSections, type ReportNotebook, type TocEntry } from "./collect.js";
import { interactiveAssets } from "./interactive.js";
import { buildProvenance } from "./provenance.js";
import { executiveSummary, SUMMARY_TABLE_ID } from "./summary.js";
import { loadTemplates } from "./templates.js";

/** Options of {@link renderReportHtml}. */
export interface RenderHtmlOptions {
  /** the report's title (default "esmlab report") */
  title?: string;
  subtitle?: string;
  /** a folder of templates overriding esmlab's own (see loadTemplates) */
  templateDir?: string;
  /** show code cells (default false; cells tagged hide-input stay hidden) */
  showCode?: boolean;
  /** the report's date; pass one for reproducible output (default: now) */
  generatedAt?: Date;
  /** git commit for the provenance (default: the checkout's HEAD) */
  gitCommit?: string | null;
  /** more tool versions for the provenance appendix */
  tools?: Readonly<Record<string, string>>;
  /** the page's language (default "en") */
  lang?: string;
  /**
   * inline vega-embed (≈ 0.85 MB) and turn each figure with a Vega-Lite spec into a live chart
   * on load, its static SVG kept as the no-script and print fallback (default false)
   */
  interactive?: boolean;
  /**
   * told of each problem that does not stop the report: a cross-reference to no labelled
   * figure or table, a malformed esmlab data output (default: ignored)
   */
  onWarning?: (message: string) => void;
}

/** The script the PDF printer waits for; hashed into the Content-Security-Policy. */
export const READY_SCRIPT =
  "document.fonts.ready.then(function () { window.__esmlabReady = true; });";

/** Ids the layout itself uses; notebook headings are kept off them. */
const LAYOUT_IDS = ["top", "contents", "executive-summary", SUMMARY_TABLE_ID, "provenance"];

/**
 * Renders the report.
 *
 * @param notebooks executed notebooks, in report order
 * @throws EsmlabError when a template cannot be read or compiled
 * @example
 * const html = await renderReportHtml([{ name: "01.ipynb", notebook }], { title: "Run 7" });
 * html.startsWith("<!DOCTYPE html>"); // → true
 */
export async function renderReportHtml(
  notebooks: readonly ReportNotebook[],
  options: RenderHtmlOptions = {},
): Promise<string> {
  const templates = await loadTemplates(options.templateDir);
  const collect = (firstTableNumber: number) =>
    collectSections(notebooks, {
      showCode: options.showCode ?? false,
      reservedIds: [...LAYOUT_IDS, ...notebooks.map((_nb, i) => `provenance-${i}`)],
      firstTableNumber,
    });
  // the summary's conclusions table is table 1 when any notebook showed a verdict
  let content = collect(2);
  const summary = executiveSummary(content.sections);
  if (summary.table === null) content = collect(1);
  for (const warning of content.warnings) options.onWarning?.(warning);
  const generatedAt = options.generatedAt ?? new Date();
  const commit = options.gitCommit === undefined ? gitCommit() : options.gitCommit;
  const provenance = buildProvenance(notebooks, {
    esmlabVersion: ESMLAB_VERSION,
    gitCommit: commit,
    generatedAt,
    ...(options.tools === undefined ? {} : { tools: options.tools }),
    runs: new Map(content.sections.map((s) => [s.notebook, s.runs])),
  });
  const toc: TocEntry[] = [
    { level: 2, text: "Executive summary", id: "executive-summary" },
    ...content.toc,
    { level: 2, text: "Appendix: provenance", id: "provenance" },
  ];
  const interactive =
    options.interactive === true ? await interactiveAssets(content.sections) : null;
  const scriptSrc = [READY_SCRIPT, ...(interactive === null ? [] : [interactive.script])]
    .map((script) => `'sha256-${createHash("sha256").update(script).digest("base64")}'`)
    .join(" ");
  return templates.layout({
    lang: options.lang ?? "en",
    title: options.title ?? "esmlab report",
    subtitle: options.subtitle,
    date: generatedAt.toISOString().slice(0, 10),
    shortCommit: commit === null ? "unknown" : commit.slice(0, 12),
    css: templates.css,
    csp: `default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src ${scriptSrc}`,
    readyScript: READY_SCRIPT,
    interactive,
    toc,
    sections: content.sections,
    figureCount: content.figureCount,
    tableCount: content.tableCount,
    summary,
    failures: provenance.notebooks
      .filter((n) => n.status !== "ok" && n.status !== "not run by esmlab")
      .map((n) => `${n.name} (${n.status})`),
    provenance,
  });
}
