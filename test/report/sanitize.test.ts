import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concurrencyChart } from "../../src/charts/concurrency-chart.js";
import { policyComparisonChart } from "../../src/charts/multi-run-charts.js";
import { renderSvg } from "../../src/charts/render.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { sanitizeMarkdownHtml, sanitizeSvg, sanitizeTable } from "../../src/report/sanitize.js";
import {
  MARKDOWN_HTML_PAYLOADS,
  MARKDOWN_PAYLOADS,
  markupSoup,
  parseSanitized,
  problems,
  SVG_PAYLOADS,
  TABLE_PAYLOADS,
} from "./hostile.js";
import { seedRun } from "./report-fixtures.js";

/** Every attribute value in sanitised `html`, decoded, one per line. */
const attributeValues = (html: string) =>
  parseSanitized(html)
    .flatMap((e) => e.attributes.map(([, v]) => v))
    .join("\n");

/** Everything in `html` that could run, navigate or load (empty when safe). */
const unsafe = (html: string) => [
  ...problems(parseSanitized(html)),
  ...(/<script/i.test(html) ? ["<script"] : []),
];

/** A data: PNG, JPEG, GIF or WebP image: loads nothing, runs nothing (the CSP's `img-src data:`). */
const RASTER = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*$/;

/** A link target with no scheme, or http(s), mailto or an anchor: what Markdown links keep. */
const PLAIN_LINK = /^(?:https?:|mailto:|#|[^:]*$)/i;

/**
 * As {@link unsafe}, for Markdown HTML. Its sanitiser keeps `<img>` with a data: raster `src`
 * and an `alt` (the only images the report can show); any other `<img>` is still a problem. And
 * a plain link target is not checked as CSS: `problems` flags `@import` in any value, but
 * CommonMark's e-mail autolink `</@import>` (spec 612, 613) rightly links to `mailto:/@import`.
 */
const unsafeMarkdown = (html: string) => [
  ...problems(
    parseSanitized(html).flatMap((e) => {
      const attributes = new Map(e.attributes);
      if (e.name === "img") {
        const raster = RASTER.test(attributes.get("src") ?? "");
        return raster && e.attributes.every(([n]) => n === "src" || n === "alt") ? [] : [e];
      }
      if (e.name !== "a") return [e];
      return [
        { ...e, attributes: e.attributes.filter(([n, v]) => n !== "href" || !PLAIN_LINK.test(v)) },
      ];
    }),
  ),
  ...(/<script/i.test(html) ? ["<script"] : []),
];

describe("sanitizeSvg against known bypasses", () => {
  for (const [name, payload] of Object.entries(SVG_PAYLOADS)) {
    it(`leaves nothing executable: ${name}`, () => {
      const out = sanitizeSvg(payload);
      expect(unsafe(out), out).toEqual([]);
      // a payload's words may survive as escaped text, never in an attribute
      expect(attributeValues(out)).not.toMatch(/pwned|192\.0\.2\.1/);
    });
  }

  it("keeps in-document links, url(#id) paint and data: raster images", () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const out = sanitizeSvg(
      `<svg><a href="#x"><rect fill="url(#g)" clip-path="url(#c)"/></a><image href="${png}"/><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>`,
    );
    expect(out).toBe(
      `<svg><a href="#x"><rect fill="url(#g)" clip-path="url(#c)" /></a><image href="${png}" /><image /></svg>`,
    );
  });
});

describe("sanitizeSvg on esmlab's own charts", () => {
  it("keeps every element and attribute of real vega charts (only `/>` is spaced)", async () => {
    const charts = [
      await renderSvg(concurrencyChart(seedRun("case1"))),
      await renderSvg(policyComparisonChart([seedRun("case2"), seedRun("case2", "keda")])),
    ];
    for (const svg of charts) {
      expect(svg).toMatch(/<clipPath|<defs|<text/);
      expect(sanitizeSvg(svg).replace(/ \/>/g, "/>")).toBe(svg);
    }
  });
});

describe("sanitizeTable against known bypasses", () => {
  for (const [name, payload] of Object.entries(TABLE_PAYLOADS)) {
    it(`leaves nothing executable: ${name}`, () => {
      const { html, caption } = sanitizeTable(payload);
      expect(html).toMatch(/^<table>/);
      expect(unsafe(html), html).toEqual([]);
      expect(attributeValues(html)).not.toMatch(/pwned|192\.0\.2\.1/);
      // the caption is text: the template escapes it
      if (caption !== null) expect(caption).toBe("cap");
    });
  }
});

