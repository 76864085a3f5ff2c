/**
 * Fleiss' kappa for items each labeled by the same number m ≥ 2 of raters (not necessarily the same
 * people), with a seeded percentile-bootstrap interval over items.
 *
 * With n_ij the number of raters who put item i in category j (N items, m raters each):
 *
 *     P_i = (Σ_j n_ij² − m) / (m(m − 1))          agreement on item i
 *     p_j = Σ_i n_ij / (N·m)                       share of category j
 *     P̄ = mean_i P_i,  P̄_e = Σ_j p_j²
 *     κ = (P̄ − P̄_e) / (1 − P̄_e)
 *
 * (Fleiss, 1971; statsmodels' `fleiss_kappa(table, method="fleiss")`). The large-sample variance Fleiss,
 * Nee & Landis (1979) give holds only under κ = 0 — fine for a test, wrong for an interval around an
 * observed agreement — so the interval resamples items with replacement (the unit that was sampled),
 * seeded so the same labels always give the same interval, like every bootstrap interval in Ratchet.
 * Resamples in which chance agreement is 1 (every sampled rating the same class) leave κ undefined and
 * are dropped and counted.
 */
import { bootstrapIndices, type BootstrapOptions } from "../bootstrap";

export interface FleissKappa {
  items: number;
  ratersPerItem: number;
  categories: string[];
  observedAgreement: number;
  expectedAgreement: number;
  kappa: number | null;
  /** Percentile bootstrap interval over items; null when kappa is undefined or there are too few items. */
  interval: [number, number] | null;
  resamples: number;
  /** Resamples where kappa was undefined and was left out. */
  droppedResamples: number;
  undefinedReason?: string;
}

function kappaOf(counts: Int32Array, k: number, m: number, rows: ArrayLike<number>): number {
  const N = rows.length;
  const totals = new Float64Array(k);
  let agreement = 0;
  for (let r = 0; r < N; r++) {
    const base = rows[r]! * k;
    let sq = 0;
    for (let j = 0; j < k; j++) {
      const c = counts[base + j]!;
      sq += c * c;
      totals[j]! += c;
    }
    agreement += (sq - m) / (m * (m - 1));
  }
  const pBar = agreement / N;
  let pe = 0;
  for (let j = 0; j < k; j++) pe += (totals[j]! / (N * m)) ** 2;
  return pe >= 1 - 1e-12 ? Number.NaN : (pBar - pe) / (1 - pe);
}

/**
 * Kappa for `ratings`, one array of labels per item. Every item must have the same number of ratings
 * (at least 2); items rated by fewer people belong in a separate computation (or Cohen's kappa).
 */
export function fleissKappa(ratings: Iterable<readonly string[]>, options: BootstrapOptions = {}): FleissKappa {
  const index = new Map<string, number>();
  const itemLabels: number[][] = [];
  let m = -1;
  let item = 0;
  for (const labels of ratings) {
    if (m === -1) m = labels.length;
    if (labels.length !== m) {
      throw new RangeError(
        `item ${item}: has ${labels.length} ratings, the first item has ${m}; all need the same number`,
      );
    }
    itemLabels.push(
      labels.map((l) => {
        let i = index.get(l);
        if (i === undefined) index.set(l, (i = index.size));
        return i;
      }),
    );
    item++;
  }
  const N = itemLabels.length;
  const k = index.size;
  const categories = [...index.keys()];
  const empty = {
    items: N,
    ratersPerItem: Math.max(m, 0),
    categories,
    kappa: null,
    interval: null,
    resamples: 0,
    droppedResamples: 0,
  };
  if (N === 0) {
    return { ...empty, observedAgreement: Number.NaN, expectedAgreement: Number.NaN, undefinedReason: "no items" };
  }
  if (m < 2) throw new RangeError(`every item needs at least 2 ratings, got ${m}`);
  const counts = new Int32Array(N * k);
  itemLabels.forEach((labels, i) => labels.forEach((j) => counts[i * k + j]!++));
  let agreement = 0;
  const totals = new Float64Array(k);
  for (let i = 0; i < N; i++) {
    let sq = 0;
    for (let j = 0; j < k; j++) {
      sq += counts[i * k + j]! ** 2;
      totals[j]! += counts[i * k + j]!;
    }
    agreement += (sq - m) / (m * (m - 1));
  }
  const observedAgreement = agreement / N;
  const expectedAgreement = totals.reduce((s, t) => s + (t / (N * m)) ** 2, 0);
  if (expectedAgreement >= 1 - 1e-12) {
    return {
      ...empty,
      observedAgreement,
      expectedAgreement,
      undefinedReason: "every rating is the same single class, so chance agreement is 1",
    };
  }
  const kappa = (observedAgreement - expectedAgreement) / (1 - expectedAgreement);
  if (N < 2) return { ...empty, observedAgreement, expectedAgreement, kappa };
  const boot = bootstrapIndices(N, (rows) => kappaOf(counts, k, m, rows), options);
  const usable = boot.resamples - boot.dropped;
  return {
    ...empty,
    observedAgreement,
    expectedAgreement,
    kappa,
    interval: usable > 0 ? [boot.lo, boot.hi] : null,
    resamples: boot.resamples,
    droppedResamples: boot.dropped,
  };
}
