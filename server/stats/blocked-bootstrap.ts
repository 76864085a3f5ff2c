/**
 * Bootstrap over sorted blocks, for large n: O(blocks) per resample instead of O(n).
 *
 * Rows are sorted (by score for AUC, by the first column for means) and cut into about BLOCKS
 * contiguous blocks. A bootstrap resample draws n rows uniformly with replacement, so the number of
 * draws falling in each block (for AUC: each block × class cell) is *exactly*
 * Multinomial(n, cell sizes / n) — the same count-based sampling as accuracy and F1 use. What a cell's
 * draws contribute given its count is then summarised:
 *
 *  - means (log loss, Brier, RMSE, MAE, R² columns): the sum of M draws from a block is
 *    M·μ_b + √M·L_b·z, z standard normal, L_b the Cholesky factor of the block's covariance. Mean and
 *    covariance of every replicate equal the exact bootstrap's (law of total variance); only higher
 *    moments inside a block are approximated, and sorted blocks are narrow, so that is tiny.
 *  - ROC AUC: pairs in different blocks are ordered by the blocks themselves (a block never splits a
 *    tie group), so they are counted exactly from the cells' draws. Pairs inside one block count their
 *    conditional expectation, P_b·N_b·auc_b; its omitted spread is below 1/BLOCKS of the statistic's
 *    and negligible against the interval width. When scores have at most BLOCKS distinct values every
 *    block is one tie group (auc_b = ½) and the result is the exact bootstrap.
 *
 * Below BLOCKED_MIN_ROWS the exact O(n) paths are used, so small reports and the SciPy fixtures are
 * untouched; above it the two agree within Monte-Carlo error (see blocked-bootstrap.test.ts).
 */
import { sampleMultinomial } from "./binomial-sampler";
import type { Ranking } from "./auc";
import { argsort } from "./argsort";
import type { ResolvedOptions, Replicates } from "./bootstrap";
import { createRng, type Rng } from "./rng";

/** Rows from which the blocked paths take over (a resample then costs ~1% of an O(n) pass). */
export const BLOCKED_MIN_ROWS = 100_000;
/** Target number of blocks: multinomial cost per resample vs. within-block approximation. */
export const BLOCKS = 1024;

/** Standard normals by Box–Muller, both values of each pair used; seeded, so reproducible. */
class Gaussian {
  private spare = Number.NaN;
  constructor(private readonly rng: Rng) {}
  next(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.rng.nextDouble()));
    const angle = 2 * Math.PI * this.rng.nextDouble();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

/** Lower-triangular Cholesky of a k×k covariance (row-major), tolerating singular (e.g. constant) blocks. */
function cholesky(cov: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = cov[i * k + j]!;
      for (let m = 0; m < j; m++) s -= l[i * k + m]! * l[j * k + m]!;
      if (i === j) l[i * k + i] = s > 0 ? Math.sqrt(s) : 0;
      else l[i * k + j] = l[j * k + j]! > 0 ? s / l[j * k + j]! : 0;
    }
  }
  return l;
}

/**
 * Replicates of transform(mean of column c) for each column, all on the same resamples, by sorted
 * blocks. Same contract as replicateMeans (bootstrap.ts).
 */
