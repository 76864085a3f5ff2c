import { describe, expect, it } from "vitest";
import { isoWeekKey } from "./iso-week";

describe("ISO week keys (as Python's date.isocalendar())", () => {
  it.each([
    ["2026-11-30T00:00:00Z", "2026-W49"], // a Monday
    ["2026-12-06T23:59:59Z", "2026-W49"], // the Sunday after it
    ["2021-01-03T12:00:00Z", "2020-W53"], // early January in the previous ISO year
    ["2024-12-30T08:00:00Z", "2025-W01"], // late December in the next ISO year
    ["2020-12-31T00:00:00Z", "2020-W53"],
    ["2026-01-01T00:00:00Z", "2026-W01"],
  ])("%s is %s", (at, key) => {
    expect(isoWeekKey(new Date(at))).toBe(key);
  });
});
