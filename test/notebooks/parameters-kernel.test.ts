/**
 * Injected string parameters read by the real consumer: a tslab kernel compiles the
 * injected-parameters cell with its own TypeScript and the notebook sees exactly the strings
 * given — line and paragraph separators, template syntax, quotes, NUL and a lone surrogate.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CodeCell, parseNotebook, serializeNotebook } from "../../src/notebooks/nbformat.js";
import { runNotebooks } from "../../src/notebooks/runner.js";
import { tempDir } from "../helpers.js";

const dir = tempDir("esmlab-params-kernel-");

/** UTF-16 code units, as the cell prints them: a lone surrogate survives no stream encoding. */
const units = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).join(",");

describe("string parameters on a real kernel", () => {
  it("reach the notebook as given, whatever characters they hold", async () => {
    const path = join(dir, "strings.ipynb");
    const code = (id: string, source: string, tags: string[] = []): CodeCell => ({
      cell_type: "code",
      id,
      source,
      metadata: tags.length > 0 ? { tags } : {},
      execution_count: null,
      outputs: [],
    });
    writeFileSync(
      path,
      serializeNotebook({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          code("p", 'let text: string = "a";\nconst other = "b";', ["parameters"]),
          code(
            "show",
            "const units = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).join(',');\nconsole.log(units(text) + '|' + units(other));",
          ),
        ],
      }),
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text a template would expand
    const text = "line\u2028para\u2029`${text}` \"'\\ \0end";
    const other = "\ud800 ${";
    const out = join(dir, "out");
    const [result] = await runNotebooks([path], {
      outDir: out,
      parameters: { text: { text }, other: { json: other } },
    });
    expect(result).toMatchObject({ status: "ok" });
    const nb = parseNotebook(readFileSync(join(out, "strings.ipynb"), "utf8"), "strings");
    const cells = nb.cells as CodeCell[];
    expect(cells[1]?.source).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the injected source, not a template
      '// Injected parameters\nlet text: string = "line\\u2028para\\u2029`${text}` \\"\'\\\\ \\u0000end";\nconst other: string = "\\ud800 ${";\n',
    );
    expect(cells[2]?.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: `${units(text)}|${units(other)}\n` },
    ]);
  });
});
