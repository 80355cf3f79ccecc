/**
 * On which page each named destination of a PDF lies — how the printer learns where the table
 * of contents' headings landed. Chromium writes a named destination for every element an
 * internal link points at (`<a href="#id">` → `/Dests << /id [page /XYZ x y 0] >>` in the
 * catalog); its PDF backend (Skia's SkPDF) writes a classic cross-reference table and leaves
 * object dictionaries uncompressed (only streams are deflated), so the few objects needed are
 * read as text:
 *
 * ```
 * startxref ─▶ xref table (object → offset) ─▶ trailer /Root ─▶ catalog
 *   ├▶ /Pages tree, /Kids in order ─▶ page object → page number
 *   └▶ /Dests dictionary ─▶ name → page object
 * ```
 * PDF 1.7 (ISO 32000-1) §7.5.4 cross-reference table, §7.7.2 document catalog, §7.7.3.2 page
 * tree, §12.3.2.3 named destinations. A PDF using cross-reference streams or object streams
 * (PDF 1.5), or keeping its destinations in a /Names tree (as Chromium does not), yields no
 * destinations here rather than wrong ones; the printer then warns. Cost: one pass over the bytes
 * to decode them, then a few regular expressions per object read.
 */

/**
 * Page numbers (1-based) of the PDF's named destinations, by name; empty when the file has none
 * or is not laid out as described above.
 *
 * @example destinationPages(pdf).get("executive-summary") // 2
 */
export function destinationPages(pdf: Uint8Array): Map<string, number> {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString("latin1");
  const offsets = xrefOffsets(text);
  if (offsets === null) return new Map();
  const object = (n: number): string | null => {
    const at = offsets.get(n);
    if (at === undefined) return null;
    const end = text.indexOf("endobj", at);
    const body = text.slice(at, end < 0 ? undefined : end);
    // a stream's bytes are not part of the dictionary
    const stream = body.indexOf("stream");
    return stream < 0 ? body : body.slice(0, stream);
  };
  const trailer = text.slice(text.lastIndexOf("trailer"));
  const catalog = object(ref(trailer, "Root") ?? -1);
  if (catalog === null) return new Map();
  const pageOf = new Map<number, number>();
  collectPages(ref(catalog, "Pages"), object, pageOf, new Set());
  const found = new Map<string, number>();
  const dests = ref(catalog, "Dests");
  const dict = dests === null ? null : object(dests);
  // each entry `/name [page 0 R /XYZ left top zoom]`, the array written in place
  for (const m of dict?.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+\d+\s+R[^\]]*\]/g) ?? []) {
    const page = pageOf.get(Number(m[2]));
    if (page !== undefined) found.set(nameText(m[1]!), page);
  }
  return found;
}

/** Object number → byte offset, from the last classic cross-reference table; null without one. */
function xrefOffsets(text: string): Map<number, number> | null {
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-1024));
  if (start === null) return null;
  const at = Number(start[1]);
  if (!text.startsWith("xref", at)) return null;
  const offsets = new Map<number, number>();
  const section = /(\d+)\s+(\d+)\s*[\r\n]+/y;
  let pos = at + 4;
  for (;;) {
    while (/\s/.test(text[pos] ?? "")) pos++;
    section.lastIndex = pos;
    const head = section.exec(text);
    if (head === null) break;
    const first = Number(head[1]);
    const count = Number(head[2]);
    pos = section.lastIndex;
    for (let i = 0; i < count; i++) {
      // each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, n|f, end of line
      const entry = text.slice(pos, pos + 20);
      if (entry[17] === "n") offsets.set(first + i, Number(entry.slice(0, 10)));
      pos += 20;
    }
  }
  return offsets.size === 0 ? null : offsets;
}

/** The object number of `/Key n g R` in a dictionary's text, or null. */
function ref(dict: string, key: string): number | null {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(dict);
  return m === null ? null : Number(m[1]);
}

/** Numbers the page tree's leaves in order (a /Pages node's /Kids, depth first). */
function collectPages(
  node: number | null,
  object: (n: number) => string | null,
  pageOf: Map<number, number>,
  seen: Set<number>,
): void {
  if (node === null || seen.has(node)) return;
  seen.add(node);
  const dict = object(node);
  if (dict === null) return;
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(dict);
  if (kids === null) {
    pageOf.set(node, pageOf.size + 1);
    return;
  }
  for (const k of kids[1]!.matchAll(/(\d+)\s+\d+\s+R/g)) {
    collectPages(Number(k[1]), object, pageOf, seen);
  }
}

/** A PDF name's text: `#xx` escapes decoded (§7.3.5). */
function nameText(name: string): string {
  const bytes = name.replace(/#([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return Buffer.from(bytes, "latin1").toString("utf8");
}
