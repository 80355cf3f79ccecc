/**
 * Sanitisers for the HTML and SVG a notebook's outputs put into the report: chart SVG, table
 * HTML and the HTML rendered from Markdown. An executed notebook is input like any other and a
 * report is opened in a browser, so the page must be safe without trusting its CSP.
 *
 * ```
 * markup ─▶ htmlparser2 (via sanitize-html) ─▶ allow-listed elements and attributes, values
 *        checked (ids, in-document links, url(#…) only) ─▶ re-serialised, every text escaped
 * ```
 * Why sanitize-html: it parses and re-serialises (htmlparser2), so a payload cannot be
 * reassembled from pieces a pattern removed (`<scr<script></script>ipt>`); everything not on
 * the allow-list is dropped, and since the output is written token by token with text and
 * attribute values escaped, the browser can only ever build the allow-listed elements from it.
 * It is plain JavaScript with no DOM to install (DOMPurify needs jsdom in Node). Its README
 * ("htmlparser2 Options", "What if I want to maintain the original case for SVG elements and
 * attributes?", https://github.com/apostrophecms/sanitize-html#readme) recommends the default
 * parser settings for security, except `lowerCaseTags`, which SVG needs off (`clipPath`,
 * `viewBox`); that is the only parser change made here. Animation elements (`animate`, `set`, …)
 * are not allowed at all: they can rewrite any attribute (`attributeName=href`) after the
 * sanitiser has run, and vega's charts never use them.
 *
 * Cost: one parse and one serialisation of the markup.
 */
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "../display/bundle.js";

/** A sanitised table: the markup without its caption, and the caption as plain text. */
export interface SanitizedTable {
  /** `<table …>…</table>` with only allowed tags and class attributes, or "" if none */
  html: string;
  /** the text of the first `<caption>`, unescaped, or null */
  caption: string | null;
}

/** The SVG elements vega's SVG renderer writes (vega-scenegraph `SVGStringRenderer`, marks/*). */
const SVG_ELEMENTS = [
  "svg",
  "g",
  "defs",
  "clipPath",
  "linearGradient",
  "radialGradient",
  "pattern",
  "stop",
  "path",
  "rect",
  "line",
  "circle",
  "ellipse",
  "polygon",
  "polyline",
  "text",
  "tspan",
  "image",
  "a",
  "use",
] as const;

/** Elements with no content, written `<path … />` as vega writes them. */
const SVG_LEAVES = [
  "stop",
  "path",
  "rect",
  "line",
  "circle",
  "ellipse",
  "polygon",
  "polyline",
  "image",
  "use",
];

/** Geometry, presentation and accessibility attributes any allowed SVG element may carry. */
const SVG_ATTRIBUTES = [
  "id",
  "class",
  "role",
  "aria-*",
  "transform",
  "x",
  "y",
  "dx",
  "dy",
  "width",
  "height",
  "rx",
  "ry",
  "cx",
  "cy",
  "r",
  "fx",
  "fy",
  "fr",
  "x1",
  "x2",
  "y1",
  "y2",
  "d",
  "points",
  "offset",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-opacity",
  "stroke-width",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-miterlimit",
  "stop-color",
  "stop-opacity",
  "opacity",
  "display",
  "visibility",
  "pointer-events",
  "clip-path",
  "clip-rule",
  "font-family",
  "font-size",
  "font-style",
  "font-variant",
  "font-weight",
  "text-anchor",
  "dominant-baseline",
  "alignment-baseline",
  "baseline-shift",
  "letter-spacing",
  "text-decoration",
  "shape-rendering",
  "text-rendering",
  "paint-order",
  "vector-effect",
  "style",
];

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";

