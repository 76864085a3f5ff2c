import { describe, expect, it } from "vitest";
import { feedbackFixture } from "../fixtures/load-feedback";
import {
  calibration,
  cohensKappa,
  fleissKappa,
  humanAccuracy,
  reviewerGoldAccuracy,
  weightedAccuracy,
  weightedAccuracyByGroup,
  weightedAccuracyFromSums,
} from "./index";

const close = (actual: number, expected: number, tol = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThan(tol);

describe("weighted (Hájek) accuracy against the numpy reference", () => {
  it.each(feedbackFixture.weighted)("$name", (c) => {
    const r = weightedAccuracy(
      c.correct.map((correct, i) => ({ correct, inclusionProbability: c.inclusionProbability[i]! })),
    )!;
    expect(r.n).toBe(c.n);
    close(r.estimate, c.estimate, 1e-12);
    close(r.estimatedCorrect, c.estimatedCorrect, 1e-9);
    close(r.estimatedTotal, c.estimatedTotal, 1e-9);
    if (c.standardError === null) expect(r.standardError).toBeNaN();
    else close(r.standardError, c.standardError, 1e-12);
    close(r.effectiveN, c.effectiveN, 1e-7);
    close(r.interval[0], c.interval[0]);
    close(r.interval[1], c.interval[1]);
    if (c.wald[0] === null || c.wald[1] === null) expect(r.waldInterval).toEqual([Number.NaN, Number.NaN]);
    else {
      close(r.waldInterval[0], c.wald[0]);
      close(r.waldInterval[1], c.wald[1]);
    }
  });

  it("corrects the bias of over-sampled hard items: the plain share is lower than the weighted estimate", () => {
    const c = feedbackFixture.weighted.find((w) => w.name === "queue mix")!;
    const plain = c.correct.filter(Boolean).length / c.correct.length;
    const r = weightedAccuracy(
      c.correct.map((correct, i) => ({ correct, inclusionProbability: c.inclusionProbability[i]! })),
    )!;
    expect(r.estimate).toBeGreaterThan(plain + 0.1);
    expect(r.interval[0]).toBeGreaterThan(plain);
  });

  it("keeps an interval of real width when every label agrees", () => {
    const r = weightedAccuracy(Array.from({ length: 5 }, () => ({ correct: true, inclusionProbability: 0.5 })))!;
    expect(r.estimate).toBe(1);
    expect(r.waldInterval).toEqual([1, 1]);
    expect(r.interval[0]).toBeLessThan(0.6);
  });

  it("returns null without items and refuses impossible probabilities", () => {
    expect(weightedAccuracy([])).toBeNull();
    expect(() => weightedAccuracy([{ correct: true, inclusionProbability: 0 }])).toThrow(/item 0/);
    expect(() => weightedAccuracy([{ correct: true, inclusionProbability: 1.5 }])).toThrow(RangeError);
  });

  it("groups by key and shows expected groups without labels as not measured", () => {
    const items = [
      { week: "2026-W47", correct: true, inclusionProbability: 1 },
      { week: "2026-W47", correct: false, inclusionProbability: 0.1 },
      { week: "2026-W49", correct: true, inclusionProbability: 1 },
    ];
    const groups = weightedAccuracyByGroup(items, (i) => i.week, {
      expectedKeys: ["2026-W47", "2026-W48", "2026-W49"],
    });
    expect(groups.map((g) => g.key)).toEqual(["2026-W47", "2026-W48", "2026-W49"]);
    expect(groups[0]!.accuracy!.estimate).toBeCloseTo(1 / 11, 12);
    expect(groups[1]!.accuracy).toBeNull();
    expect(groups[2]!.accuracy!.n).toBe(1);
  });
});

describe("Cohen's kappa (statsmodels cohens_kappa, sklearn cohen_kappa_score)", () => {
  it.each(feedbackFixture.cohen)("$name", (c) => {
    const r = cohensKappa(c.a.map((a, i) => [a, c.b[i]!] as const));
    close(r.observedAgreement, c.observedAgreement, 1e-12);
    if (c.kappa === null) {
      expect(r.kappa).toBeNull();
      expect(r.undefinedReason).toMatch(/same single class/);
      return;
    }
    close(r.kappa!, c.kappa, 1e-12);
    close(r.standardError! ** 2, Math.max(0, c.variance!), 1e-12);
    if (c.interval) {
      close(r.interval![0], Math.max(-1, c.interval[0]));
      close(r.interval![1], Math.min(1, c.interval[1]));
    } else {
      // Degenerate (variance 0 up to rounding): the asymptotic interval shrinks to the point.
      expect(r.interval![1] - r.interval![0]).toBeLessThan(1e-6);
    }
  });

  it("does not depend on the order categories first appear in", () => {
    const c = feedbackFixture.cohen[0]!;
    const pairs = c.a.map((a, i) => [a, c.b[i]!] as const);
    close(cohensKappa([...pairs].reverse()).kappa!, cohensKappa(pairs).kappa!, 1e-12);
  });

  it("says why there is nothing to compute without shared items", () => {
    const r = cohensKappa([]);
    expect(r.kappa).toBeNull();
    expect(r.undefinedReason).toMatch(/no items/);
  });
});

describe("Fleiss' kappa (statsmodels fleiss_kappa; interval vs scipy.stats.bootstrap)", () => {
  it.each(feedbackFixture.fleiss)("$name", (c) => {
    const r = fleissKappa(c.ratings);
    if (c.kappa === null) {
      expect(r.kappa).toBeNull();
      expect(r.interval).toBeNull();
      expect(r.undefinedReason).toMatch(/same single class/);
      return;
    }
    close(r.kappa!, c.kappa, 1e-12);
    if (c.interval) {
      // Different random streams: percentile bounds from 2,000 vs 20,000 resamples agree to ~0.02.
      expect(Math.abs(r.interval![0] - c.interval[0])).toBeLessThan(0.025);
      expect(Math.abs(r.interval![1] - c.interval[1])).toBeLessThan(0.025);
      expect(r.interval![0]).toBeLessThan(r.kappa!);
      expect(r.interval![1]).toBeGreaterThan(r.kappa!);
    }
  });

  it("gives κ = 1 with a point interval at perfect agreement", () => {
    const r = fleissKappa([
      ["a", "a"],
      ["b", "b"],
      ["c", "c"],
      ["a", "a"],
      ["b", "b"],
    ]);
    expect(r.kappa).toBe(1);
    expect(r.interval).toEqual([1, 1]);
  });

  it("is reproducible for a seed and varies with it", () => {
    const ratings = feedbackFixture.fleiss[1]!.ratings;
    expect(fleissKappa(ratings, { seed: 7 }).interval).toEqual(fleissKappa(ratings, { seed: 7 }).interval);
    expect(fleissKappa(ratings, { seed: 7 }).interval).not.toEqual(fleissKappa(ratings, { seed: 8 }).interval);
  });

  it("refuses items with different numbers of raters or a single rater", () => {
    expect(() =>
      fleissKappa([
        ["a", "b"],
        ["a", "b", "a"],
      ]),
    ).toThrow(/item 1: has 3 ratings/);
    expect(() => fleissKappa([["a"], ["b"]])).toThrow(/at least 2/);
    expect(fleissKappa([]).kappa).toBeNull();
  });
});

describe("reviewer accuracy on gold items and against adjudicated labels (Wilson)", () => {
  it.each(feedbackFixture.gold)("$correct of $n", ({ correct, n, interval }) => {
    const answers = Array.from({ length: n }, (_, i) => ({ reviewer: "r", label: i < correct ? "y" : "n", gold: "y" }));
    const [r] = reviewerGoldAccuracy(answers);
    expect(r!.accuracy).toBe(correct / n);
    close(r!.interval![0], interval[0]);
    close(r!.interval![1], interval[1]);
  });

  it("lists reviewers without gold items as not measured", () => {
    const r = reviewerGoldAccuracy([{ reviewer: "ana", label: "a", gold: "a" }], { reviewers: ["bo", "ana"] });
    expect(r.map((x) => [x.reviewer, x.accuracy])).toEqual([
      ["bo", null],
      ["ana", 1],
    ]);
  });

  it("scores labels against the adjudicated label and skips items without one", () => {
    const adjudicated = new Map([
      ["i1", "cat"],
      ["i2", "dog"],
    ]);
    const r = humanAccuracy(
      [
        { itemId: "i1", reviewer: "ana", label: "cat" },
        { itemId: "i1", reviewer: "bo", label: "dog" },
        { itemId: "i2", reviewer: "ana", label: "dog" },
        { itemId: "i3", reviewer: "bo", label: "dog" },
      ],
      adjudicated,
    );
    expect(r.overall).toMatchObject({ n: 3, correct: 2 });
    expect(r.overall.accuracy).toBeCloseTo(2 / 3, 12);
    expect(r.perReviewer.map((p) => [p.reviewer, p.correct, p.n])).toEqual([
      ["ana", 2, 2],
      ["bo", 0, 1],
    ]);
    expect(r.unadjudicatedLabels).toBe(1);
    expect(humanAccuracy([], adjudicated).overall.accuracy).toBeNull();
  });
});

describe("calibration (sklearn calibration_curve bins, ECE)", () => {
  it.each(feedbackFixture.calibration)("$name", (c) => {
    const r = calibration(
      c.confidence.map((confidence, i) => ({ confidence, correct: c.correct[i]!, weight: c.weights?.[i] })),
      c.bins,
    );
    expect(r.bins.map((b) => b.count)).toEqual(c.counts);
    r.bins.forEach((b, i) => {
      if (c.accuracy[i] === null) {
        expect(b.accuracy).toBeNull();
        expect(b.meanConfidence).toBeNull();
      } else {
        close(b.accuracy!, c.accuracy[i]!, 1e-12);
        close(b.meanConfidence!, c.meanConfidence[i]!, 1e-12);
      }
    });
    close(r.expectedCalibrationError!, c.ece, 1e-12);
    close(r.maximumCalibrationError!, c.mce, 1e-12);
  });

  it("is zero for a perfectly calibrated sample and null without items", () => {
    const items = [0.25, 0.25, 0.25, 0.25].map((confidence, i) => ({ confidence, correct: i === 0 }));
    expect(calibration(items).expectedCalibrationError).toBe(0);
    expect(calibration([]).expectedCalibrationError).toBeNull();
    expect(() => calibration([{ confidence: 1.2, correct: true }])).toThrow(/item 0/);
    expect(() => calibration([], 0)).toThrow(RangeError);
  });
});

describe("weighted accuracy from aggregated sums (what SQL sends)", () => {
  const sumsOf = (correct: boolean[], pi: number[]) => {
    let sumW = 0,
      sumWY = 0,
      sumW2 = 0,
      sumW2Y = 0;
    correct.forEach((y, i) => {
      const w = 1 / pi[i]!;
      sumW += w;
      sumW2 += w * w;
      if (y) {
        sumWY += w;
        sumW2Y += w * w;
      }
    });
    return { n: correct.length, sumW, sumWY, sumW2, sumW2Y };
  };
  it.each(feedbackFixture.weighted)("$name: the same numbers as the per-item estimator", (c) => {
    const r = weightedAccuracyFromSums(sumsOf(c.correct, c.inclusionProbability))!;
    close(r.estimate, c.estimate, 1e-12);
    if (c.standardError === null) expect(r.standardError).toBeNaN();
    else close(r.standardError, c.standardError, 1e-10);
    close(r.effectiveN, c.effectiveN, 1e-6);
    close(r.interval[0], c.interval[0], 1e-8);
    close(r.interval[1], c.interval[1], 1e-8);
  });
  it("is null without labels and refuses sums that cannot come from labels", () => {
    expect(weightedAccuracyFromSums({ n: 0, sumW: 0, sumWY: 0, sumW2: 0, sumW2Y: 0 })).toBeNull();
    expect(() => weightedAccuracyFromSums({ n: 2, sumW: 2, sumWY: 3, sumW2: 2, sumW2Y: 3 })).toThrow(RangeError);
  });
});
