/**
 * Bootstrap of ROC AUC in O(n) per resample instead of O(n log n).
 *
 * Sorting is done once. A resample is represented by multiplicity counts
 * w_i (how many times row i was drawn; drawing n uniform rows makes
 * w ~ Multinomial(n, 1/n), exactly the ordinary bootstrap). The resampled
 * AUC is then a weighted Mann–Whitney statistic, computed by one pass over
 * the rows in score order:
 *
 *   AUC = Σ_groups W⁺_g · (W⁻_below + ½ W⁻_g) / (W⁺ · W⁻)
 *
 * where a group is a block of tied scores (ties count half, as in sklearn).
 *
 * For paired comparisons the counts array is indexed by the *first* model's
 * sort position, so that model's pass is sequential in memory; the other
 * model reads counts through a precomputed permutation. Both models see the
 * same resample.
 */
import { classCounts, orderFromRanks, rankScores, rocAuc } from "./auc";
import { intervalsFrom, resolveOptions, type BootstrapInterval, type BootstrapOptions, type Replicates, type ResolvedOptions } from "./bootstrap";
import { ResampleCounter } from "./resample";
import { createRng } from "./rng";
import { commonLength, type NumericArray } from "./types";

/**
 * One model's rows in score order. Labels are stored as Float64 (0/1) on
 * purpose: the passes then run entirely in double arithmetic, which V8
 * executes ~3× faster than small-integer arithmetic with overflow checks.
 */
interface SortedModel {
  labels: Float64Array;
  /** 1 where the row is the last of its tie block; null when there are no ties. */
  groupEnds: Uint8Array | null;
  /** Sort position k → index into the shared counts array (null = identity). */
  countIndex: Uint32Array | null;
}

/** Precompute sorted labels for each model, sharing model 0's position space. */
function prepare(labels: NumericArray, models: readonly NumericArray[]): SortedModel[] {
  let pos0: Uint32Array | null = null;
  return models.map((scores, m) => {
    const ranks = rankScores(scores);
    const order = orderFromRanks(ranks);
    const n = order.length;
    const sortedLabels = new Float64Array(n);
    const groupEnds = new Uint8Array(n);
    let ties = false;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      sortedLabels[k] = labels[i] === 1 ? 1 : 0;
      groupEnds[k] = ranks.lessEq[i]! === k + 1 ? 1 : 0;
      if (groupEnds[k] === 0) ties = true;
    }
    const base = { labels: sortedLabels, groupEnds: ties ? groupEnds : null };
    if (m === 0) {
      pos0 = new Uint32Array(n);
      for (let k = 0; k < n; k++) pos0[order[k]!] = k;
      return { ...base, countIndex: null };
    }
    const countIndex = new Uint32Array(n);
    for (let k = 0; k < n; k++) countIndex[k] = pos0![order[k]!]!;
    return { ...base, countIndex };
  });
}

/**
 * Weighted AUC of one model for the resample described by `counts`.
 * Separate loops per case so the hot loops carry no loop-invariant branches.
 */
function weightedAuc(model: SortedModel, counts: Uint8Array): number {
  if (model.groupEnds !== null) return tiedPass(model, counts);
  return model.countIndex === null ? sequentialPass(model.labels, counts) : permutedPass(model.labels, counts, model.countIndex);
}

/** No ties: numerator = Σ_k w_k·y_k · (negative weight before k). */
function sequentialPass(y: Float64Array, counts: Uint8Array): number {
  let negBelow = 0.0, numerator = 0.0, positives = 0.0;
  for (let k = 0; k < y.length; k++) {
    const w = counts[k]!;
    const wPos = w * y[k]!;
    numerator += wPos * negBelow;
    negBelow += w - wPos;
    positives += wPos;
  }
  return finish(numerator, positives, negBelow);
}

function permutedPass(y: Float64Array, counts: Uint8Array, countIndex: Uint32Array): number {
  let negBelow = 0.0, numerator = 0.0, positives = 0.0;
  for (let k = 0; k < y.length; k++) {
    const w = counts[countIndex[k]!]!;
    const wPos = w * y[k]!;
    numerator += wPos * negBelow;
    negBelow += w - wPos;
    positives += wPos;
  }
  return finish(numerator, positives, negBelow);
}

/** With ties: a tie block's positives beat the negatives below it and half of those inside it. */
function tiedPass(model: SortedModel, counts: Uint8Array): number {
  const { labels: y, groupEnds, countIndex } = model;
  const ends = groupEnds!;
  let negBelow = 0.0, posGroup = 0.0, negGroup = 0.0, numerator = 0.0, positives = 0.0;
  for (let k = 0; k < y.length; k++) {
    const w = countIndex === null ? counts[k]! : counts[countIndex[k]!]!;
    const wPos = w * y[k]!;
    posGroup += wPos;
    negGroup += w - wPos;
    if (ends[k] === 1) {
      numerator += posGroup * (negBelow + 0.5 * negGroup);
      negBelow += negGroup;
      positives += posGroup;
      posGroup = 0.0;
      negGroup = 0.0;
    }
  }
  return finish(numerator, positives, negBelow);
}

function finish(numerator: number, positives: number, negatives: number): number {
  return positives === 0 || negatives === 0 ? Number.NaN : numerator / (positives * negatives);
}

/**
 * Replicates of ROC AUC for each model on shared resamples:
 * result[m][r] = AUC of model m on resample r.
 */
export function replicateAuc(labels: NumericArray, models: readonly NumericArray[], opts: ResolvedOptions): Replicates {
  const n = commonLength("replicateAuc", labels, ...models);
  classCounts(labels); // validates 0/1 labels
  const prepared = prepare(labels, models);
  const counter = new ResampleCounter(n, createRng(opts.seed));
  const counts = new Uint8Array(n);
  const reps = models.map(() => new Float64Array(opts.resamples));
  for (let r = 0; r < opts.resamples; r++) {
    counter.draw(counts);
    for (let m = 0; m < prepared.length; m++) reps[m]![r] = weightedAuc(prepared[m]!, counts);
  }
  return reps;
}

/** Seeded percentile bootstrap interval for one model's ROC AUC. */
export function bootstrapAuc(labels: NumericArray, scores: NumericArray, options?: BootstrapOptions): BootstrapInterval {
  const opts = resolveOptions(options);
  const reps = replicateAuc(labels, [scores], opts);
  return intervalsFrom([rocAuc(labels, scores)], reps, opts)[0]!;
}
