/** Dotted-path access into plain JSON objects ("scaler.scaleUp.rule"), typed where the object is. */

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** True when a value at a path ends the path: a primitive, an array, or one of `Whole`. */
type IsLeaf<V, Whole> = [V] extends [Primitive | readonly unknown[] | Whole] ? true : false;

/**
 * The dotted paths to the leaves of `T`: primitives, arrays, and the types in `Whole` — values
 * set whole, such as a tagged union whose fields depend on its `kind` (a duration model), which
 * a settings table gives as one value. Objects on the way are descended, a union through the
 * keys all its members share; optional fields are paths like any other.
 *
 * The type is linear in the size of `T` (one mapped type per object, no distribution over
 * unions), so a scenario's paths cost the compiler next to nothing.
 *
 * @example
 * type T = { esm: { batchSize: number }; fn: { duration: DurationModel; errorRate: number } };
 * Path<T, DurationModel> // "esm.batchSize" | "fn.duration" | "fn.errorRate"
 * Path<T>                // "esm.batchSize" | "fn.duration.kind" | "fn.errorRate"
 */
export type Path<T, Whole = never> = [T] extends [never]
  ? never
  : {
      [K in keyof T & string]-?: IsLeaf<Exclude<T[K], undefined>, Whole> extends true
        ? K
        : `${K}.${Path<Exclude<T[K], undefined>, Whole>}`;
    }[keyof T & string];

/**
 * The type of the value at `path` in `T`; `undefined` joins it when a field on the way is
 * optional, `never` when `path` is not a path of `T`.
 *
 * @example PathValue<Scenario, "esm.batchSize"> // number
 */
export type PathValue<T, P extends string> = P extends `${infer K}.${infer Rest}`
  ? K extends keyof T
    ? PathValue<Exclude<T[K], undefined>, Rest> | (undefined extends T[K] ? undefined : never)
    : never
  : P extends keyof T
    ? T[P]
    : never;

/**
 * The value at `path` in `obj`, or undefined. With a typed object and one of its {@link Path}s
 * the result has the path's type; any other string or key list gives `unknown`.
 *
 * @example getPath(scenario, "esm.batchSize") // 100, typed number
 * @example getPath(input, ["topic", "partitions"]) // 10, typed unknown
 */
export function getPath<T extends object, P extends Path<T>>(obj: T, path: P): PathValue<T, P>;
export function getPath(obj: unknown, path: string | readonly PropertyKey[]): unknown;
export function getPath(obj: unknown, path: string | readonly PropertyKey[]): unknown {
  const keys = typeof path === "string" ? path.split(".") : path;
  let cur: unknown = obj;
  for (const key of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/**
 * Set `value` at `path`, creating plain objects on the way. With a typed object, a path of it
 * and a value of the path's type this is checked; with a plain record, anything goes.
 *
 * @example setPath(structuredClone(scenario), "run.resolutionSec", 60)
 */
export function setPath<T extends object, P extends Path<T>>(
  obj: T,
  path: P,
  value: PathValue<T, P>,
): void;
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void;
export function setPath(obj: object, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur = obj as Record<string, unknown>;
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
