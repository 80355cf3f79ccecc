/** Dotted-path access into plain JSON objects ("scaler.scaleUp.rule"). */

/** The value at `path` in `obj`, or undefined. */
export function getPath(obj: unknown, path: string | readonly PropertyKey[]): unknown {
  const keys = typeof path === "string" ? path.split(".") : path;
  let cur: unknown = obj;
  for (const key of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Set `value` at `path`, creating plain objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== "object") cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** Render a path for messages: ["topic", "partitioner", "keySpace"] → "topic.partitioner.keySpace". */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((k) => (typeof k === "number" ? `[${k}]` : String(k)))
    .join(".")
    .replace(/\.\[/g, "[");
}