/** An in-document reference: `#id`. */
const LOCAL_REF = /^#[\w.:-]+$/;
/** A raster image inlined as base64 (vega image marks); never SVG, never a script-able type. */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/;
/** A paint or clip value: a colour or keyword, or `url(#id)`; never an external `url(…)`. */
const SAFE_PAINT = /^(?:url\(#[\w.:-]+\)|[#\w\s.,%+-]*|(?:rgba?|hsla?)\([\d\s.,%+-]*\))$/i;
const PAINT_ATTRIBUTES = new Set(["fill", "stroke", "clip-path"]);
/** A class token, an id: word characters and hyphens only. */
const NAME = /^[\w-]+$/;

// `allowedEmptyAttributes` is in sanitize-html's README and code (2.12+), not yet in its types
const SVG_OPTIONS: sanitizeHtml.IOptions & { allowedEmptyAttributes: string[] } = {
  allowedTags: [...SVG_ELEMENTS],
  allowedAttributes: {
    "*": SVG_ATTRIBUTES,
    svg: [
      { name: "xmlns", values: [SVG_NS] },
      { name: "xmlns:xlink", values: [XLINK_NS] },
      "version",
      "viewBox",
      "preserveAspectRatio",
    ],
    clipPath: ["clipPathUnits"],
    linearGradient: ["gradientUnits", "gradientTransform", "spreadMethod"],
    radialGradient: ["gradientUnits", "gradientTransform", "spreadMethod"],
    pattern: ["patternUnits", "patternContentUnits", "patternTransform", "viewBox"],
    image: ["href", "xlink:href", "preserveAspectRatio"],
    a: ["href", "xlink:href"],
    use: ["href", "xlink:href"],
  },
  // a second line behind the checks in `svgAttributes`: no scheme but data: (images) passes
  allowedSchemes: [],
  allowedSchemesByTag: { image: ["data"] },
  allowedSchemesAppliedToAttributes: ["href", "xlink:href", "src"],
  allowProtocolRelative: false,
  // vega writes these two as inline style (vega-scenegraph util/svg/styles.js, SVGStringRenderer)
  allowedStyles: {
    "*": {
      "mix-blend-mode": [/^[a-z-]+$/],
      "image-rendering": [/^[a-z-]+$/],
    },
  },
  selfClosing: SVG_LEAVES,
  // vega writes an empty path as d=""; keep it as written rather than as a bare `d`
  allowedEmptyAttributes: ["d"],
  parser: { lowerCaseTags: false, lowerCaseAttributeNames: false },
};

const TABLE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"],
  allowedAttributes: {},
  allowedClasses: { "*": [NAME] },
};

/**
 * An image URL the Markdown sanitiser keeps on `<img src>`: a data: PNG, JPEG, GIF or WebP, the
 * only images the report's CSP (`img-src data:`) loads; never SVG, never a remote or relative URL.
 */
export const MARKDOWN_IMAGE_SRC = DATA_IMAGE;

/** What the Markdown renderer (markdown.ts, markdown-it) writes; nothing else. */
const MARKDOWN_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ..."h1 h2 h3 h4 h5 h6 p ul ol li pre code blockquote hr br a strong em del s".split(" "),
    ..."span sub sup div table thead tbody tr th td img".split(" "),
  ],
  allowedAttributes: {
    ...Object.fromEntries(["h1", "h2", "h3", "h4", "h5", "h6"].map((h) => [h, ["id"]])),
    a: ["href", "data-ref"],
    ol: ["start"],
    th: ["style"],
    td: ["style"],
    img: ["src", "alt"],
  },
  allowedClasses: {
    a: ["xref"],
    span: ["xref", "unresolved", "missing-image"],
    div: ["scroll"],
    table: ["esmlab-table"],
  },
  allowedStyles: { "*": { "text-align": [/^(?:left|right|center)$/] } },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["data"] },
  allowProtocolRelative: false,
  // an image that could not load (anything but a data: raster) is dropped whole
  exclusiveFilter: (frame) =>
    frame.tag === "img" && !MARKDOWN_IMAGE_SRC.test(frame.attribs.src ?? ""),
};

/**
 * Keeps only table, caption, thead, tbody, tfoot, tr, th and td elements inside a `<table>`,
 * each with at most a `class` of word characters and hyphens; everything outside the table is
 * dropped, other elements are dropped keeping their text, and script-like elements with their
 * content. Unclosed elements are closed and stray closing tags dropped. The first caption is
 * taken out and returned as text, so the report can number it.
 *
 * @example sanitizeTable('<table onclick="x"><caption>T</caption><tr><td class="num">1<b>!</b></td></tr></table>')
 * // { html: '<table><tr><td class="num">1!</td></tr></table>', caption: "T" }
 */
export function sanitizeTable(html: string): SanitizedTable {
  let caption: string | null = null;
  const out = sanitizeWithin(html, "table", {
    ...TABLE_OPTIONS,
    exclusiveFilter: (frame) => {
      if (frame.tag !== "caption") return false;
      caption ??= frame.text.trim();
      return true;
    },
  });
  return { html: out, caption };
}

