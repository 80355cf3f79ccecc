/**
 * Notebook parameters, papermill's convention in TypeScript: defaults are declared in the
 * cell tagged `parameters` (`const runs = 3;`, `let label: string = "a";`), and given values
 * go into an `injected-parameters` cell inserted right after it, each typed as declared — so a
 * value of the wrong type fails here, before any kernel starts, with a message naming the
 * notebook, the parameter and the expected type.
 *
 * The declarations are read by a small scanner, not a TypeScript parser: one
 * `[export] const|let|var name[: Type] = initializer` per statement, initializers balanced in
 * brackets and quotes. Anything else in the cell is left alone. Cost: linear in the cell.
 */
import { EsmlabError } from "../util/errors.js";
import type { Cell, CodeCell, Json, Notebook } from "./nbformat.js";

/** The value kinds a parameter can be checked against; `other` defers to tslab's type-check. */
export const PARAMETER_KINDS = {
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "a JSON array",
  object: "a JSON object",
  other: "a JSON value",
} as const;
export type ParameterKind = keyof typeof PARAMETER_KINDS;

/** One declaration of the `parameters` cell. */
export interface ParameterDecl {
  name: string;
  keyword: "const" | "let" | "var";
  /** the type annotation as written, or null */
  type: string | null;
  kind: ParameterKind;
  /** element kind of `number[]`, `string[]`, `boolean[]` */
  element?: "number" | "string" | "boolean";
  /** the initializer's source text */
  initializer: string;
  /** the default as JSON when the initializer is a JSON-like literal, else undefined */
  defaultValue?: Json;
}

/** A value given for a parameter: text from `-p key=value` or JSON from `--params file.json`. */
export type GivenValue = { text: string } | { json: Json };

/** Tag of the cell holding the defaults. */
export const PARAMETERS_TAG = "parameters";
/** Tag (and cell id) of the cell esmlab inserts. */
export const INJECTED_TAG = "injected-parameters";

