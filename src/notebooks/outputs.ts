/**
 * tslab's messages mapped to nbformat outputs: each iopub output message to an output
 * ({@link outputOf}), then, once the cell has ended, the cell's status and final outputs
 * ({@link cellOutputs}): consecutive stream writes merged, and a failed cell's stderr turned
 * into one proper `error` output. tslab reports a failure as a bare `status: "error"`; the
 * message is the cell's trailing `line:col - message` compile diagnostics, else its last stderr
 * write (`console.error(thrown)`).
 */
import { type ErrorOutput, errorOutputOf, type Json, type Output } from "./nbformat.js";

/**
 * The nbformat output of one iopub message, or null for messages that are not outputs (status,
 * execute_input, clear_output…). tslab sends a cell's last value as stdout, and esmlab's
 * display helpers as display_data; an execute_result is kept as display_data (it has no
 * execution count of its own here).
 *
 * @example outputOf("stream", { name: "stdout", text: "2\n" })
 * // → { output_type: "stream", name: "stdout", text: "2\n" }
 */
export function outputOf(msgType: string, content: Record<string, unknown>): Output | null {
  switch (msgType) {
    case "stream":
      return {
        output_type: "stream",
        name: content.name === "stderr" ? "stderr" : "stdout",
        text: String(content.text),
      };
    case "display_data":
    case "execute_result":
      return {
        output_type: "display_data",
        data: (content.data ?? {}) as Record<string, Json>,
        metadata: (content.metadata ?? {}) as Record<string, Json>,
      };
    case "error":
      return errorOutputOf(content);
    default:
      return null;
  }
}

/** How a cell ended, as {@link cellOutputs} reads it. */
export type CellEnd =
  /** the kernel replied, with the reply's status ("ok", "error", "abort") */
  | { kind: "reply"; status: string }
  /** the kernel process ended during the cell, `how` as `exited with code 3` */
  | { kind: "exit"; how: string };

/**
 * A cell's status and outputs from the outputs its messages carried and how it ended. A cell
 * stopped by its time limit ends in a `CellTimeoutError` (replacing the interrupt's own
 * "Script execution interrupted"); one whose kernel died, in a `KernelDied` error.
 *
 * @param timedOut set when the cell's time limit passed: the limit and what was done about it
 */
export function cellOutputs(
  outputs: readonly Output[],
  end: CellEnd,
  timedOut?: { timeoutMs: number; action: "interrupted" | "killed" },
): { status: "ok" | "error" | "timeout"; outputs: Output[] } {
  const all = [...outputs];
  if (timedOut !== undefined) {
    const failed = end.kind === "reply" && end.status === "error";
    const kept = failed ? toErrorOutputs(all).slice(0, -1) : all;
    return {
      status: "timeout",
      outputs: [...mergeStreams(kept), timeoutError(timedOut.timeoutMs, timedOut.action)],
    };
  }
  if (end.kind === "exit") {
    return { status: "error", outputs: [...mergeStreams(all), kernelDiedError(end.how)] };
  }
  if (end.status === "ok") return { status: "ok", outputs: mergeStreams(all) };
  return { status: "error", outputs: toErrorOutputs(all) };
}

/** Consecutive writes to one stream become one output, as Jupyter front ends show them. */
export function mergeStreams(outputs: Output[]): Output[] {
  const merged: Output[] = [];
  for (const o of outputs) {
    const last = merged[merged.length - 1];
    if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
      merged[merged.length - 1] = { ...last, text: last.text + o.text };
    } else {
      merged.push(o);
    }
  }
  return merged;
}

const DIAGNOSTIC = /^(?:\S+ )?\d+:\d+ - /;

/**
 * Turns a failed cell's outputs into outputs + one `error`: the trailing stderr writes that
 * are compile diagnostics (`line:col - message`), else the last stderr write (tslab's
 * `console.error(thrown)`), are removed from the streams and parsed into ename/evalue/traceback.
 */
export function toErrorOutputs(outputs: Output[]): Output[] {
  let cut = outputs.length;
  while (cut > 0) {
    const o = outputs[cut - 1]!;
    if (o.output_type !== "stream" || o.name !== "stderr" || !DIAGNOSTIC.test(o.text)) break;
    cut--;
  }
  let error: ErrorOutput;
  if (cut < outputs.length) {
    const lines = outputs.slice(cut).map((o) => (o as { text: string }).text.trimEnd());
    error = {
      output_type: "error",
      ename: "TSError",
      evalue: lines.map((l) => l.replace(DIAGNOSTIC, "")).join("\n"),
      traceback: lines.map((l) => `TSError: ${l}`),
    };
  } else {
    let last = -1;
    for (let i = outputs.length - 1; i >= 0; i--) {
      const o = outputs[i]!;
      if (o.output_type === "stream" && o.name === "stderr") {
        last = i;
        break;
      }
    }
    const text = last >= 0 ? (outputs[last] as { text: string }).text : "";
    cut = last >= 0 ? last : outputs.length;
    error = parseThrown(text);
    outputs = [...outputs.slice(0, cut), ...outputs.slice(cut + 1)];
    return [...mergeStreams(outputs), error];
  }
  return [...mergeStreams(outputs.slice(0, cut)), error];
}

