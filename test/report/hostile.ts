/**
 * Hostile notebook outputs for the sanitiser and report tests: the payloads that got past the
 * earlier pattern-based sanitiser (issue 9), and classic ones (mutation XSS, entity-encoded
 * schemes). Each one that ran would set `window.pwned` or the document's title; a few would
 * navigate the page or load from the network instead.
 */
import fc from "fast-check";
import type { Output } from "../../src/notebooks/nbformat.js";

const SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';

/** image/svg+xml outputs. */
export const SVG_PAYLOADS: Readonly<Record<string, string>> = {
  "nested script tags": `<svg ${SVG}><scr<script></script>ipt>window.pwned=1</scr<script></script>ipt><text x="5" y="20">a</text></svg>`,
  "svg/onload": "<svg/onload=window.pwned=2>",
  "unquoted href=javascript:": `<svg ${SVG}><a href=javascript:window.pwned=3><text x="5" y="20">click</text></a></svg>`,
  "animate values=javascript: on href": `<svg ${SVG}><a><animate attributeName=href values="javascript:window.pwned=4"/><text x="5" y="20">click</text></a></svg>`,
  "set to=javascript: on href": `<svg ${SVG}><a><set attributeName="href" to="javascript:window.pwned=5"/><text x="5" y="20">click</text></a></svg>`,
  "animate from/to on xlink:href": `<svg ${SVG}><a xlink:href="#x"><animate attributeName="xlink:href" from="javascript:window.pwned=6" to="javascript:window.pwned=6" by="javascript:window.pwned=6" dur="0.01s" fill="freeze"/><animateTransform attributeName="transform"/><animateMotion path="M0 0"/><text x="5" y="20">click</text></a></svg>`,
  "meta refresh inside svg": `<svg ${SVG}><meta http-equiv="refresh" content="0;url=about:blank"><text x="5" y="20">r</text></svg>`,
  "foreignObject with iframe and img": `<svg ${SVG}><foreignObject width="9" height="9"><iframe srcdoc="<script>parent.pwned=8</script>"></iframe><img src=x onerror="window.pwned=8"></foreignObject></svg>`,
  "entity-encoded javascript: href": `<svg ${SVG}><a href="&#106;ava&#x09;script&colon;window.pwned=9"><text x="5" y="20">c</text></a><a xlink:href=" JaVaScRiPt:window.pwned=9"><text>d</text></a></svg>`,
  "style breakout (mutation XSS)": `<svg ${SVG}></p><style><a id="</style><img src=1 onerror=window.pwned=10>"></style></svg>`,
  "title breakout": `<svg ${SVG}><title><a id="</title><img src=x onerror=window.pwned=11>"></title></svg>`,
  "script with href": `<svg ${SVG}><script href="data:text/javascript,window.pwned=12"/><script>window.pwned=12</script></svg>`,
  "external loads": `<svg ${SVG}><style>@import url("http://192.0.2.1/x.css");</style><image href="http://192.0.2.1/x.png" width="9" height="9"/><use href="http://192.0.2.1/s.svg#a"/><rect width="9" height="9" fill="url(http://192.0.2.1/p.svg#p)" style="fill: url(http://192.0.2.1/q.svg#q)"/></svg>`,
  "handlers in every case": `<svg ${SVG} ONLOAD="window.pwned=13"><g onmouseover="window.pwned=13" OnClick="window.pwned=13"><rect width="9" height="9" onfocus=window.pwned=13 /></g></svg>`,
  "iframe, object, embed, base, link": `<svg ${SVG}><iframe src="javascript:window.pwned=14"></iframe><object data="javascript:window.pwned=14"></object><embed src="javascript:window.pwned=14"><base href="javascript:window.pwned=14//"><link rel="stylesheet" href="http://192.0.2.1/x.css"></svg>`,
  "cdata and comments": `<svg ${SVG}><![CDATA[<script>window.pwned=15</script>]]><!-- --><script>window.pwned=15</script><!-- --></svg>`,
};

