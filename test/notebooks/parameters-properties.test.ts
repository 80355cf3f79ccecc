/**
 * Notebook parameters under arbitrary input, without a kernel: whatever a user passes with
 * `-p key=value` or `--params file.json`, binding either gives values whose injected source
 * compiles — with tslab's own TypeScript 5.0.4, the compiler that will read it — to exactly the
 * given value, or refuses with one EsmlabError line naming the parameter.
 */
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Json } from "../../src/notebooks/nbformat.js";
import {
  bindParameters,
  type GivenValue,
  injectedSource,
  parseParameterCell,
  showParameterName,
  toLiteral,
} from "../../src/notebooks/parameters.js";
import { EsmlabError } from "../../src/util/errors.js";

// tslab resolves its own TypeScript; so does this test
const fromTslab = createRequire(createRequire(import.meta.url).resolve("tslab"));
const ts = fromTslab("@tslab/typescript-for-tslab") as typeof import("typescript");

/** Line breaks for a terminal or for a JavaScript/TypeScript scanner. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * Compiles TypeScript as tslab does (TS 5.0.4, ES2022, CommonJS), failing on any syntax
 * diagnostic, and returns the value of `name` after running it.
 */
function evaluateAsTslab(source: string, name: string): unknown {
  const out = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const diagnostics = (out.diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  );
  expect(diagnostics, source).toEqual([]);
  return runInNewContext(`${out.outputText}\n;${name}`, { exports: {} });
}

/** Same value, including -0 and own `__proto__` keys (which toEqual would not tell apart). */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return Object.is(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) =>
        kb[i] === k &&
        sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

const anyString = fc.oneof(
  fc.string({ unit: "binary" }), // lone surrogates and NUL included
  fc.string({ unit: "grapheme" }),
  fc.constantFrom(
    "\u2028",
    "a\u2029b",
    "\ud800",
    "x\udfffy",
    "\0",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text a template would expand
    "`${x}`",
    "${",
    "'\"\\",
    "\\u2028",
    "</script>",
    "__proto__",
  ),
);
const anyJson = fc.jsonValue({ stringUnit: "binary", maxDepth: 3 });

describe("toLiteral", () => {
  it("writes any string as a literal that tslab's TypeScript reads back as that string", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const literal = toLiteral(s);
        expect(literal).not.toMatch(LINE_BREAK);
        expect(evaluateAsTslab(`const s: string = ${literal};`, "s")).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it("writes any JSON value as a literal equal to it (-0 and __proto__ keys too)", () => {
    // JSON.parse makes own __proto__ properties, as a --params file does
    const special = fc.constantFrom<Json>(
      -0,
      JSON.parse('{"__proto__":1}'),
      JSON.parse('{"__proto__":{"a":[-0]}}'),
    );
    fc.assert(
      fc.property(fc.oneof(anyJson, special), (json) => {
        const value = json as Json;
        const literal = toLiteral(value);
        expect(literal).not.toMatch(LINE_BREAK);
        expect(sameJson(evaluateAsTslab(`const v = ${literal};`, "v"), value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("writes what JSON.stringify writes for plain values", () => {
    expect(toLiteral({ k: [1, "a", true, null] })).toBe('{"k":[1,"a",true,null]}');
    expect(toLiteral("a\u2028b")).toBe('"a\\u2028b"');
    expect(toLiteral("\ud800")).toBe('"\\ud800"');
  });
});

/** A parameters cell declaring every kind a parameter can have. */
const CELL = [
  "const runs = 3;",
  'let label: string = "a";',
  "const on = true;",
  "const seeds: number[] = [1];",
  "const names: string[] = [];",
  "const opts: Record<string, number> = {};",
  "const anything = null;",
  "const list = [1, 2];",
].join("\n");
const DECLARED = parseParameterCell(CELL).map((d) => d.name);

const givenValue: fc.Arbitrary<GivenValue> = fc.oneof(
  anyString.map((text) => ({ text })),
  fc
    .oneof(anyJson, fc.constantFrom<Json>("1", "true", "[1]", "{}", ""))
    .map((text) => ({ text: typeof text === "string" ? text : JSON.stringify(text) })),
  anyJson.map((json) => ({ json: json as Json })),
);
const givenValues = fc.dictionary(fc.oneof(fc.constantFrom(...DECLARED), anyString), givenValue, {
  maxKeys: 4,
});

describe("bindParameters", () => {
  it("either binds values that inject as themselves or refuses in one line naming the parameter", () => {
    fc.assert(
      fc.property(givenValues, (given) => {
        let bound: ReturnType<typeof bindParameters>;
        try {
          bound = bindParameters(CELL, given, "n.ipynb");
        } catch (err) {
          expect(err).toBeInstanceOf(EsmlabError);
          const message = (err as Error).message;
          expect(message).not.toMatch(LINE_BREAK);
          const named = /^invalid parameter ([A-Za-z_$][\w$]*): .* \(notebook n\.ipynb, /.exec(
            message,
          );
          expect(named?.[1], message).toBeDefined();
          expect(Object.keys(given)).toContain(named?.[1]);
          return;
        }
        expect(bound.values.map((v) => v.decl.name)).toEqual(
          Object.keys(given).filter((k) => DECLARED.includes(k)),
        );
        for (const { decl, value } of bound.values) {
          const source = injectedSource([{ decl, value }]);
          expect(sameJson(evaluateAsTslab(source, decl.name), value)).toBe(true);
          expect(sameJson(bound.parameters[decl.name], value)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("reads any text as a parameters cell without throwing", () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.string({ unit: "binary-ascii", maxLength: 200 })), (s) => {
        for (const d of parseParameterCell(s)) expect(typeof d.name).toBe("string");
        expect(() => bindParameters(s, {}, "n.ipynb")).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it("shows any parameter name on one line", () => {
    fc.assert(
      fc.property(anyString, (name) => {
        expect(showParameterName(name)).not.toMatch(LINE_BREAK);
      }),
    );
    expect(showParameterName("runs")).toBe("runs");
    expect(showParameterName("a\nb")).toBe('"a\\nb"');
  });
});
