import { describe, expect, it } from "vitest";
import { driftColumn, driftDataset, DriftInputError, type MethodChoice } from "./engine";
import { histogramCounts, jensenShannonDistance, populationStabilityIndex, sturgesEdges } from "./shares";
import { driftFixture, materialize } from "./test-fixtures";

const close = (actual: number | null, expected: number | null, abs = 1e-9, rel = 1e-9) => {
  if (expected === null || actual === null) return expect(actual).toBe(expected);
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  const err = Math.abs(actual - expected);
  expect(err <= abs || err <= rel * Math.abs(expected), `${actual} vs ${expected}`).toBe(true);
};

describe("drift of one column agrees with SciPy under Evidently's defaults", () => {
  it.each(driftFixture.columns)("$name", ({ reference, current, options, expected }) => {
    const r = driftColumn(materialize(reference), materialize(current), {
      method: options.method as MethodChoice | undefined,
      threshold: options.threshold,
    });
    expect(r.type).toBe(expected.type);
    expect(r.method).toBe(expected.method);
    close(r.statistic, expected.statistic, 1e-12);
    close(r.pValue, expected.pValue, 1e-10);
    expect(r.threshold).toBe(expected.threshold);
    expect(r.drifted).toBe(expected.drifted);
    expect(r.newCategories).toEqual(expected.newCategories);
    close(r.missingShare.reference, expected.missingShare.reference, 1e-15);
    close(r.missingShare.current, expected.missingShare.current, 1e-15);
    if (expected.ksMode) expect(r.ksMode).toBe(expected.ksMode);
  });

  it("covers every method, both KS modes, ties, new categories and missing values", () => {
    const methods = new Set(driftFixture.columns.map((c) => c.expected.method));
    expect([...methods].sort()).toEqual(["chisquare", "jensenshannon", "ks", "psi", "wasserstein", "ztest"]);
    expect(new Set(driftFixture.columns.map((c) => c.expected.ksMode).filter(Boolean))).toEqual(
      new Set(["exact", "asymp"]),
    );
    expect(driftFixture.columns.some((c) => c.expected.newCategories.length > 0)).toBe(true);
    expect(driftFixture.columns.some((c) => c.expected.missingShare.current > 0)).toBe(true);
  });
});

describe("share vectors", () => {
  it.each(driftFixture.sturges)(
    "numpy.histogram_bin_edges(bins='sturges') and numpy.histogram (case %#)",
    ({ values, edges, counts }) => {
      const a = Float64Array.from(values);
      const e = sturgesEdges(Math.min(...values), Math.max(...values), values.length);
      expect(Array.from(e)).toEqual(edges);
      expect(Array.from(histogramCounts(a, e))).toEqual(counts);
    },
  );

  it("Jensen–Shannon is 0 for equal shares and ln 2 under the square root for disjoint ones", () => {
    expect(jensenShannonDistance([0.2, 0.8], [0.2, 0.8])).toBe(0);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 15);
  });

  it("PSI counts an empty bin as 0.0001", () => {
    expect(populationStabilityIndex([0.5, 0.5, 0], [0.5, 0.4, 0.1])).toBeCloseTo(
      0.1 * Math.log(0.5 / 0.4) + (0.0001 - 0.1) * Math.log(0.0001 / 0.1),
      15,
    );
  });
});

