/**
 * Notebook Markdown → HTML. Known answers from the GitHub Flavored Markdown spec 0.29-gfm
 * (https://github.github.com/gfm/), cited by example number. markdown-it writes `<s>` for
 * strikethrough where the spec writes `<del>`, and `style="text-align:…"` where it writes
 * `align="…"`; the report adds its table class and scroller, and shows only data: images.
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown, resolveCrossReferences } from "../../src/report/markdown.js";
import { renderReportHtml } from "../../src/report/render-html.js";
import { sanitizeSvg, sanitizeTable } from "../../src/report/sanitize.js";
import { md, nb } from "./report-fixtures.js";

const html = (source: string) => renderMarkdown(source).html;
/** The markup without the line breaks (and template indentation) around block tags. */
const flat = (s: string) => s.replace(/\s*\n\s*(?=<)|(?<=>)\s*\n\s*/g, "");

const PNG = "data:image/png;base64,iVBORw0KGgo=";

/** One cell with every construct the old hand-written subset got wrong. */
const GFM_CELL = [
  "Results",
  "=======",
  "",
  "| case | invocations | note |",
  "| :--- | ---: | :---: |",
  "| case1 | 300 | ~~old~~ new |",
  "",
  "- outer",
  "  - inner",
  "- last",
  "",
  "![plot](plots/lag.png)",
].join("\n");

