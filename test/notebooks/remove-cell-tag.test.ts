/**
 * `remove-cell` (the tag Jupyter Book and nbconvert's TagRemovePreprocessor use for cells that
 * readers should not see): the runner executes the cell and keeps it, collapsed for Jupyter
 * front ends (nbformat 4.5 `metadata.jupyter.source_hidden` / `outputs_hidden`); the report
 * leaves it out. Run on a real tslab kernel.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import {
  type CodeCell,
  type Notebook,
  parseNotebook,
  writeNotebook,
} from "../../src/notebooks/nbformat.js";
import { executeNotebook, prepareNotebook } from "../../src/notebooks/run-notebook.js";
import { reportContent } from "../../src/report/numbering.js";
import { tempDir } from "../helpers.js";

const schema = JSON.parse(readFileSync("test/fixtures/nbformat/nbformat.v4.5.schema.json", "utf8"));
const validate = new AjvDraft04.default({ allErrors: true, strict: false }).compile(schema);
const dir = tempDir("esmlab-remove-cell-");

const notebook: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: "markdown", id: "title", metadata: {}, source: "# Readers see this" },
    {
      cell_type: "markdown",
      id: "note-for-tests",
      metadata: { tags: ["remove-cell"] },
      source: "The next cell is for the test suite.",
    },
    {
      cell_type: "code",
      id: "for-tests",
      metadata: { tags: ["remove-cell"], jupyter: { outputs_hidden: false, other: 1 } },
      execution_count: null,
      outputs: [],
      source: 'const n = 41 + 1;\nconsole.log(JSON.stringify({ checked: "by tests" }));',
    },
    {
      cell_type: "code",
      id: "for-readers",
      metadata: {},
      execution_count: null,
      outputs: [],
      source: "console.log('for readers:', n);",
    },
  ],
};

describe("cells tagged remove-cell", async () => {
  const path = join(dir, "tagged.ipynb");
  const outPath = join(dir, "out", "tagged.ipynb");
  await writeNotebook(path, notebook);
  const result = await executeNotebook(await prepareNotebook(path), { outPath });
  const text = readFileSync(outPath, "utf8");
  const executed = parseNotebook(text, outPath);
  const byId = (id: string) => executed.cells.find((c) => c.id === id)!;

  it("run and stay in the executed notebook, collapsed in Jupyter, which validates", () => {
    expect(result.status).toBe("ok");
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const tested = byId("for-tests") as CodeCell;
    expect(tested.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: '{"checked":"by tests"}\n' },
    ]);
    expect(tested.metadata.tags).toEqual(["remove-cell"]);
    // other keys of metadata.jupyter are kept; the two flags are set
    expect(tested.metadata.jupyter).toEqual({
      outputs_hidden: true,
      source_hidden: true,
      other: 1,
    });
    expect(byId("note-for-tests").metadata.jupyter).toEqual({ source_hidden: true });
    expect(byId("for-readers").metadata.jupyter).toBeUndefined();
    expect(byId("title").metadata.jupyter).toBeUndefined();
  });

  it("are left out of the report, code and output, even with code shown", () => {
    const { sections } = reportContent([{ name: "tagged.ipynb", notebook: executed }], {
      showCode: true,
    });
    const shown = JSON.stringify(sections[0]!.blocks);
    expect(shown).toContain("for readers: 42");
    expect(shown).toContain("Readers see this");
    expect(shown).not.toContain("by tests");
    expect(shown).not.toContain("for the test suite");
  });
});
