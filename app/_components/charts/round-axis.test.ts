import { describe, expect, it } from "vitest";
import { niceStep, roundAxis, tickLabel, versionAxis } from "./round-axis";

describe("round axis ticks", () => {
  it("widens a padded domain to round multiples and puts every tick on one", () => {
    expect(roundAxis([0.7832, 0.8714])).toEqual({ domain: [0.78, 0.88], ticks: [0.78, 0.8, 0.82, 0.84, 0.86, 0.88] });
    expect(roundAxis([11_240, 18_930]).ticks).toEqual([10_000, 12_000, 14_000, 16_000, 18_000, 20_000]);
  });

  it("never leaves [0, 1] for a metric kept inside it", () => {
    const { domain } = roundAxis([0.93, 1]);
    expect(domain[1]).toBe(1);
    expect(roundAxis([0, 0.07]).domain[0]).toBe(0);
  });

  it("steps are 1, 2, 2.5 or 5 times a power of ten", () => {
    for (const span of [0.003, 0.07, 0.9, 3, 47, 880, 12_345]) {
      const step = niceStep(span);
      const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
      expect([1, 2, 2.5, 5]).toContain(mantissa);
    }
  });

  it("writes ticks without trailing zeros", () => {
    expect(tickLabel(0.85)).toBe("0.85");
    expect(tickLabel(12000)).toBe("12,000");
  });

  it("shows only the versions there are: no v0 tick", () => {
    expect(versionAxis([1, 3, 3, 2])).toEqual({ domain: [0.5, 3.5], ticks: [1, 2, 3] });
  });
});