describe("renderMarkdown", () => {
  it("renders headings, paragraphs, lists, code and inline markup", () => {
    const { html, headings } = renderMarkdown(
      "# Title `x`\n\nSome **bold** and *it* and `a<b`.\n\n- one\n- two [doc](https://a.example/?q=1&r=2)\n\n1. first\n2. second\n\n```ts\nconst a = 1 < 2;\n```",
      { headingOffset: 1 },
    );
    expect(flat(html)).toBe(
      [
        '<h2 id="title-x">Title <code>x</code></h2>',
        "<p>Some <strong>bold</strong> and <em>it</em> and <code>a&#60;b</code>.</p>",
        '<ul><li>one</li><li>two <a href="https://a.example/?q=1&amp;r=2">doc</a></li></ul>',
        "<ol><li>first</li><li>second</li></ol>",
        // the info string's class="language-ts" is not on the allow-list
        "<pre><code>const a = 1 &#60; 2;</code></pre>",
      ].join(""),
    );
    expect(headings).toEqual([{ level: 2, text: "Title x", id: "title-x" }]);
  });

  it("renders GFM tables with head, body and alignment, as the report's tables (spec 198, 199)", () => {
    expect(flat(html("| foo | bar |\n| --- | --- |\n| baz | bim |"))).toBe(
      '<div class="scroll"><table class="esmlab-table"><thead><tr><th>foo</th><th>bar</th></tr></thead>' +
        "<tbody><tr><td>baz</td><td>bim</td></tr></tbody></table></div>",
    );
    expect(flat(html("| abc | defghi |\n:-: | -----------:\nbar | baz"))).toBe(
      '<div class="scroll"><table class="esmlab-table"><thead><tr>' +
        '<th style="text-align:center">abc</th><th style="text-align:right">defghi</th></tr></thead>' +
        '<tbody><tr><td style="text-align:center">bar</td><td style="text-align:right">baz</td></tr></tbody></table></div>',
    );
    // a delimiter row that does not match the header is no table (spec 203)
    expect(html("| abc | def |\n| --- |\n| bar |")).toBe("<p>| abc | def |\n| --- |\n| bar |</p>");
  });

  it("nests lists (spec 272, 274)", () => {
    expect(flat(html("- foo\n  - bar\n    - baz\n      - boo"))).toBe(
      "<ul><li>foo<ul><li>bar<ul><li>baz<ul><li>boo</li></ul></li></ul></li></ul></li></ul>",
    );
    expect(flat(html("10) foo\n    - bar"))).toBe(
      '<ol start="10"><li>foo<ul><li>bar</li></ul></li></ol>',
    );
  });

  it("strikes through ~~text~~, within one paragraph only (spec 491, 492)", () => {
    expect(html("~~Hi~~ Hello, world!")).toBe("<p><s>Hi</s> Hello, world!</p>");
    expect(html("This ~~has a\n\nnew paragraph~~.")).toBe(
      "<p>This ~~has a</p>\n<p>new paragraph~~.</p>",
    );
  });

  it("reads setext headings, moving levels by the offset, capped at 6 (spec 50)", () => {
    const ids: string[] = [];
    const out = renderMarkdown("Foo *bar*\n=========\n\nFoo *bar*\n---------\n\n##### deep", {
      headingOffset: 2,
      headingId: (text) => {
        ids.push(text);
        return `h${ids.length}`;
      },
    });
    expect(out.html).toBe(
      '<h3 id="h1">Foo <em>bar</em></h3>\n<h4 id="h2">Foo <em>bar</em></h4>\n<h6 id="h3">deep</h6>',
    );
    expect(out.headings).toEqual([
      { level: 3, text: "Foo bar", id: "h1" },
      { level: 4, text: "Foo bar", id: "h2" },
      { level: 6, text: "deep", id: "h3" },
    ]);
    expect(ids).toEqual(["Foo bar", "Foo bar", "deep"]);
  });

  it("gives a heading's plain text to the table of contents; an empty heading gets no entry", () => {
    const { html: out, headings } = renderMarkdown(
      "## The [blog](https://e.org)'s `3` **cases**\n\n#",
    );
    expect(headings).toEqual([{ level: 2, text: "The blog's 3 cases", id: "the-blog-s-3-cases" }]);
    expect(out).toContain("<h1></h1>");
  });

  it("shows an image only from a data: PNG, JPEG, GIF or WebP URL, else says it is missing", () => {
    // spec 586 writes <img src="train.jpg">: the report's CSP (img-src data:) could not load it
    expect(html("![foo](train.jpg)")).toBe(
      '<p><span class="missing-image">[image: foo — train.jpg is not embedded in the report]</span></p>',
    );
    // spec 581: the alt text is the description as plain text
    expect(html('![foo *bar*]\n\n[foo *bar*]: train.jpg "train & tracks"')).toContain(
      "[image: foo bar — train.jpg is not embedded in the report]",
    );
    expect(html(`![a dot](${PNG} "t")`)).toBe(`<p><img src="${PNG}" alt="a dot" /></p>`);
    expect(html("![](https://e.org/x.png)")).toBe(
      '<p><span class="missing-image">[image: https://e.org/x.png is not embedded in the report]</span></p>',
    );
    expect(html("![svg](data:image/svg+xml;base64,PHN2Zz4=)")).toContain(
      "[image: svg — only PNG, JPEG, GIF and WebP data: images are shown]",
    );
    expect(html("![x](javascript:alert(1))")).not.toMatch(/<img|href/);
    expect(html("![img](x.png)")).not.toContain("!img");
  });

  it("shows a cell attachment (attachment:name) when the cell's attachments are passed", () => {
    const source = "![chart](attachment:my%20chart.png) ![other](attachment:none.png)";
    const attachments = { "my chart.png": { "image/png": ["iVBORw0K", "Ggo=\n"] } };
    expect(renderMarkdown(source, { attachments }).html).toBe(
      `<p><img src="${PNG}" alt="chart" /> <span class="missing-image">[image: other — attachment none.png is not a PNG, JPEG, GIF or WebP image of this cell]</span></p>`,
    );
    expect(renderMarkdown(source).html).toContain(
      "[image: chart — attachment my chart.png is not embedded in the report]",
    );
  });

  it("shows raw HTML as text and drops javascript: links", () => {
    const { html } = renderMarkdown('<img src=x onerror="alert(1)"> [click](javascript:void)');
    expect(html).toBe("<p>&#60;img src=x onerror=&#34;alert(1)&#34;&#62; click</p>");
  });

  it("shows a raw <script> block as text (html: false; unlike spec 653's tag filter, nothing passes)", () => {
    expect(html("<script>alert(1)</script>\n\n<strong> <em>")).toBe(
      "<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>\n<p>&#60;strong&#62; &#60;em&#62;</p>",
    );
  });

  it("keeps only http(s), mailto, anchor and relative link targets, keeping the text of others", () => {
    expect(
      html(
        "[a](https://e.org) [b](mailto:x@e.org) [c](#sec) [d](../docs/x.md) [e](JaVaScRiPt:x) [f](javascript&#58;x) [g](data:text/html,x) [h](//e.org) [i](<java\tscript:x>) <javascript:y>",
      ),
    ).toBe(
      '<p><a href="https://e.org">a</a> <a href="mailto:x@e.org">b</a> <a href="#sec">c</a> <a href="../docs/x.md">d</a> e f g h i javascript:y</p>',
    );
    expect(html("[x][r]\n\n[r]: javascript:alert(1)")).toBe("<p>x</p>");
  });
});

describe("sanitizeTable", () => {
  it("keeps table tags with a class, takes the caption out, drops the rest", () => {
    const out = sanitizeTable(
      '<table class="esmlab-table" onclick="x()"><caption>The blog&#39;s &lt;cases&gt;</caption><thead><tr><th style="c">a</th></tr></thead><tbody><tr><td class="num">1<b>!</b><script>alert(1)</script></td><td class="a&quot;b">&lt;x&gt; & y</td></tr></tbody></table><p>after</p>',
    );
    expect(out.caption).toBe("The blog's <cases>");
    expect(out.html).toBe(
      '<table class="esmlab-table"><thead><tr><th>a</th></tr></thead><tbody><tr><td class="num">1!</td><td>&#60;x&#62; &#38; y</td></tr></tbody></table>',
    );
  });

  it("closes unclosed tags and drops stray closing tags", () => {
    expect(sanitizeTable("</td><table><tr><td>1").html).toBe("<table><tr><td>1</td></tr></table>");
    expect(sanitizeTable("<p>no table</p>").html).toBe("");
  });
});

