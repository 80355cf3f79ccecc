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
