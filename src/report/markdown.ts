/**
 * Notebook Markdown cells → safe HTML, with markdown-it (https://github.com/markdown-it/markdown-it):
 * CommonMark (https://spec.commonmark.org/) plus GitHub's tables and strikethrough
 * (https://github.github.com/gfm/), as Jupyter shows them — ATX and setext headings,
 * paragraphs, nested lists, block quotes, fenced and indented code, rules, emphasis, code spans,
 * links, autolinks (`<https://…>`), images, `~~strike~~` and pipe tables (with column
 * alignment). Not GFM's task lists, bare-URL autolinks (linkify is off) or single-tilde strike.
 * Why markdown-it: it follows the CommonMark spec, where a hand-written subset drifts from what
 * the notebook author saw in Jupyter (the previous one flattened nested lists, turned tables
 * into pipes and `![x](y)` into "!x"); it is plain JavaScript with no DOM, tables and
 * strikethrough are built in, it ships its own types, and its token stream takes the small
 * changes below as rules.
 *
 * Set-up (one instance per process, see {@link MD}): `html: false`, so raw HTML in a cell
 * shows as text; no linkify, no typographer. What esmlab adds:
 * - **cross-references**, an inline rule: Quarto's syntax
 *   (https://quarto.org/docs/authoring/cross-references.html) `@fig-name` / `@tbl-name` becomes
 *   `<a class="xref" data-ref="fig-name">@fig-name</a>`, which {@link resolveCrossReferences}
 *   turns into a "Figure N" link once every figure is numbered (a reference may point forward).
 *   Not inside code, nor inside a link's text; `a@fig-b` (an address) is not a reference, and
 *   `\@fig-a` is the escaped, literal form;
 * - **headings**: the level moved by {@link MarkdownOptions.headingOffset} (capped at 6), an id,
 *   and the plain text kept for the table of contents;
 * - **links** go to http(s), mailto, an in-page anchor or a relative path; any other target
 *   (`javascript:`, `data:`, …) keeps its text and loses the link;
 * - **images**: the report is one self-contained page whose Content-Security-Policy allows
 *   `img-src data:` only, so an image is shown only when its URL is a data: PNG, JPEG, GIF or
 *   WebP (as is a cell attachment, `![x](attachment:name.png)`, when the cell's attachments are
 *   passed in {@link MarkdownOptions.attachments}); any other image becomes a visible note
 *   `[image: alt — x.png is not embedded in the report]`;
 * - **tables** get the report's table class and its horizontal scroller, like a notebook's
 *   `showTable` output.
 * Whatever markdown-it writes then goes through {@link sanitizeMarkdownHtml}, whose allow-list
 * is the list above: the page stays safe even if a rule here were wrong.
 *
 * Cost: one markdown-it parse and render (linear in the source) and one sanitiser pass per cell;
 * the markdown-it instance is built once per process.
 */
import MarkdownIt, { type Env, type StateCore, type StateInline, type Token } from "markdown-it";
import { escapeHtml, LABEL_SOURCE } from "../display/bundle.js";
import { MARKDOWN_IMAGE_SRC, sanitizeMarkdownHtml } from "./sanitize.js";

/** A heading met while rendering, for the table of contents. */
export interface MarkdownHeading {
  /** 1–6, after {@link MarkdownOptions.headingOffset} */
  level: number;
  /** the heading as plain text */
  text: string;
  id: string;
}

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** added to every heading level, capped at 6 (default 0) */
  headingOffset?: number;
  /** gives each heading a unique id (default: {@link slugify} without de-duplication) */
  headingId?: (text: string) => string;
  /**
   * The cell's attachments as nbformat stores them (`{ "name.png": { "image/png": base64 } }`),
   * shown for `![…](attachment:name.png)`; without them such an image is a note.
   */
  attachments?: Readonly<Record<string, unknown>> | undefined;
}

/** What {@link renderMarkdown} returns. */
export interface RenderedMarkdown {
  html: string;
  headings: MarkdownHeading[];
}

/** What one {@link renderMarkdown} call hands its rules, through markdown-it's `env`. */
interface CellEnv extends Env {
  esmlab: {
    offset: number;
    idFor: (text: string) => string;
    headings: MarkdownHeading[];
    attachments: Readonly<Record<string, unknown>> | undefined;
  };
}

