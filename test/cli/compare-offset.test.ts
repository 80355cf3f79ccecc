/**
 * `esmlab compare A B --offset X` validates X like every other number: not a number is a usage
 * error (exit 2), and an offset beyond the runs' spans is refused at once instead of walking
 * every minute in between.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers.js";

const dir = tempDir("esmlab-compare-offset-");
const a = join(dir, "a");
const b = join(dir, "b");

beforeAll(() => {
  expect(runCli("simulate", "case1", "--out", a).code).toBe(0);
  expect(runCli("simulate", "case1", "--policy", "on-demand-2022", "--out", b).code).toBe(0);
});

function compare(...offset: string[]) {
  const started = performance.now();
  const res = runCli("compare", a, b, ...offset);
  return { ...res, ms: performance.now() - started };
}

describe("compare --offset", () => {
  for (const bad of ["abc", "NaN", "1e999", "", " ", "Infinity"]) {
    it(`refuses ${JSON.stringify(bad)} as a usage error`, () => {
      const res = compare("--offset", bad);
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/^esmlab: error: option '--offset <sec>' argument .* is invalid/);
      expect(res.err.trim().split("\n")).toHaveLength(1);
      expect(res.out).toBe("");
    });
  }

  it("refuses an offset beyond both runs' spans, quickly", () => {
    const res = compare("--offset", "1e15");
    expect(res.code).toBe(2);
    expect(res.err).toMatch(
      /^esmlab: invalid --offset: 1000000000000000 s: must be within ±\d+ s \(A's span \d+ s \+ B's \d+ s\)/,
    );
    expect(res.err.trim().split("\n")).toHaveLength(1);
    expect(res.ms).toBeLessThan(10_000);
    expect(compare("--offset", "-1e15").code).toBe(2);
  });

  it("accepts an offset within the spans", () => {
    const res = compare("--offset", "-60", "--json");
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({ offsetSec: -60, alignment: "given offset" });
  });
});