describe("Markdown HTML against known bypasses", () => {
  for (const [name, source] of Object.entries(MARKDOWN_PAYLOADS)) {
    it(`renderMarkdown leaves nothing executable: ${name}`, () => {
      const { html } = renderMarkdown(source);
      expect(unsafeMarkdown(html), html).toEqual([]);
    });
  }
  for (const [name, payload] of Object.entries(MARKDOWN_HTML_PAYLOADS)) {
    it(`sanitizeMarkdownHtml leaves nothing executable: ${name}`, () => {
      const out = sanitizeMarkdownHtml(payload);
      expect(unsafeMarkdown(out), out).toEqual([]);
      expect(attributeValues(out)).not.toContain("pwned");
    });
  }

  it("keeps what the renderer writes, cross-reference placeholders and GFM included", () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const { html } = renderMarkdown(
      `## A *b*\n\n> q\n\n3. [x](https://e.org/a) see @fig-a\n   - ~~y~~\n\n---\n\n\`\`\`\n<x>\n\`\`\`\n\n| a | b |\n| - | -: |\n| 1 | 2 |\n\n![i](${png}) ![j](j.png)`,
    );
    expect(html).toBe(
      [
        '<h2 id="a-b">A <em>b</em></h2>',
        "<blockquote>\n<p>q</p>\n</blockquote>",
        '<ol start="3">\n<li><a href="https://e.org/a">x</a> see <a class="xref" data-ref="fig-a">@fig-a</a>',
        "<ul>\n<li><s>y</s></li>\n</ul>\n</li>\n</ol>",
        "<hr />",
        "<pre><code>&#60;x&#62;\n</code></pre>",
        '<div class="scroll">\n<table class="esmlab-table">\n<thead>\n<tr>\n<th>a</th>\n<th style="text-align:right">b</th>\n</tr>\n</thead>',
        '<tbody>\n<tr>\n<td>1</td>\n<td style="text-align:right">2</td>\n</tr>\n</tbody>\n</table>\n</div>',
        `<p><img src="${png}" alt="i" /> <span class="missing-image">[image: j — j.png is not embedded in the report]</span></p>`,
      ].join("\n"),
    );
  });

  it("keeps an <img> only with a data: PNG, JPEG, GIF or WebP src, and only src and alt on it", () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const out = sanitizeMarkdownHtml(
      `<p><img src="${png}" alt="a" title="t" onerror="x()"><img src="x.png" alt="b"><img alt="c"><img src="data:image/svg+xml;base64,PHN2Zz4="><img src="data:text/html,x"></p>`,
    );
    expect(out).toBe(`<p><img src="${png}" alt="a" /></p>`);
    expect(unsafeMarkdown(out)).toEqual([]);
    expect(unsafeMarkdown(out.replace("png", "svg+xml"))).not.toEqual([]);
    expect(
      sanitizeMarkdownHtml(
        '<table class="esmlab-table x" align="left"><tr><td style="text-align:right;color:red" class="y">1</td></tr></table><div class="scroll other">d</div><span class="missing-image">m</span>',
      ),
    ).toBe(
      '<table class="esmlab-table"><tr><td style="text-align:right">1</td></tr></table><div class="scroll">d</div><span class="missing-image">m</span>',
    );
  });
});

describe("sanitisers, property: arbitrary markup never comes out executable", () => {
  // "executable" as checked by `unsafe`: no <script (text escapes every "<"), no on… attribute,
  // no javascript:/data: URL in any attribute (decoded), no forbidden element. A text node may
  // still read "javascript:": it is text.
  it("sanitizeSvg", () => {
    fc.assert(
      fc.property(markupSoup, (s) => {
        expect(unsafe(sanitizeSvg(s))).toEqual([]);
        expect(unsafe(sanitizeSvg(`<svg>${s}</svg>`))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it("sanitizeTable", () => {
    fc.assert(
      fc.property(markupSoup, (s) => {
        expect(unsafe(sanitizeTable(`<table><tr><td>${s}`).html)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it("sanitizeMarkdownHtml and renderMarkdown", () => {
    fc.assert(
      fc.property(markupSoup, (s) => {
        expect(unsafeMarkdown(sanitizeMarkdownHtml(s))).toEqual([]);
        expect(unsafeMarkdown(renderMarkdown(s).html)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
