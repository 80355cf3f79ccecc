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

  it("marks number cells and the headers of number columns, leaving text columns unmarked", () => {
    const b = tableBundle(
      ["policy", "drained after", "peak lag (records)", "note"],
      [
        ["legacy-15min", 600060, 200000, "slow"],
        ["on-demand", 3.2000000000000455, null, "–"],
      ],
      undefined,
      { numberKinds: [undefined, "duration", "count"] },
    );
    const html = String(b.data["text/html"]);
    expect(html).toContain(
      '<thead><tr><th>policy</th><th class="num">drained after</th><th class="num">peak lag (records)</th><th>note</th></tr></thead>',
    );
    // 600060 s = 166.7 h, whole hours from 100 h; a no-break space before the unit
    expect(html).toContain(
      '<tr><td>legacy-15min</td><td class="num">167\u00a0h</td><td class="num">200,000</td><td>slow</td></tr>',
    );
    expect(html).toContain('<td class="num">3.2\u00a0s</td><td class="num">–</td><td>–</td>');
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
      'invalid numberKinds[0]: "secs" (table options): must be one of count, seconds, ratio, percent, duration, auto',
    );
  });
});
