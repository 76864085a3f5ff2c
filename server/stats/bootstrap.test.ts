import { describe, expect, it } from "vitest";
import { rocAuc } from "./auc";
import { aucResampler, bootstrapAuc } from "./auc-bootstrap";
import {
  bootstrapIndices,
  bootstrapMean,
  bootstrapMetric,
  gather,
  replicateByIndices,
  replicateMeans,
  resolveOptions,
  type BootstrapInterval,
} from "./bootstrap";
import {
  bootstrapAccuracy,
  bootstrapBrier,
  bootstrapF1,
  bootstrapLogLoss,
  bootstrapMae,
  bootstrapRmse,
} from "./bootstrap-metrics";
import { metricsFixture } from "./fixtures/load";
import { accuracy, f1 } from "./metrics";
import {
  pairedBootstrapAccuracy,
  pairedBootstrapAuc,
  pairedBootstrapF1,
  pairedBootstrapMean,
  pairedBootstrapMetric,
} from "./paired-bootstrap";
import { ResampleCounter } from "./resample";
import { createRng } from "./rng";

const medium = metricsFixture.binary[1]!;
const y = Float64Array.from(medium.labels);
const yFixture = y;
const scoresA = Float64Array.from(medium.champion),
  scoresB = Float64Array.from(medium.challenger);
const predA = Float64Array.from(medium.championMetrics.predicted),
  predB = Float64Array.from(medium.challengerMetrics.predicted);

describe("percentile bootstrap: reproducibility and basic sanity", () => {
  it("same seed → identical interval; different seed → (slightly) different interval", () => {
    const a = bootstrapMetric(f1, [y, predA], { seed: 42, resamples: 500 });
    const b = bootstrapMetric(f1, [y, predA], { seed: 42, resamples: 500 });
    const c = bootstrapMetric(f1, [y, predA], { seed: 43, resamples: 500 });
    expect(b).toEqual(a);
    expect([c.lo, c.hi]).not.toEqual([a.lo, a.hi]);
  });

  it("intervals contain the point estimate, which is the metric on the full data", () => {
    const checks = [
      bootstrapMetric(f1, [y, predA], { seed: 1 }),
      bootstrapAuc(y, scoresA, { seed: 1 }),
      bootstrapMean(
        predA.map((p, i) => (p === y[i] ? 1 : 0)),
        { seed: 1 },
      ),
    ];
    expect(checks[0]!.estimate).toBe(f1(y, predA));
    expect(checks[1]!.estimate).toBe(rocAuc(y, scoresA));
    expect(checks[2]!.estimate).toBeCloseTo(accuracy(y, predA), 12);
    for (const iv of checks) {
      expect(iv.lo).toBeLessThanOrEqual(iv.estimate);
      expect(iv.hi).toBeGreaterThanOrEqual(iv.estimate);
      expect(iv.resamples).toBe(2000);
      expect(iv.confidence).toBe(0.95);
    }
  });

  it("a higher confidence level gives a wider interval from the same resamples", () => {
    const narrow = bootstrapAuc(y, scoresA, { seed: 5, confidence: 0.8 });
    const wide = bootstrapAuc(y, scoresA, { seed: 5, confidence: 0.99 });
    expect(wide.lo).toBeLessThan(narrow.lo);
    expect(wide.hi).toBeGreaterThan(narrow.hi);
  });

  it("validates options", () => {
    expect(() => resolveOptions({ resamples: 0 })).toThrow(RangeError);
    expect(() => resolveOptions({ confidence: 1 })).toThrow(RangeError);
  });
});

