import { describe, expect, it } from "vitest";
import { renderMarkdown, resolveCrossReferences } from "../../src/report/markdown.js";
import { sanitizeSvg, sanitizeTable } from "../../src/report/sanitize.js";

describe("renderMarkdown", () => {
  it("renders headings, paragraphs, lists, code and inline markup", () => {
    const { html, headings } = renderMarkdown(
      "# Title `x`\n\nSome **bold** and *it* and `a<b`.\n\n- one\n- two [doc](https://a.example/?q=1&r=2)\n\n1. first\n2. second\n\n```ts\nconst a = 1 < 2;\n```",
      { headingOffset: 1 },
    );
    expect(html).toBe(
      [
        '<h2 id="title-x">Title <code>x</code></h2>',
        "<p>Some <strong>bold</strong> and <em>it</em> and <code>a&#60;b</code>.</p>",
        '<ul><li>one</li><li>two <a href="https://a.example/?q=1&amp;r=2">doc</a></li></ul>',
        "<ol><li>first</li><li>second</li></ol>",
        "<pre><code>const a = 1 &#60; 2;</code></pre>",
      ].join("\n"),
    );
    expect(headings).toEqual([{ level: 2, text: "Title x", id: "title-x" }]);
  });

  it("shows raw HTML as text and drops javascript: links", () => {
    const { html } = renderMarkdown('<img src=x onerror="alert(1)"> [click](javascript:void)');
    expect(html).toBe("<p>&#60;img src=x onerror=&#34;alert(1)&#34;&#62; click</p>");
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
});
