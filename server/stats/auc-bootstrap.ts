/**
 * Bootstrap of ROC AUC in O(n) per resample instead of O(n log n).
 *
 * Sorting is done once. A resample is represented by multiplicity counts
 * w_i (see resample.ts — exactly the ordinary bootstrap). The resampled
 * AUC is then a weighted Mann–Whitney statistic, one pass in score order:
 *
 *   AUC = Σ_groups W⁺_g · (W⁻_below + ½ W⁻_g) / (W⁺ · W⁻)
 *
 * where a group is a block of tied scores (ties count half, as in sklearn).
 *
 * Both models read one shared counts array (so they see the same resample)
 * through a per-model permutation, laid out for cache locality — see
 * countPositions. The label rides in the permutation's sign bit so one
 * 32-bit read gives both.
 */
import { classCounts, rankScores, rocAuc, type Ranking } from "./auc";
import {
  intervalsFrom,
  resolveOptions,
  type BootstrapInterval,
  type BootstrapOptions,
  type Replicates,
  type ResolvedOptions,
} from "./bootstrap";
import { BLOCKED_MIN_ROWS, replicateAucBlocked } from "./blocked-bootstrap";
import { ResampleCounter } from "./resample";
import { createRng } from "./rng";
import { commonLength, type NumericArray } from "./types";

/** One model's rows in score order. */
interface SortedModel {
  /** Labels (0/1) in this model's score order. */
  labels: Uint8Array;
  /** 1 where the row is the last of its tie block; null when scores have no ties. */
  groupEnds: Uint8Array | null;
  /**
   * Sort position → counts index, with the label in the sign bit; null when
   * the positions *are* the counts indices (single-model bootstrap).
   */
  packed: Int32Array | null;
}

/** Rows per block of the shared counts layout (16 KiB of counts: fits L1). */
const BLOCK = 1 << 14;

/**
 * Choose where each row's count lives so that every model's pass reads the
 * counts array with good locality:
 *  - one model: position = its sort position (a purely sequential pass);
 *  - several: rows are grouped into blocks of the first model's sort order,
 *    and inside a block ordered by the second model's sort position. The
 *    first model then reads within one L1-sized block at a time, and the
 *    second model reads each block front to back (n / BLOCK sequential
 *    streams) instead of jumping across the whole array per row.
 */
function countPositions(orders: readonly Uint32Array[]): Uint32Array {
  const first = orders[0]!;
  const n = first.length;
  const position = new Uint32Array(n);
  if (orders.length === 1) {
    for (let k = 0; k < n; k++) position[first[k]!] = k;
    return position;
  }
  const block = new Uint32Array(n); // row → block of the first model's order
  for (let k = 0; k < n; k++) block[first[k]!] = Math.floor(k / BLOCK);
  const filled = new Uint32Array(Math.ceil(n / BLOCK));
  const second = orders[1]!;
  for (let k = 0; k < n; k++) {
    const row = second[k]!;
    const b = block[row]!;
    position[row] = b * BLOCK + filled[b]!++;
  }
  return position;
}

/** Precompute each model's sorted labels against the shared count positions. */
function prepare(labels: NumericArray, ranks: readonly Ranking[], position: Uint32Array): SortedModel[] {
  return ranks.map(({ order, lessEq }) => {
    const n = order.length;
    const sorted = new Uint8Array(n);
    const groupEnds = new Uint8Array(n);
    const packed = new Int32Array(n);
    let ties = false;
    let identity = true;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      sorted[k] = labels[i] === 1 ? 1 : 0;
      groupEnds[k] = lessEq[i] === k + 1 ? 1 : 0;
      if (groupEnds[k] === 0) ties = true;
      packed[k] = position[i]! | (sorted[k]! << 31);
      if (position[i] !== k) identity = false;
    }
    return { labels: sorted, groupEnds: ties ? groupEnds : null, packed: identity ? null : packed };
  });
}

/** Weighted AUC of one model for the resample described by `counts`. */
function weightedAuc(model: SortedModel, counts: Uint8Array): number {
  if (model.groupEnds !== null) return tiedPass(model, counts);
  return model.packed === null ? sequentialPass(model.labels, counts) : packedPass(model.packed, counts);
}

/**
 * Rows per chunk in the tie-free passes. Inside a chunk everything is int32
 * arithmetic (≈30% faster than doubles in V8), flushed to doubles after each
 * chunk. With counts ≤ 255, a chunk's negative weight is ≤ 128·255 and its
 * cross term ≤ 128·255·(128·255) ≈ 1.07e9 < 2^31, so `| 0` never wraps.
 */
const CHUNK = 128;

/** No ties: numerator = Σ_k w_k·y_k · (negative weight before k). */
function sequentialPass(y: Uint8Array, counts: Uint8Array): number {
  const n = y.length;
  let negBelow = 0,
    numerator = -0,
    positives = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    let neg = 0,
      pos = 0,
      cross = 0;
    for (let k = start; k < end; k++) {
      const w = counts[k]!;
      const wPos = w & -y[k]!; // w if positive, else 0
      cross = (cross + wPos * neg) | 0;
      neg = (neg + w - wPos) | 0;
      pos = (pos + wPos) | 0;
    }
    numerator += pos * negBelow + cross;
    negBelow += neg;
    positives += pos;
  }
  return finish(numerator, positives, negBelow);
}

