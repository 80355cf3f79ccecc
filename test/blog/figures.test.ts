/**
 * One definition of the blog's figures: what `esmlab cases` prints (blogFigures) and what
 * `esmlab fit` compares (the three-phase fit's blog rows) are the same numbers for one run,
 * including a run that starts late — where the two used to count the first 15 minutes from
 * different origins (the clock's 0 and the tear-up's start).
 */
import { describe, expect, it } from "vitest";
import { blogComparison } from "../../src/blog/comparison.js";
import { blogFigures } from "../../src/blog/figures.js";
import { fitThreePhases } from "../../src/fit/three-phase.js";
import { concurrencyRun, rep } from "../fit/fit-helpers.js";

describe("blogFigures", () => {
  // 1-minute rows: 5 idle minutes, 15 minutes at 1, then 30 minutes at 20 (invocations = the
  // concurrency value, one row a minute)
  const values = [...rep(0, 5), ...rep(1, 15), ...rep(20, 30)];
  const run = concurrencyRun(values, 60);

  it("counts the first 15 minutes from the tear-up's start, as the fit's comparison does", () => {
    const f = blogFigures(run);
    // rows from minute 5 to minute 19: fifteen rows of 1
    expect(f.invocationsFirst15Min).toBe(15);
    expect(f.maxConcurrencyFirst15Min).toBe(1);
    const rows = blogComparison(run, fitThreePhases(run));
    const observed = (figure: string) => rows.find((r) => r.figure === figure)!.observed;
    expect(f.invocationsFirst15Min).toBe(observed("invocationsFirst15Min"));
    expect(f.maxConcurrencyFirst15Min).toBe(observed("maxConcurrencyFirst15Min"));
    expect(f.maxInvocationsPerMinute).toBe(observed("maxInvocationsPerMin"));
    expect(f.evaluationIntervalSec).toBe(observed("evaluationIntervalSec"));
    expect(f.peakConcurrency).toBe(20);
  });
});
