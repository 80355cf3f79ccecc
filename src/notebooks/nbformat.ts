/**
 * Jupyter notebooks (nbformat 4): the types esmlab reads and writes, parsing, and a serialiser
 * that writes the same bytes as Jupyter's own `nbformat.write` — keys sorted, 1-space indent,
 * multi-line strings as lists of lines, a final newline — so executed notebooks diff cleanly.
 *
 * Source: the nbformat 4.5 JSON schema (nbformat.readthedocs.io/en/latest/format_description.html).
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic.js";
import { EsmlabError } from "../util/errors.js";

/** A JSON value (notebook metadata and `application/json` outputs). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** MIME type → data; text is one string here (lists of lines only on disk). */
export type MimeBundle = Record<string, Json>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}

export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, Json>;
}

export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, Json>;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: "code";
  id?: string;
  source: string;
  metadata: Record<string, Json>;
  execution_count: number | null;
  outputs: Output[];
}

export interface TextCell {
  cell_type: "markdown" | "raw";
  id?: string;
  source: string;
  metadata: Record<string, Json>;
  attachments?: Record<string, Json>;
}

export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, Json>;
  cells: Cell[];
}

/**
 * Parses notebook JSON (nbformat 4) into a {@link Notebook}, joining line lists into strings.
 *
 * @param text the file's text
 * @param source where it came from, for error messages
 * @throws EsmlabError when the text is not JSON or not an nbformat 4 notebook, naming `source`
 * @example
 * parseNotebook('{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[]}', "a.ipynb").cells;
 * // → []
 */
export function parseNotebook(text: string, source: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new EsmlabError(`cannot parse notebook ${source}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!isObject(raw) || raw.nbformat !== 4 || !Array.isArray(raw.cells)) {
    const version = isObject(raw) ? JSON.stringify(raw.nbformat) : "none";
    throw new EsmlabError(
      `invalid notebook ${source}: expected nbformat 4 with a cells list, got nbformat ${version}`,
    );
  }
  const cells = raw.cells.map((c: unknown, i: number) => parseCell(c, `${source}, cell ${i + 1}`));
  return {
    nbformat: 4,
    nbformat_minor: typeof raw.nbformat_minor === "number" ? raw.nbformat_minor : 0,
    metadata: isObject(raw.metadata) ? (raw.metadata as Record<string, Json>) : {},
    cells,
  };
}

function parseCell(raw: unknown, where: string): Cell {
  if (!isObject(raw) || typeof raw.cell_type !== "string") {
    throw new EsmlabError(`invalid notebook cell (${where}): expected an object with cell_type`);
  }
  const common = {
    ...(typeof raw.id === "string" ? { id: raw.id } : {}),
    source: joinLines(raw.source),
    metadata: isObject(raw.metadata) ? (raw.metadata as Record<string, Json>) : {},
  };
  if (raw.cell_type === "code") {
    return {
      cell_type: "code",
      ...common,
      execution_count: typeof raw.execution_count === "number" ? raw.execution_count : null,
      outputs: Array.isArray(raw.outputs) ? raw.outputs.map(parseOutput) : [],
    };
  }
  if (raw.cell_type === "markdown" || raw.cell_type === "raw") {
    return {
      cell_type: raw.cell_type,
      ...common,
      ...(isObject(raw.attachments)
        ? { attachments: raw.attachments as Record<string, Json> }
        : {}),
    };
  }
  throw new EsmlabError(`invalid notebook cell (${where}): unknown cell_type "${raw.cell_type}"`);
}

/**
 * An `error` output from the fields an error carries, in a notebook file or in the kernel's
 * iopub `error` message alike (ename, evalue, traceback).
 */
export function errorOutputOf(o: Record<string, unknown>): ErrorOutput {
  return {
    output_type: "error",
    ename: String(o.ename),
    evalue: String(o.evalue),
    traceback: (o.traceback as string[]) ?? [],
  };
}

function parseOutput(raw: unknown): Output {
  const o = raw as Record<string, unknown>;
  switch (o.output_type) {
    case "stream":
      return { output_type: "stream", name: o.name as "stdout", text: joinLines(o.text) };
    case "error":
      return errorOutputOf(o);
    case "execute_result":
      return {
        output_type: "execute_result",
        execution_count: (o.execution_count as number | null) ?? null,
        data: joinBundle(o.data),
        metadata: (o.metadata as Record<string, Json>) ?? {},
      };
    default:
      return {
        output_type: "display_data",
        data: joinBundle(o.data),
        metadata: (o.metadata as Record<string, Json>) ?? {},
      };
  }
}

/**
 * Reads and parses a notebook file.
 *
 * @throws EsmlabError when the file cannot be read or is not an nbformat 4 notebook
 */
export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new EsmlabError(`cannot read notebook ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseNotebook(text, path);
}

/**
 * Serialises a notebook as Jupyter does (`json.dumps(nb, sort_keys=True, indent=1,
 * ensure_ascii=False)` after splitting multi-line strings into lists of lines), plus "\n".
 *
 * @example
 * serializeNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
 * // → '{\n "cells": [],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n'
 */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell): Json => {
    const out: Record<string, Json> = { ...(cell as unknown as Record<string, Json>) };
    out.source = splitLines(cell.source);
    if (cell.cell_type === "code") out.outputs = cell.outputs.map(outputToJson);
    return out;
  });
  const doc: Json = { ...(nb as unknown as Record<string, Json>), cells };
  return `${JSON.stringify(sortKeys(doc), null, 1)}\n`;
}

/** Writes a notebook atomically (see {@link serializeNotebook} for the bytes). */
export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  await writeFileAtomic(path, serializeNotebook(nb));
}

function outputToJson(o: Output): Json {
  switch (o.output_type) {
    case "stream":
      return { ...o, text: splitLines(o.text) };
    case "error":
      return { ...o };
    default:
      return { ...o, data: splitBundle(o.data) } as unknown as Json;
  }
}

/** Text MIME types are stored as lists of lines; JSON ones (`application/json`, `*+json`) stay. */
function splitBundle(data: MimeBundle): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [mime, value] of Object.entries(data)) {
    out[mime] = typeof value === "string" && !isJsonMime(mime) ? splitLines(value) : value;
  }
  return out;
}

function joinBundle(raw: unknown): MimeBundle {
  const out: MimeBundle = {};
  if (!isObject(raw)) return out;
  for (const [mime, value] of Object.entries(raw)) {
    out[mime] = Array.isArray(value) && !isJsonMime(mime) ? joinLines(value) : (value as Json);
  }
  return out;
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

/** "a\nb\n" → ["a\n", "b\n"], as nbformat's `split_lines`; "" → []. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function joinLines(value: unknown): string {
  if (Array.isArray(value)) return value.join("");
  return typeof value === "string" ? value : "";
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