describe("fast paths compute the same resamples as the generic index path", () => {
  const opts = resolveOptions({ seed: 9, resamples: 300 });

  /**
   * The AUC path keeps row i's multiplicity at counts[position[i]]. Drawing
   * counts, materialising that resample as row indices and recomputing
   * rocAuc from scratch must give the very same AUCs.
   */
  function expectExactAuc(a: Float64Array, b: Float64Array, y: Float64Array = yFixture, resamples = 200) {
    const resampler = aucResampler(y, [a, b]);
    const counter = new ResampleCounter(y.length, createRng(9));
    const counts = new Uint8Array(y.length);
    const idx = new Uint32Array(y.length);
    const buf = [0, 1, 2].map(() => new Float64Array(y.length));
    const fast = new Float64Array(2);
    const src = [y, a, b];
    for (let r = 0; r < resamples; r++) {
      counter.draw(counts);
      resampler.aucs(counts, fast);
      let k = 0;
      for (let i = 0; i < y.length; i++) for (let c = counts[resampler.position[i]!]!; c > 0; c--) idx[k++] = i;
      gather(src, buf, idx);
      expect(Math.abs(fast[0]! - rocAuc(buf[0]!, buf[1]!))).toBeLessThan(1e-12);
      expect(Math.abs(fast[1]! - rocAuc(buf[0]!, buf[2]!))).toBeLessThan(1e-12);
    }
  }

  it("AUC weighted pass == rocAuc on the materialised resample (same draws)", () => {
    expectExactAuc(scoresA, scoresB);
  });

  it("AUC with heavy ties (scores rounded to 1 and 0.2) is still exact", () => {
    expectExactAuc(
      scoresA.map((s) => Math.round(s * 10) / 10),
      scoresB.map((s) => Math.round(s * 5) / 5),
    );
  });

  it("AUC is exact when the rows span several cache blocks of the counts layout", () => {
    const rng = createRng(77);
    const n = 40_000;
    const yy = new Float64Array(n),
      a = new Float64Array(n),
      b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      yy[i] = rng.nextDouble() < 0.2 ? 1 : 0;
      a[i] = yy[i]! * 0.4 + rng.nextDouble();
      b[i] = Math.round((yy[i]! * 0.5 + rng.nextDouble()) * 1000) / 1000; // some ties
    }
    expectExactAuc(a, b, yy, 10);
  });

  it("mean path == mean of the materialised resample", () => {
    const fast = replicateMeans([scoresA], opts, Math.sqrt);
    const slow = replicateByIndices(
      y.length,
      1,
      (idx, out) => {
        let s = 0;
        for (const i of idx) s += scoresA[i]!;
        out[0] = Math.sqrt(s / idx.length);
      },
      opts,
    );
    for (let r = 0; r < opts.resamples; r++) expect(Math.abs(fast[0]![r]! - slow[0]![r]!)).toBeLessThan(1e-12);
  });

  it("count path (multinomial cells) has the same bootstrap distribution as the index path", () => {
    // Different random streams, so compare distributions: mean and spread of 4,000 replicates.
    const counts = pairedBootstrapAccuracy(y, predA, predB, { seed: 2, resamples: 4000 });
    const generic = pairedBootstrapMetric(accuracy, y, predA, predB, { seed: 3, resamples: 4000 });
    for (const k of ["champion", "challenger", "difference"] as const) {
      const width = generic[k].hi - generic[k].lo;
      expect(counts[k].estimate).toBeCloseTo(generic[k].estimate, 12);
      expect(Math.abs(counts[k].lo - generic[k].lo)).toBeLessThan(0.1 * width);
      expect(Math.abs(counts[k].hi - generic[k].hi)).toBeLessThan(0.1 * width);
    }
    const f1Counts = pairedBootstrapF1(y, predA, predB, { seed: 2, resamples: 4000 });
    const f1Generic = pairedBootstrapMetric(f1, y, predA, predB, { seed: 3, resamples: 4000 });
    const width = f1Generic.difference.hi - f1Generic.difference.lo;
    expect(Math.abs(f1Counts.difference.lo - f1Generic.difference.lo)).toBeLessThan(0.1 * width);
    expect(Math.abs(f1Counts.difference.hi - f1Generic.difference.hi)).toBeLessThan(0.1 * width);
  });
});

