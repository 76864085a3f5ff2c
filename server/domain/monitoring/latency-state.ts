/**
 * Latency percentiles that merge: the count of each distinct stored latency value, from which p50 and
 * p95 are exactly what `percentile_cont` over the rows gives. Latencies are few distinct values in
 * practice (milliseconds as a serving system measures them); past `EXACT_VALUES` distinct values the
 * counts fold into a log-bucketed sketch (DDSketch's mapping: every value within `RELATIVE_ACCURACY` of
 * its bucket's representative), so the state stays small whatever the traffic, at that accuracy.
 */
export const EXACT_VALUES = 4_096;
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

export interface LatencyState {
  measured: number;
  /** Stored value (as text) → rows; null once folded into `buckets`. */
  values: Record<string, number> | null;
  /** How many keys `values` has. */
  distinct: number;
  /** Bucket index (⌈log_γ v⌉, or "zero" for 0) → rows; null while `values` is exact. */
  buckets: Record<string, number> | null;
}

export const newLatency = (): LatencyState => ({ measured: 0, values: {}, distinct: 0, buckets: null });

const bucketKey = (v: number) => (v <= 0 ? "zero" : String(Math.ceil(Math.log(v) / LOG_GAMMA)));
const bucketValue = (key: string) => (key === "zero" ? 0 : (2 * GAMMA ** Number(key)) / (GAMMA + 1));

function fold(values: Record<string, number>, into: Record<string, number> = {}) {
  for (const [v, n] of Object.entries(values)) {
    const k = bucketKey(Number(v));
    into[k] = (into[k] ?? 0) + n;
  }
  return into;
}

export function addLatency(s: LatencyState, v: number) {
  s.measured++;
  if (s.values) {
    const k = String(v);
    const n = s.values[k];
    s.values[k] = (n ?? 0) + 1;
    if (n === undefined && ++s.distinct > EXACT_VALUES) {
      s.buckets = fold(s.values);
      s.values = null;
      s.distinct = 0;
    }
  } else {
    const k = bucketKey(v);
    s.buckets![k] = (s.buckets![k] ?? 0) + 1;
  }
}

export function mergeLatency(a: LatencyState, b: LatencyState): LatencyState {
  const measured = a.measured + b.measured;
  if (a.values && b.values) {
    const values = { ...a.values };
    let distinct = a.distinct;
    for (const [v, n] of Object.entries(b.values)) {
      if (values[v] === undefined) distinct++;
      values[v] = (values[v] ?? 0) + n;
    }
    if (distinct <= EXACT_VALUES) return { measured, values, distinct, buckets: null };
    return { measured, values: null, distinct: 0, buckets: fold(values) };
  }
  const buckets = { ...(a.buckets ?? fold(a.values!)) };
  if (b.buckets) for (const [k, n] of Object.entries(b.buckets)) buckets[k] = (buckets[k] ?? 0) + n;
  else fold(b.values!, buckets);
  return { measured, values: null, distinct: 0, buckets };
}

/** percentile_cont(p): linear interpolation between the values at ranks ⌊p(n−1)⌋ and ⌈p(n−1)⌉. */
export function latencyPercentile(s: LatencyState, p: number): number | null {
  if (s.measured === 0) return null;
  const sorted = s.values
    ? Object.entries(s.values).map(([v, n]) => [Number(v), n] as const)
    : Object.entries(s.buckets!).map(([k, n]) => [bucketValue(k), n] as const);
  sorted.sort((x, y) => x[0] - y[0]);
  const at = (rank: number) => {
    let seen = 0;
    for (const [v, n] of sorted) {
      seen += n;
      if (rank < seen) return v;
    }
    return sorted.at(-1)![0];
  };
  const pos = p * (s.measured - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const first = at(lo);
  if (lo === hi) return first;
  const second = at(hi);
  return first + (second - first) * (pos - lo);
}
