/**
 * Notebook prose built from values: `showMarkdown` is a tagged template whose numbers go through
 * the shared formatter and whose text is escaped, so a sentence that names an input, a number or
 * a conclusion says what this run did, whatever the notebook's parameters (a static Markdown
 * cell says what the default input did).
 *
 * ```
 * showMarkdown`… ${value} …` ─▶ Markdown source (numbers formatted, text escaped)
 *   ─▶ one output: text/markdown (the report renders it as it renders Markdown cells, cross-
 *      references included) + text/html (what Jupyter shows; the classic notebook hides
 *      text/markdown while a notebook is untrusted, docs/toolchain.md) + text/plain
 * ```
 *
 * An output marked as findings (`showFindings`) is also lifted into the report's executive
 * summary, as the section's own findings.
 */
import { renderMarkdown } from "../report/markdown.js";
import { formatNumber, MISSING } from "../util/format.js";
import type { MimeBundle } from "./bundle.js";
import { display } from "./display.js";

/** Markdown source, inserted into a template as it is (not escaped). */
export interface Markdown {
  readonly markdown: string;
}

/** The metadata key of an output whose Markdown states the section's findings. */
export const FINDINGS_METADATA = "findings";

/**
 * Markdown inserted into a `markdown` template as it is: for text already written as Markdown
 * (a link, an emphasis chosen by the author), never for a value from data.
 * @example markdown`see ${rawMarkdown("[the docs](https://example.com)")}`
 */
export function rawMarkdown(source: string): Markdown {
  return { markdown: source };
}

/**
 * Markdown built from a template: a number is written by `formatNumber` (grouped, a true minus
 * sign, its precision chosen for its size), null, undefined and NaN as "–", a string escaped so
 * it reads as typed (a label "case_2 *fast*" stays that), an array as its items joined by ", ",
 * a `Markdown` value as it is.
 * @example markdown`${12345.678} records from ${"case_2"}`.markdown // "12,345.7 records from case\\_2"
 */
export function markdown(strings: TemplateStringsArray, ...values: unknown[]): Markdown {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    // where a line starts (a quote's ">" aside), a value could open a heading or a list item
    out += piece(v, /(^|\n)[ \t>]*$/.test(out)) + (strings[i + 1] ?? "");
  });
  return { markdown: out };
}

function piece(value: unknown, lineStart: boolean): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "bigint") return formatNumber(Number(value));
  if (Array.isArray(value)) return value.map((v, k) => piece(v, lineStart && k === 0)).join(", ");
  if (isMarkdown(value)) return value.markdown;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? MISSING : value.toISOString();
  return escapeMarkdown(String(value), lineStart);
}

function isMarkdown(value: unknown): value is Markdown {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { markdown?: unknown }).markdown === "string"
  );
}

/**
 * Text that reads as itself in Markdown: line breaks as spaces (a value is one line of prose);
 * the inline punctuation CommonMark may take as syntax backslash-escaped
 * (https://spec.commonmark.org/0.31.2/#backslash-escapes), and `@`, so a value is never a
 * cross-reference; at the start of a line also a leading `#`, `+`, `-`, `=` or `1.`, which
 * would open a heading or a list item.
 * @example escapeMarkdown("a_b *c*") // "a\\_b \\*c\\*"
 * @example escapeMarkdown("1. item", true) // "1\\. item"
 */
export function escapeMarkdown(text: string, lineStart = false): string {
  const inline = text.replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>|~@&]/g, "\\$&");
  return lineStart ? inline.replace(/^([#+=-])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2") : inline;
}

/** Markdown source as plain text: its backslash escapes undone. */
function plainText(source: string): string {
  return source.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

/**
 * One output of Markdown: text/markdown, its HTML (rendered and sanitised as the report renders
 * Markdown cells) and its plain source.
 * @param options.findings mark it as the section's findings, for the report's summary
 */
export function markdownBundle(source: Markdown, options: { findings?: boolean } = {}): MimeBundle {
  const { html } = renderMarkdown(source.markdown);
  return {
    data: {
      "text/markdown": source.markdown,
      "text/html": `<div class="esmlab-markdown">${html}</div>`,
      "text/plain": plainText(source.markdown),
    },
    metadata: options.findings ? { esmlab: { [FINDINGS_METADATA]: true } } : {},
  };
}

/**
 * Show Markdown built from values (see {@link markdown}) as one output.
 * @example esmlab.showMarkdown`The tear-up lasted ${tearUpSec / 60} min on ${partitions} partitions.`
 */
export function showMarkdown(strings: TemplateStringsArray, ...values: unknown[]): void {
  display(markdownBundle(markdown(strings, ...values)));
}

/**
 * Show the section's findings — a short paragraph in plain words and numbers, built with
 * {@link markdown} (or by `liveStudyFindings`) — as one output; the report also puts it at the
 * head of the section's part of the executive summary.
 * @example esmlab.showFindings(esmlab.markdown`The plateau held ${plateau} invocations.`)
 */
export function showFindings(findings: Markdown): void {
  display(markdownBundle(findings, { findings: true }));
}
