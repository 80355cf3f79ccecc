/**
 * Executed notebooks → one self-contained HTML report (inline CSS and SVG, no network).
 *
 * ```
 * notebooks ─▶ collect (markdown, figures, tables, tags, data) ─▶ summary ─▶ number
 *           ─▶ resolve references ─▶ contents + provenance ─▶ model ─▶ Handlebars layout + partials (templates/report/) ─▶ HTML
 * ```
 *
 * Notebook text reaches the page only escaped (Handlebars `{{…}}`) or through the sanitisers
 * (sanitize.ts: Markdown, tables, SVG), so the page is safe without its CSP. The
 * Content-Security-Policy is a second line, put first in `<head>` by this renderer after the
 * layout has run, so a user's `--template` cannot leave it out: it forbids every network load
 * and every script but the page's own ready signal (`window.__esmlabReady = true` once fonts
 * are loaded), which the PDF printer waits for — and, only with `interactive`, the inlined
 * vega-embed script (interactive.ts), allowed by its own hash.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { EsmlabError } from "../util/errors.js";
import { ESMLAB_VERSION, gitCommit } from "../version.js";
import type { TocEntry } from "./blocks.js";
import type { ReportNotebook } from "./collect.js";
import { interactiveAssets, SPECS_ELEMENT_ID } from "./interactive.js";
import { reportContent } from "./numbering.js";
import { buildProvenance } from "./provenance.js";
import { executiveSummary, SUMMARY_TABLE_ID } from "./summary.js";
import { DEFAULT_TEMPLATE_DIR, loadTemplates } from "./templates.js";
import { whatIfHtml } from "./whatif-html.js";

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
  /** the report's file name without extension, for the provenance download (default "esmlab-report") */
  name?: string;
  /** told of the provenance file's text (JSON), which the appendix also offers for download */
  onProvenance?: (json: string) => void;
}

/** The script the PDF printer waits for; hashed into the Content-Security-Policy. */
export const READY_SCRIPT =
  "document.fonts.ready.then(function () { window.__esmlabReady = true; });";

/** Ids the layout itself uses; notebook headings are kept off them. */
const LAYOUT_IDS = [
  "top",
  "contents",
  "executive-summary",
  SUMMARY_TABLE_ID,
  "provenance",
  // a heading "Esmlab specs" must not come before the live charts' data block
  SPECS_ELEMENT_ID,
];

/**
 * Renders the report.
 *
 * @param notebooks executed notebooks, in report order
 * @throws EsmlabError when a template cannot be read or compiled, or the layout's page does not
 *   start with `<head>` (after an optional doctype and `<html>`)
 * @example
 * const html = await renderReportHtml([{ name: "01.ipynb", notebook }], { title: "Run 7" });
 * html.startsWith("<!DOCTYPE html>"); // → true
 */
export async function renderReportHtml(
  notebooks: readonly ReportNotebook[],
  options: RenderHtmlOptions = {},
): Promise<string> {
  const templates = await loadTemplates(options.templateDir);
  const content = reportContent(notebooks, {
    showCode: options.showCode ?? false,
    reservedIds: [...LAYOUT_IDS, ...notebooks.map((_nb, i) => `provenance-${i}`)],
    // the summary's conclusions table is table 1 when any notebook showed a verdict
    tablesBefore: (sections) => (executiveSummary(sections).table === null ? 0 : 1),
  });
  const summary = executiveSummary(content.sections);
  for (const warning of content.warnings) options.onWarning?.(warning);
  const generatedAt = options.generatedAt ?? new Date();
  const commit = options.gitCommit === undefined ? gitCommit() : options.gitCommit;
  const provenance = buildProvenance(notebooks, {
    esmlabVersion: ESMLAB_VERSION,
    gitCommit: commit,
    generatedAt,
    ...(options.tools === undefined ? {} : { tools: options.tools }),
    runs: new Map(content.sections.map((s) => [s.notebook, s.runs])),
    titles: new Map(content.sections.map((s) => [s.notebook, s.title])),
    title: options.title ?? "esmlab report",
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  options.onProvenance?.(provenance.json);
  const toc: TocEntry[] = [
    { level: 2, text: "Executive summary", id: "executive-summary" },
    ...content.toc,
    { level: 2, text: "Appendix: provenance", id: "provenance" },
  ];
  // what-if panels: their first state now, the same in every page; a form when interactive
  let panels = 0;
  for (const block of content.sections.flatMap((s) => s.blocks))
    if (block.kind === "whatif")
      block.html = await whatIfHtml(
        `whatif-${++panels}`,
        block.input,
        options.interactive === true,
        block.where,
      );
  const interactive =
    options.interactive === true ? await interactiveAssets(content.sections) : null;
  const scriptSrc = [READY_SCRIPT, ...(interactive === null ? [] : [interactive.script])]
    .map((script) => `'sha256-${createHash("sha256").update(script).digest("base64")}'`)
    .join(" ");
  // a panel's simulator runs in a Web Worker started from a blob: URL of the inlined bundle
  const workers = interactive?.worker ? "; worker-src blob:" : "";
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src ${scriptSrc}${workers}`;
  const page = templates.layout({
    lang: options.lang ?? "en",
    title: options.title ?? "esmlab report",
    subtitle: options.subtitle,
    date: generatedAt.toISOString().slice(0, 10),
    shortCommit: commit === null ? "unknown" : commit.slice(0, 12),
    css: templates.css,
    // the renderer adds the policy itself (withCsp); a layout may still show it
    csp,
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
  const own = options.templateDir === undefined ? null : join(options.templateDir, "layout.hbs");
  return withCsp(
    page,
    csp,
    own !== null && existsSync(own) ? own : join(DEFAULT_TEMPLATE_DIR, "layout.hbs"),
  );
}

/**
 * What may come before `<head>`: a byte-order mark, white space, comments, the doctype and the
 * `<html>` start tag. Anything else (a script, notebook content) would run or load before the
 * policy exists, so such a page is refused rather than patched.
 */
const PAGE_START =
  /^\uFEFF?(?:\s|<!--[\s\S]*?-->|<!doctype(?:\s[^>]*)?>|<html(?:\s[^>]*)?>)*<head(?:\s[^>]*)?>/i;

/**
 * Puts `<meta http-equiv="Content-Security-Policy">` first in `<head>`. A policy set by a meta
 * element applies only to what follows it (CSP 3, "The `<meta>` element":
 * https://www.w3.org/TR/CSP3/#meta-element), hence first; a layout's own policy meta,
 * if any, stays and is enforced too (every policy given must allow a load).
 *
 * @param layout the layout file, named in the error
 * @throws EsmlabError when the page does not start with `<head>`
 * @example withCsp("<!DOCTYPE html><html><head><title>t</title>", "default-src 'none'", "l.hbs")
 * // `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>t</title>`
 */
export function withCsp(html: string, csp: string, layout: string): string {
  const start = PAGE_START.exec(html);
  if (start === null) {
    throw new EsmlabError(
      `invalid report layout ${layout}: the page must start with <head> (after an optional doctype and <html>), where esmlab puts its content security policy`,
    );
  }
  const content = csp.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const meta = `<meta http-equiv="Content-Security-Policy" content="${content}">`;
  return html.slice(0, start[0].length) + meta + html.slice(start[0].length);
}
