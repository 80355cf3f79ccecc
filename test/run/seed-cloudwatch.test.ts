/**
 * The CloudWatch view of a simulated seed case looks like what the blog measured at 1-minute
 * granularity: 20 invocations a minute (60 / 3 s) and ConcurrentExecutions 1 during tear-up.
 */
import { describe, expect, it } from "vitest";
import { cloudWatchSeries, toCloudWatchView } from "../../src/run/cloudwatch-view.js";
import { simulateBuiltin } from "../helpers.js";

describe("CloudWatch view of case 1", async () => {
  const { run } = await simulateBuiltin("case1");
  const view = toCloudWatchView(run);

  it("shows 20 invocations and concurrency 1 in each of the first 15 minutes", () => {
    const inv = cloudWatchSeries(view, "Invocations");
    const conc = cloudWatchSeries(view, "ConcurrentExecutions");
    for (let m = 0; m < 15; m++) {
      expect(inv.tSec[m]).toBe(m * 60);
      expect(inv.values[m]).toBe(20);
      expect(conc.values[m]).toBe(1);
    }
  });

  it("shows up to 10 concurrent executions after the first evaluation", () => {
    const conc = cloudWatchSeries(view, "ConcurrentExecutions");
    expect(Math.max(...conc.values)).toBe(10);
  });

  it("omits the idle minutes at the end (no datapoint, not zero)", () => {
    const inv = cloudWatchSeries(view, "Invocations");
    const lastMinute = Math.floor((run.series.length - 1) / 60);
    expect(inv.tSec.at(-1)).toBeLessThan(lastMinute * 60);
    expect(Array.from(inv.values).includes(0)).toBe(false);
  });
});
