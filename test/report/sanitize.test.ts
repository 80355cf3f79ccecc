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
      expect(unsafe(html), html).toEqual([]);
    });
  }
  for (const [name, payload] of Object.entries(MARKDOWN_HTML_PAYLOADS)) {
    it(`sanitizeMarkdownHtml leaves nothing executable: ${name}`, () => {
      const out = sanitizeMarkdownHtml(payload);
      expect(unsafe(out), out).toEqual([]);
      expect(attributeValues(out)).not.toContain("pwned");
    });
  }

  it("keeps what the renderer writes, cross-reference placeholders included", () => {
    const { html } = renderMarkdown(
      "## A *b*\n\n> q\n\n1. [x](https://e.org/a) see @fig-a\n\n---\n\n```\n<x>\n```",
    );
    expect(html).toBe(
      [
        '<h2 id="a-b">A <em>b</em></h2>',
        "<blockquote><p>q</p></blockquote>",
        '<ol><li><a href="https://e.org/a">x</a> see <a class="xref" data-ref="fig-a">@fig-a</a></li></ol>',
        "<hr />",
        "<pre><code>&#60;x&#62;</code></pre>",
      ].join("\n"),
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
        expect(unsafe(sanitizeMarkdownHtml(s))).toEqual([]);
        expect(unsafe(renderMarkdown(s).html)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
