import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SERIES_COLUMNS } from "../../src/run/run.js";
import {
  createSeries,
  formatSeriesCsv,
  parseSeriesCsv,
  seriesFromColumns,
} from "../../src/run/series-csv.js";
import { EsmlabError } from "../../src/util/errors.js";

const HEADER = SERIES_COLUMNS.join(",");
const FILE = "runs/a/series.csv";

/** Parses `rows` (header prepended) and returns the thrown message. */
function errorOf(text: string): string {
  try {
    parseSeriesCsv(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(EsmlabError);
    return (err as Error).message;
  }
  throw new Error("expected parseSeriesCsv to throw");
}

describe("formatSeriesCsv", () => {
  it("writes the header, one row per interval, NaN as an empty cell and a final newline", () => {
    const s = createSeries(2, 0, ["Duration"]);
    s.columns.t.set([0, 1.5]);
    s.columns.produced.set([3, 0.25]);
    s.columns.lag.set([Number.NaN, 7]);
    s.extra.Duration!.set([12.5, Number.NaN]);
    expect(formatSeriesCsv(s)).toBe(
      `${HEADER},Duration\n0,3,0,0,0,,0,0,0,12.5\n1.5,0.25,0,0,0,7,0,0,0,\n`,
    );
  });

  it("writes a header-only file for an empty series", () => {
    expect(formatSeriesCsv(createSeries(0, 0))).toBe(`${HEADER}\n`);
  });

  it("refuses to write what it could not read back: missing or repeated t, infinity", () => {
    const s = createSeries(2, 0);
    expect(() => formatSeriesCsv(s)).toThrow("cannot write series row 1: t 0 is missing");
    s.columns.t.set([0, 1]);
    s.columns.lag[1] = Number.POSITIVE_INFINITY;
    expect(() => formatSeriesCsv(s)).toThrow("cannot write series row 1, column lag: Infinity");
    s.columns.lag[1] = 0;
    expect(() => formatSeriesCsv({ ...s, extra: { "p50,ms": new Float64Array(2) } })).toThrow(
      'cannot write series.csv: column name "p50,ms" holds a comma',
    );
  });
});

describe("parseSeriesCsv", () => {
  it("reads empty cells as NaN and writes them back as empty cells, byte for byte", () => {
    const text = `${HEADER},Duration\n0,5,5,1,1,,1,0,0,\n60,,4,1,2,3,1,0,0,812.25\n`;
    const s = parseSeriesCsv(text, FILE);
    expect(s.length).toBe(2);
    expect([...s.columns.t]).toEqual([0, 60]);
    expect([...s.columns.lag]).toEqual([Number.NaN, 3]);
    expect([...s.columns.produced]).toEqual([5, Number.NaN]);
    expect([...s.extra.Duration!]).toEqual([Number.NaN, 812.25]);
    expect(formatSeriesCsv(s)).toBe(text);
  });

  it("round-trips awkward doubles, negative zero and exponents exactly", () => {
    const s = createSeries(3, Number.NaN);
    s.columns.t.set([-2, 0.1, 1e21]);
    s.columns.lag.set([0.1 + 0.2, -0, 123456789012345680000]);
    s.columns.pollers.set([1e-7, 2 ** 53 + 2, -1.5]);
    const text = formatSeriesCsv(s);
    const back = parseSeriesCsv(text, FILE);
    expect([...back.columns.lag]).toEqual([0.1 + 0.2, 0, 123456789012345680000]);
    expect([...back.columns.pollers]).toEqual([1e-7, 2 ** 53 + 2, -1.5]);
    expect(formatSeriesCsv(back)).toBe(text);
  });

  it("reads every cell exactly as Number() does (fast integer and decimal paths included)", () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^\d{0,12}$/), fc.stringMatching(/^(\.\d{0,9})?$/))
      .map(([neg, int, frac]) => `${neg ? "-" : ""}${int}${frac}`)
      .filter((cell) => /\d/.test(cell));
    const cell = fc.oneof(decimal, fc.double({ noNaN: true, noDefaultInfinity: true }).map(String));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 8, maxLength: 8 }), (cells) => {
        const s = parseSeriesCsv(`${HEADER}\r\n0,${cells.join(",")}\r\n`, FILE);
        const read = SERIES_COLUMNS.slice(1).map((c) => s.columns[c][0]);
        expect(read).toEqual(cells.map(Number));
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts CRLF line ends, a byte-order mark and a missing final newline", () => {
    const s = parseSeriesCsv(`\ufeff${HEADER}\r\n0,1,1,1,1,1,1,0,0\r\n1,2,2,2,2,2,2,0,0`, FILE);
    expect([...s.columns.produced]).toEqual([1, 2]);
  });

  it("reads a header-only file as an empty series", () => {
    expect(parseSeriesCsv(`${HEADER}\n`, FILE).length).toBe(0);
  });

  it("rejects a header missing a standard column, naming file, line and column", () => {
    const header = SERIES_COLUMNS.filter((c) => c !== "lag").join(",");
    expect(errorOf(`${header}\n`)).toBe(
      `${FILE} line 1, column 6: expected column "lag", found "pollers"`,
    );
    expect(errorOf("t,produced,processed\n")).toBe(
      `${FILE} line 1, column 4: missing column "invocations"`,
    );
    expect(errorOf("")).toMatch(`${FILE} line 1: empty header`);
  });

  it("rejects standard columns out of order", () => {
    const header = "t,processed,produced,invocations,concurrency,lag,pollers,errors,throttles";
    expect(errorOf(`${header}\n`)).toBe(
      `${FILE} line 1, column 2: expected column "produced", found "processed"`,
    );
  });

  it("rejects repeated and empty extra column names", () => {
    expect(errorOf(`${HEADER},Duration,Duration\n`)).toBe(
      `${FILE} line 1, column 11: column "Duration" appears twice`,
    );
    expect(errorOf(`${HEADER},lag\n`)).toBe(
      `${FILE} line 1, column 10: column "lag" appears twice`,
    );
    expect(errorOf(`${HEADER},\n`)).toBe(`${FILE} line 1, column 10: empty column name`);
  });

  it("rejects a non-numeric cell, naming file, line, column and the cell", () => {
    const rows = Array.from({ length: 11 }, (_, i) => `${i},0,0,0,0,0,0,0,0`);
    rows[10] = "10,0,0,0,0,abc,0,0,0";
    expect(errorOf(`${HEADER}\n${rows.join("\n")}\n`)).toBe(
      `${FILE} line 12, column lag: "abc" is not a number`,
    );
  });

  it.each([
    [" 5", '" 5" is not a number'],
    ["5 ", '"5 " is not a number'],
    ["0x10", '"0x10" is not a number'],
    ["-", '"-" is not a number'],
    ["5e", '"5e" is not a number'],
    ["Infinity", '"Infinity" is not a finite number'],
    ["1e999", '"1e999" is not a finite number'],
  ])("rejects the cell %j", (cell, problem) => {
    const text = `${HEADER}\n0,0,0,0,0,0,0,0,${cell}\n`;
    expect(errorOf(text)).toContain(`${FILE} line 2, column `);
    expect(errorOf(text)).toContain(problem);
  });

  it("accepts decimals, signs and exponents", () => {
    const s = parseSeriesCsv(`${HEADER}\n0,+1,-2.5,.5,1e3,1E-3,-0,7.,0\n`, FILE);
    expect([...SERIES_COLUMNS].map((c) => s.columns[c][0])).toEqual([
      0, 1, -2.5, 0.5, 1000, 0.001, -0, 7, 0,
    ]);
  });

  it("rejects an empty t", () => {
    expect(errorOf(`${HEADER}\n0,1,1,1,1,1,1,0,0\n,1,1,1,1,1,1,0,0\n`)).toBe(
      `${FILE} line 3, column t: empty cell (t is required)`,
    );
  });

  it("rejects a t that does not strictly increase", () => {
    expect(errorOf(`${HEADER}\n0,1,1,1,1,1,1,0,0\n5,1,1,1,1,1,1,0,0\n5,1,1,1,1,1,1,0,0\n`)).toBe(
      `${FILE} line 4, column t: 5 is not greater than 5 on line 3`,
    );
    expect(errorOf(`${HEADER}\n10,1,1,1,1,1,1,0,0\n2,1,1,1,1,1,1,0,0\n`)).toBe(
      `${FILE} line 3, column t: 2 is not greater than 10 on line 2`,
    );
  });

  it("rejects ragged rows, naming the first missing or surplus column", () => {
    expect(errorOf(`${HEADER}\n0,1,1,1,1,1,1,0\n`)).toBe(
      `${FILE} line 2, column throttles: missing cell (row has 8 of 9 cells)`,
    );
    expect(errorOf(`${HEADER}\n0,1,1,1,1,1,1,0,0,9\n`)).toBe(
      `${FILE} line 2, column 10: unexpected cell (the header has 9 columns)`,
    );
    expect(errorOf(`${HEADER}\n0,1,1,1,1,1,1,0,0\n\n`)).toBe(
      `${FILE} line 3, column produced: missing cell (row has 1 of 9 cells)`,
    );
  });

  it("parses 10^6 rows quickly", () => {
    const n = 1_000_000;
    const s = createSeries(n, 0, ["Duration"]);
    for (let i = 0; i < n; i++) {
      s.columns.t[i] = i;
      s.columns.produced[i] = i % 1000;
      s.columns.lag[i] = i % 7 === 0 ? Number.NaN : i * 3;
      s.extra.Duration![i] = (i % 100) / 8;
    }
    const text = formatSeriesCsv(s);
    const started = performance.now();
    const back = parseSeriesCsv(text, FILE);
    const elapsedMs = performance.now() - started;
    expect(back.length).toBe(n);
    expect(back.columns.lag[999_998]).toBe(2_999_994);
    expect(back.columns.lag[999_999]).toBeNaN();
    expect(back.extra.Duration![99]).toBe(12.375);
    // Generous bound for loaded CI machines; about 0.3 s on a laptop.
    expect(elapsedMs).toBeLessThan(3000);
  });
});