/** text/html outputs (tables). */
export const TABLE_PAYLOADS: Readonly<Record<string, string>> = {
  "table: img onerror and nested script": `<table><tr><td><img src=x onerror=window.pwned=20></td><td><scr<script></script>ipt>window.pwned=21</scr<script></script>ipt></td></tr></table>`,
  "table: svg in caption, javascript: link": `<table><caption><svg/onload=window.pwned=22>cap</caption><tr><td><a href=javascript:window.pwned=23>x</a></td></tr></table>`,
  "table: meta refresh": `<table><tr><td><meta http-equiv="refresh" content="0;url=about:blank">m</td></tr></table>`,
  "table: noscript breakout": `<noscript><p title="</noscript><img src=x onerror=window.pwned=24>"></noscript><table><tr><td>x</td></tr></table>`,
  "table: math/mglyph/style mutation": `<table><tr><td><math><mtext><table><mglyph><style><img src=x onerror=window.pwned=25></style></mglyph></table></mtext></math></td></tr></table>`,
  "table: handlers and styles": `<table onmouseover="window.pwned=26" style="background:url(http://192.0.2.1/x)"><tr><td class="x" onclick="window.pwned=26">y</td></tr></table>`,
};

/** Markdown cell sources; the renderer escapes raw HTML, the sanitiser checks what it writes. */
export const MARKDOWN_PAYLOADS: Readonly<Record<string, string>> = {
  "markdown: javascript: link":
    "[x](javascript:window.pwned=30) and [y](JaVaScRiPt:window.pwned=30)",
  "markdown: entity-encoded scheme":
    "[x](javascript&#58;window.pwned=31) [z](&#106;avascript:window.pwned=31)",
  "markdown: raw html":
    "<script>window.pwned=32</script> <svg/onload=window.pwned=32> <img src=x onerror=window.pwned=32>",
  "markdown: link text with html":
    '[<img src=x onerror=window.pwned=33>](https://example.org/"onmouseover="window.pwned=33)',
};

/** HTML as a Markdown renderer with raw HTML on (markdown-it `html: true`) would pass it on. */
export const MARKDOWN_HTML_PAYLOADS: Readonly<Record<string, string>> = {
  "markdown html: script and handlers": `<p>a<script>window.pwned=40</script><img src=x onerror=window.pwned=40><b onclick=window.pwned=40>b</b></p>`,
  "markdown html: javascript: and data: links": `<p><a href="javascript:window.pwned=41">a</a><a href="data:text/html,<script>window.pwned=41</script>">b</a><a href="  jav&#x61;script:window.pwned=41">c</a></p>`,
  "markdown html: svg, iframe, meta, style, form": `<svg/onload=window.pwned=42><iframe src="javascript:window.pwned=42"></iframe><meta http-equiv="refresh" content="0;url=about:blank"><style>@import "http://192.0.2.1/x.css";</style><form action="javascript:window.pwned=42"><button>b</button></form>`,
  "markdown html: nested script":
    "<scr<script></script>ipt>window.pwned=43</scr<script></script>ipt>",
  "markdown html: xref spoof": `<a class="xref" data-ref="fig-a" onclick="window.pwned=44" href="javascript:window.pwned=44">@fig-a</a>`,
};

/** An output carrying one MIME type. */
export const outputOf = (mime: string, data: string): Output => ({
  output_type: "display_data",
  data: { [mime]: data, "text/plain": "payload" },
  metadata: {},
});

/** Elements no sanitised output may hold, whatever the context (lowercase local names). */
export const FORBIDDEN_ELEMENTS = new Set([
  "script",
  "foreignobject",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "meta",
  "link",
  "base",
  "style",
  "form",
  "img",
  "animate",
  "set",
  "animatemotion",
  "animatetransform",
  "noscript",
  "template",
  "math",
  "mglyph",
]);

/** Attributes that hold a URL or the target value of an animation. */
export const URL_ATTRIBUTES = new Set([
  "href",
  "xlink:href",
  "src",
  "action",
  "formaction",
  "data",
  "values",
  "to",
  "from",
  "by",
]);

/** One element as a parser saw it. */
export interface ParsedElement {
  name: string;
  attributes: [string, string][];
}

/**
 * What in a parsed element could run script, navigate or load: a forbidden element, an event
 * handler, a URL with a scheme other than http(s)/mailto (a data: image allowed on `<image>`),
 * or a `url(…)` that is not `url(#id)`. Values are as the parser decoded them.
 */
