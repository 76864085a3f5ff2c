/**
 * Cohen's kappa for two raters who labeled the same items, with its large-sample standard error.
 *
 *     κ = (p_o − p_e) / (1 − p_e),  p_o = Σ_i p_ii,  p_e = Σ_i p_i.·p_.i
 *
 * (Cohen, 1960). The standard error is the asymptotic one of Fleiss, Cohen & Everitt (1969), the
 * `std_kappa` of statsmodels' `cohens_kappa` (statsmodels.stats.inter_rater):
 *
 *     A = Σ_i p_ii·(1 − (p_i. + p_.i)(1 − κ))²
 *     B = (1 − κ)² · Σ_{i≠j} p_ij·(p_.i + p_j.)²
 *     C = (κ − p_e(1 − κ))²
 *     Var(κ) = (A + B − C) / ((1 − p_e)²·n)
 *
 * and the interval is κ ± z·SE like statsmodels' `kappa_low`/`kappa_upp`, clamped to [−1, 1]. Kappa is
 * undefined when p_e = 1 (both raters used one and the same class for every item): then `kappa` is null
 * with the reason, rather than a number nobody can interpret.
 */
import { normalQuantile } from "../distributions";

export interface CohenKappa {
  n: number;
  /** Categories in the order of the contingency table (first appearance). */
  categories: string[];
  /** table[i][j]: items rater A put in category i and rater B in category j. */
  table: number[][];
  observedAgreement: number;
  expectedAgreement: number;
  kappa: number | null;
  standardError: number | null;
  interval: [number, number] | null;
  /** Why kappa is null, when it is. */
  undefinedReason?: string;
}

/** Kappa for pairs of labels (rater A's, rater B's) given to the same items. */
export function cohensKappa(pairs: Iterable<readonly [string, string]>, alpha = 0.05): CohenKappa {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const index = new Map<string, number>();
  const cells: [number, number][] = [];
  const at = (label: string) => {
    let i = index.get(label);
    if (i === undefined) index.set(label, (i = index.size));
    return i;
  };
  for (const [a, b] of pairs) cells.push([at(a), at(b)]);
  const k = index.size;
  const n = cells.length;
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [i, j] of cells) table[i]![j]!++;
  const categories = [...index.keys()];
  if (n === 0) {
    return {
      n,
      categories,
      table,
      observedAgreement: Number.NaN,
      expectedAgreement: Number.NaN,
      kappa: null,
      standardError: null,
      interval: null,
      undefinedReason: "no items were labeled by both raters",
    };
  }
  const p = table.map((row) => row.map((c) => c / n));
  const rowShare = p.map((row) => row.reduce((s, x) => s + x, 0));
  const colShare = categories.map((_, j) => p.reduce((s, row) => s + row[j]!, 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += p[i]![i]!;
    pe += rowShare[i]! * colShare[i]!;
  }
  const base = { n, categories, table, observedAgreement: po, expectedAgreement: pe };
  // p_e is a sum of products of shares: exactly 1 only when one category has every rating of both raters.
  if (pe >= 1 - 1e-12) {
    return {
      ...base,
      kappa: null,
      standardError: null,
      interval: null,
      undefinedReason: "both raters gave every item the same single class, so chance agreement is 1",
    };
  }
  const kappa = (po - pe) / (1 - pe);
  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    a += p[i]![i]! * (1 - (rowShare[i]! + colShare[i]!) * (1 - kappa)) ** 2;
    for (let j = 0; j < k; j++) if (i !== j) b += p[i]![j]! * (colShare[i]! + rowShare[j]!) ** 2;
  }
  b *= (1 - kappa) ** 2;
  const c = (kappa - pe * (1 - kappa)) ** 2;
  // A + B − C is ≥ 0 in exact arithmetic; rounding can leave −1e-17 at perfect agreement.
  const variance = Math.max(0, (a + b - c) / ((1 - pe) ** 2 * n));
  const se = Math.sqrt(variance);
  const z = normalQuantile(1 - alpha / 2);
  return {
    ...base,
    kappa,
    standardError: se,
    interval: [Math.max(-1, kappa - z * se), Math.min(1, kappa + z * se)],
  };
}
