/**
 * How scenario errors show what the user wrote: one line whatever the input (keys and strings
 * may hold line breaks), bounded in length (a value may be an array nested 100 000 deep), and a
 * number as written (`JSON.stringify` prints an overflowed `1e999` as `null`).
 */

/**
 * Escape line breaks and other control characters so a message stays one line.
 * @example oneLine("unknown field a\nb") // "unknown field a\\nb"
 */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the target
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === "\n"
      ? "\\n"
      : c === "\r"
        ? "\\r"
        : c === "\t"
          ? "\\t"
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * A value as the user wrote it, at most `max` characters. Non-finite numbers (only an
 * overflowing literal such as `1e999` parses to one) show as `overflows` gives them, else as
 * "a number too large"; values too deeply nested to print say so.
 * @example showValue([1, 2]) // "[1,2]"
 * @example showValue(Number.POSITIVE_INFINITY, ["1e999"]) // "1e999"
 */
export function showValue(value: unknown, overflows: readonly string[] = [], max = 60): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    const written = overflows.filter((t) => t.startsWith("-") === value < 0);
    return written.length > 0 && written.every((t) => t === written[0])
      ? written[0]!
      : `${value < 0 ? "a negative number" : "a number"} too large for a double`;
  }
  let text: string;
  try {
    // numbers as written in JSON: 1e308, not JavaScript's 1e+308
    text =
      typeof value === "number"
        ? String(value).replace("e+", "e")
        : (JSON.stringify(value) ?? String(value));
  } catch (err) {
    // JSON.stringify recurses: a value nested deeper than the stack cannot be printed
    if (!(err instanceof RangeError)) throw err;
    text = Array.isArray(value)
      ? "[an array nested too deeply to show]"
      : "{an object nested too deeply to show}";
  }
  text = oneLine(text);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/**
 * The number literals of a JSON text that overflow a double (`1e999`, `-1e400`), in order:
 * `JSON.parse` turns them into ±Infinity, and messages should show what was written. Strings
 * are skipped; O(text length).
 * @example overflowingNumbers('{"a": 1e999, "b": "1e999"}') // ["1e999"]
 */
export function overflowingNumbers(text: string): string[] {
  const out: string[] = [];
  const number = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92 /* \ */) i++;
      }
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      number.lastIndex = i;
      const m = number.exec(text);
      if (m === null) continue;
      if (!Number.isFinite(Number(m[0]))) out.push(m[0]);
      i += m[0].length - 1;
    }
  }
  return out;
}