export function replicateMeansBlocked(
  columns: readonly Float64Array[],
  opts: ResolvedOptions,
  transform: (mean: number) => number = (m) => m,
  blocks = BLOCKS,
): Replicates {
  const k = columns.length;
  const n = columns[0]!.length;
  const order = argsort(columns[0]!);
  const size = Math.ceil(n / Math.min(blocks, n));
  const count = Math.ceil(n / size);
  const mean = new Float64Array(count * k);
  const chol: Float64Array[] = [];
  const probs = new Float64Array(count);
  const cov = new Float64Array(k * k);
  for (let b = 0; b < count; b++) {
    const from = b * size,
      to = Math.min(n, from + size),
      m = to - from;
    probs[b] = m / n;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = from; j < to; j++) s += columns[c]![order[j]!]!;
      mean[b * k + c] = s / m;
    }
    cov.fill(0);
    for (let j = from; j < to; j++) {
      const row = order[j]!;
      for (let c = 0; c < k; c++) {
        const dc = columns[c]![row]! - mean[b * k + c]!;
        for (let d = 0; d <= c; d++) cov[c * k + d] = cov[c * k + d]! + dc * (columns[d]![row]! - mean[b * k + d]!);
      }
    }
    for (let c = 0; c < k; c++) for (let d = 0; d <= c; d++) cov[c * k + d] = cov[c * k + d]! / m;
    chol.push(cholesky(cov, k));
  }
  const rng = createRng(opts.seed);
  const gaussian = new Gaussian(rng);
  const draws = new Float64Array(count);
  const z = new Float64Array(k);
  const sums = new Float64Array(k);
  const reps = columns.map(() => new Float64Array(opts.resamples));
  for (let r = 0; r < opts.resamples; r++) {
    sampleMultinomial(rng, n, probs, draws);
    sums.fill(0);
    for (let b = 0; b < count; b++) {
      const m = draws[b]!;
      if (m === 0) continue;
      const l = chol[b]!,
        root = Math.sqrt(m);
      for (let c = 0; c < k; c++) z[c] = gaussian.next();
      for (let c = 0; c < k; c++) {
        let noise = 0;
        for (let d = 0; d <= c; d++) noise += l[c * k + d]! * z[d]!;
        sums[c] = sums[c]! + m * mean[b * k + c]! + root * noise;
      }
    }
    for (let c = 0; c < k; c++) reps[c]![r] = transform(sums[c]! / n);
  }
  return reps;
}

/**
 * Replicates of one model's ROC AUC by sorted score blocks × class cells. `ranking` is
 * rankScores(scores); labels are 0/1 (already validated by the caller).
 */
export function replicateAucBlocked(
  labels: ArrayLike<number>,
  ranking: Ranking,
  opts: ResolvedOptions,
  blocks = BLOCKS,
): Float64Array {
  const { order, lessEq } = ranking;
  const n = order.length;
  const target = Math.ceil(n / Math.min(blocks, n));
  // Cells 2b (negatives) and 2b+1 (positives) of block b; `within[b]` = the block's own pair share.
  const cellSizes: number[] = [];
  const within: number[] = [];
  let start = 0;
  while (start < n) {
    // Extend to at least `target` rows, then to the end of the tie group there.
    let end = Math.min(n, start + target);
    end = lessEq[order[end - 1]!]!;
    let pos = 0,
      neg = 0,
      wins = 0,
      negBelow = 0;
    for (let k = start; k < end;) {
      const groupEnd = lessEq[order[k]!]!;
      let gp = 0,
        gn = 0;
      for (; k < groupEnd; k++)
        if (labels[order[k]!] === 1) gp++;
        else gn++;
      wins += gp * (negBelow + 0.5 * gn);
      negBelow += gn;
      pos += gp;
      neg += gn;
    }
    cellSizes.push(neg, pos);
    within.push(pos > 0 && neg > 0 ? wins / (pos * neg) : 0);
    start = end;
  }
  const count = within.length;
  const probs = cellSizes.map((c) => c / n);
  const rng = createRng(opts.seed);
  const draws = new Float64Array(2 * count);
  const reps = new Float64Array(opts.resamples);
  for (let r = 0; r < opts.resamples; r++) {
    sampleMultinomial(rng, n, probs, draws);
    let numerator = 0,
      negBelow = 0,
      positives = 0;
    for (let b = 0; b < count; b++) {
      const neg = draws[2 * b]!,
        pos = draws[2 * b + 1]!;
      numerator += pos * (negBelow + within[b]! * neg);
      negBelow += neg;
      positives += pos;
    }
    reps[r] = positives === 0 || negBelow === 0 ? Number.NaN : numerator / (positives * negBelow);
  }
  return reps;
}
