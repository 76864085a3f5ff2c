/**
 * Draw bootstrap resamples as multiplicity counts.
 *
 * Drawing n rows uniformly with replacement is equivalent to drawing the
 * count vector w ~ Multinomial(n, (1/n, …, 1/n)). Every bootstrap path
 * consumes counts: no per-resample index array is allocated and passes over
 * the data become sequential.
 *
 * Generating w by n random increments costs a cache miss per draw. Instead:
 *  1. draw iid Poisson(1) counts, one table lookup per row, written
 *     sequentially. Given their sum S, iid Poisson counts are exactly
 *     Multinomial(S, uniform) — i.e. S iid uniform draws;
 *  2. if S < n, add n − S further uniform draws; if S > n, delete S − n
 *     draws chosen uniformly at random among the S. Either way the result
 *     is n iid uniform draws: *exactly* the bootstrap distribution (this is
 *     not the approximate "Poisson bootstrap", whose size varies).
 * |S − n| is about √n, so step 2 is cheap.
 */
import jStat from "jstat";
import type { Rng } from "./rng";

/**
 * Counts fit a byte: a row needs ≥ 256 of n draws to overflow (probability
 * below 1e-500 at any n); the add step checks and throws rather than wrap.
 */
export type ResampleCounts = Uint8Array;

const WORDS = 4096;
const REFINE = 255;

interface PoissonTable {
  /** Poisson(1) CDF, ending at the first value where it rounds to 1. */
  cdf: Float64Array;
  /** value for each 16-bit bucket of U, or REFINE if the bucket straddles a CDF step. */
  bucket: Uint8Array;
}

let table: PoissonTable | null = null;

/** Inversion table for Poisson(1) built from jstat's pmf, once per process. */
function poissonTable(): PoissonTable {
  if (table) return table;
  const cdfValues: number[] = [];
  let acc = 0;
  for (let k = 0; acc < 1; k++) {
    acc = Math.min(1, acc + jStat.poisson.pdf(k, 1));
    cdfValues.push(k > 40 ? 1 : acc); // pmf underflows long before; guard the loop
  }
  const cdf = Float64Array.from(cdfValues);
  const bucket = new Uint8Array(65536);
  let k = 0;
  for (let b = 0; b < 65536; b++) {
    while (cdf[k]! <= b / 65536) k++; // X(U) = min{k : U < cdf[k]} at the bucket's low end
    bucket[b] = cdf[k]! >= (b + 1) / 65536 ? k : REFINE;
  }
  table = { cdf, bucket };
  return table;
}

export class ResampleCounter {
  readonly n: number;
  private readonly rng: Rng;
  private readonly words = new Uint32Array(WORDS);
  private readonly maxCount: number;

  constructor(n: number, rng: Rng) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`resample size must be a positive integer, got ${n}`);
    this.n = n;
    this.rng = rng;
    this.maxCount = poissonTable().cdf.length;
  }

  /** Overwrite `counts` (length n) with a fresh resample's multiplicities. */
  draw(counts: ResampleCounts): void {
    if (counts.length !== this.n) throw new RangeError(`counts must have length ${this.n}`);
    const total = this.drawPoisson(counts);
    this.adjustTotal(counts, total);
  }

  /** Step 1: iid Poisson(1) into counts, two rows per 32-bit word; returns the sum. */
  private drawPoisson(counts: ResampleCounts): number {
    const { bucket, cdf } = poissonTable();
    const words = this.words;
    const n = this.n;
    let sum = 0;
    for (let start = 0; start < n; start += 2 * WORDS) {
      this.rng.fillUint32(words);
      const rows = Math.min(n - start, 2 * WORDS);
      const pairs = rows >>> 1;
      for (let j = 0; j < pairs; j++) {
        const w = words[j]!;
        let a = bucket[w & 0xffff]!;
        let b = bucket[w >>> 16]!;
        if (((a | b) & 0x80) !== 0) {
          // REFINE is the only value with the high bit set.
          if (a === REFINE) a = this.refine(w & 0xffff, cdf);
          if (b === REFINE) b = this.refine(w >>> 16, cdf);
        }
        counts[start + 2 * j] = a;
        counts[start + 2 * j + 1] = b;
        sum += a + b;
      }
      if (rows & 1) {
        // Odd tail (only in the last chunk): one fresh word for one row.
        const top = words[pairs]! & 0xffff;
        let a = bucket[top]!;
        if (a === REFINE) a = this.refine(top, cdf);
        counts[start + rows - 1] = a;
        sum += a;
      }
    }
    return sum;
  }

  /** Rare (~2e-4): U's top 16 bits sit on a CDF step, so draw 53 more bits. */
  private refine(top: number, cdf: Float64Array): number {
    const u = (top + this.rng.nextDouble()) / 65536;
    let k = 0;
    while (k < cdf.length - 1 && u >= cdf[k]!) k++;
    return k;
  }

  /** Step 2: add or delete uniformly random draws until exactly n remain. */
  private adjustTotal(counts: ResampleCounts, total: number): void {
    const n = this.n, rng = this.rng;
    for (; total < n; total++) {
      const i = rng.nextBelow(n);
      if (counts[i] === 255) throw new Error("resample count overflow (probability < 1e-500)");
      counts[i]!++;
    }
    // Delete one uniformly chosen draw at a time: pick a row uniformly and
    // accept with probability counts[i] / maxCount, i.e. ∝ its draws.
    while (total > n) {
      const i = rng.nextBelow(n);
      if (rng.nextBelow(this.maxCount) < counts[i]!) {
        counts[i]!--;
        total--;
      }
    }
  }
}

/**
 * Expand counts into a sorted index array (row i repeated w_i times).
 * Sorted order keeps gathers cache-friendly; every metric in this engine is
 * invariant to row order, so this is the same resample as a shuffled one.
 */
export function countsToIndices(counts: ResampleCounts, idx: Uint32Array): void {
  let k = 0;
  for (let i = 0; i < counts.length; i++) {
    for (let c = counts[i]!; c > 0; c--) idx[k++] = i;
  }
}