/** Frames of Node internals, the vm module and tslab: noise to a notebook reader. */
const INTERNAL_FRAME = /\(node:|at node:|\/node_modules\/tslab\/|at sigintHandlersWrap /;
/** Node's "where it was thrown" banner: `file:line`, the source line, a caret, a blank line. */
const THROW_BANNER = /^[^\n]*:\d+\n[^\n]*\n[ \t]*\^+[ \t]*\n\n/;

/**
 * Parses a thrown value as tslab prints it (`console.error(thrown)`: for an Error, Node's
 * throw-site banner, `Name: message`, then `    at …` frames) into an `error` output. Frames of
 * Node internals and tslab are dropped; the cell's own frames read `<cell>:line:col`, lines of
 * the JavaScript tslab compiled the cell to.
 *
 * @example
 * parseThrown("RangeError: r\n    at evalmachine.<anonymous>:3:43\n    at Object.execute (/p/node_modules/tslab/dist/executor.js:160:38)\n");
 * // → { output_type: "error", ename: "RangeError", evalue: "r",
 * //     traceback: ["RangeError: r", "    at <cell>:3:43"] }
 */
export function parseThrown(text: string): ErrorOutput {
  const lines = text.replace(THROW_BANNER, "").replace(/\s+$/, "").split("\n");
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  const head = (firstFrame < 0 ? lines : lines.slice(0, firstFrame)).join("\n");
  const frames = firstFrame < 0 ? [] : lines.slice(firstFrame);
  const match = /^([A-Za-z_$][\w$]*)(?: \[\w+\])?: ([\s\S]*)$/.exec(head);
  // an Error has a "Name: message" head and frames; any other thrown value is printed as is
  const ename = match ? match[1]! : "Thrown";
  const evalue = match ? match[2]! : head;
  const kept = frames
    .filter((l) => /^\s+at /.test(l) && !INTERNAL_FRAME.test(l))
    .map(
      (l) => `    ${l.trim().replace(/ \{$/, "").replaceAll("evalmachine.<anonymous>", "<cell>")}`,
    );
  return {
    output_type: "error",
    ename,
    evalue,
    traceback: [`${ename}: ${evalue}`, ...kept],
  };
}

/**
 * The error of a cell that met tslab's shorthand-property quirk, with the way round it added;
 * any other error unchanged.
 *
 * tslab runs each cell as a module and rewrites the names of earlier cells' variables into
 * `exports.name`, but its rewrite (`wrapPrevIdentifier` in tslab's src/converter.ts, 1.0.22)
 * resolves a shorthand property's name to the property, not to the variable, so `{ seed }`
 * keeps a bare `seed` that does not exist when the cell runs. The cell type-checks, then fails
 * with `ReferenceError: seed is not defined`; `{ seed: seed }` works.
 *
 * @param source the cell's code: the hint is added only when it has the name as a shorthand
 * @example
 * withQuirkHint(parseThrown("ReferenceError: seed is not defined\n"), "f({ seed });").evalue;
 * // → "seed is not defined (tslab: a variable from an earlier cell cannot be a shorthand
 * //    property; write { seed: seed } instead of { seed })"
 */
export function withQuirkHint(error: ErrorOutput, source: string): ErrorOutput {
  const name =
    error.ename === "ReferenceError"
      ? /^([\w$]+) is not defined$/.exec(error.evalue)?.[1]
      : undefined;
  if (name === undefined) return error;
  // `name` between "{" or "," and "," or "}": a shorthand property (or a destructured name,
  // which would be declared in this cell and so never be "not defined")
  const escaped = name.replaceAll("$", "\\$");
  if (!new RegExp(`[{,]\\s*${escaped}\\s*[,}]`).test(source)) return error;
  const evalue = `${error.evalue} (tslab: a variable from an earlier cell cannot be a shorthand property; write { ${name}: ${name} } instead of { ${name} })`;
  return {
    ...error,
    evalue,
    traceback: [`${error.ename}: ${evalue}`, ...error.traceback.slice(1)],
  };
}

/** The error output of a cell stopped by its time limit. */
export function timeoutError(timeoutMs: number, action: "interrupted" | "killed"): ErrorOutput {
  const evalue = `cell did not finish within ${timeoutMs / 1000} s; the kernel was ${action}`;
  return {
    output_type: "error",
    ename: "CellTimeoutError",
    evalue,
    traceback: [`CellTimeoutError: ${evalue}`],
  };
}

/**
 * The error output of a cell during which the kernel process ended (a cell's `process.exit()`,
 * a crash, an out-of-memory kill).
 *
 * @param how the kernel's end as `Kernel.exitStatus` reads it: `exited with code 3`
 */
export function kernelDiedError(how: string): ErrorOutput {
  const evalue = `the tslab kernel died: it ${how}`;
  return {
    output_type: "error",
    ename: "KernelDied",
    evalue,
    traceback: [`KernelDied: ${evalue}`],
  };
}