/** Same pass for a model whose rows reach the counts through `packed`. */
function packedPass(packed: Int32Array, counts: Uint8Array): number {
  const n = packed.length;
  let negBelow = 0,
    numerator = -0,
    positives = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    let neg = 0,
      pos = 0,
      cross = 0;
    for (let k = start; k < end; k++) {
      const p = packed[k]!;
      const w = counts[p & 0x7fffffff]!;
      const wPos = w & (p >> 31); // sign bit set ⇔ positive
      cross = (cross + wPos * neg) | 0;
      neg = (neg + w - wPos) | 0;
      pos = (pos + wPos) | 0;
    }
    numerator += pos * negBelow + cross;
    negBelow += neg;
    positives += pos;
  }
  return finish(numerator, positives, negBelow);
}

/** With ties: a tie block's positives beat the negatives below it and half of those inside it. */
function tiedPass(model: SortedModel, counts: Uint8Array): number {
  const { labels: y, packed } = model;
  const ends = model.groupEnds!;
  // −0 starts make V8 keep these as unboxed doubles from the first iteration.
  let negBelow = -0,
    posGroup = -0,
    negGroup = -0,
    numerator = -0,
    positives = -0;
  for (let k = 0; k < y.length; k++) {
    const w = packed === null ? counts[k]! : counts[packed[k]! & 0x7fffffff]!;
    const wPos = w * y[k]!; // doubles: tie blocks can be long, int32 could overflow
    posGroup += wPos;
    negGroup += w - wPos;
    if (ends[k] === 1) {
      numerator += posGroup * (negBelow + 0.5 * negGroup);
      negBelow += negGroup;
      positives += posGroup;
      posGroup = 0;
      negGroup = 0;
    }
  }
  return finish(numerator, positives, negBelow);
}

function finish(numerator: number, positives: number, negatives: number): number {
  return positives === 0 || negatives === 0 ? Number.NaN : numerator / (positives * negatives);
}

/**
 * Weighted AUCs for resamples given as counts. `position[i]` is the index of
 * row i's multiplicity in the counts array (rows are laid out for locality,
 * see countPositions); `aucs` writes each model's AUC for those counts.
 */
export interface AucResampler {
  position: Uint32Array;
  aucs(counts: Uint8Array, out: Float64Array): void;
}

/** Sort once per model (or reuse `rankings[m]` = rankScores(models[m])). */
export function aucResampler(
  labels: NumericArray,
  models: readonly NumericArray[],
  rankings?: readonly Ranking[],
): AucResampler {
  commonLength("aucResampler", labels, ...models);
  classCounts(labels); // validates 0/1 labels
  const ranks = models.map((scores, m) => rankings?.[m] ?? rankScores(scores));
  const position = countPositions(ranks.map((r) => r.order));
  const prepared = prepare(labels, ranks, position);
  return {
    position,
    aucs(counts, out) {
      for (let m = 0; m < prepared.length; m++) out[m] = weightedAuc(prepared[m]!, counts);
    },
  };
}

/**
 * Replicates of ROC AUC for each model on shared resamples:
 * result[m][r] = AUC of model m on resample r.
 */
export function replicateAuc(
  labels: NumericArray,
  models: readonly NumericArray[],
  opts: ResolvedOptions,
  rankings?: readonly Ranking[],
): Replicates {
  if (models.length === 1 && labels.length >= BLOCKED_MIN_ROWS) {
    // One model, many rows: score blocks × class cells (blocked-bootstrap.ts) instead of O(n) passes.
    commonLength("replicateAuc", labels, models[0]!);
    classCounts(labels);
    return [replicateAucBlocked(labels, rankings?.[0] ?? rankScores(models[0]!), opts)];
  }
  const resampler = aucResampler(labels, models, rankings);
  const counter = new ResampleCounter(labels.length, createRng(opts.seed));
  const counts = new Uint8Array(labels.length);
  const out = new Float64Array(models.length);
  const reps = models.map(() => new Float64Array(opts.resamples));
  for (let r = 0; r < opts.resamples; r++) {
    counter.draw(counts);
    resampler.aucs(counts, out);
    for (let m = 0; m < models.length; m++) reps[m]![r] = out[m]!;
  }
  return reps;
}

/** Seeded percentile bootstrap interval for one model's ROC AUC. */
export function bootstrapAuc(
  labels: NumericArray,
  scores: NumericArray,
  options?: BootstrapOptions,
): BootstrapInterval {
  const opts = resolveOptions(options);
  const reps = replicateAuc(labels, [scores], opts);
  return intervalsFrom([rocAuc(labels, scores)], reps, opts)[0]!;
}
