import { describe, expect, it } from "vitest";
import { binomialCdf, chiSquareSf, normalQuantile, normalTwoSidedP } from "./distributions";
import { testsFixture } from "./fixtures/load";

describe("jstat wrappers agree with SciPy", () => {
  it.each(testsFixture.binomCdf)("binom.cdf($k, $n, $p)", ({ k, n, p, cdf }) => {
    expect(Math.abs(binomialCdf(k, n, p) - cdf)).toBeLessThan(1e-9);
    if (cdf > 1e-300) expect(Math.abs(binomialCdf(k, n, p) / cdf - 1)).toBeLessThan(1e-8);
  });
  it.each(testsFixture.chi2Sf)("chi2.sf($x, $df)", ({ x, df, sf }) => {
    expect(Math.abs(chiSquareSf(x, df) - sf)).toBeLessThan(1e-9);
  });
  it.each(testsFixture.normalPpf)("norm.ppf($p)", ({ p, z }) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-9);
  });
  it.each(testsFixture.normalTwoSided)("2·norm.sf(|$z|)", ({ z, p }) => {
    expect(Math.abs(normalTwoSidedP(z) - p)).toBeLessThan(1e-9);
  });
  it("handles the boundaries", () => {
    expect(binomialCdf(-1, 5, 0.5)).toBe(0);
    expect(binomialCdf(5, 5, 0.5)).toBe(1);
    expect(binomialCdf(0, 0, 0.5)).toBe(1);
    expect(chiSquareSf(0, 1)).toBe(1);
    expect(normalTwoSidedP(Number.POSITIVE_INFINITY)).toBe(0);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});