/**
 * Makes a chart's SVG inert: keeps the elements and attributes vega's charts use inside the
 * `<svg>` root and drops the rest — script, foreignObject, style, animation elements, event
 * handlers, any link that is not in-document (`#id`; a data: PNG, JPEG, GIF or WebP for
 * `<image>`), any `url(…)` that is not `url(#id)`.
 *
 * @example sanitizeSvg('<svg onload="x()"><script>x()</script><a href="javascript:x()">a</a></svg>')
 * // '<svg><a>a</a></svg>'
 */
export function sanitizeSvg(svg: string): string {
  return sanitizeWithin(svg, "svg", {
    ...SVG_OPTIONS,
    transformTags: {
      "*": (tagName, attribs) => ({ tagName, attribs: svgAttributes(tagName, attribs) }),
    },
  });
}

/**
 * Sanitises HTML rendered from Markdown: headings (with ids), paragraphs, nested lists, code,
 * quotes, rules, emphasis, strikethrough, tables (`class="esmlab-table"` in a `div.scroll`, cells
 * aligned by `text-align` only), links to http(s), mailto, in-page anchors or relative paths,
 * images whose `src` is a data: PNG, JPEG, GIF or WebP (other images are dropped), and the
 * missing-image note. Cross-reference placeholders (`<a class="xref" data-ref="fig-…">`) survive
 * for {@link resolveCrossReferences}.
 *
 * @example sanitizeMarkdownHtml('<p><a href="javascript:x()">a</a><img src=x onerror=y></p>')
 * // '<p><a>a</a></p>'
 */
export function sanitizeMarkdownHtml(html: string): string {
  return sanitizeHtml(html, {
    ...MARKDOWN_OPTIONS,
    textFilter: projectEscaping,
    transformTags: { "*": (tagName, attribs) => ({ tagName, attribs: idsChecked(attribs) }) },
  });
}

/**
 * Sanitises `markup`, keeping only what lies inside `root` elements: text outside is dropped,
 * and so is every element outside (its tag only; what it holds is judged on its own). The depth
 * is tracked on htmlparser2's own open and close events, which always pair up; an element
 * closing at depth 0 that is not the root itself was outside every root.
 */
function sanitizeWithin(markup: string, root: string, options: sanitizeHtml.IOptions): string {
  let depth = 0;
  const filter = options.exclusiveFilter;
  return sanitizeHtml(markup, {
    ...options,
    onOpenTag: (name) => {
      if (name === root) depth++;
    },
    onCloseTag: (name) => {
      if (name === root) depth--;
    },
    exclusiveFilter: (frame) =>
      depth === 0 && frame.tag !== root ? "excludeTag" : (filter?.(frame) ?? false),
    textFilter: (text, tag) => (depth === 0 ? "" : projectEscaping(text, tag)),
  });
}

/** Drops SVG attribute values that could load or link anything outside the document. */
function svgAttributes(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const kept: sanitizeHtml.Attributes = {};
  for (const [name, raw] of Object.entries(attribs)) {
    const value = raw.trim();
    if (name === "href" || name === "xlink:href") {
      if (!(LOCAL_REF.test(value) || (tagName === "image" && DATA_IMAGE.test(value)))) continue;
    } else if (PAINT_ATTRIBUTES.has(name)) {
      if (!SAFE_PAINT.test(value)) continue;
    } else if (name === "id") {
      if (!NAME.test(value)) continue;
    } else if (/url\s*\(|\\/i.test(value) && name !== "aria-label") {
      // any other CSS-parsed value with a url() or a CSS escape (\75 rl) is not vega's
      continue;
    }
    kept[name] = raw;
  }
  return kept;
}

function idsChecked(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const id = attribs.id;
  if (id === undefined || NAME.test(id)) return attribs;
  const { id: _dropped, ...rest } = attribs;
  return rest;
}

/**
 * Re-escapes text the way the rest of the report does (display/bundle.ts `escapeHtml`, numeric
 * references), so a notebook's text reads the same in every part of the page. sanitize-html
 * hands over text escaped as &amp; &lt; &gt; (and maybe &quot;); those four are undone first.
 */
function projectEscaping(text: string, _tag: string): string {
  return escapeHtml(
    text
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&"),
  );
}