describe("one-model metric bootstraps", () => {
  const reg = metricsFixture.regression[0]!;
  it("point estimates equal the metrics; intervals bracket them; seeds reproduce", () => {
    const checks: [BootstrapInterval, number][] = [
      [bootstrapAccuracy(y, predA, { seed: 1 }), medium.championMetrics.accuracy],
      [bootstrapF1(y, predA, { seed: 1 }), medium.championMetrics.f1],
      [bootstrapBrier(y, scoresA, { seed: 1 }), medium.championMetrics.brier],
      [bootstrapLogLoss(y, scoresA, { seed: 1 }), medium.championMetrics.logLoss],
      [bootstrapMae(reg.labels, reg.champion, { seed: 1 }), reg.championMetrics.mae],
      [bootstrapRmse(reg.labels, reg.champion, { seed: 1 }), reg.championMetrics.rmse],
    ];
    for (const [iv, ref] of checks) {
      expect(Math.abs(iv.estimate - ref)).toBeLessThan(1e-9);
      expect(iv.lo).toBeLessThan(iv.estimate);
      expect(iv.hi).toBeGreaterThan(iv.estimate);
    }
    expect(bootstrapRmse(reg.labels, reg.champion, { seed: 1 })).toEqual(checks[5]![0]);
  });

  it("count-path accuracy and F1 match the generic path in distribution", () => {
    const fast = bootstrapF1(y, predA, { seed: 5, resamples: 4000 });
    const slow = bootstrapMetric(f1, [y, predA], { seed: 6, resamples: 4000 });
    const width = slow.hi - slow.lo;
    expect(Math.abs(fast.lo - slow.lo)).toBeLessThan(0.1 * width);
    expect(Math.abs(fast.hi - slow.hi)).toBeLessThan(0.1 * width);
    const acc = bootstrapAccuracy(y, predA, { seed: 5, resamples: 4000 });
    const accSlow = bootstrapMetric(accuracy, [y, predA], { seed: 6, resamples: 4000 });
    expect(Math.abs(acc.lo - accSlow.lo)).toBeLessThan(0.1 * (accSlow.hi - accSlow.lo));
  });
});

describe("paired bootstrap", () => {
  it("difference = challenger − champion, per resample", () => {
    const r = pairedBootstrapAuc(y, scoresA, scoresB, { seed: 4, resamples: 500 });
    expect(r.difference.estimate).toBeCloseTo(r.challenger.estimate - r.champion.estimate, 15);
    expect(r.difference.lo).toBeLessThan(r.difference.estimate);
    expect(r.difference.hi).toBeGreaterThan(r.difference.estimate);
  });

  it("pairing narrows the difference interval for correlated models", () => {
    const r = pairedBootstrapAuc(y, scoresA, scoresB, { seed: 4, resamples: 1000 });
    const unpairedWidth = Math.hypot(r.champion.hi - r.champion.lo, r.challenger.hi - r.challenger.lo);
    expect(r.difference.hi - r.difference.lo).toBeLessThan(unpairedWidth);
  });

  it("identical models give a zero-width difference interval", () => {
    const r = pairedBootstrapMean(scoresA, scoresA, { seed: 1, resamples: 200 });
    expect([r.difference.lo, r.difference.hi]).toEqual([0, 0]);
  });

  it("generic index path works for arbitrary metrics", () => {
    const r = bootstrapIndices(
      y.length,
      (idx) => {
        let s = 0;
        for (const i of idx) s += y[i]!;
        return s / idx.length;
      },
      { seed: 3, resamples: 400 },
    );
    expect(r.estimate).toBeCloseTo(medium.labels.reduce((a, b) => a + b, 0) / y.length, 12);
  });
});

describe("coverage sanity", () => {
  it("95% interval for a Bernoulli mean covers the true p in roughly 95% of samples", () => {
    const rng = createRng(2024);
    const p = 0.3,
      n = 200,
      trials = 300;
    let covered = 0;
    const sample = new Float64Array(n);
    for (let t = 0; t < trials; t++) {
      for (let i = 0; i < n; i++) sample[i] = rng.nextDouble() < p ? 1 : 0;
      const iv = bootstrapMean(sample, { seed: t, resamples: 400 });
      if (iv.lo <= p && p <= iv.hi) covered++;
    }
    // Binomial(300, 0.95) sd ≈ 3.8 trials; percentile intervals under-cover slightly at small n.
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.99);
  });
});
