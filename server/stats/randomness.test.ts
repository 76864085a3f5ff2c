import { describe, expect, it } from "vitest";
import { argsort } from "./argsort";
import { sampleBinomial, sampleMultinomial } from "./binomial-sampler";
import { chiSquareSf } from "./distributions";
import { countsToIndices, ResampleCounter } from "./resample";
import { createRng } from "./rng";

/** Pearson goodness-of-fit p-value of observed counts against expected probabilities. */
function gofPValue(observed: number[], probs: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  let stat = 0;
  observed.forEach((o, k) => {
    const e = total * probs[k]!;
    stat += ((o - e) * (o - e)) / e;
  });
  return chiSquareSf(stat, observed.length - 1);
}

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));

describe("xoshiro128** PRNG", () => {
  it("is reproducible per seed and differs across seeds", () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    const a = createRng(1),
      b = createRng(2);
    expect([a.nextUint32(), a.nextUint32()]).not.toEqual([b.nextUint32(), b.nextUint32()]);
  });

  it("fillUint32 continues the same stream as nextUint32", () => {
    const a = createRng(99),
      b = createRng(99);
    const buf = new Uint32Array(10);
    a.fillUint32(buf);
    expect(Array.from(buf)).toEqual(Array.from({ length: 10 }, () => b.nextUint32()));
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it("nextBelow is uniform (χ² goodness of fit) and nextDouble is in [0, 1)", () => {
    const rng = createRng(3);
    const k = 7,
      obs = new Array<number>(k).fill(0);
    for (let i = 0; i < 70000; i++) obs[rng.nextBelow(k)]!++;
    expect(gofPValue(obs, new Array<number>(k).fill(1 / k))).toBeGreaterThan(1e-3);
    for (let i = 0; i < 1000; i++) {
      const u = rng.nextDouble();
      expect(u >= 0 && u < 1).toBe(true);
    }
    expect(rng.nextBelow(1)).toBe(0);
    expect(() => rng.nextBelow(0)).toThrow(RangeError);
  });
});

describe("binomial / multinomial sampler", () => {
  it("matches the exact Binomial(12, 0.3) distribution", () => {
    const rng = createRng(5);
    const n = 12,
      p = 0.3,
      obs = new Array<number>(n + 1).fill(0);
    for (let i = 0; i < 60000; i++) obs[sampleBinomial(rng, n, p)]!++;
    const probs = obs.map((_, k) => (factorial(n) / (factorial(k) * factorial(n - k))) * p ** k * (1 - p) ** (n - k));
    // pool the sparse upper tail so every expected count is ≥ 5
    const pooledObs = [...obs.slice(0, 9), obs.slice(9).reduce((a, b) => a + b, 0)];
    const pooledP = [...probs.slice(0, 9), probs.slice(9).reduce((a, b) => a + b, 0)];
    expect(gofPValue(pooledObs, pooledP)).toBeGreaterThan(1e-3);
  });

  it("has the right mean and variance in the from-the-mode regime (n = 10^6)", () => {
    const rng = createRng(6);
    const n = 1_000_000,
      p = 0.37,
      reps = 4000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < reps; i++) {
      const x = sampleBinomial(rng, n, p);
      s += x;
      s2 += x * x;
    }
    const mean = s / reps,
      variance = s2 / reps - mean * mean;
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / reps));
    expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.9);
    expect(variance / (n * p * (1 - p))).toBeLessThan(1.1);
  });

  it("multinomial counts always sum to n", () => {
    const rng = createRng(8),
      out = new Float64Array(4);
    for (let i = 0; i < 200; i++) {
      sampleMultinomial(rng, 1000, [0.1, 0.2, 0.3, 0.4], out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(1000);
    }
  });
});

describe("ResampleCounter (exact bootstrap multiplicities)", () => {
  /** All count vectors of n draws over n rows, with their Multinomial(n, 1/n) probabilities. */
  function outcomes(n: number): { key: string; p: number }[] {
    const out: { key: string; p: number }[] = [];
    const rec = (prefix: number[], left: number): void => {
      if (prefix.length === n - 1) {
        const v = [...prefix, left];
        const p = v.reduce((acc, c) => acc / factorial(c), factorial(n)) / n ** n;
        out.push({ key: v.join(","), p });
        return;
      }
      for (let c = 0; c <= left; c++) rec([...prefix, c], left - c);
    };
    rec([], n);
    return out;
  }

  // n = 3 exercises only the tail path, 4 only whole words, 6 both.
  it.each([3, 4, 6])("reproduces Multinomial(%i, uniform) exactly (χ² over all outcomes)", (n) => {
    const counter = new ResampleCounter(n, createRng(11 + n)),
      counts = new Uint8Array(n);
    const seen = new Map<string, number>();
    const draws = 60000;
    for (let r = 0; r < draws; r++) {
      counter.draw(counts);
      const key = counts.join(",");
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const all = outcomes(n);
    // pool outcomes with small expected counts so the χ² approximation holds
    const big = all.filter((o) => o.p * draws >= 20);
    const small = all.filter((o) => o.p * draws < 20);
    const obs = big.map((o) => seen.get(o.key) ?? 0);
    const probs = big.map((o) => o.p);
    if (small.length > 0) {
      obs.push(small.reduce((a, o) => a + (seen.get(o.key) ?? 0), 0));
      probs.push(small.reduce((a, o) => a + o.p, 0));
    }
    expect([...seen.keys()].every((k) => all.some((o) => o.key === k))).toBe(true);
    expect(gofPValue(obs, probs)).toBeGreaterThan(1e-3);
  });

  it("always draws exactly n rows, each with mean multiplicity 1 (n = 100,003)", () => {
    const n = 100_003,
      counter = new ResampleCounter(n, createRng(12)),
      counts = new Uint8Array(n);
    let zeros = 0;
    for (let r = 0; r < 20; r++) {
      counter.draw(counts);
      let total = 0;
      for (let i = 0; i < n; i++) {
        total += counts[i]!;
        if (counts[i] === 0) zeros++;
      }
      expect(total).toBe(n);
    }
    // P(row not drawn) = (1 − 1/n)^n ≈ e^−1
    expect(Math.abs(zeros / (20 * n) - Math.exp(-1))).toBeLessThan(0.003);
  });

  it("expands counts into sorted indices", () => {
    const idx = new Uint32Array(5);
    countsToIndices(Uint8Array.from([2, 0, 1, 2]), idx);
    expect(Array.from(idx)).toEqual([0, 0, 2, 3, 3]);
  });
});

describe("radix argsort", () => {
  it("sorts numerically and stably, with −0 tying +0 and infinities at the ends", () => {
    const v = [0.5, -0, 3, Number.NEGATIVE_INFINITY, 0, -2.5, 0.5, Number.POSITIVE_INFINITY, -1e-300, 1e300];
    expect(Array.from(argsort(v))).toEqual([3, 5, 8, 1, 4, 0, 6, 2, 9, 7]);
  });
  it("agrees with a comparator sort on random data with many ties", () => {
    const rng = createRng(4);
    const v = Array.from({ length: 5000 }, () => Math.round((rng.nextDouble() - 0.5) * 200) / 10);
    const expected = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]! || a - b);
    expect(Array.from(argsort(v))).toEqual(expected);
  });
  it("rejects NaN", () => {
    expect(() => argsort([1, Number.NaN])).toThrow(/NaN/);
  });
});