/**
 * Renders Markdown source to HTML; raw HTML in the source appears as text. The result goes
 * through {@link sanitizeMarkdownHtml}, so it is safe whatever the renderer lets through.
 *
 * @example renderMarkdown("# A <b>\n\nx *y*").html
 * // '<h1 id="a-b">A &#60;b&#62;</h1>\n<p>x <em>y</em></p>'
 */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const env: CellEnv = {
    esmlab: {
      offset: options.headingOffset ?? 0,
      idFor: options.headingId ?? slugify,
      headings: [],
      attachments: options.attachments,
    },
  };
  const html = MD.render(source, env);
  return { html: sanitizeMarkdownHtml(html).trimEnd(), headings: env.esmlab.headings };
}

/**
 * A heading's anchor: lowercase ASCII letters, digits and hyphens; "section" when nothing is left.
 * @example slugify("The blog's 3 cases!") // "the-blog-s-3-cases"
 */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "section" : slug;
}

/** What a cross-reference resolves to: the target's id and the link text ("Figure 3"). */
export interface XrefTarget {
  id: string;
  text: string;
}

/**
 * Replaces the placeholders {@link renderMarkdown} left for `@fig-…` / `@tbl-…` with links;
 * an unknown label stays visible as `@label?` (marked `xref unresolved`) and is passed to
 * `onMissing`, so a broken reference is seen, never silently dropped.
 *
 * @example resolveCrossReferences(renderMarkdown("see @fig-a").html, (l) => ({ id: "figure-1", text: "Figure 1" })).html
 * // '<p>see <a class="xref" href="#figure-1">Figure 1</a></p>'
 */
export function resolveCrossReferences(
  html: string,
  resolve: (label: string) => XrefTarget | null,
  onMissing: (label: string) => void = () => {},
): string {
  return html.replace(/<a class="xref" data-ref="([^"]+)">@[^<]*<\/a>/g, (_m, label: string) => {
    const target = resolve(label);
    if (target === null) {
      onMissing(label);
      return `<span class="xref unresolved">@${label}?</span>`;
    }
    return `<a class="xref" href="#${escapeHtml(target.id)}">${escapeHtml(target.text)}</a>`;
  });
}

/**
 * A link target the report keeps: http(s), mailto, `#anchor`, or a relative path (no scheme,
 * not `//host`). Tested on markdown-it's normalised URL: entities decoded, controls %-encoded.
 */
const SAFE_LINK = /^(?:https?:|mailto:|#|(?!\/\/)[^:]*$)/i;

/** `@` and a label, read where the `@` is. */
const XREF_AT = new RegExp(`@(${LABEL_SOURCE})`, "y");

/** A character that makes a following `@fig-…` part of a word or an address, not a reference. */
const XREF_BLOCKER = /[\p{L}\p{N}_@./-]/u;

/** The image types a cell attachment may be shown as (those the sanitiser lets through). */
const ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/**
 * The inline rule for cross-references: at an `@` not preceded by a letter, digit, `_`, `@`,
 * `.`, `/` or `-`, and not inside a link's text (an anchor cannot hold another), reads a label.
 * Code spans never reach it: markdown-it's `backticks` rule has taken them whole.
 */
function crossReference(state: StateInline, silent: boolean): boolean {
  const at = state.pos;
  if (state.src.charCodeAt(at) !== 0x40 /* @ */ || state.linkLevel > 0) return false;
  if (at > 0 && XREF_BLOCKER.test(state.src[at - 1]!)) return false;
  XREF_AT.lastIndex = at;
  const m = XREF_AT.exec(state.src);
  if (m === null) return false;
  if (!silent) {
    const token = state.push("xref", "", 0);
    token.content = m[1]!;
    token.markup = "@";
  }
  state.pos += m[0].length;
  return true;
}

/**
 * The core rule run after inline parsing: headings get their level, id and table-of-contents
 * entry; tables get the report's class; links to an unsafe target are unwrapped.
 */
function reportTokens(state: StateCore): void {
  const cell = (state.env as CellEnv).esmlab;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "heading_open") {
      // markdown-it always writes heading_open, inline, heading_close
      const content = tokens[i + 1]!;
      const close = tokens[i + 2]!;
      const level = Math.max(1, Math.min(6, Number(token.tag.slice(1)) + cell.offset));
      const text = plainText(content.children ?? []);
      token.tag = close.tag = `h${level}`;
      // an empty heading (`#` alone) gets no id and no table-of-contents entry
      if (text === "") continue;
      const id = cell.idFor(text);
      token.attrSet("id", id);
      cell.headings.push({ level, text, id });
    } else if (token.type === "table_open") {
      token.attrJoin("class", "esmlab-table");
    } else if (token.type === "inline" && token.children !== null) {
      token.children = unwrapUnsafeLinks(token.children);
    }
  }
}