describe("sanitizeSvg", () => {
  it("drops scripts, event handlers and external links, keeps in-document references", () => {
    expect(
      sanitizeSvg(
        '<svg onload="x()"><script>x()</script><use href="#a"/><a xlink:href="javascript:x()">a</a><image href="http://e.example/i.png"/></svg>',
      ),
    ).toBe('<svg><use href="#a" /><a>a</a><image /></svg>');
  });
});

describe("cross-references", () => {
  const targets: Record<string, { id: string; text: string }> = {
    "fig-cases": { id: "figure-1", text: "Figure 1" },
    "tbl-blog": { id: "table-2", text: "Table 2" },
  };
  const resolve = (label: string) => targets[label] ?? null;
  const xref = (label: string) => `<a class="xref" data-ref="${label}">@${label}</a>`;

  it("links @fig- and @tbl- references, leaving code, addresses and trailing stops alone", () => {
    const missing: string[] = [];
    const { html } = renderMarkdown(
      "See @fig-cases, (@tbl-blog) and @fig-none.\n\n`@fig-cases` and me@fig-cases.org",
    );
    expect(resolveCrossReferences(html, resolve, (l) => missing.push(l))).toBe(
      [
        '<p>See <a class="xref" href="#figure-1">Figure 1</a>, (<a class="xref" href="#table-2">Table 2</a>) and <span class="xref unresolved">@fig-none?</span>.</p>',
        "<p><code>@fig-cases</code> and me@fig-cases.org</p>",
      ].join("\n"),
    );
    expect(missing).toEqual(["fig-none"]);
  });

  it("finds references in emphasis, lists, tables and headings, not in fences or link text", () => {
    const out = renderMarkdown(
      "## About @fig-cases\n\n- *@fig-a* and **@tbl-b**\n\n| x |\n| - |\n| @fig-c |\n\n```\n@fig-d\n```\n\n    @fig-e\n\n[see @fig-f](#x)",
    );
    expect(flat(out.html)).toBe(
      [
        `<h2 id="about-fig-cases">About ${xref("fig-cases")}</h2>`,
        `<ul><li><em>${xref("fig-a")}</em> and <strong>${xref("tbl-b")}</strong></li></ul>`,
        `<div class="scroll"><table class="esmlab-table"><thead><tr><th>x</th></tr></thead><tbody><tr><td>${xref("fig-c")}</td></tr></tbody></table></div>`,
        "<pre><code>@fig-d</code></pre>",
        "<pre><code>@fig-e</code></pre>",
        '<p><a href="#x">see @fig-f</a></p>',
      ].join(""),
    );
    expect(out.headings[0]!.text).toBe("About @fig-cases");
  });

  it("needs a whole label after a free-standing @; a backslash escapes it (spec 308)", () => {
    expect(html("a@fig-b x.@fig-c x/@fig-d @fig- @figure @fig-e-")).toBe(
      `<p>a@fig-b x.@fig-c x/@fig-d @fig- @figure ${xref("fig-e")}-</p>`,
    );
    expect(html("\\@fig-a and é@fig-b")).toBe("<p>@fig-a and é@fig-b</p>");
  });
});

describe("Markdown in the rendered report", () => {
  it("puts a cell's table, nested list, strikethrough, setext heading and image note in the page", async () => {
    const page = await renderReportHtml(
      [{ name: "gfm.ipynb", notebook: nb([md("# GFM"), md(GFM_CELL)], { status: "ok" }) }],
      { generatedAt: new Date("2026-03-04T05:06:07Z"), gitCommit: "0123456789abcdef" },
    );
    const body = flat(page);
    expect(body).toContain('<h2 id="results">Results</h2>');
    expect(body).toContain(
      '<div class="scroll"><table class="esmlab-table"><thead><tr><th style="text-align:left">case</th>' +
        '<th style="text-align:right">invocations</th><th style="text-align:center">note</th></tr></thead>' +
        '<tbody><tr><td style="text-align:left">case1</td><td style="text-align:right">300</td>' +
        '<td style="text-align:center"><s>old</s> new</td></tr></tbody></table></div>',
    );
    expect(body).toContain("<ul><li>outer<ul><li>inner</li></ul></li><li>last</li></ul>");
    expect(body).toContain(
      '<span class="missing-image">[image: plot — plots/lag.png is not embedded in the report]</span>',
    );
    expect(body).not.toContain("!plot");
    // the heading is in the table of contents
    expect(body).toMatch(/<nav class="toc"[\s\S]*href="#results"[\s\S]*<\/nav>/);
  });
});
