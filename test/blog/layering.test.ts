/**
 * The blog is read on top of the fit, never inside it: src/blog/ imports src/fit/, and nothing
 * in src/fit/ imports src/blog/ — so a three-phase fit means the same with or without the blog,
 * and the blog's figures have one definition (issue 13). Checked on the source's import lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

function importsOf(folder: string): { file: string; from: string }[] {
  return readdirSync(join(SRC, folder))
    .filter((f) => f.endsWith(".ts"))
    .flatMap((file) =>
      [
        ...readFileSync(join(SRC, folder, file), "utf8").matchAll(
          /^import[^;]*?from "([^"]+)";/gms,
        ),
      ].map((m) => ({ file, from: m[1]! })),
    );
}

describe("src/fit and src/blog", () => {
  it("src/fit imports nothing from src/blog", () => {
    expect(importsOf("fit").filter((i) => i.from.includes("/blog/"))).toEqual([]);
  });

  it("src/blog reads the fit (the check above looks at real import lines)", () => {
    expect(importsOf("blog").some((i) => i.from.startsWith("../fit/"))).toBe(true);
  });
});
