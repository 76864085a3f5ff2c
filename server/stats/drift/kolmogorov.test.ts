import { describe, expect, it } from "vitest";
import { ks2SampPValue, kstwoSf, roundHalfEven, smirnovSf } from "./kolmogorov";
import { driftFixture } from "./test-fixtures";

const close = (actual: number, expected: number, abs = 1e-9, rel = 1e-8) => {
  const err = Math.abs(actual - expected);
  expect(err <= abs || err <= rel * Math.abs(expected), `${actual} vs ${expected}`).toBe(true);
};

describe("Kolmogorov–Smirnov distributions agree with SciPy", () => {
  it.each(driftFixture.ks2samp)("ks_2samp p-value n1=$n1 n2=$n2", ({ n1, n2, diff, statistic, pValue }) => {
    const r = ks2SampPValue(n1, n2, diff);
    close(r.statistic, statistic, 1e-15);
    close(r.pValue, pValue, 1e-10);
    expect(r.mode).toBe(Math.max(n1, n2) <= 10_000 ? "exact" : "asymp");
  });

  it.each(driftFixture.kstwoSf)("kstwo.sf(x=$x, n=$n)", ({ n, x, sf }) => {
    close(kstwoSf(n, x), sf, 1e-11);
  });

  it.each(driftFixture.smirnovSf)("smirnov(n=$n, x=$x)", ({ n, x, sf }) => {
    close(smirnovSf(n, x), sf, 1e-15, 1e-12);
  });

  it("rounds m·n/(m+n) half to even, as numpy.round", () => {
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(3.5)).toBe(4);
    expect(roundHalfEven(4.4)).toBe(4);
  });

  it("a zero statistic has p = 1 and D = 1 has the smallest p-value", () => {
    expect(ks2SampPValue(20, 30, 0).pValue).toBe(1);
    const full = ks2SampPValue(5, 5, 25);
    expect(full.statistic).toBe(1);
    expect(full.pValue).toBeCloseTo(2 / 252, 15); // 2 / C(10, 5): only the two fully separated orderings
  });
});