describe("createSeries and seriesFromColumns", () => {
  it("fills every column with the given value", () => {
    const s = createSeries(3, Number.NaN, ["Duration"]);
    expect(s.length).toBe(3);
    expect([...s.columns.concurrency]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(Object.keys(s.extra)).toEqual(["Duration"]);
    expect([...createSeries(2, 0).columns.t]).toEqual([0, 0]);
  });

  it("rejects a bad length and bad extra names", () => {
    expect(() => createSeries(-1, 0)).toThrow(RangeError);
    expect(() => createSeries(1.5, 0)).toThrow(RangeError);
    expect(() => createSeries(1, 0, ["a,b"])).toThrow(
      'invalid series: column name "a,b" holds a comma',
    );
    expect(() => createSeries(1, 0, ["x", "x"])).toThrow(
      'invalid series: column "x" appears twice',
    );
  });

  it("assembles columns of one length and rejects a mismatch", () => {
    const { columns } = createSeries(2, 0);
    const s = seriesFromColumns(columns, { Duration: new Float64Array(2) });
    expect(s.length).toBe(2);
    expect(s.columns.t).toBe(columns.t);
    expect(() => seriesFromColumns({ ...columns, lag: new Float64Array(3) })).toThrow(
      "series column lag has 3 cells, expected 2 (the length of t)",
    );
    expect(() => seriesFromColumns(columns, { Duration: new Float64Array(1) })).toThrow(
      "series column Duration has 1 cells",
    );
  });
});
