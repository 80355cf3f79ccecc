import { describe, expect, it } from "vitest";
import { conclusionCell, conclusionParts, conclusionsTable } from "../../src/blog/conclusions.js";

const MINUS = "\u2212";

describe("conclusionCell", () => {
  it("writes the error with a true minus and its % attached, never '-98.7 %'", () => {
    // case1's cool-down: 11.5 s against the blog's 900 s, (11.5 − 900) / 900 = −98.7 %
    const cell = conclusionCell({
      figure: "coolDownSec",
      observed: 11.5,
      predicted: 900,
      relativeError: -0.9872,
    });
    expect(cell).toBe(`11.5 (blog 900, ${MINUS}98.7%)`);
  });

  it("shows a ratio where the run is more than twice the blog's figure", () => {
    const cell = conclusionCell({
      figure: "maxConcurrencyFirst15Min",
      observed: 20,
      predicted: 1,
      relativeError: 19,
    });
    expect(cell).toBe("20 (blog 1, ×20)");
  });

  it("rounds seconds figures as seconds and groups large figures", () => {
    expect(
      conclusionParts({
        figure: "coolDownSec",
        observed: 356.20000000000005,
        predicted: 900,
        relativeError: -0.6042,
      }),
    ).toEqual({ observed: "356", predicted: "900", error: `${MINUS}60.4%` });
    expect(
      conclusionCell({
        figure: "maxInvocationsPerMin",
        observed: 2000,
        predicted: 2000,
        relativeError: 0,
      }),
    ).toBe("2,000 (blog 2,000, 0%)");
  });

  it("leaves the error out when a value is missing, and is '–' without a row", () => {
    expect(conclusionCell({ observed: 5, predicted: null, relativeError: null })).toBe(
      "5 (blog –)",
    );
    expect(conclusionCell(undefined)).toBe("–");
  });

  it("builds one row per blog figure with a cell per run", () => {
    const t = conclusionsTable([
      {
        label: "case1: 2 msg/s",
        conclusions: [
          { figure: "coolDownSec", observed: 11.5, predicted: 900, relativeError: -0.987 },
        ],
      },
    ]);
    expect(t.header).toEqual(["blog's conclusion", "case1"]);
    expect(t.rows.find((r) => r[0]!.startsWith("5."))).toEqual([
      "5. cool-down ~15 min (s)",
      `11.5 (blog 900, ${MINUS}98.7%)`,
    ]);
    expect(t.rows.find((r) => r[0]!.startsWith("1."))![1]).toBe("–");
  });
});
