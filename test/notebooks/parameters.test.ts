import { describe, expect, it } from "vitest";
import type { Notebook } from "../../src/notebooks/nbformat.js";
import {
  coerceParameter,
  injectedSource,
  injectParameters,
  parseParameterCell,
} from "../../src/notebooks/parameters.js";

describe("parseParameterCell", () => {
  it("reads each declaration's keyword, annotation, kind and literal default", () => {
    const decls = parseParameterCell(
      [
        "// defaults",
        "const runs = 3;",
        'let label: string = "a"; /* a = b; */ var on = true',
        "export const seeds: number[] = [",
        "  1, 2, // two seeds",
        "];",
        "const opts: Record<string, number> = { a: 1 };",
        "const scale = 2 * runs;",
        "const when = 'noon';",
        "let unset: number;",
      ].join("\n"),
    );
    expect(decls.map((d) => [d.name, d.keyword, d.type, d.kind, d.defaultValue])).toEqual([
      ["runs", "const", null, "number", 3],
      ["label", "let", "string", "string", "a"],
      ["on", "var", null, "boolean", true],
      ["seeds", "const", "number[]", "array", undefined],
      ["opts", "const", "Record<string, number>", "object", undefined],
      ["scale", "const", null, "other", undefined],
      ["when", "const", null, "string", "noon"],
    ]);
    expect(decls[3]?.element).toBe("number");
  });
});

describe("coerceParameter", () => {
  const [runs, label, on, seeds, opts] = parseParameterCell(
    'const runs = 3;\nconst label: string = "a";\nconst on = true;\nconst seeds: number[] = [1];\nconst opts = {"a": 1};',
  );

  it("parses -p text by the declared type", () => {
    expect(coerceParameter(runs!, { text: "1e3" }, "n.ipynb")).toBe(1000);
    expect(coerceParameter(label!, { text: "42" }, "n.ipynb")).toBe("42");
    expect(coerceParameter(on!, { text: "false" }, "n.ipynb")).toBe(false);
    expect(coerceParameter(seeds!, { text: "[4,5]" }, "n.ipynb")).toEqual([4, 5]);
    expect(coerceParameter(opts!, { json: { b: 2 } }, "n.ipynb")).toEqual({ b: 2 });
  });

  it("names the notebook, parameter and expected type on a wrong value", () => {
    expect(() => coerceParameter(runs!, { text: "" }, "n.ipynb")).toThrow(
      'invalid parameter runs: "" is not a number (notebook n.ipynb, declared as number (from its default) in the parameters cell)',
    );
    expect(() => coerceParameter(on!, { text: "yes" }, "n.ipynb")).toThrow(
      /"yes" is not true or false/,
    );
    expect(() => coerceParameter(label!, { json: 3 }, "n.ipynb")).toThrow(
      /3 is not a string \(notebook n\.ipynb, declared as string/,
    );
    expect(() => coerceParameter(opts!, { text: "[1]" }, "n.ipynb")).toThrow(
      /is not a JSON object/,
    );
  });
});

describe("injectParameters", () => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", id: "m", source: "# T", metadata: {} },
      {
        cell_type: "code",
        id: "p",
        source: "const n = 1;",
        metadata: { tags: ["parameters"] },
        execution_count: null,
        outputs: [],
      },
      {
        cell_type: "code",
        id: "old",
        source: "const n = 7;",
        metadata: { tags: ["injected-parameters"] },
        execution_count: 2,
        outputs: [],
      },
    ],
  };
  const [n] = parseParameterCell("const n = 1;");

  it("replaces an earlier injected cell by one after the parameters cell", () => {
    const out = injectParameters(nb, [{ decl: n!, value: 2 }]);
    expect(out.cells.map((c) => c.id)).toEqual(["m", "p", "injected-parameters"]);
    expect(out.cells[2]?.source).toBe("// Injected parameters\nconst n: number = 2;\n");
    expect(injectParameters(nb, []).cells.map((c) => c.id)).toEqual(["m", "p"]);
  });

  it("writes arrays and objects as JSON literals with the declared annotation", () => {
    const [a, o] = parseParameterCell("let a: string[] = [];\nconst o = {};");
    expect(
      injectedSource([
        { decl: a!, value: ["x"] },
        { decl: o!, value: { k: 1 } },
      ]),
    ).toBe('// Injected parameters\nlet a: string[] = ["x"];\nconst o = {"k":1};\n');
  });
});
