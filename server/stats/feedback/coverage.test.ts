import { describe, expect, it } from "vitest";
import { createRng } from "../rng";
import { weightedAccuracy } from "./weighted-accuracy";

/**
 * The interval is honest when it covers the true accuracy about 95 % of the time under the queue's own
 * sampling design. A fixed population of predictions (accuracy known exactly) is sampled again and again
 * the way the queue samples: a quarter of the low-confidence items, 5 % of the rest (Poisson sampling).
 */
describe("live accuracy interval coverage under the queue's sampling design", () => {
  const rng = createRng(4242);
  const size = 5_000;
  // Built once: each prediction with its inclusion probability (every 4th low-confidence one, 5 % of the rest).
  const population = Array.from({ length: size }, () => {
    const confidence = 0.4 + 0.6 * rng.nextDouble();
    return {
      correct: rng.nextDouble() < confidence,
      inclusionProbability: confidence < 0.6 ? 0.25 : 0.05,
    };
  });
  const truth = population.filter((p) => p.correct).length / size;
  const unweighted = population.map((p) => ({ correct: p.correct, inclusionProbability: 1 }));

  it("covers the true accuracy in close to 95 % of repeated samples; the unweighted share is biased", () => {
    const replicates = 300;
    let covered = 0;
    let naiveCovered = 0;
    const weighted: (typeof population)[number][] = [];
    const naive: (typeof unweighted)[number][] = [];
    for (let r = 0; r < replicates; r++) {
      weighted.length = 0;
      naive.length = 0;
      for (let i = 0; i < size; i++) {
        if (rng.nextDouble() < population[i]!.inclusionProbability) {
          weighted.push(population[i]!);
          naive.push(unweighted[i]!);
        }
      }
      const est = weightedAccuracy(weighted)!;
      if (est.interval[0] <= truth && truth <= est.interval[1]) covered++;
      const plain = weightedAccuracy(naive)!;
      if (plain.interval[0] <= truth && truth <= plain.interval[1]) naiveCovered++;
    }
    expect(covered / replicates).toBeGreaterThan(0.92);
    expect(covered / replicates).toBeLessThan(0.98);
    // Ignoring the weights over-represents the hard items: the interval misses the truth most of the time.
    expect(naiveCovered / replicates).toBeLessThan(0.5);
  });
});
