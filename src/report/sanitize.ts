/**
 * Sanitisers for the HTML and SVG a notebook's outputs put into the report. Table HTML from
 * esmlab's `showTable` is already escaped; these still run, because an executed notebook is
 * input like any other and a report is opened in a browser.
 *
 * Cost: one regular-expression pass over the markup.
 */

/** Tags a table output may keep; every other tag is dropped (its text kept, escaped). */
const TABLE_TAGS = new Set(["table", "thead", "tbody", "tr", "th", "td", "caption"]);
/** Elements dropped with their content. */
const DROP_WITH_CONTENT = /<(script|style|iframe|object|template|noscript)\b[\s\S]*?<\/\1\s*>/gi;

/** A sanitised table: the markup without its caption, and the caption as plain text. */
export interface SanitizedTable {
  /** `<table …>…</table>` with only allowed tags and class attributes, or "" if none */
  html: string;
  /** the text of the first `<caption>`, unescaped, or null */
  caption: string | null;
}

/**
 * Keeps only table, thead, tbody, tr, th, td and caption tags, each with at most a `class`
 * attribute of word characters, hyphens and spaces; text is (re-)escaped, existing character
 * references are kept; unclosed tags are closed and stray closing tags dropped. The first
 * caption is taken out and returned as text, so the report can number it.
 *
 * @example sanitizeTable('<table onclick="x"><caption>T</caption><tr><td class="num">1<b>!</b></td></tr></table>')
 * // { html: '<table><tr><td class="num">1!</td></tr></table>', caption: "T" }
 */
export function sanitizeTable(html: string): SanitizedTable {
  const cleaned = html.replace(/<!--[\s\S]*?-->/g, "").replace(DROP_WITH_CONTENT, "");
  const out: string[] = [];
  const open: string[] = [];
  let caption: string | null = null;
  let inCaption = false;
  let captionText = "";
  for (const m of cleaned.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|([^<]+)|</g)) {
    const [all, slash, rawName, attrs, text] = m;
    if (text !== undefined || all === "<") {
      const safe = escapeText(text ?? "<");
      if (inCaption) captionText += safe;
      else if (open.length > 0) out.push(safe);
      continue;
    }
    const name = rawName!.toLowerCase();
    if (!TABLE_TAGS.has(name)) continue;
    if (name === "caption") {
      if (slash === "") inCaption = true;
      else if (inCaption) {
        inCaption = false;
        caption ??= decodeEntities(captionText).trim();
        captionText = "";
      }
      continue;
    }
    if (slash === "") {
      if (name !== "table" && open.length === 0) continue;
      open.push(name);
      out.push(`<${name}${classAttr(attrs ?? "")}>`);
    } else {
      const at = open.lastIndexOf(name);
      if (at < 0) continue;
      while (open.length > at) out.push(`</${open.pop()}>`);
    }
  }
  while (open.length > 0) out.push(`</${open.pop()}>`);
  return { html: out.join(""), caption };
}

/**
 * Makes a chart's SVG inert: drops script, foreignObject and similar elements, event-handler
 * attributes, and links that are not in-document (`href="#…"`) or data images.
 *
 * @example sanitizeSvg('<svg onload="x()"><script>x()</script><a href="javascript:x()">a</a></svg>')
 * // '<svg><a>a</a></svg>'
 */
export function sanitizeSvg(svg: string): string {
  return svg
    .replace(/<\?xml[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/gi, "")
    .replace(/<(script|foreignObject|iframe|style)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<(script|foreignObject|iframe)\b[^>]*\/>/gi, "")
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "")
    .replace(
      /\s+((?:xlink:)?href)\s*=\s*("([^"]*)"|'([^']*)')/gi,
      (all, _name: string, _q: string, d?: string, s?: string) => {
        const url = (d ?? s ?? "").trim();
        return url.startsWith("#") || /^data:image\/(png|jpeg|gif|webp);/i.test(url) ? all : "";
      },
    );
}

function classAttr(attrs: string): string {
  const m = /\sclass\s*=\s*("([^"]*)"|'([^']*)')/i.exec(attrs);
  const value = (m?.[2] ?? m?.[3] ?? "").trim();
  return value !== "" && /^[\w -]+$/.test(value) ? ` class="${value}"` : "";
}

/** Escapes text, keeping well-formed character references as they are. */
function escapeText(s: string): string {
  return s
    .replace(/&(?!(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});)/gi, "&#38;")
    .replace(/</g, "&#60;")
    .replace(/>/g, "&#62;")
    .replace(/"/g, "&#34;");
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (all, ref: string) => {
    if (!ref.startsWith("#")) return NAMED[ref.toLowerCase()] ?? all;
    const hex = ref[1] === "x" || ref[1] === "X";
    const code = hex ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}