describe("a whole table", () => {
  const { reference, current, columns, pValues, adjusted, drifted, bhDrifted, driftedShare, bhDriftedShare } =
    driftFixture.dataset;

  it("drifts when at least half of the columns drift", () => {
    const r = driftDataset(reference, current);
    expect(r.columns.map((c) => c.column)).toEqual(columns);
    r.columns.forEach((c, i) => close(c.pValue, pValues[i]!, 1e-10));
    expect(r.columns.map((c) => c.drifted)).toEqual(drifted);
    expect(r.driftedShare).toBe(driftedShare);
    expect(r.datasetDrifted).toBe(driftedShare >= 0.5);
  });

  it("optionally adjusts the p-values with Benjamini–Hochberg across columns", () => {
    const r = driftDataset(reference, current, { benjaminiHochberg: true });
    r.columns.forEach((c, i) => {
      close(c.adjustedPValue!, adjusted[i]!, 1e-10);
      close(c.pValue, pValues[i]!, 1e-10); // the raw p-value is still reported
    });
    expect(r.columns.map((c) => c.drifted)).toEqual(bhDrifted);
    expect(r.driftedShare).toBe(bhDriftedShare);
    expect(bhDrifted).not.toEqual(drifted); // the fixture is chosen so the correction changes a verdict
  });

  it("takes a method and threshold per column over the table-wide ones", () => {
    const r = driftDataset(reference, current, {
      method: "psi",
      threshold: 0.5,
      columns: { a: { method: "ks" }, e: { threshold: 0.0001 } },
    });
    const byName = Object.fromEntries(r.columns.map((c) => [c.column, c]));
    expect(byName.a).toMatchObject({ method: "ks", threshold: 0.05 });
    expect(byName.b).toMatchObject({ method: "psi", threshold: 0.5 });
    expect(byName.e).toMatchObject({ method: "psi", threshold: 0.0001, drifted: true });
  });

  it("dataset drift is exactly at half, not above", () => {
    const same = [1, 2, 3, 4, 5, 6, 7, 8];
    const r = driftDataset({ x: same, y: same }, { x: same, y: same.map((v) => v + 100) });
    expect(r.columns.map((c) => c.drifted)).toEqual([false, true]);
    expect(r.driftedShare).toBe(0.5);
    expect(r.datasetDrifted).toBe(true);
  });

  it("refuses KS on a categorical column and unknown columns, naming them", () => {
    expect(() => driftDataset({ r: ["a", "b"] }, { r: ["a", "c"] }, { method: "ks" })).toThrow(
      /column "r" is categorical; ks needs a numerical column/,
    );
    expect(() => driftDataset({ r: [1] }, { r: [1] }, { only: ["nope"] })).toThrow(DriftInputError);
  });

  it("an all-missing side is not measured, and does not count towards dataset drift", () => {
    const r = driftDataset(
      { a: [null, null], b: [1, 2, 3, 4, 5, 6, 7] },
      { a: [1, 2], b: [101, 102, 103, 104, 105, 106, 107] },
    );
    expect(r.columns[0]).toMatchObject({
      method: "none",
      statistic: null,
      pValue: null,
      drifted: null,
      missingShare: { reference: 1, current: 0 },
    });
    expect(r.driftedShare).toBe(1);
    expect(r.datasetDrifted).toBe(true);
  });
});

describe("column types and missing values", () => {
  it("numerical when every non-missing reference value is a number; strings now are counted, not tested", () => {
    const r = driftColumn(
      [1, 2, null, Number.NaN, 4, 5, 6, 7],
      [1, "oops", 2, 3, Number.POSITIVE_INFINITY, 5, 6, 7, ""],
    );
    expect(r.type).toBe("numerical");
    expect(r.method).toBe("ks");
    expect(r.missingShare).toEqual({ reference: 2 / 8, current: 1 / 9 });
    expect(r.sampleSize).toEqual({ reference: 6, current: 6 });
  });

  it("categorical with new categories listed in order", () => {
    const r = driftColumn(["a", "b", "a", "c"], ["a", "z", "y", "b", null]);
    expect(r.type).toBe("categorical");
    expect(r.method).toBe("chisquare");
    expect(r.newCategories).toEqual(["y", "z"]);
    expect(r.pValue).toBe(0);
  });

  it("typed arrays with NaN as missing take the same path as plain arrays", () => {
    const ref = [0.1, 0.5, Number.NaN, 0.9, 1.3, 2.2, 0.4, 0.3];
    const cur = [1.1, 1.5, 1.9, Number.NaN, Number.NaN, 2.3];
    expect(driftColumn(Float64Array.from(ref), Float64Array.from(cur))).toEqual(driftColumn(ref, cur));
  });
});
