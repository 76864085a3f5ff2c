import { describe, expect, it } from "vitest";
import { testsFixture } from "./fixtures/load";
import { benjaminiHochberg } from "./multiple";
import { quantileSorted, percentileInterval } from "./percentile";
import { wilsonInterval } from "./proportions";

describe("Wilson interval (statsmodels proportion_confint method='wilson')", () => {
  it.each(testsFixture.wilson)("$count / $nobs at alpha $alpha", ({ count, nobs, alpha, ci }) => {
    const [lo, hi] = wilsonInterval(count, nobs, alpha);
    expect(Math.abs(lo - Math.max(0, ci[0]))).toBeLessThan(1e-9);
    expect(Math.abs(hi - Math.min(1, ci[1]))).toBeLessThan(1e-9);
  });
  it("validates its inputs", () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 0)).toThrow(RangeError);
  });
});

describe("Benjamini–Hochberg (statsmodels multipletests fdr_bh)", () => {
  it.each(testsFixture.bh)("$pvals", ({ pvals, alpha, adjusted, rejected }) => {
    const r = benjaminiHochberg(pvals, alpha);
    r.adjusted.forEach((v, i) => expect(Math.abs(v - adjusted[i]!)).toBeLessThan(1e-12));
    expect(r.rejected).toEqual(rejected);
  });
  it("handles an empty list and rejects invalid p-values", () => {
    expect(benjaminiHochberg([])).toEqual({ adjusted: [], rejected: [] });
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(/index 1/);
  });
});

describe("percentiles (numpy linear interpolation)", () => {
  it.each(testsFixture.percentile.map((p) => ({ ...p, size: p.x.length })))("n=$size, q=$q", ({ x, q, value }) => {
    const sorted = Float64Array.from(x).sort();
    expect(Math.abs(quantileSorted(sorted, q) - value)).toBeLessThan(1e-12);
  });
  it("percentileInterval drops NaN replicates and reports how many", () => {
    const r = percentileInterval([Number.NaN, 4, 1, 3, 2, Number.NaN], 0.5);
    expect(r).toEqual({ lo: 1.75, hi: 3.25, dropped: 2 });
  });
});
