import { afterAll, describe, expect, it } from "vitest";
import { createRng } from "@/server/stats";
import { closeStatsPool, runStats } from "./pool";
import type { RawOutcomes } from "./tasks";

/** Binary outcomes with scores; ids "e0"…; `skill` moves scores towards the label. */
function outcomes(n: number, skill: number, seed: number): RawOutcomes {
  const rng = createRng(seed);
  const labels = new Float64Array(n),
    predictions = new Float64Array(n),
    scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = rng.nextDouble() < 0.3 ? 1 : 0;
    const s = Math.min(1, Math.max(0, skill * y + (1 - skill) * rng.nextDouble()));
    labels[i] = y;
    scores[i] = s;
    predictions[i] = s >= 0.5 ? 1 : 0;
  }
  return { idChunks: [Array.from({ length: n }, (_, i) => `e${i}`).join("\n")], labels, predictions, scores };
}

afterAll(closeStatsPool);

describe("statistics worker pool", () => {
  const a = outcomes(3000, 0.3, 1),
    b = outcomes(3000, 0.4, 1);

  it("computes a report's metrics in a worker thread, identical to in-process", async () => {
    const task = {
      kind: "report" as const,
      task: "binary_classification" as const,
      cols: { n: 3000, idChunks: [], labels: a.labels, predictions: a.predictions, scores: a.scores },
    };
    const [pooled, inline] = await Promise.all([runStats(task, 1), runStats(task, 0)]);
    expect(pooled).toEqual(inline);
    expect(pooled.metrics.auc?.ci).toHaveLength(2);
  });

  it("runs paired comparisons (matching ids there too), queued behind each other on one thread", async () => {
    const task = {
      kind: "paired" as const,
      a,
      b,
      comparisons: [
        { metric: "auc" as const, margin: 0.005 },
        { metric: "accuracy" as const, margin: 0.005 },
      ],
    };
    const runs = await Promise.all([1, 2, 3].map(() => runStats(task, 1)));
    const inline = await runStats(task, 0);
    for (const r of runs) expect(r).toEqual(inline);
    expect(inline.summary).toEqual({ matched: 3000, onlyA: 0, onlyB: 0, labelMismatches: 0 });
    expect(inline.outcomes.map((o) => o.ok && o.test)).toEqual(["DeLong", "McNemar exact"]);
  });
});
