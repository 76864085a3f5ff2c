import { describe, expect, it } from "vitest";
import { correlationChange, pearson } from "./correlation";
import { preparePair } from "./engine";
import { columnQuality } from "./quality";

describe("data quality", () => {
  it("numerical: missing, NaN, infinities, wrong types, out-of-range values, mean and std shift", () => {
    const q = columnQuality(
      "x",
      preparePair([1, 2, 3, 4, null], [0, 2, 4, 6, Number.NaN, Number.POSITIVE_INFINITY, "n/a", null]),
    );
    expect(q.type).toBe("numerical");
    expect(q.reference).toEqual({ rows: 5, missing: 1, missingShare: 0.2, nan: 0, infinite: 0, wrongType: 0 });
    expect(q.current).toEqual({ rows: 8, missing: 2, missingShare: 0.25, nan: 1, infinite: 1, wrongType: 1 });
    expect(q.numerical!.outOfRange).toBe(2); // 0 below the minimum 1, 6 above the maximum 4
    expect(q.numerical!.outOfRangeShare).toBe(2 / 8);
    const refStd = Math.sqrt(1.25),
      curStd = Math.sqrt(5);
    expect(q.numerical!.reference).toEqual({ min: 1, max: 4, mean: 2.5, std: refStd });
    expect(q.numerical!.meanShift).toBeCloseTo((3 - 2.5) / refStd, 15);
    expect(q.numerical!.stdRatio).toBeCloseTo(curStd / refStd, 15);
  });

  it("categorical: new categories and the share of current rows carrying one", () => {
    const q = columnQuality("c", preparePair(["a", "b", "a"], ["a", "d", "c", "d", "", "b"]));
    expect(q.newCategories).toEqual(["c", "d"]);
    expect(q.newCategoryShare).toBe(3 / 6);
    expect(q.current.missing).toBe(1);
    expect(q.numerical).toBeUndefined();
  });

  it("a constant reference has no std ratio rather than an infinite one", () => {
    const q = columnQuality("k", preparePair([5, 5, 5], [5, 6]));
    expect(q.numerical!.stdRatio).toBeNull();
    expect(q.numerical!.meanShift).toBeCloseTo(0.5 / 0.001, 9);
  });
});

describe("correlation change", () => {
  it("Pearson on pairwise-complete rows", () => {
    expect(pearson([1, 2, 3, Number.NaN], [2, 4, 6, 100])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    // numpy.corrcoef([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])[0, 1] = 0.8
    expect(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 14);
  });

  it("reports the pair whose correlation moved most", () => {
    const a = [1, 2, 3, 4, 5],
      b = [2, 1, 4, 3, 5],
      c = [5, 3, 4, 1, 2];
    const r = correlationChange(["a", "b", "c"], [a, b, c], [a, b.slice().reverse(), c]);
    expect(r.reference[0]![1]).toBeCloseTo(0.8, 14);
    expect(r.current[0]![1]).toBeCloseTo(-0.8, 14);
    expect(r.maxAbsChange).toBeCloseTo(1.6, 14);
    expect(r.pair).toEqual(["a", "b"]);
    expect(r.reference[0]![0]).toBe(1);
  });
});
