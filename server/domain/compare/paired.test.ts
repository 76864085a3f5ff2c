import { describe, expect, it } from "vitest";
import { compareModels } from "@/server/stats";
import { InvalidInputError, NotFoundError } from "../errors";
import { COMPARE_SETTINGS, DEFAULT_MARGINS, effectiveMargins, engineMetric, marginFor } from "./margins";
import { matchOutcomes, pairedCompare } from "./paired";
import { pairKey, pairReports, pickVersions, type CompareReport } from "./pairing";

const outcomes = (rows: [string, number, number, number][]) => ({
  ids: rows.map((r) => r[0]),
  labels: Float64Array.from(rows, (r) => r[1]),
  predictions: Float64Array.from(rows, (r) => r[2]),
  scores: Float64Array.from(rows, (r) => r[3]),
});

describe("matching outcomes by example id", () => {
  it("keeps the ids both reports have, in the first report's order, and counts what it left out", () => {
    const a = outcomes([
      ["x1", 1, 1, 0.9],
      ["x2", 0, 0, 0.2],
      ["x3", 1, 0, 0.4],
      ["x4", 0, 1, 0.6],
    ]);
    const b = outcomes([
      ["x4", 0, 0, 0.3],
      ["x9", 1, 1, 0.8],
      ["x2", 0, 0, 0.1],
      ["x1", 1, 1, 0.7],
      ["x3", 0, 0, 0.2],
    ]);
    const m = matchOutcomes(a, b);
    expect(m.ids).toEqual(["x1", "x2", "x4"]);
    expect([...m.labels]).toEqual([1, 0, 0]);
    expect([...m.a.scores!]).toEqual([0.9, 0.2, 0.6]);
    expect([...m.b.scores!]).toEqual([0.7, 0.1, 0.3]);
    expect([...m.b.predictions]).toEqual([1, 0, 0]);
    expect(m).toMatchObject({ onlyA: 0, onlyB: 1, labelMismatches: 1 }); // x3's label differs, x9 only in b
  });

  it("drops scores when either report has none", () => {
    const b = { ...outcomes([["x1", 1, 1, 0.7]]), scores: null };
    expect(matchOutcomes(outcomes([["x1", 1, 1, 0.9]]), b).a.scores).toBeNull();
  });
});

describe("pairedCompare", () => {
  const rows: [string, number, number, number][] = Array.from({ length: 200 }, (_, i) => [
    `e${i}`,
    i % 3 === 0 ? 1 : 0,
    i % 4 === 0 ? 1 : 0,
    ((i * 37) % 100) / 100,
  ]);
  const a = outcomes(rows);
  const b = outcomes(rows.map(([id, y, p, s], i) => [id, y, i % 5 === 0 ? y : p, i % 2 ? (s + y) / 2 : s]));
  const m = matchOutcomes(a, b);

  it("is compareModels with the CLI's seed and resamples, McNemar's p for accuracy and DeLong's for AUC", () => {
    const acc = pairedCompare("accuracy", m, 0.005);
    expect(acc.ok && acc.result).toEqual(
      compareModels({
        metric: "accuracy",
        labels: m.labels,
        champion: m.a.predictions,
        challenger: m.b.predictions,
        ...COMPARE_SETTINGS,
        margin: 0.005,
      }),
    );
    expect(acc.ok && [acc.test, acc.pValue]).toEqual(["McNemar exact", acc.ok && acc.result.mcnemar!.pValue]);
    const auc = pairedCompare("auc", m, 0);
    expect(auc.ok && auc.result.difference).toEqual(
      compareModels({
        metric: "auc",
        labels: m.labels,
        champion: m.a.scores!,
        challenger: m.b.scores!,
        ...COMPARE_SETTINGS,
      }).difference,
    );
    expect(auc.ok && auc.test).toBe("DeLong");
    const f1 = pairedCompare("f1", m, 0);
    expect(f1.ok && [f1.test, f1.pValue]).toEqual(["bootstrap", null]);
  });

  it("compares precision and recall on predicted classes, log loss and Brier on scores, all paired", () => {
    for (const metric of ["precision", "recall"] as const) {
      const r = pairedCompare(metric, m, 0);
      expect(r.ok && r.result).toEqual(
        compareModels({
          metric,
          labels: m.labels,
          champion: m.a.predictions,
          challenger: m.b.predictions,
          ...COMPARE_SETTINGS,
          margin: 0,
        }),
      );
    }
    for (const metric of ["log_loss", "brier"] as const) {
      const r = pairedCompare(metric, m, 0);
      expect(r.ok && r.result).toEqual(
        compareModels({
          metric,
          labels: m.labels,
          champion: m.a.scores!,
          challenger: m.b.scores!,
          ...COMPARE_SETTINGS,
          margin: 0,
        }),
      );
      expect(r.ok && r.test).toBe("bootstrap");
    }
    expect(pairedCompare("brier", matchOutcomes(a, { ...b, scores: null }), 0)).toEqual({
      ok: false,
      reason: "scores missing in one report",
    });
  });

  it("says why it cannot run: nothing matched, no scores, one class", () => {
    const none = matchOutcomes(a, outcomes([["zz", 1, 1, 0.5]]));
    expect(pairedCompare("accuracy", none, 0)).toEqual({ ok: false, reason: "no example ids in common" });
    expect(pairedCompare("auc", matchOutcomes(a, { ...b, scores: null }), 0)).toEqual({
      ok: false,
      reason: "scores missing in one report",
    });
    const ones = outcomes([
      ["p1", 1, 1, 0.9],
      ["p2", 1, 0, 0.3],
    ]);
    expect(pairedCompare("auc", matchOutcomes(ones, ones), 0)).toMatchObject({
      ok: false,
      reason: "only one class among the matched examples",
    });
  });
});

