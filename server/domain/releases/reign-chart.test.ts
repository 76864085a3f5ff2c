import { describe, expect, it } from "vitest";
import { reignPoints } from "./reign-chart";

describe("reignPoints", () => {
  it("adds a point at now so the current champion's reign is drawn to the present", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(
      reignPoints(
        [
          { version: 5, from: new Date("2026-11-01T00:00:00Z") },
          { version: 6, from: new Date("2026-11-20T00:00:00Z") },
        ],
        now,
      ),
    ).toEqual([
      { t: Date.parse("2026-11-01T00:00:00Z"), version: 5 },
      { t: Date.parse("2026-11-20T00:00:00Z"), version: 6 },
      { t: now.getTime(), version: 6 },
    ]);
  });
  it("draws nothing without any champion on record", () => {
    expect(reignPoints([], new Date())).toEqual([]);
  });
});
