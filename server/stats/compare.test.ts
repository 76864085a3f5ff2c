import { describe, expect, it } from "vitest";
import { compareModels, metricDirection, verdictFor } from "./compare";
import { metricsFixture } from "./fixtures/load";

const medium = metricsFixture.binary[1]!;
const reg = metricsFixture.regression[0]!;

describe("compareModels", () => {
  it("returns exactly the documented shape for accuracy (with McNemar, without DeLong)", () => {
    const r = compareModels({
      metric: "accuracy",
      labels: medium.labels,
      champion: medium.championMetrics.predicted,
      challenger: medium.challengerMetrics.predicted,
      seed: 1,
    });
    expect(Object.keys(r)).toEqual(["metric", "n", "champion", "challenger", "difference", "mcnemar", "verdict"]);
    expect(Object.keys(r.champion)).toEqual(["value", "ci"]);
    expect(Object.keys(r.mcnemar!)).toEqual(["b", "c", "pValue", "chiSquare", "chiSquarePValue"]);
    expect(r.n).toBe(medium.labels.length);
    expect(r.champion.value).toBeCloseTo(medium.championMetrics.accuracy, 12);
    expect(r.challenger.value).toBeCloseTo(medium.challengerMetrics.accuracy, 12);
    expect(r.difference.value).toBeCloseTo(medium.challengerMetrics.accuracy - medium.championMetrics.accuracy, 12);
    expect(r.mcnemar).toEqual({
      ...medium.mcnemar,
      pValue: expect.closeTo(medium.mcnemar.pValue, 9),
      chiSquarePValue: expect.closeTo(medium.mcnemar.chiSquarePValue, 9),
    });
    expect(r.verdict).toBe("better"); // c = 234 > b = 168
  });

  it("auc reports DeLong and not McNemar", () => {
    const r = compareModels({
      metric: "auc",
      labels: medium.labels,
      champion: medium.champion,
      challenger: medium.challenger,
      seed: 1,
    });
    expect(Object.keys(r)).toEqual(["metric", "n", "champion", "challenger", "difference", "delong", "verdict"]);
    expect(r.delong!.z).toBeCloseTo(medium.delong.z, 7);
    expect(r.delong!.pValue).toBeCloseTo(medium.delong.pValue, 9);
    expect(r.champion.value).toBeCloseTo(medium.championMetrics.auc, 12);
    expect(r.verdict).toBe("better");
  });

  it("f1, rmse and mae carry neither test", () => {
    const f = compareModels({
      metric: "f1",
      labels: medium.labels,
      champion: medium.championMetrics.predicted,
      challenger: medium.challengerMetrics.predicted,
    });
    expect(Object.keys(f)).toEqual(["metric", "n", "champion", "challenger", "difference", "verdict"]);
    expect(f.champion.value).toBeCloseTo(medium.championMetrics.f1, 12);
    const m = compareModels({ metric: "rmse", labels: reg.labels, champion: reg.champion, challenger: reg.challenger });
    expect(m.champion.value).toBeCloseTo(reg.championMetrics.rmse, 12);
    expect(m.challenger.value).toBeCloseTo(reg.challengerMetrics.rmse, 12);
    expect(m.difference.value).toBeLessThan(0); // the challenger's error is lower…
    expect(m.verdict).toBe("better"); // …which is better for an error metric
    const a = compareModels({ metric: "mae", labels: reg.labels, champion: reg.challenger, challenger: reg.champion });
    expect(a.verdict).toBe("worse");
  });

  it("is reproducible for a seed and intervals bracket the values", () => {
    const input = {
      metric: "auc" as const,
      labels: medium.labels,
      champion: medium.champion,
      challenger: medium.challenger,
      seed: 7,
      resamples: 300,
    };
    const r = compareModels(input);
    expect(compareModels(input)).toEqual(r);
    for (const k of ["champion", "challenger", "difference"] as const) {
      expect(r[k].ci[0]).toBeLessThanOrEqual(r[k].value);
      expect(r[k].ci[1]).toBeGreaterThanOrEqual(r[k].value);
    }
  });

  it("rejects unknown metrics and mismatched lengths", () => {
    expect(() =>
      compareModels({ metric: "bogus" as never, labels: [0, 1], champion: [0, 1], challenger: [0, 1] }),
    ).toThrow(/unknown metric/);
    expect(() => compareModels({ metric: "mae", labels: [0, 1], champion: [0], challenger: [0, 1] })).toThrow(
      /different lengths/,
    );
  });
});

describe("verdict rule", () => {
  it("higher-is-better metrics", () => {
    expect(metricDirection("auc")).toBe("higher");
    expect(verdictFor("auc", [0.01, 0.03])).toBe("better");
    expect(verdictFor("auc", [-0.03, -0.01])).toBe("worse");
    expect(verdictFor("auc", [-0.01, 0.02])).toBe("no detectable difference");
    expect(verdictFor("auc", [0, 0.02])).toBe("no detectable difference"); // touching 0 is not "entirely" above
  });

  it("lower-is-better metrics flip the sides", () => {
    expect(metricDirection("rmse")).toBe("lower");
    expect(metricDirection("mae")).toBe("lower");
    expect(verdictFor("rmse", [-0.3, -0.1])).toBe("better");
    expect(verdictFor("mae", [0.1, 0.3])).toBe("worse");
  });

  it("a non-inferiority margin only stops small losses from counting as worse", () => {
    expect(verdictFor("accuracy", [-0.02, -0.005], 0.01)).toBe("no detectable difference");
    expect(verdictFor("accuracy", [-0.03, -0.011], 0.01)).toBe("worse");
    expect(verdictFor("accuracy", [0.001, 0.01], 0.01)).toBe("better");
    expect(verdictFor("rmse", [0.005, 0.02], 0.05)).toBe("no detectable difference");
    expect(verdictFor("rmse", [0.06, 0.08], 0.05)).toBe("worse");
    expect(() => verdictFor("auc", [0, 1], -1)).toThrow(RangeError);
  });

  it("undefined intervals give no verdict", () => {
    expect(verdictFor("auc", [Number.NaN, Number.NaN])).toBe("no detectable difference");
  });
});