describe("margins", () => {
  it("defaults to half a point for rates and 0 for the rest; overrides win", () => {
    expect(DEFAULT_MARGINS).toMatchObject({ accuracy: 0.005, auc: 0.005, f1: 0.005 });
    expect(marginFor("rmse")).toBe(0);
    expect(marginFor("auc", { auc: 0.02 })).toBe(0.02);
    expect(effectiveMargins({ mae: 250 })).toEqual({
      accuracy: 0.005,
      precision: 0.005,
      recall: 0.005,
      f1: 0.005,
      auc: 0.005,
      log_loss: 0,
      brier: 0,
      rmse: 0,
      mae: 250,
    });
    expect([engineMetric("auc"), engineMetric("roc_auc"), engineMetric("precision"), engineMetric("r2")]).toEqual([
      "auc",
      "auc",
      "precision",
      null,
    ]);
  });
});

describe("choosing the two versions", () => {
  const v = (version: number, stage: "candidate" | "challenger" | "champion" | "retired") => ({
    id: `id${version}`,
    version,
    stage,
  });
  it("defaults to the champion against the challenger, else the newest candidate, else the newest other version", () => {
    const pick = (vs: ReturnType<typeof v>[], a?: number, b?: number) => {
      const r = pickVersions(vs, a, b);
      return [r.a.version, r.b.version];
    };
    expect(pick([v(5, "candidate"), v(4, "challenger"), v(3, "champion")])).toEqual([3, 4]);
    expect(pick([v(5, "candidate"), v(4, "retired"), v(3, "champion"), v(2, "candidate")])).toEqual([3, 5]);
    expect(pick([v(4, "retired"), v(3, "champion")])).toEqual([3, 4]);
    expect(pick([v(2, "candidate"), v(1, "candidate")])).toEqual([1, 2]);
    expect(pick([v(5, "candidate"), v(3, "champion"), v(2, "retired")], 2)).toEqual([2, 5]);
    expect(pick([v(5, "candidate"), v(3, "champion"), v(2, "retired")], undefined, 3)).toEqual([5, 3]);
  });
  it("refuses one version, the same version twice and versions that do not exist", () => {
    expect(() => pickVersions([v(1, "champion")])).toThrow(InvalidInputError);
    expect(() => pickVersions([v(2, "candidate"), v(1, "champion")], 2, 2)).toThrow(/two different versions/);
    expect(() => pickVersions([v(2, "candidate"), v(1, "champion")], 7)).toThrow(NotFoundError);
  });
});

describe("pairing reports on the same data", () => {
  let t = 0;
  const r = (over: Partial<CompareReport>): CompareReport => ({
    id: `r${++t}`,
    kind: "holdout",
    datasetId: "d1",
    datasetName: "holdout",
    datasetVersion: 1,
    periodStart: null,
    periodEnd: null,
    slice: "",
    sampleSize: 10,
    outcomeCount: 0,
    contentHash: `h${t}`,
    metrics: {},
    createdAt: new Date(2026, 0, t),
    ...over,
  });
  it("pairs by kind, dataset, period and slice, newest report per key, never baselines", () => {
    const oldA = r({}),
      newA = r({});
    const a = [
      oldA,
      newA,
      r({ kind: "backtest", datasetId: "d2", periodStart: "2026-06-01" }),
      r({ slice: "plan=annual" }),
      r({ kind: "baseline" }),
      r({ kind: "nowtest", datasetId: "d3" }),
    ];
    const b = [
      r({}),
      r({ kind: "backtest", datasetId: "d2", periodStart: "2026-06-01" }),
      r({ slice: "plan=annual" }),
      r({ kind: "baseline" }),
      r({ kind: "backtest", datasetId: "d2", periodStart: "2026-07-01" }),
    ];
    const { pairs, unpairedA, unpairedB } = pairReports(a, b);
    expect(pairs.map((p) => p.key)).toEqual([
      "holdout|d1|-|all",
      "holdout|d1|-|plan=annual",
      "backtest|d2|2026-06-01|all",
    ]);
    expect(pairs[0]!.a.id).toBe(newA.id);
    expect([unpairedA, unpairedB]).toEqual([1, 1]);
    expect(pairKey({ kind: "nowtest", datasetId: null, periodStart: "2026-11-16", slice: "" })).toBe(
      "nowtest|-|2026-11-16|all",
    );
  });
});
