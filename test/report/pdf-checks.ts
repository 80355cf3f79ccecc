/** Checks of a rendered PDF with poppler-utils, shared by the report tests. */
import { execFileSync } from "node:child_process";
import { expect } from "vitest";

/** Assert that `pdffonts` lists at least one font and every font is embedded. */
export function expectFontsEmbedded(path: string): void {
  const fonts = execFileSync("pdffonts", [path], { encoding: "utf8" }).trim().split("\n").slice(2);
  expect(fonts.length).toBeGreaterThan(0);
  // columns: name type encoding emb sub uni object ID — "emb" must be yes
  for (const line of fonts) expect(line).toMatch(/\syes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
}

/** The PDF's page count, as `pdfinfo` reads it. */
export function pdfPageCount(path: string): number {
  const info = execFileSync("pdfinfo", [path], { encoding: "utf8" });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Each page's text as `pdftotext -layout -f N -l N` extracts it; index 0 is page 1. */
export function pdfPageTexts(path: string): string[] {
  const count = pdfPageCount(path);
  return Array.from({ length: count }, (_v, i) =>
    execFileSync("pdftotext", ["-layout", "-f", String(i + 1), "-l", String(i + 1), path, "-"], {
      encoding: "utf8",
    }),
  );
}

/**
 * The table of contents as printed: each entry's text and page number, read from the page whose
 * text holds `heading` ("Contents") as a line of its own — entry lines are "text … number".
 */
export function printedContents(
  pages: readonly string[],
  heading = "Contents",
): { page: number; entries: { text: string; page: number }[] } {
  const at = pages.findIndex((text) => lines(text).includes(heading));
  expect(at, `a page with the heading ${heading}`).toBeGreaterThanOrEqual(0);
  const entries: { text: string; page: number }[] = [];
  const after = lines(pages[at]!).slice(lines(pages[at]!).indexOf(heading) + 1);
  for (const line of after) {
    const m = /^(.*\S)\s{2,}(\d+)$/.exec(line);
    if (m === null) {
      if (entries.length > 0) break;
      continue;
    }
    entries.push({ text: m[1]!, page: Number(m[2]) });
  }
  return { page: at + 1, entries };
}

/**
 * The pages (1-based) on which `texts` are printed as lines of their own, found in order: each
 * after the line where the one before it was found, the first from the line after `start`'s
 * (so a heading used twice is found twice); -1 for a text not found.
 */
export function pagesInOrder(
  pages: readonly string[],
  texts: readonly string[],
  start: { page: number; line: string },
): number[] {
  const all = pages.flatMap((text, i) => lines(text).map((line) => ({ page: i + 1, line })));
  let at = all.findIndex((l) => l.page === start.page && l.line === start.line);
  return texts.map((text) => {
    const found = all.findIndex((l, i) => i > at && l.line === text);
    if (found < 0) return -1;
    at = found;
    return all[found]!.page;
  });
}

function lines(text: string): string[] {
  return text.split("\n").map((l) => l.trim());
}
