/**
 * Shared array types. Metrics accept any numeric array-like so callers can
 * pass plain arrays in tests, but the hot paths are written for (and fed)
 * Uint8Array labels and Float64Array scores to keep V8's element access
 * monomorphic.
 */

/** Any indexable numeric column: number[], Uint8Array, Float64Array, … */
export type NumericArray = ArrayLike<number>;

/** Binary labels (0/1), typically a Uint8Array or Float64Array. */
export type BinaryLabels = Uint8Array | Float64Array | Int32Array | ArrayLike<number>;

/** Throws unless all arrays have the same, non-zero length; returns it. */
export function commonLength(name: string, ...arrays: NumericArray[]): number {
  const n = arrays[0]?.length ?? 0;
  for (const a of arrays) {
    if (a.length !== n) throw new RangeError(`${name}: arrays have different lengths (${n} vs ${a.length})`);
  }
  if (n === 0) throw new RangeError(`${name}: arrays are empty`);
  return n;
}
