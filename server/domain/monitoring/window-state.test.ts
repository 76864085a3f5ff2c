import { describe, expect, it } from "vitest";
import { addLatency, EXACT_VALUES, latencyPercentile, mergeLatency, newLatency } from "./latency-state";
import {
  addRows,
  bucketOf,
  categoryOf,
  emptyState,
  mergeAll,
  mergeStates,
  type Binning,
  type StateRow,
} from "./window-state";

/** A deterministic generator, so the rows (and a failure) are the same on every run. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const binning: Binning = {
  referenceId: "ref-1",
  declared: true,
  features: [
    { name: "x", kind: "numerical" },
    { name: "c", kind: "categorical" },
  ],
  edges: { x: [0, 10, 20, 30, 40] },
  outputEdges: [0, 0.5, 1],
};

/** Rows of a classifier (a label each) or of a regression model (a number each). */
function rows(n: number, seed: number, regression = false): StateRow[] {
  const rand = lcg(seed);
  const odd = [true, 1e21, 1.5e-7, { b: 1, a: [1, "x"] }, "", null, 3];
  return Array.from({ length: n }, (_, i) => ({
    features: {
      x: i % 13 === 0 ? "n/a" : i % 17 === 0 ? 40 : Math.round(rand() * 500 - 50) / 10,
      ...(i % 11 === 0 ? {} : { c: i % 7 === 0 ? odd[i % odd.length] : ["a", "b", "c"][i % 3] }),
    },
    number: regression ? rand() * 1.2 - 0.1 : null,
    label: regression ? null : String(i % 3),
    latencyMs: i % 5 === 0 ? null : Math.round(rand() * 400) / 10,
    arm: i % 4 === 0 ? "challenger" : "champion",
  }));
}

describe("window states", () => {
  it.each([false, true])(
    "merging the states of parts equals the state of the union, whatever the split (regression: %s)",
    (regression) => {
      const all = rows(1_000, 3, regression);
      const whole = addRows(emptyState(binning), all, binning);
      const cuts = [0, 1, 170, 171, 500, 999, 1_000];
      const parts = cuts.slice(1).map((c, i) => addRows(emptyState(binning), all.slice(cuts[i], c), binning));
      // JSON round trip: states are stored as jsonb and merged after reading them back.
      const stored = parts.map((p) => JSON.parse(JSON.stringify(p)));
      expect(mergeAll(stored, emptyState(binning))).toEqual(whole);
      expect(mergeAll([...stored].reverse(), emptyState(binning))).toEqual(whole);
    },
  );

  it("histograms bin as width_bucket with numpy's closed last bin, outside values apart", () => {
    expect([-1, 0, 9.99, 10, 39.9, 40, 40.01].map((v) => bucketOf(v, [0, 10, 20, 30, 40]))).toEqual([
      0, 1, 1, 2, 4, 4, 5,
    ]);
    expect(bucketOf(5, [])).toBe(0);
    const s = addRows(emptyState(binning), rows(300, 5), binning);
    const x = s.features.x as Extract<(typeof s.features)["x"], { kind: "numerical" }>;
    expect(x.counts.reduce((a, b) => a + b, 0) + x.below + x.above + x.missing).toBe(300);
  });

  it("categories are the text PostgreSQL's ->> gives, empty and null missing", () => {
    expect([true, 1e21, 1.5e-7, -2.5e-7, 12.5, 3, "", null, undefined, "a"].map(categoryOf)).toEqual([
      "true",
      "1000000000000000000000",
      "0.00000015",
      "-0.00000025",
      "12.5",
      "3",
      null,
      null,
      null,
      "a",
    ]);
    expect(categoryOf({ bb: 1, a: [1, "x\n"], c: null })).toBe('{"a": [1, "x\\n"], "c": null, "bb": 1}');
  });

  it("states binned differently, or not at all, do not merge", () => {
    const a = addRows(emptyState(binning), rows(10, 1), binning);
    const other = { ...binning, referenceId: "ref-2" };
    expect(mergeStates(a, addRows(emptyState(other), rows(10, 2), other))).toBeNull();
    const fewer = { ...binning, features: binning.features.slice(0, 1) };
    expect(mergeStates(a, addRows(emptyState(fewer), rows(10, 2), fewer))).toBeNull();
    expect(mergeStates(a, addRows(emptyState(null), rows(10, 2), null))).toBeNull();
    // A regression output with no reference edges cannot be binned exactly.
    const noOutput = { ...binning, outputEdges: null };
    expect(addRows(emptyState(noOutput), rows(10, 2, true), noOutput).mergeable).toBe(false);
  });
});

describe("latency state", () => {
  /** percentile_cont over the values. */
  function percentileCont(values: number[], p: number): number | null {
    if (values.length === 0) return null;
    const s = [...values].sort((a, b) => a - b);
    const pos = p * (s.length - 1);
    const lo = Math.floor(pos);
    return lo + 1 < s.length && pos > lo ? s[lo]! + (s[lo + 1]! - s[lo]!) * (pos - lo) : s[lo]!;
  }

  it("is exact (percentile_cont) while values are few, merged or not", () => {
    const rand = lcg(9);
    const values = Array.from({ length: 2_001 }, () => Math.fround(Math.round(rand() * 3_000) / 10));
    const a = newLatency();
    const b = newLatency();
    values.forEach((v, i) => addLatency(i < 700 ? a : b, v));
    const merged = mergeLatency(a, b);
    expect(merged.values).not.toBeNull();
    for (const p of [0, 0.5, 0.95, 1]) expect(latencyPercentile(merged, p)).toBe(percentileCont(values, p));
    expect(latencyPercentile(newLatency(), 0.5)).toBeNull();
  });

  it("past the exact limit, folds into a sketch within its relative accuracy", () => {
    const rand = lcg(11);
    const values = Array.from({ length: 3 * EXACT_VALUES }, () => Math.fround(1 + rand() * 1_000));
    const a = newLatency();
    const b = newLatency();
    values.forEach((v, i) => addLatency(i % 2 ? a : b, v));
    const merged = mergeLatency(a, b);
    expect(merged.values).toBeNull();
    expect(merged.measured).toBe(values.length);
    for (const p of [0.5, 0.95]) {
      const exact = percentileCont(values, p)!;
      expect(Math.abs(latencyPercentile(merged, p)! - exact) / exact).toBeLessThan(0.021);
    }
  });
});
