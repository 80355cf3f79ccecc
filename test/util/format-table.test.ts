import { describe, expect, it } from "vitest";
import { tableBundle } from "../../src/display/bundle.js";
import { isEsmlabError } from "../../src/util/errors.js";

const MINUS = "\u2212";

/** The text of each <td>, in order. */
function htmlCells(html: string): string[] {
  return [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!);
}

describe("tableBundle numbers", () => {
  it("writes numbers in HTML as the shared formatter does: grouped, rounded, true minus", () => {
    const b = tableBundle(["x"], [[356.20000000000005], [1234567], [-0.5], [null]]);
    expect(htmlCells(String(b.data["text/html"]))).toEqual([
      "356.2",
      "1,234,567",
      `${MINUS}0.5`,
      "–",
    ]);
  });

  it("rounds each column as its number kind says, alike in HTML and plain text", () => {
    const b = tableBundle(
      ["phase", "start (s)", "end (s)", "mean concurrency", "invocations"],
      [
        ["tear-up", 0, 900.0000000000001, 1.0000000000000002, 300],
        ["plateau", 900.0000000000001, 2356.2000000000003, 19.876543, 12345.6],
        ["cool-down", 2356.2000000000003, 2412.5, 0.4567, 42],
      ],
      undefined,
      { numberKinds: [undefined, "seconds", "seconds", "ratio", "count"] },
    );
    const cells = htmlCells(String(b.data["text/html"]));
    expect(cells).toEqual([
      "tear-up",
      "0",
      "900",
      "1",
      "300",
      "plateau",
      "900",
      "2,356",
      "19.9",
      "12,346",
      "cool-down",
      "2,356",
      "2,413",
      "0.457",
      "42",
    ]);
    const plain = String(b.data["text/plain"]);
    for (const cell of cells) expect(plain).toContain(cell);
    expect(plain).not.toMatch(/0000|\d{4,}/);
  });

  it("refuses an unknown number kind, naming the column", () => {
    let error: unknown;
    try {
      // a notebook in plain JavaScript is not type-checked
      tableBundle(["a"], [[1]], undefined, { numberKinds: ["secs" as "seconds"] });
    } catch (e) {
      error = e;
    }
    expect(isEsmlabError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'invalid numberKinds[0]: "secs" (table options): must be one of count, seconds, ratio, percent, auto',
    );
  });
});
