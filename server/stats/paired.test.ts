import { describe, expect, it } from "vitest";
import { metricsFixture, testsFixture } from "./fixtures/load";
import { delongTest, mcnemar, mcnemarFromCounts } from "./paired";

const TOL = 1e-9;

describe("McNemar (statsmodels definitions)", () => {
  it.each(testsFixture.mcnemarCounts)("b=$b, c=$c", (ref) => {
    const r = mcnemarFromCounts(ref.b, ref.c);
    expect(Math.abs(r.pValue - ref.pValue)).toBeLessThan(TOL);
    if (ref.chiSquare === null) {
      // statsmodels gives NaN here; we report "no evidence".
      expect(r).toEqual({ b: 0, c: 0, pValue: 1, chiSquare: 0, chiSquarePValue: 1 });
    } else {
      expect(Math.abs(r.chiSquare - ref.chiSquare)).toBeLessThan(TOL);
      expect(Math.abs(r.chiSquarePValue - ref.chiSquarePValue!)).toBeLessThan(TOL);
    }
  });

  for (const c of metricsFixture.binary) {
    it(`counts discordant pairs from predictions (${c.name})`, () => {
      const r = mcnemar(c.labels, c.championMetrics.predicted, c.challengerMetrics.predicted);
      expect(r.b).toBe(c.mcnemar.b);
      expect(r.c).toBe(c.mcnemar.c);
      expect(Math.abs(r.pValue - c.mcnemar.pValue)).toBeLessThan(TOL);
      expect(Math.abs(r.chiSquare - c.mcnemar.chiSquare)).toBeLessThan(TOL);
      expect(Math.abs(r.chiSquarePValue - c.mcnemar.chiSquarePValue)).toBeLessThan(TOL);
    });
  }

  it("b is champion-right/challenger-wrong, c the reverse", () => {
    const r = mcnemar([1, 1, 0, 0], [1, 0, 0, 1], [0, 1, 1, 1]);
    expect([r.b, r.c]).toEqual([2, 1]);
  });
});

describe("DeLong test (numpy fast-DeLong reference)", () => {
  for (const c of metricsFixture.binary) {
    it(c.name, () => {
      const r = delongTest(c.labels, c.champion, c.challenger);
      const ref = c.delong;
      expect(Math.abs(r.aucChampion - ref.aucChampion)).toBeLessThan(TOL);
      expect(Math.abs(r.aucChallenger - ref.aucChallenger)).toBeLessThan(TOL);
      expect(Math.abs(r.variance - ref.variance)).toBeLessThan(1e-12);
      for (const [i, j] of [
        [0, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        expect(Math.abs(r.covariance[i][j] - ref.covariance[i]![j]!)).toBeLessThan(1e-12);
      }
      expect(Math.abs(r.z - ref.z)).toBeLessThan(1e-7 * Math.max(1, Math.abs(ref.z)));
      expect(Math.abs(r.pValue - ref.pValue)).toBeLessThan(TOL);
      expect(Math.abs(r.difference - (ref.aucChallenger - ref.aucChampion))).toBeLessThan(TOL);
    });
  }

  it("z is signed (challenger − champion) and identical models give z = 0, p = 1", () => {
    const c = metricsFixture.binary[1]!;
    const swapped = delongTest(c.labels, c.challenger, c.champion);
    expect(swapped.z).toBeCloseTo(-c.delong.z, 9);
    const same = delongTest(c.labels, c.champion, c.champion);
    expect(same.z).toBe(0);
    expect(same.pValue).toBe(1);
  });
});
