import { describe, expect, it } from "vitest";
import { rankScores } from "./auc";
import { replicateAuc } from "./auc-bootstrap";
import { BLOCKED_MIN_ROWS, replicateAucBlocked, replicateMeansBlocked } from "./blocked-bootstrap";
import { replicateMeans, resolveOptions } from "./bootstrap";
import { logLossTerm } from "./metrics";
import { percentileInterval } from "./percentile";
import { createRng } from "./rng";

/** Binary labels (30% positive) and a probability score that carries signal; `decimals` rounds (ties). */
function binaryData(n: number, decimals?: number) {
  const rng = createRng(77);
  const labels = new Float64Array(n),
    scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = rng.nextDouble() < 0.3 ? 1 : 0;
    const z = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    let s = 1 / (1 + Math.exp(-(1.1 * y + z - 0.8)));
    if (decimals !== undefined) s = Math.round(s * 10 ** decimals) / 10 ** decimals;
    labels[i] = y;
    scores[i] = s;
  }
  return { labels, scores };
}

/** Two bootstraps of the same statistic with independent streams agree within Monte-Carlo error. */
function expectSameInterval(blocked: Float64Array, exact: Float64Array) {
  const a = percentileInterval(blocked, 0.95),
    b = percentileInterval(exact, 0.95);
  const width = b.hi - b.lo;
  expect(width).toBeGreaterThan(0);
  expect(Math.abs(a.lo - b.lo)).toBeLessThan(0.1 * width);
  expect(Math.abs(a.hi - b.hi)).toBeLessThan(0.1 * width);
}

const n = 20_000;
const opts = resolveOptions({ seed: 5, resamples: 2000 });
const exactOpts = resolveOptions({ seed: 6, resamples: 2000 });

describe("blocked bootstrap (sorted blocks, multinomial block counts)", () => {
  const { labels, scores } = binaryData(n);
  const logLoss = labels.map((y, i) => logLossTerm(y, scores[i]!));
  const brier = labels.map((y, i) => (scores[i]! - y) ** 2);

  it("per-example means (log loss, Brier) have the exact bootstrap's interval", () => {
    const blocked = replicateMeansBlocked([logLoss, brier], opts, undefined, 64);
    const exact = replicateMeans([logLoss, brier], exactOpts); // n below the threshold: the exact path
    expectSameInterval(blocked[0]!, exact[0]!);
    expectSameInterval(blocked[1]!, exact[1]!);
  });

  it("a paired difference of two columns keeps its pairing (correlated columns, narrow difference)", () => {
    const other = logLoss.map((v, i) => v * 0.9 + 0.05 * brier[i]!);
    const blocked = replicateMeansBlocked([logLoss, other], opts, undefined, 64);
    const exact = replicateMeans([logLoss, other], exactOpts);
    const diff = (r: Float64Array[]) => r[1]!.map((v, i) => v - r[0]![i]!);
    expectSameInterval(diff(blocked), diff(exact));
  });

  it("ROC AUC with continuous scores has the exact bootstrap's interval", () => {
    const blocked = replicateAucBlocked(labels, rankScores(scores), opts, 64);
    const [exact] = replicateAuc(labels, [scores], exactOpts);
    expectSameInterval(blocked, exact!);
  });

  it("ROC AUC with heavy ties: blocks never split a tie group (scores rounded to 2 decimals)", () => {
    const tied = binaryData(n, 2);
    const blocked = replicateAucBlocked(tied.labels, rankScores(tied.scores), opts, 64);
    const [exact] = replicateAuc(tied.labels, [tied.scores], exactOpts);
    expectSameInterval(blocked, exact!);
  });

  it("is reproducible: the same seed gives identical replicates", () => {
    expect(replicateAucBlocked(labels, rankScores(scores), opts, 64)).toEqual(
      replicateAucBlocked(labels, rankScores(scores), opts, 64),
    );
    expect(replicateMeansBlocked([logLoss], opts, Math.sqrt, 64)).toEqual(
      replicateMeansBlocked([logLoss], opts, Math.sqrt, 64),
    );
  });

  it("large inputs take the blocked path (what keeps a 1M-outcome report's intervals fast)", () => {
    const big = binaryData(BLOCKED_MIN_ROWS);
    const small = resolveOptions({ seed: 3, resamples: 50 });
    expect(replicateMeans([big.scores], small)).toEqual(replicateMeansBlocked([big.scores], small));
    expect(replicateAuc(big.labels, [big.scores], small)[0]).toEqual(
      replicateAucBlocked(big.labels, rankScores(big.scores), small),
    );
  });
});
