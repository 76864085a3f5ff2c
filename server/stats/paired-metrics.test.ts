import { describe, expect, it } from "vitest";
import { compareModels, type CompareMetric } from "./compare";
import { pairedBootstrapFixture as ref } from "./fixtures/load";
import { BLOCKED_MIN_ROWS } from "./blocked-bootstrap";

/**
 * The paired comparison of every metric against SciPy: scipy.stats.bootstrap(paired=True, percentile,
 * 20,000 resamples) on the same rows. Our 2,000 seeded resamples differ from SciPy's draws, so interval
 * ends agree within Monte-Carlo error: a tenth of the interval's width is about six standard errors of
 * a 2.5 % quantile at 2,000 resamples. Resampling the two models independently would widen the
 * difference's interval past that (checked against SciPy's independent width below).
 */
const close = (ours: [number, number], theirs: [number, number]) => {
  const tolerance = 0.1 * (theirs[1] - theirs[0]);
  expect(Math.abs(ours[0] - theirs[0])).toBeLessThan(tolerance);
  expect(Math.abs(ours[1] - theirs[1])).toBeLessThan(tolerance);
};

const cases: { metric: CompareMetric; labels: number[]; champion: number[]; challenger: number[] }[] = [
  ...(["precision", "recall", "f1"] as const).map((metric) => ({
    metric,
    labels: ref.binary.labels,
    champion: ref.binary.championClasses,
    challenger: ref.binary.challengerClasses,
  })),
  ...(["log_loss", "brier"] as const).map((metric) => ({
    metric,
    labels: ref.binary.labels,
    champion: ref.binary.championScores,
    challenger: ref.binary.challengerScores,
  })),
  ...(["rmse", "mae"] as const).map((metric) => ({
    metric,
    labels: ref.regression.labels,
    champion: ref.regression.champion,
    challenger: ref.regression.challenger,
  })),
];

describe("paired bootstrap of every metric against scipy.stats.bootstrap(paired=True)", () => {
  it.each(cases)("$metric", ({ metric, labels, champion, challenger }) => {
    const expected =
      (ref.binary.metrics as Record<string, (typeof ref.binary.metrics)["f1"]>)[metric] ??
      ref.regression.metrics[metric as "rmse" | "mae"];
    const r = compareModels({ metric, labels, champion, challenger });
    expect(r.champion.value).toBeCloseTo(expected.champion, 12);
    expect(r.challenger.value).toBeCloseTo(expected.challenger, 12);
    expect(r.difference.value).toBeCloseTo(expected.challenger - expected.champion, 12);
    close(r.champion.ci, expected.championCi);
    close(r.challenger.ci, expected.challengerCi);
    close(r.difference.ci, expected.differenceCi);
    // Where pairing matters (correlated models: SciPy's paired interval is clearly the narrower), ours
    // is narrower than resampling the models apart would give, so it cannot be an unpaired bootstrap.
    const scipyPaired = expected.differenceCi[1] - expected.differenceCi[0];
    if (scipyPaired < 0.8 * expected.independentDifferenceWidth) {
      expect(r.difference.ci[1] - r.difference.ci[0]).toBeLessThan(0.9 * expected.independentDifferenceWidth);
    }
  });

  it("gives the verdict SciPy's interval implies", () => {
    for (const { metric, labels, champion, challenger } of cases) {
      const expected =
        (ref.binary.metrics as Record<string, (typeof ref.binary.metrics)["f1"]>)[metric] ??
        ref.regression.metrics[metric as "rmse" | "mae"];
      const [lo, hi] = expected.differenceCi;
      const lowerIsBetter = metric === "log_loss" || metric === "brier" || metric === "rmse" || metric === "mae";
      const improvement = lowerIsBetter ? [-hi, -lo] : [lo, hi];
      // Only where SciPy's interval clears 0 by more than the Monte-Carlo tolerance is the verdict fixed.
      if (Math.min(Math.abs(improvement[0]!), Math.abs(improvement[1]!)) < 0.1 * (hi - lo)) continue;
      const verdict = improvement[0]! > 0 ? "better" : improvement[1]! < 0 ? "worse" : "no detectable difference";
      expect([metric, compareModels({ metric, labels, champion, challenger }).verdict]).toEqual([metric, verdict]);
    }
  });

  it("handles a million paired outcomes on every metric (counts for precision/recall, sorted blocks for log loss and Brier)", () => {
    const n = 1_000_000;
    expect(n).toBeGreaterThanOrEqual(BLOCKED_MIN_ROWS);
    let s = 7;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const labels = new Float64Array(n),
      a = new Float64Array(n),
      b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = rand() < 0.3 ? 1 : 0;
      const shared = rand();
      a[i] = Math.min(1, Math.max(0, 0.7 * shared + 0.3 * labels[i]! + 0.1 * (rand() - 0.5)));
      b[i] = Math.min(1, Math.max(0, 0.6 * shared + 0.4 * labels[i]! + 0.1 * (rand() - 0.5)));
    }
    const classes = (xs: Float64Array) => xs.map((x) => (x >= 0.5 ? 1 : 0));
    const started = performance.now();
    for (const metric of ["precision", "recall"] as const) {
      const r = compareModels({ metric, labels, champion: classes(a), challenger: classes(b), resamples: 500 });
      expect(r.difference.ci[0]).toBeLessThanOrEqual(r.difference.value);
      expect(r.difference.ci[1]).toBeGreaterThanOrEqual(r.difference.value);
    }
    for (const metric of ["log_loss", "brier"] as const) {
      const r = compareModels({ metric, labels, champion: a, challenger: b, resamples: 500 });
      // b weighs the label more: lower loss, and with a million rows that is not noise.
      expect(r.verdict).toBe("better");
      expect(r.difference.ci[1] - r.difference.ci[0]).toBeLessThan(0.01);
    }
    // Row-by-row resampling would be 4 × 500 passes over a million rows; this is seconds, not minutes.
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
