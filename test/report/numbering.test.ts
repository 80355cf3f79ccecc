/**
 * The report's content passes one at a time: collection leaves figures and tables unnumbered,
 * numbering counts them across notebooks and checks labels, references resolve forward and
 * across notebooks, the contents list headings to level 3.
 */
import { describe, expect, it } from "vitest";
import type { Output } from "../../src/notebooks/nbformat.js";
import { PageIds } from "../../src/report/blocks.js";
import { collectSections } from "../../src/report/collect.js";
import { numberBlocks, reportContent, tableOfContents } from "../../src/report/numbering.js";
import { chart, code, md, nb } from "./report-fixtures.js";

const table = (label: string | null, caption: string): Output => ({
  output_type: "display_data",
  data: {
    "text/html": `<table><caption>${caption}</caption><tr><th>a</th></tr><tr><td>1</td></tr></table>`,
  },
  metadata: label === null ? {} : { esmlab: { label } },
});

const notebooks = [
  {
    name: "one.ipynb",
    notebook: nb([
      md("# One\n\nSee @fig-b (later) and @tbl-a.\n\n## Part\n\n### Detail\n\n#### Deep"),
      code("", [chart("first", "fig-a"), table("tbl-a", "alpha")]),
    ]),
  },
  {
    name: "two.ipynb",
    notebook: nb([
      md("No heading here; see @fig-a and @fig-missing."),
      code("", [chart("second", "fig-b"), chart("third", "tbl-wrong"), table(null, "beta")]),
    ]),
  },
];

describe("report content passes", () => {
  it("collect: blocks in order, figures and tables not yet numbered", () => {
    const { sections, warnings } = collectSections(notebooks, new PageIds());
    expect(warnings).toEqual([]);
    expect(sections.map((s) => s.blocks.map((b) => b.kind))).toEqual([
      ["markdown", "figure", "table"],
      ["markdown", "figure", "figure", "table"],
    ]);
    expect(sections[0]!.blocks[1]).not.toHaveProperty("number");
    expect(sections[1]).toMatchObject({ title: "two.ipynb", needsHeading: true });
  });

  it("number: across notebooks, tables after the layout's, labels checked", () => {
    const ids = new PageIds();
    const { sections } = collectSections(notebooks, ids);
    const n = numberBlocks(sections, ids, 2);
    const numbers = n.sections.flatMap((s) =>
      s.blocks.flatMap((b) =>
        b.kind === "figure" || b.kind === "table" ? [`${b.kind} ${b.number}`] : [],
      ),
    );
    expect(numbers).toEqual(["figure 1", "table 2", "figure 2", "figure 3", "table 3"]);
    expect(n.figureCount).toBe(3);
    expect(n.tableCount).toBe(3);
    expect(n.labels.get("tbl-a")?.text).toBe("Table 2");
    expect(n.warnings).toEqual([
      "two.ipynb, cell 2: label tbl-wrong is not a fig- label for a figure",
    ]);
    // each chart's SVG ids are its own: two inline SVGs never share a clip-path id
    const bodies = n.sections.flatMap((s) =>
      s.blocks.flatMap((b) => (b.kind === "figure" ? [b.body] : [])),
    );
    expect(bodies[0]).toContain('id="figure-1-clip1"');
    expect(bodies[1]).toContain('id="figure-2-clip1"');
  });

  it("resolve: forward and across notebooks; a reference to nothing is kept visible and warned of", () => {
    const content = reportContent(notebooks);
    const html = content.sections.map((s) =>
      s.blocks[0]?.kind === "markdown" ? s.blocks[0].html : "",
    );
    expect(html[0]).toMatch(/>Figure 2<\/a>/);
    expect(html[0]).toMatch(/>Table 1<\/a>/);
    expect(html[1]).toMatch(/>Figure 1<\/a>/);
    expect(html[1]).toContain("@fig-missing?");
    expect(content.warnings).toContain(
      "two.ipynb: @fig-missing refers to no labelled figure or table",
    );
  });

  it("contents: a section per notebook, headings to level 3", () => {
    const content = reportContent(notebooks);
    expect(tableOfContents(content.sections).map((e) => `${e.level} ${e.text}`)).toEqual([
      "2 One",
      "3 Part",
      "2 two.ipynb",
    ]);
    // "Detail" is level 4 after the offset: not listed
  });
});
