import { describe, expect, it } from "vitest";
import { afterFailure, MAX_ATTEMPTS, retryDelayMs } from "./deliver";

describe("webhook retry policy", () => {
  it("doubles from 30 s and caps at one hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([30, 60, 120, 240, 480, 960, 1920].map((s) => s * 1000));
    expect(retryDelayMs(8)).toBe(3_600_000);
    expect(retryDelayMs(50)).toBe(3_600_000);
    expect(retryDelayMs(0)).toBe(30_000);
  });

  it("schedules the next attempt from now, and gives up after 8 attempts", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(afterFailure(1, now)).toEqual({ status: "pending", nextAttemptAt: new Date("2026-01-01T00:00:30Z") });
    expect(afterFailure(MAX_ATTEMPTS - 1, now)).toEqual({
      status: "pending",
      nextAttemptAt: new Date("2026-01-01T00:32:00Z"),
    });
    expect(afterFailure(MAX_ATTEMPTS, now)).toEqual({ status: "failed" });
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it("spreads all attempts over about an hour", () => {
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(total / 60_000).toBeCloseTo(63.5, 1);
  });
});
