/**
 * A small, safe Markdown subset for notebook text cells: ATX headings, paragraphs, bullet and
 * numbered lists (one level), fenced code, block quotes, horizontal rules, and inline code,
 * bold, italic and links. Raw HTML is never passed through: every character of the source is
 * escaped first, and only the constructs above add tags. Link targets are limited to http(s),
 * mailto, in-page anchors and relative paths, so no `javascript:` URL reaches the page.
 *
 * Cross-references use Quarto's syntax (https://quarto.org/docs/authoring/cross-references.html):
 * `@fig-name` and `@tbl-name` become `<a class="xref" data-ref="fig-name">@fig-name</a>`, which
 * {@link resolveCrossReferences} turns into "Figure N" links once the figures are numbered
 * (a reference may point forward). Not inside code spans or fences; `a@fig-b` (an address) is
 * not a reference.
 *
 * Cost: one pass over the lines, a few regular-expression passes per inline run.
 */
import { escapeHtml, LABEL_SOURCE } from "../display/bundle.js";
import { sanitizeMarkdownHtml } from "./sanitize.js";

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
}

/** What {@link renderMarkdown} returns. */
export interface RenderedMarkdown {
  html: string;
  headings: MarkdownHeading[];
}

/**
 * Renders Markdown source to HTML; raw HTML in the source appears as text. The result goes
 * through {@link sanitizeMarkdownHtml}, so it is safe whatever the renderer lets through.
 *
 * @example renderMarkdown("# A <b>\n\nx *y*").html
 * // '<h1 id="a-b">A &#60;b&#62;</h1>\n<p>x <em>y</em></p>'
 */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const offset = options.headingOffset ?? 0;
  const idFor = options.headingId ?? slugify;
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  const headings: MarkdownHeading[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence[1]!); i++) {
        body.push(lines[i]!);
      }
      i++;
      out.push(`<pre><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]!.length + offset);
      const text = plainText(heading[2]!);
      const id = idFor(text);
      headings.push({ level, text, id });
      out.push(`<h${level} id="${escapeHtml(id)}">${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push("<hr>");
      i++;
      continue;
    }
    const item = listItem(line);
    if (item) {
      const tag = item.ordered ? "ol" : "ul";
      const items: string[] = [];
      while (i < lines.length) {
        const next = listItem(lines[i]!);
        if (next && next.ordered === item.ordered) {
          items.push(next.text);
        } else if (items.length > 0 && /^\s+\S/.test(lines[i]!)) {
          items[items.length - 1] += ` ${lines[i]!.trim()}`;
        } else {
          break;
        }
        i++;
      }
      out.push(`<${tag}>${items.map((t) => `<li>${inline(t)}</li>`).join("")}</${tag}>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i]!); i++) {
        quoted.push(lines[i]!.replace(/^\s*>\s?/, ""));
      }
      out.push(`<blockquote><p>${inline(quoted.join(" "))}</p></blockquote>`);
      continue;
    }
    if (line.trim() === "") {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && !startsBlock(lines[i]!); i++) para.push(lines[i]!.trim());
    out.push(`<p>${inline(para.join(" "))}</p>`);
  }
  // the constructs above are meant to be safe by themselves; the sanitiser makes sure
  return { html: sanitizeMarkdownHtml(out.join("\n")), headings };
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

function startsBlock(line: string): boolean {
  return (
    line.trim() === "" ||
    /^(#{1,6})\s/.test(line) ||
    /^\s*(```|~~~|>)/.test(line) ||
    listItem(line) !== null
  );
}

function listItem(line: string): { ordered: boolean; text: string } | null {
  const m = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/.exec(line);
  if (!m) return null;
  return { ordered: m[2] !== undefined, text: m[3]! };
}

/** Inline markup → plain text, for the table of contents and ids. */
function plainText(md: string): string {
  return md
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, "$2")
    .trim();
}

/** `@fig-…` / `@tbl-…` not preceded by a word character, "@", ".", "/" or "-". */
const XREF = new RegExp(`(?<![\\w@./-])@(${LABEL_SOURCE})`, "g");

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

const SAFE_URL = /^(?:https?:|mailto:|#|[^:]*$)/i;

/** Escapes, then adds code, links, bold and italic. Code spans are set aside first. */
function inline(md: string): string {
  const codes: string[] = [];
  // escaped text holds no "<", so "<n>" placeholders cannot collide with content
  let s = "";
  let last = 0;
  for (const m of md.matchAll(/`([^`]+)`/g)) {
    const at = m.index ?? 0;
    s += `${escapeHtml(md.slice(last, at))}<${codes.length}>`;
    codes.push(`<code>${escapeHtml(m[1]!)}</code>`);
    last = at + m[0].length;
  }
  s += escapeHtml(md.slice(last));
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_all, text: string, url: string) => {
    const raw = unescapeEntities(url);
    if (!SAFE_URL.test(raw)) return text;
    return `<a href="${escapeHtml(raw)}">${text}</a>`;
  });
  s = s.replace(XREF, (_m, label: string) => `<a class="xref" data-ref="${label}">@${label}</a>`);
  s = s.replace(/(\*\*|__)(\S(?:.*?\S)?)\1/g, "<strong>$2</strong>");
  s = s.replace(/(?<![\w*])([*_])(\S(?:.*?\S)?)\1(?![\w*])/g, "<em>$2</em>");
  return s.replace(/<(\d+)>/g, (_m, n: string) => codes[Number(n)] ?? "");
}

function unescapeEntities(s: string): string {
  return s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
}
