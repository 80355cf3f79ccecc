import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTimestamp, parseTimestampMs, timestampHasZone } from "../../src/import/timestamp.js";

// 2024-01-09T18:30:00Z, from `date -u -d 2024-01-09T18:30:00Z +%s` = 1704825000.
const AT = 1704825000 * 1000;

describe("parseTimestampMs", () => {
  it.each([
    ["ISO with Z", "2024-01-09T18:30:00Z"],
    ["ISO with +00:00 (AWS CLI v2)", "2024-01-09T18:30:00+00:00"],
    ["ISO with milliseconds (JS SDK v3 via JSON.stringify)", "2024-01-09T18:30:00.000Z"],
    ["ISO with +0000", "2024-01-09T18:30:00+0000"],
    ["another zone", "2024-01-09T20:30:00+02:00"],
    ["a negative zone", "2024-01-09T13:30:00-05:00"],
    ["a space and no zone (console CSV), read as UTC", "2024-01-09 18:30:00"],
    ["epoch seconds as text", "1704825000"],
  ])("reads %s", (_, text) => {
    expect(parseTimestampMs(text)).toBe(AT);
  });

  it("reads epoch seconds, epoch milliseconds and Dates", () => {
    expect(parseTimestampMs(1704825000)).toBe(AT);
    expect(parseTimestampMs(AT)).toBe(AT);
    expect(parseTimestampMs(new Date(AT))).toBe(AT);
  });

  it("keeps a fraction of a second, so off-minute datapoints can be refused later", () => {
    expect(parseTimestampMs("2024-01-09T18:30:00.250Z")).toBe(AT + 250);
    expect(parseTimestampMs("2024-01-09T18:30:15Z")).toBe(AT + 15_000);
  });

  it.each([
    "",
    "yesterday",
    "1/9/24",
    "2024-02-30T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "2024-13-01T00:00:00Z",
    "2024-01-09T24:00:00Z",
    "2024-01-09T18:30:00+25:00",
    "2024-01-09T18:30:00Zjunk",
    "2024-01-09T18:30:00.Z",
    "-5",
  ])("refuses %j", (text) => {
    expect(parseTimestampMs(text)).toBeNaN();
  });

  it("refuses non-timestamps", () => {
    expect(parseTimestampMs(null)).toBeNaN();
    expect(parseTimestampMs({})).toBeNaN();
    expect(parseTimestampMs(Number.NaN)).toBeNaN();
  });

  it("agrees with Date.parse on every ISO time with a zone (property)", () => {
    const times = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(times, fc.integer({ min: -14 * 60, max: 14 * 60 }), (ms, offsetMin) => {
        const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
        const sign = offsetMin < 0 ? "-" : "+";
        const abs = Math.abs(offsetMin);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
        expect(parseTimestampMs(local + zone)).toBe(Date.parse(local + zone));
        expect(parseTimestampMs(formatTimestamp(ms))).toBe(ms);
      }),
    );
  });
});

describe("timestampHasZone", () => {
  it("is false only for an ISO string without a zone", () => {
    expect(timestampHasZone("2024-01-09 18:30:00")).toBe(false);
    expect(timestampHasZone("2024-01-09T18:30:00")).toBe(false);
    expect(timestampHasZone("2024-01-09T18:30:00Z")).toBe(true);
    expect(timestampHasZone("2024-01-09T18:30:00+00:00")).toBe(true);
    expect(timestampHasZone(1704825000)).toBe(true);
  });
});

describe("formatTimestamp", () => {
  it("drops zero milliseconds", () => {
    expect(formatTimestamp(AT)).toBe("2024-01-09T18:30:00Z");
    expect(formatTimestamp(AT + 5)).toBe("2024-01-09T18:30:00.005Z");
  });
});
