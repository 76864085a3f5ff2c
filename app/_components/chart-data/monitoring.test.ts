import { describe, expect, it } from "vitest";
import { distributionBars, driftIntensity } from "./monitoring";

describe("monitoring chart data", () => {
  it("puts reference and current shares of the same bins side by side", () => {
    const bars = distributionBars(
      { kind: "numerical", edges: [0, 1, 2], counts: [3, 1], below: 0, above: 0, missing: 5, min: 0, max: 2 },
      { kind: "numerical", edges: [0, 1, 2], counts: [1, 1], below: 0, above: 0, missing: 0, min: 0, max: 2 },
    );
    expect(bars).toEqual([
      { label: "0–1", current: 0.75, reference: 0.5 },
      { label: "1–2", current: 0.25, reference: 0.5 },
    ]);
  });

  it("takes categories from both sides, a new one at zero on the reference side", () => {
    const bars = distributionBars(
      { kind: "categorical", counts: { north: 2, west: 2 }, missing: 0 },
      { kind: "categorical", counts: { north: 1, south: 3 }, missing: 1 },
    );
    expect(bars.map((b) => [b.label, b.reference, b.current])).toEqual([
      ["north", 0.25, 0.5],
      ["south", 0.75, 0],
      ["west", 0, 0.5],
    ]);
  });

  it("draws no reference without one, rather than a zero", () => {
    const bars = distributionBars({ kind: "categorical", counts: { a: 1 }, missing: 0 }, null);
    expect(bars).toEqual([{ label: "a", current: 1, reference: null }]);
  });

  it("scores drift against the threshold for tests and for distances, and not measured as null", () => {
    expect(driftIntensity({ statistic: 0.3, pValue: 0.0025, threshold: 0.05, drifted: true })).toBeCloseTo(2, 6);
    expect(driftIntensity({ statistic: 0.05, pValue: null, threshold: 0.1, drifted: false })).toBeCloseTo(0.5, 9);
    expect(driftIntensity({ statistic: null, pValue: null, threshold: null, drifted: null })).toBeNull();
  });
});
