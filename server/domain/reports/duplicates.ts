import { argsort } from "@/server/stats/argsort";

/**
 * Duplicate ids among up to millions of outcomes without a Set of a million strings: each id gets a
 * 52-bit hash (two 32-bit FNV-style hashes combined, exact in a double), the hashes are radix-sorted
 * once, and only rows whose hashes collide are compared as strings. About 12 bytes a row instead of
 * the ~80 a Set entry with its string costs.
 */
export function idHash(id: string): number {
  let a = 0x811c9dc5,
    b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final avalanche so short ids that differ in the last character spread over all bits.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b ^= b >>> 16;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  return (a >>> 0) * 1048576 + (b >>> 12);
}

export interface Repeat {
  id: string;
  /** 0-based row of the repetition. */
  row: number;
  /** 0-based row where the id first appeared. */
  firstRow: number;
}

/**
 * The earliest repeated id (the repetition with the smallest row), or null when all ids are distinct.
 * `idAt(row)` gives the id of a row; it is only called for rows whose hashes collide.
 */
export function firstRepeat(hashes: Float64Array, idAt: (row: number) => string): Repeat | null {
  const order = argsort(hashes); // stable: rows with equal hashes stay in row order
  let best: Repeat | null = null;
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    const h = hashes[order[start]!]!;
    while (end < order.length && hashes[order[end]!] === h) end++;
    if (end - start > 1) {
      const firstSeen = new Map<string, number>();
      for (let k = start; k < end; k++) {
        const row = order[k]!;
        const id = idAt(row);
        const first = firstSeen.get(id);
        if (first === undefined) firstSeen.set(id, row);
        else if (!best || row < best.row) best = { id, row, firstRow: first };
      }
    }
    start = end;
  }
  return best;
}
