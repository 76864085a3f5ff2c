/**
 * Share vectors for Jensen–Shannon and PSI, as Evidently builds them:
 * numerical columns with more than 20 unique reference values are binned on
 * `numpy.histogram_bin_edges(reference ∪ current, bins="sturges")`; anything
 * else is counted per category over the union of both samples' categories.
 */

/** Above this many unique reference values a numerical column is binned rather than counted per value. */
export const BINNING_MIN_UNIQUE = 20;

/** `numpy.histogram_bin_edges(values, bins="sturges")` for `size` values spanning [min, max]. */
export function sturgesEdges(min: number, max: number, size: number): Float64Array {
  let first = min,
    last = max;
  const ptp = max - min;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  // Values are doubles here. (NumPy widens the width to 1 for integer arrays, so a pandas int column
  // spanning fewer than log2(n) + 1 units would get fewer, wider bins there.)
  const width = ptp / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  // numpy.linspace: i·step + start, the last edge set to stop exactly.
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i <= bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/**
 * `numpy.histogram(values, edges)[0]`: bins [e_i, e_{i+1}), the last one closed.
 * The bin is guessed arithmetically and then corrected against the actual
 * edges, so the counts equal NumPy's binary-search ones exactly.
 */
export function histogramCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const first = edges[0]!,
    last = edges[bins]!;
  const scale = bins / (last - first);
  const counts = new Float64Array(bins);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!(v >= first && v <= last)) continue;
    let i = Math.floor((v - first) * scale);
    if (i >= bins) i = bins - 1;
    if (i < 0) i = 0;
    while (i > 0 && v < edges[i]!) i--;
    while (i < bins - 1 && v >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}

/** Counts divided by the sample size. */
export function toShares(counts: ArrayLike<number>, total: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / total;
  return out;
}

/** x·ln(x/y) with SciPy's `rel_entr` conventions. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

/** `scipy.spatial.distance.jensenshannon(p, q)` (natural log): both vectors renormalized first. */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new RangeError("jensenShannonDistance: vectors differ in length");
  let sp = 0,
    sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  let left = 0,
    right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp,
      qi = q[i]! / sq,
      m = (pi + qi) / 2;
    left += relEntr(pi, m);
    right += relEntr(qi, m);
  }
  return Math.sqrt((left + right) / 2);
}

/** Share an empty bin counts as in PSI, so the logarithm stays finite. */
export const PSI_EMPTY_SHARE = 0.0001;

/** Population Stability Index Σ (r − c)·ln(r / c), empty bins counted as 0.0001. */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) throw new RangeError("populationStabilityIndex: vectors differ in length");
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]! === 0 ? PSI_EMPTY_SHARE : reference[i]!;
    const c = current[i]! === 0 ? PSI_EMPTY_SHARE : current[i]!;
    psi += (r - c) * Math.log(r / c);
  }
  return psi;
}
