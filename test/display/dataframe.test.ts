/** Runs as danfojs DataFrames: same shape, columns and cells as the Run (NaN kept). */
import type { DataFrame } from "danfojs-node";
import { describe, expect, it } from "vitest";
import { canMakeDataFrames, runToDataFrame } from "../../src/display/dataframe.js";
import { SERIES_COLUMNS } from "../../src/run/run.js";
import { simulateBuiltin } from "../helpers.js";

describe("runToDataFrame", () => {
  it("holds the run's series, one row per interval", async () => {
    const { run } = await simulateBuiltin("case1");
    const df = await runToDataFrame<DataFrame>(run);
    expect(df.shape).toEqual([2701, 9]);
    expect(df.columns).toEqual([...SERIES_COLUMNS]);
    const conc = df.column("concurrency").values as number[];
    expect(conc.slice(0, 900).every((v) => v === 1)).toBe(true);
    expect(df.column("invocations").sum()).toBe(4000);
  });

  it("says it can, where danfojs-node is installed (as in this checkout)", () => {
    expect(canMakeDataFrames()).toBe(true);
  });
});
