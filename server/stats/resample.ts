/**
 * Draw bootstrap resamples as multiplicity counts.
 *
 * Drawing n rows uniformly with replacement is equivalent to drawing the
 * count vector w ~ Multinomial(n, (1/n, …, 1/n)). Every bootstrap path
 * consumes counts: no per-resample index array is allocated and passes over
 * the data become sequential.
 *
 * Generating w by n random increments costs a cache miss per draw. Instead:
 *  1. draw iid Poisson(1) counts by table lookup, written sequentially:
 *     16 random bits pick a *pair* of independent Poisson(1) values from a
 *     65,536-bucket inversion table of the joint distribution, so one 32-bit
 *     word yields four rows. Given their sum S, iid Poisson counts are
 *     exactly Multinomial(S, uniform) — i.e. S iid uniform draws;
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
/** Bucket marker: the bucket straddles a CDF step, so more random bits are needed. */
const REFINE = 0xffff;

interface PairTable {
  /** Cumulative probability of each (a, b) cell of two iid Poisson(1); the last is 1. */
  cum: Float64Array;
  /** Cell → a | b << 8. */
  cellPair: Uint16Array;
  /** 16-bit bucket of U → a | b << 8, or REFINE. */
  bucket: Uint16Array;
  /** Largest single value the table can produce. */
  maxValue: number;
}

let table: PairTable | null = null;

/** Inversion table for (Poisson(1), Poisson(1)) from jstat's pmf, built once per process. */
function pairTable(): PairTable {
  if (table) return table;
  const pmf: number[] = [];
  for (let k = 0; k === 0 || pmf[k - 1]! > 1e-20; k++) pmf.push(jStat.poisson.pdf(k, 1));
  const maxValue = pmf.length - 1;
  const cells = pmf.length * pmf.length;
  const cum = new Float64Array(cells);
  const cellPair = new Uint16Array(cells);
  let acc = 0;
  for (let a = 0, c = 0; a <= maxValue; a++) {
    for (let b = 0; b <= maxValue; b++, c++) {
      acc += pmf[a]! * pmf[b]!;
      cum[c] = Math.min(1, acc);
      cellPair[c] = a | (b << 8);
    }
  }
  cum[cells - 1] = 1; // the missing mass (< 1e-19) goes to the last cell
  const bucket = new Uint16Array(65536);
  let c = 0;
  for (let b = 0; b < 65536; b++) {
    while (cum[c]! <= b / 65536) c++; // X(U) = min{c : U < cum[c]} at the bucket's low end
    bucket[b] = cum[c]! >= (b + 1) / 65536 ? cellPair[c]! : REFINE;
  }
  table = { cum, cellPair, bucket, maxValue };
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
    this.maxCount = pairTable().maxValue + 1;
  }

  /** Overwrite `counts` (length n) with a fresh resample's multiplicities. */
  draw(counts: ResampleCounts): void {
    if (counts.length !== this.n) throw new RangeError(`counts must have length ${this.n}`);
    const total = this.drawPoisson(counts);
    this.adjustTotal(counts, total);
  }

  /** Step 1: iid Poisson(1) into counts, four rows per 32-bit word; returns the sum. */
  private drawPoisson(counts: ResampleCounts): number {
    const { bucket } = pairTable();
    const words = this.words;
    const n = this.n;
    let sum = 0;
    for (let start = 0; start < n; start += 4 * WORDS) {
      this.rng.fillUint32(words);
      const rows = Math.min(n - start, 4 * WORDS);
      const quads = rows >>> 2;
      for (let j = 0; j < quads; j++) {
        const w = words[j]!;
        let p = bucket[w & 0xffff]!;
        let q = bucket[w >>> 16]!;
        if (p === REFINE) p = this.refine(w & 0xffff);
        if (q === REFINE) q = this.refine(w >>> 16);
        const at = start + 4 * j;
        counts[at] = p & 0xff;
        counts[at + 1] = p >>> 8;
        counts[at + 2] = q & 0xff;
        counts[at + 3] = q >>> 8;
        sum += (p & 0xff) + (p >>> 8) + (q & 0xff) + (q >>> 8);
      }
      const rest = rows & 3;
      if (rest > 0) {
        // Last 1–3 rows: one more word; surplus values are simply not used.
        const w = words[quads]!;
        const p = bucket[w & 0xffff] === REFINE ? this.refine(w & 0xffff) : bucket[w & 0xffff]!;
        const q = bucket[w >>> 16] === REFINE ? this.refine(w >>> 16) : bucket[w >>> 16]!;
        const values = [p & 0xff, p >>> 8, q & 0xff];
        for (let r = 0; r < rest; r++) {
          counts[start + 4 * quads + r] = values[r]!;
          sum += values[r]!;
        }
      }
    }
    return sum;
  }

  /** Rare (< 0.6%): U's top 16 bits sit on a CDF step, so draw 53 more bits and search. */
  private refine(top: number): number {
    const { cum, cellPair } = pairTable();
    const u = (top + this.rng.nextDouble()) / 65536;
    let lo = 0,
      hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < cum[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return cellPair[lo]!;
  }

  /** Step 2: add or delete uniformly random draws until exactly n remain. */
  private adjustTotal(counts: ResampleCounts, total: number): void {
    const n = this.n,
      rng = this.rng;
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
