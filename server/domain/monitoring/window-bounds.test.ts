import { describe, expect, it } from "vitest";
import { isFinal, isWindowStart, windowEnd, windowKey, windowStart } from "./window-bounds";

const at = (s: string) => new Date(s);

describe("monitoring window boundaries (UTC)", () => {
  it("an hour runs from the full hour to the next, the end excluded", () => {
    expect(windowStart("hour", at("2026-11-30T10:59:59.999Z"))).toEqual(at("2026-11-30T10:00:00Z"));
    expect(windowStart("hour", at("2026-11-30T11:00:00Z"))).toEqual(at("2026-11-30T11:00:00Z"));
    expect(windowEnd("hour", at("2026-11-30T10:00:00Z"))).toEqual(at("2026-11-30T11:00:00Z"));
  });

  it("a day is a UTC day, whatever the machine's time zone", () => {
    expect(windowStart("day", at("2026-11-30T23:59:59+00:00"))).toEqual(at("2026-11-30T00:00:00Z"));
    // 01:30 in Berlin on Dec 1 is still Nov 30 in UTC.
    expect(windowStart("day", at("2026-12-01T00:30:00+01:00"))).toEqual(at("2026-11-30T00:00:00Z"));
    expect(windowEnd("day", at("2026-02-28T00:00:00Z"))).toEqual(at("2026-03-01T00:00:00Z"));
  });

  it("a week starts on Monday 00:00 UTC, across month and year ends", () => {
    // 2026-11-30 is a Monday.
    expect(windowStart("week", at("2026-11-30T00:00:00Z"))).toEqual(at("2026-11-30T00:00:00Z"));
    expect(windowStart("week", at("2026-11-29T23:59:59Z"))).toEqual(at("2026-11-23T00:00:00Z"));
    expect(windowStart("week", at("2027-01-01T12:00:00Z"))).toEqual(at("2026-12-28T00:00:00Z"));
    expect(windowEnd("week", at("2026-12-28T00:00:00Z"))).toEqual(at("2027-01-04T00:00:00Z"));
    // Before 1970's first Monday too.
    expect(windowStart("week", at("1970-01-01T00:00:00Z"))).toEqual(at("1969-12-29T00:00:00Z"));
  });

  it("recognises window starts and refuses instants inside a window", () => {
    expect(isWindowStart("hour", at("2026-11-30T10:00:00Z"))).toBe(true);
    expect(isWindowStart("hour", at("2026-11-30T10:00:01Z"))).toBe(false);
    expect(isWindowStart("week", at("2026-12-01T00:00:00Z"))).toBe(false);
  });

  it("a window becomes final once the late-arrival allowance after its end has passed", () => {
    const start = at("2026-11-30T10:00:00Z");
    expect(isFinal("hour", start, at("2026-11-30T11:04:59Z"), 5 * 60_000)).toBe(false);
    expect(isFinal("hour", start, at("2026-11-30T11:05:00Z"), 5 * 60_000)).toBe(true);
    expect(isFinal("day", start, at("2026-11-30T11:05:00Z"), 5 * 60_000)).toBe(false);
  });

  it("names one window of one version unambiguously", () => {
    expect(windowKey("v1", "day", at("2026-11-30T00:00:00Z"))).toBe("window:v1:day:2026-11-30T00:00:00.000Z");
  });
});