/** Drops the `<a>` around a link whose target is not {@link SAFE_LINK}, keeping its text. */
function unwrapUnsafeLinks(children: Token[]): Token[] {
  // CommonMark links never nest, so a link_close closes the last link_open
  let unwrapping = false;
  return children.filter((t) => {
    if (t.type === "link_open") {
      unwrapping = !SAFE_LINK.test(String(t.attrGet("href") ?? ""));
      return !unwrapping;
    }
    if (t.type === "link_close") {
      const drop = unwrapping;
      unwrapping = false;
      return !drop;
    }
    return true;
  });
}

/** Inline tokens → plain text (headings for the table of contents, image alt text). */
function plainText(tokens: readonly Token[]): string {
  let text = "";
  for (const t of tokens) {
    if (t.type === "text" || t.type === "code_inline") text += t.content;
    else if (t.type === "softbreak" || t.type === "hardbreak") text += " ";
    else if (t.type === "xref") text += `@${t.content}`;
    else if (t.type === "image") text += plainText(t.children ?? []);
  }
  return text.trim();
}

/**
 * An image: an `<img>` when its URL (or the attachment it names) is a data: PNG, JPEG, GIF or
 * WebP, the only images the report's CSP lets load; otherwise a note saying what is missing.
 */
function image(tokens: Token[], idx: number, _options: unknown, env: Env | undefined): string {
  const token = tokens[idx]!;
  const alt = plainText(token.children ?? []);
  const src = String(token.attrGet("src") ?? "");
  const attachment = /^attachment:(.+)$/i.exec(src);
  const cell = (env as CellEnv | undefined)?.esmlab;
  const url = attachment === null ? src : attachmentUrl(cell?.attachments, decode(attachment[1]!));
  if (url !== null && MARKDOWN_IMAGE_SRC.test(url)) {
    return `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}">`;
  }
  let why: string;
  if (attachment !== null) {
    const name = decode(attachment[1]!);
    why =
      cell?.attachments === undefined
        ? `attachment ${name} is not embedded in the report`
        : `attachment ${name} is not a PNG, JPEG, GIF or WebP image of this cell`;
  } else if (/^data:/i.test(src)) {
    why = "only PNG, JPEG, GIF and WebP data: images are shown";
  } else {
    why = `${shorten(MD.normalizeLinkText(src))} is not embedded in the report`;
  }
  const label = alt === "" ? why : `${alt} — ${why}`;
  return `<span class="missing-image">[image: ${escapeHtml(label)}]</span>`;
}

/** The data: URL of a cell attachment in a shown image type, or null. */
function attachmentUrl(
  attachments: Readonly<Record<string, unknown>> | undefined,
  name: string,
): string | null {
  const bundle = attachments?.[name];
  if (typeof bundle !== "object" || bundle === null) return null;
  for (const type of ATTACHMENT_TYPES) {
    const data: unknown = (bundle as Record<string, unknown>)[type];
    // nbformat allows a string or a list of lines
    const base64 = Array.isArray(data) ? data.join("") : data;
    if (typeof base64 === "string") return `data:${type};base64,${base64.replace(/\s+/g, "")}`;
  }
  return null;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function shorten(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 79)}…`;
}

/** The one markdown-it instance, shared by every call (rendering keeps no state in it). */
const MD = new MarkdownIt("default", {
  html: false,
  linkify: false,
  typographer: false,
  breaks: false,
});
// markdown-it's own check leaves a `[x](javascript:…)` as its literal source; here every target
// is parsed and `reportTokens` decides (links) or `image` does (images), keeping the link text
MD.validateLink = () => true;
MD.inline.ruler.before("emphasis", "esmlab_xref", crossReference);
MD.core.ruler.push("esmlab_report", reportTokens);
MD.renderer.rules.xref = (tokens, idx) => {
  const label = escapeHtml(tokens[idx]!.content);
  return `<a class="xref" data-ref="${label}">@${label}</a>`;
};
MD.renderer.rules.image = image;
MD.renderer.rules.table_open = (tokens, idx, options, _env, self) =>
  `<div class="scroll">\n${self.renderToken(tokens, idx, options)}`;
MD.renderer.rules.table_close = (tokens, idx, options, _env, self) =>
  `${self.renderToken(tokens, idx, options)}</div>\n`;
