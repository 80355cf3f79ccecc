/**
 * Namespacing of the ids inside one SVG document, so several charts can share an HTML page:
 * vega numbers its clip paths and gradients per process (`clip1`, `gradient_0`), and two
 * inlined SVGs with the same id make the second chart use the first one's clip.
 */
import { createHash } from "node:crypto";

/**
 * Prefix every id the SVG defines, and every reference to one of those ids: `id="…"`,
 * `url(#…)` and `href="#…"` / `xlink:href="#…"`. References to ids the SVG does not define
 * are left alone. Cost: two regular-expression passes over the text.
 * @throws RangeError when the prefix is not a valid start of an XML id
 * @example prefixSvgIds('<clipPath id="clip1"/><g clip-path="url(#clip1)"/>', "c1-")
 * // '<clipPath id="c1-clip1"/><g clip-path="url(#c1-clip1)"/>'
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(prefix))
    throw new RangeError(
      `invalid idPrefix: ${JSON.stringify(prefix)}: must match [A-Za-z_][\\w.-]*`,
    );
  const defined = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) defined.add(m[1]!);
  if (defined.size === 0) return svg;
  const ref = (id: string) => (defined.has(id) ? prefix + id : id);
  return svg.replace(
    /(\sid=")([^"]+)(")|(url\(#)([^)]+)(\))|(href="#)([^"]+)(")/g,
    (
      _all,
      a1?: string,
      id1?: string,
      a2?: string,
      b1?: string,
      id2?: string,
      b2?: string,
      c1?: string,
      id3?: string,
      c2?: string,
    ) => {
      if (id1 !== undefined) return `${a1}${prefix}${id1}${a2}`;
      if (id2 !== undefined) return `${b1}${ref(id2)}${b2}`;
      return `${c1}${ref(id3!)}${c2}`;
    },
  );
}

/**
 * A deterministic id prefix for a value: "c" + the first 8 hex digits of the SHA-256 of its
 * JSON + "-". Equal specs get equal prefixes, so the same spec always renders the same bytes.
 */
export function hashIdPrefix(value: unknown): string {
  const hex = createHash("sha256").update(JSON.stringify(value)).digest("hex");
  return `c${hex.slice(0, 8)}-`;
}