export function problems(elements: readonly ParsedElement[]): string[] {
  const found: string[] = [];
  for (const { name, attributes } of elements) {
    const tag = name.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(tag)) found.push(`<${tag}>`);
    for (const [attr, value] of attributes) {
      const a = attr.toLowerCase();
      // browsers drop tabs, newlines and leading controls from a URL before reading its scheme
      const url = [...value]
        .filter((ch) => ch.charCodeAt(0) > 0x20)
        .join("")
        .toLowerCase();
      if (a.startsWith("on")) found.push(`<${tag} ${a}>`);
      if (URL_ATTRIBUTES.has(a)) {
        const image = tag === "image" && /^data:image\/(png|jpeg|gif|webp);/.test(url);
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
        if (scheme !== undefined && !image && !["http", "https", "mailto"].includes(scheme))
          found.push(`<${tag} ${a}="${value}">`);
        if (tag !== "a" && scheme !== undefined && !image) found.push(`<${tag} ${a}> loads`);
      }
      if (/url\s*\((?!\s*['"]?#)|\\|@import|expression\s*\(/.test(value.toLowerCase()))
        found.push(`<${tag} ${a}="${value}">`);
    }
  }
  return found;
}

const TOKEN =
  /<\/([A-Za-z][\w:-]*)>|<([A-Za-z][\w:-]*)((?:\s+[\w:-]+(?:="[^"<>]*")?)*)\s*\/?>|[^<>]+/gy;

/**
 * Parses sanitiser output, which must be plain tags and escaped text: throws when a `<` or `>`
 * is not part of a well-formed tag (text and attribute values escape both), so the elements
 * returned are all the elements a browser can build from it.
 */
export function parseSanitized(html: string): ParsedElement[] {
  const elements: ParsedElement[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < html.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(html);
    if (m === null)
      throw new Error(`not a tag or escaped text at ${at}: ${html.slice(at, at + 60)}`);
    if (m[2] === undefined) continue;
    const attributes: [string, string][] = [];
    for (const a of (m[3] ?? "").matchAll(/([\w:-]+)(?:="([^"]*)")?/g))
      attributes.push([a[1]!, decode(a[2] ?? "")]);
    elements.push({ name: m[2], attributes });
  }
  return elements;
}

function decode(value: string): string {
  return value.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_m, ref: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (!ref.startsWith("#")) return named[ref.toLowerCase()]!;
    const hex = ref[1] === "x" || ref[1] === "X";
    return String.fromCodePoint(hex ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
  });
}

/** Pieces of markup, so random strings often form tags, attributes, schemes and breakouts. */
const FRAGMENTS = [
  "<",
  ">",
  "/",
  "/>",
  "</",
  '"',
  "'",
  "=",
  " ",
  "\t",
  "\n",
  "&",
  "#",
  ";",
  "&#106;",
  "&#x61;",
  "&colon;",
  "script",
  "<script>",
  "</script>",
  "<scr",
  "ipt>",
  "<svg",
  "<svg>",
  "</svg>",
  "<a",
  "<a>",
  "</a>",
  " href=",
  " xlink:href=",
  " src=",
  "javascript:",
  "JaVaScRiPt:",
  "jav\tascript:",
  "data:text/html,",
  "data:image/png;base64,AA==",
  " onload=",
  " ONERROR=",
  " onclick=",
  "alert(1)",
  "<img",
  "<image",
  "<use",
  "<animate",
  "<set",
  " attributeName=href",
  " values=",
  " to=",
  " from=",
  " by=",
  "<table>",
  "</table>",
  "<tr>",
  "<td>",
  "<caption>",
  "</caption>",
  "<!--",
  "-->",
  "<![CDATA[",
  "]]>",
  "<style>",
  "</style>",
  "@import",
  "url(",
  "url(#a)",
  ")",
  "<meta http-equiv=refresh content=0>",
  "<foreignObject>",
  "<iframe",
  "<math>",
  "<mglyph>",
  "<title>",
  "</title>",
  "<noscript>",
  "</noscript>",
  "<textarea>",
  "<xmp>",
  "<p>",
  "<h2 id=",
  "<text>",
  " style=",
  " fill=",
];

/** Arbitrary strings made mostly of HTML/SVG fragments. */
export const markupSoup = fc
  .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FRAGMENTS) }, fc.string()), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));