const DECL_START =
  /(?:^|[;\n])[ \t]*(?:export[ \t]+)?(const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*/g;

/**
 * Reads the declarations of a parameters cell.
 *
 * @example
 * parseParameterCell('const runs = 3;\nlet label: string = "a";').map((d) => [d.name, d.kind]);
 * // → [["runs", "number"], ["label", "string"]]
 */
export function parseParameterCell(source: string): ParameterDecl[] {
  const code = blankComments(source);
  const decls: ParameterDecl[] = [];
  DECL_START.lastIndex = 0;
  for (let m = DECL_START.exec(code); m !== null; m = DECL_START.exec(code)) {
    let at = DECL_START.lastIndex;
    let type: string | null = null;
    if (code[at] === ":") {
      const end = scanUntil(code, at + 1, "=");
      type = code.slice(at + 1, end).trim();
      at = end;
    }
    if (code[at] !== "=") continue; // `let x;` or a destructuring: not a parameter
    const end = scanUntil(code, at + 1, ";\n");
    const initializer = code.slice(at + 1, end).trim();
    DECL_START.lastIndex = end;
    const decl = describe(m[1] as ParameterDecl["keyword"], m[2]!, type, initializer);
    decls.push(decl);
  }
  return decls;
}

function describe(
  keyword: ParameterDecl["keyword"],
  name: string,
  type: string | null,
  initializer: string,
): ParameterDecl {
  const defaultValue = literalValue(initializer);
  const fromType = type === null ? null : kindOfType(type);
  const kind = fromType?.kind ?? kindOfValue(defaultValue);
  const element = fromType?.element;
  return {
    name,
    keyword,
    type,
    kind,
    ...(element === undefined ? {} : { element }),
    initializer,
    ...(defaultValue === undefined ? {} : { defaultValue }),
  };
}

function kindOfType(type: string): { kind: ParameterKind; element?: ParameterDecl["element"] } {
  const t = type.replace(/^readonly\s+/, "").trim();
  if (t === "number" || t === "string" || t === "boolean") return { kind: t };
  const arr = /^(?:(number|string|boolean)\[\]|(?:Readonly)?Array<(number|string|boolean)>)$/.exec(
    t,
  );
  if (arr) return { kind: "array", element: (arr[1] ?? arr[2]) as "number" };
  if (/\[\]$|^(?:Readonly)?Array</.test(t)) return { kind: "array" };
  if (/^\{|^Record</.test(t)) return { kind: "object" };
  return { kind: "other" };
}

function kindOfValue(value: Json | undefined): ParameterKind {
  if (value === undefined || value === null) return "other";
  if (Array.isArray(value)) return "array";
  const t = typeof value;
  return t === "number" || t === "string" || t === "boolean" ? t : "object";
}

/** The value of a JSON-like literal initializer (single quotes and plain backticks too). */
function literalValue(init: string): Json | undefined {
  const quoted = /^(['`])((?:[^\\]|\\.)*)\1$/s.exec(init);
  if (quoted && !(quoted[1] === "`" && quoted[2]!.includes("${"))) {
    try {
      return JSON.parse(`"${quoted[2]!.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
    } catch {
      return undefined;
    }
  }
  try {
    return JSON.parse(init) as Json;
  } catch {
    return undefined;
  }
}

/**
 * Converts a given value to the declared kind.
 *
 * @throws EsmlabError naming the notebook, the parameter, the expected type and the bad value
 * @example
 * coerceParameter({ name: "runs", kind: "number", ... }, { text: "4" }, "a.ipynb"); // → 4
 */
export function coerceParameter(decl: ParameterDecl, given: GivenValue, notebook: string): Json {
  const fail = (bad: Json): never => {
    const shown = showValue(bad);
    const declared = decl.type === null ? `${decl.kind} (from its default)` : decl.type;
    throw new EsmlabError(
      `invalid parameter ${decl.name}: ${shown} is not ${PARAMETER_KINDS[decl.kind]} (notebook ${notebook}, declared as ${declared} in the parameters cell)`,
    );
  };
  let value: Json;
  if ("text" in given) {
    const text = given.text;
    if (decl.kind === "string") return text;
    if (decl.kind === "number") {
      const n = Number(text);
      if (text.trim() === "" || !Number.isFinite(n)) return fail(text);
      return n;
    }
    if (decl.kind === "boolean") {
      if (text !== "true" && text !== "false") return fail(text);
      return text === "true";
    }
    try {
      value = JSON.parse(text) as Json;
    } catch {
      if (decl.kind === "other") return text;
      return fail(text);
    }
  } else {
    value = given.json;
  }
  if (decl.kind !== "other" && kindOfValue(value) !== decl.kind) return fail(value);
  if (decl.element !== undefined && Array.isArray(value)) {
    const bad = value.find((v) => typeof v !== decl.element);
    if (bad !== undefined) {
      throw new EsmlabError(
        `invalid parameter ${decl.name}: element ${showValue(bad)} of ${showValue(value)} is not a ${decl.element} (notebook ${notebook}, declared as ${decl.type} in the parameters cell)`,
      );
    }
  }
  return value;
}

/** Longest value shown in an error message, in characters. */
const SHOWN_MAX = 80;

/**
 * A value as an error message shows it: on one line (JSON escapes line breaks, U+2028/U+2029
 * escaped too) and at most {@link SHOWN_MAX} characters.
 */
function showValue(value: Json): string {
  const text = toLiteral(value);
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX - 1)}…` : text;
}

/**
 * A parameter name as an error message shows it: as is when it is an identifier (all a
 * parameters cell can declare), else quoted on one line — a key of a `--params` file can hold
 * anything.
 *
 * @example showParameterName("runs"); // → "runs"
 * @example showParameterName("a b\n"); // → '"a b\\n"'
 */
export function showParameterName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : showValue(name);
}

/** What {@link bindParameters} found. */
export interface BoundParameters {
  /** effective parameters: declared defaults (when literal) overridden by given values */
  parameters: Record<string, Json>;
  /** the given values the cell declares, converted to their declared kinds, in given order */
  values: { decl: ParameterDecl; value: Json }[];
}

/**
 * Checks given values against the declarations of a parameters cell and converts each to its
 * declared kind. Names the cell does not declare are left out (the caller decides whether a
 * name is unknown to every notebook).
 *
 * @param source the parameters cell's source ("" when the notebook has none)
 * @throws EsmlabError naming the notebook and parameter when a value has the wrong type
 * @example
 * bindParameters("const runs = 3;", { runs: { text: "4" }, other: { text: "x" } }, "a.ipynb").parameters;
 * // → { runs: 4 }
 */
export function bindParameters(
  source: string,
  given: Readonly<Record<string, GivenValue>>,
  notebook: string,
): BoundParameters {
  const decls = parseParameterCell(source);
  const parameters: Record<string, Json> = {};
  for (const d of decls)
    if (d.defaultValue !== undefined) define(parameters, d.name, d.defaultValue);
  const values: { decl: ParameterDecl; value: Json }[] = [];
  for (const [name, value] of Object.entries(given)) {
    const decl = decls.find((d) => d.name === name);
    if (decl === undefined) continue;
    const coerced = coerceParameter(decl, value, notebook);
    values.push({ decl, value: coerced });
    define(parameters, name, coerced);
  }
  return { parameters, values };
}

/** Sets an own property, also for `__proto__`, which plain assignment would not. */
function define(record: Record<string, Json>, name: string, value: Json): void {
  Object.defineProperty(record, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * The source of the `injected-parameters` cell: one declaration per given value, with the
 * parameters cell's keyword and type annotation (tslab lets a later cell redeclare a name).
 *
 * @example
 * injectedSource([{ decl: { name: "runs", keyword: "const", type: "number", ... }, value: 4 }]);
 * // → "// Injected parameters\nconst runs: number = 4;\n"
 */
export function injectedSource(values: readonly { decl: ParameterDecl; value: Json }[]): string {
  const lines = values.map(({ decl, value }) => {
    const type = decl.type ?? (isPrimitiveKind(decl.kind) ? decl.kind : null);
    return `${decl.keyword} ${decl.name}${type === null ? "" : `: ${type}`} = ${toLiteral(value)};`;
  });
  return `// Injected parameters\n${lines.join("\n")}\n`;
}

/**
 * A JSON value as a TypeScript literal that evaluates to exactly that value, written as
 * `JSON.stringify` writes it apart from three cases JSON gets wrong as source code:
 * U+2028 and U+2029 are escaped (raw, they end a line for compilers older than ES2019's
 * JSON superset — tslab's TypeScript 5.0.4 among the doubtful ones); `-0` keeps its sign; and a
 * `"__proto__"` key is written computed (`["__proto__"]`), since in an object literal the plain
 * key sets the prototype instead of making a property. Lone surrogates come out as `\udxxx`
 * escapes (ES2019's well-formed `JSON.stringify`), so they round-trip too.
 *
 * @example
 * toLiteral({ s: "a\u2028b", n: -0 }); // → '{"s":"a\\u2028b","n":-0}'
 */
export function toLiteral(value: Json): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : JSON.stringify(value);
  if (value === null || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(",")}]`;
  const entries = Object.entries(value).map(([k, v]) => {
    const key = k === "__proto__" ? `[${stringLiteral(k)}]` : stringLiteral(k);
    return `${key}:${toLiteral(v)}`;
  });
  return `{${entries.join(",")}}`;
}

function stringLiteral(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function isPrimitiveKind(kind: ParameterKind): boolean {
  return kind === "number" || kind === "string" || kind === "boolean";
}

/** Index of the first code cell tagged `parameters`, or -1. */
export function findParametersCell(nb: Notebook): number {
  return nb.cells.findIndex((c) => c.cell_type === "code" && hasTag(c, PARAMETERS_TAG));
}

/** Tags of a cell (`metadata.tags`). */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

function hasTag(cell: Cell, tag: string): boolean {
  return cellTags(cell).includes(tag);
}

/**
 * Returns the notebook with an `injected-parameters` cell after the parameters cell (at the top
 * when there is none), replacing any injected cell of an earlier run. With no values, only the
 * old injected cell is removed.
 */
export function injectParameters(
  nb: Notebook,
  values: readonly { decl: ParameterDecl; value: Json }[],
): Notebook {
  const cells = nb.cells.filter((c) => !hasTag(c, INJECTED_TAG));
  if (values.length > 0) {
    const at = cells.findIndex((c) => c.cell_type === "code" && hasTag(c, PARAMETERS_TAG));
    const injected: CodeCell = {
      cell_type: "code",
      id: INJECTED_TAG,
      source: injectedSource(values),
      metadata: { tags: [INJECTED_TAG] },
      execution_count: null,
      outputs: [],
    };
    cells.splice(at + 1, 0, injected);
  }
  return { ...nb, cells };
}

/** Index just past the end of a balanced run of code, stopping at a top-level `stops` char. */
function scanUntil(code: string, from: number, stops: string): number {
  let depth = 0;
  let i = from;
  while (i < code.length) {
    const ch = code[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      i = skipString(code, i);
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{" || (ch === "<" && stops === "=")) depth++;
    else if (ch === ")" || ch === "]" || ch === "}" || (ch === ">" && stops === "=")) depth--;
    else if (depth === 0 && stops.includes(ch)) return i;
    i++;
  }
  return i;
}

function skipString(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote) i += code[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** Replaces comments by spaces (keeping offsets and newlines), leaving strings alone. */
function blankComments(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      const end = skipString(src, i);
      out += src.slice(i, end);
      i = end;
    } else if (src.startsWith("//", i)) {
      const end = src.indexOf("\n", i);
      const stop = end < 0 ? src.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
