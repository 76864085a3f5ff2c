import { describe, expect, it } from "vitest";
import { metricsFixture } from "./fixtures/load";
import {
  accuracy,
  brierScore,
  confusionMatrix,
  f1,
  logLoss,
  mae,
  precision,
  r2,
  randomClassifierBaseline,
  recall,
  rmse,
  rocAuc,
  zeroRuleClassifier,
  zeroRuleRegressor,
} from "./metrics";

const TOL = 1e-9;

describe("classification metrics match the sklearn definitions (fixtures)", () => {
  for (const c of metricsFixture.binary) {
    for (const side of ["champion", "challenger"] as const) {
      const ref = c[`${side}Metrics`];
      const y = Uint8Array.from(c.labels);
      const scores = Float64Array.from(c[side]);
      const pred = Float64Array.from(ref.predicted);
      it(`${c.name} / ${side}`, () => {
        expect(accuracy(y, pred)).toBeCloseTo(ref.accuracy, 12);
        expect(precision(y, pred)).toBeCloseTo(ref.precision, 12);
        expect(recall(y, pred)).toBeCloseTo(ref.recall, 12);
        expect(f1(y, pred)).toBeCloseTo(ref.f1, 12);
        const cm = confusionMatrix(y, pred);
        expect({ tn: cm.tn, fp: cm.fp, fn: cm.fn, tp: cm.tp }).toEqual(ref.confusion);
        expect(cm.matrix).toEqual([
          [ref.confusion.tn, ref.confusion.fp],
          [ref.confusion.fn, ref.confusion.tp],
        ]);
        expect(Math.abs(rocAuc(y, scores) - ref.auc)).toBeLessThan(TOL);
        expect(Math.abs(logLoss(y, scores) - ref.logLoss)).toBeLessThan(TOL);
        expect(Math.abs(brierScore(y, scores) - ref.brier)).toBeLessThan(TOL);
      });
    }
    it(`${c.name} / baselines`, () => {
      const zr = zeroRuleClassifier(c.labels);
      expect(zr.accuracy).toBeCloseTo(c.baselines.majorityAccuracy, 12);
      expect(zr.brier).toBeCloseTo(c.baselines.majorityBrier, 12);
      expect(randomClassifierBaseline(c.labels)).toEqual({
        accuracy: expect.closeTo(c.baselines.randomAccuracy, 12),
        auc: 0.5,
      });
    });
  }
});

describe("regression metrics (fixtures)", () => {
  for (const c of metricsFixture.regression) {
    for (const side of ["champion", "challenger"] as const) {
      it(`${c.name} / ${side}`, () => {
        const ref = c[`${side}Metrics`];
        expect(Math.abs(rmse(c.labels, c[side]) - ref.rmse)).toBeLessThan(TOL);
        expect(Math.abs(mae(c.labels, c[side]) - ref.mae)).toBeLessThan(TOL);
        expect(Math.abs(r2(c.labels, c[side]) - ref.r2)).toBeLessThan(TOL);
      });
    }
    it(`${c.name} / zero-rule regressor`, () => {
      const z = zeroRuleRegressor(c.labels);
      expect(Math.abs(z.mean - c.baseline.mean)).toBeLessThan(TOL);
      expect(Math.abs(z.rmse - c.baseline.rmse)).toBeLessThan(TOL);
      expect(Math.abs(z.mae - c.baseline.mae)).toBeLessThan(TOL);
      expect(z.r2).toBe(0);
    });
  }
});

describe("edge cases", () => {
  it("ROC AUC: ties count half, single class gives NaN, perfect and reversed rankings", () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc([1, 1, 1], [0.1, 0.2, 0.3])).toBeNaN();
    expect(rocAuc([0, 0, 1, 1], [1, 2, 3, 4])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [4, 3, 2, 1])).toBe(0);
    expect(() => rocAuc([0, 2], [1, 2])).toThrow(/expected 0 or 1/);
  });

  it("precision/recall/F1 return 0 on zero denominators (sklearn zero_division default)", () => {
    expect(precision([1, 0], [0, 0])).toBe(0);
    expect(recall([0, 0], [1, 0])).toBe(0);
    expect(f1([0, 0], [0, 0])).toBe(0);
  });

  it("log loss clips at 1e-15 like sklearn", () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 12);
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log1p(-(1 - 1e-15)), 6);
  });

  it("R² with constant targets follows force_finite", () => {
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 3])).toBe(0);
  });

  it("accuracy works for multi-class labels; the random baseline is Σ p_k²", () => {
    expect(accuracy([0, 1, 2, 2], [0, 2, 2, 2])).toBe(0.75);
    expect(randomClassifierBaseline([0, 1, 2, 2]).accuracy).toBeCloseTo(0.25 * 0.25 * 2 + 0.5 * 0.5, 15);
    expect(zeroRuleClassifier([0, 1, 2, 2]).majorityClass).toBe(2);
  });

  it("rejects mismatched or empty inputs", () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/different lengths/);
    expect(() => rmse([], [])).toThrow(/empty/);
  });
});
