/**
 * Live accuracy from reviewed predictions that were sampled with unequal probabilities.
 *
 * The review queue over-samples hard items (low confidence) and adds a random share of all traffic, so a
 * plain share of correct labels is biased toward the hard items. Each reviewed item i carries the
 * probability π_i with which it was sampled; weighting it by w_i = 1/π_i (Horvitz & Thompson, 1952) gives
 * an unbiased estimate of the number of correct predictions, Σ w_i·y_i, and of the traffic size, Σ w_i.
 * Their ratio is the Hájek estimator of accuracy (Hájek, 1971; Särndal, Swensson & Wretman, *Model
 * Assisted Survey Sampling*, 1992, §5.7):
 *
 *     p̂ = Σ w_i·y_i / Σ w_i
 *
 * Its variance is estimated by Taylor linearization of the ratio, treating the sample as drawn with
 * replacement (Särndal et al. eq. 5.7.5 with the with-replacement simplification; what R's
 * `survey::svymean` reports for a design with weights only):
 *
 *     v̂(p̂) = n/(n−1) · Σ w_i²·(y_i − p̂)² / (Σ w_i)²
 *
 * A Wald interval p̂ ± z·√v̂ collapses to a point when every label agrees (p̂ = 0 or 1), which would claim
 * certainty from a handful of labels. The interval reported is therefore Wilson's score interval at the
 * design-adjusted effective sample size (Kish, *Survey Sampling*, 1965; the approach of Korn & Graubard,
 * 1998, with Wilson in place of Clopper–Pearson): n_eff = p̂(1−p̂)/v̂ when that is defined, otherwise
 * Kish's n_eff = (Σ w_i)² / Σ w_i². With equal weights n_eff = n − 1, i.e. almost the plain Wilson interval.
 * The Wald interval is returned too, for those who want to compare.
 */
import { normalQuantile } from "../distributions";
import { wilsonInterval } from "../proportions";

export interface WeightedOutcome {
  /** Whether the model's prediction matched the (adjudicated) label. */
  correct: boolean;
  /** Probability with which the item was sampled into the review queue, in (0, 1]. */
  inclusionProbability: number;
}

export interface WeightedAccuracy {
  /** Labeled items. */
  n: number;
  /** Hájek estimate of accuracy, Σ w·y / Σ w. */
  estimate: number;
  /** Horvitz–Thompson estimate of the number of correct predictions in the traffic, Σ w·y. */
  estimatedCorrect: number;
  /** Horvitz–Thompson estimate of the traffic the sample represents, Σ w. */
  estimatedTotal: number;
  /** Linearization standard error of the estimate (NaN with a single item). */
  standardError: number;
  /** Effective sample size the interval uses (see the module comment). */
  effectiveN: number;
  /** Wilson score interval at the effective sample size. */
  interval: [number, number];
  /** p̂ ± z·SE, clamped to [0, 1]; degenerate when all labels agree. */
  waldInterval: [number, number];
  alpha: number;
}

/**
 * Hájek accuracy with its linearization variance and a Wilson interval at the effective sample size.
 * Returns null when there is nothing to estimate from (no items): "not measured", never a made-up number.
 */
export function weightedAccuracy(items: Iterable<WeightedOutcome>, alpha = 0.05): WeightedAccuracy | null {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const weights: number[] = [];
  const hits: number[] = [];
  let index = 0;
  for (const item of items) {
    const pi = item.inclusionProbability;
    if (!(pi > 0 && pi <= 1)) {
      throw new RangeError(`item ${index}: inclusionProbability must be in (0, 1], got ${pi}`);
    }
    weights.push(1 / pi);
    hits.push(item.correct ? 1 : 0);
    index++;
  }
  const n = weights.length;
  if (n === 0) return null;
  let sumW = 0;
  let sumWY = 0;
  let sumW2 = 0;
  for (let i = 0; i < n; i++) {
    sumW += weights[i]!;
    sumWY += weights[i]! * hits[i]!;
    sumW2 += weights[i]! * weights[i]!;
  }
  const p = sumWY / sumW;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const r = weights[i]! * (hits[i]! - p);
    ss += r * r;
  }
  return fromMoments({ n, sumW, sumWY, sumW2 }, p, ss, alpha);
}

export interface GroupedAccuracy<K> {
  key: K;
  /** Null when the group has no labeled items: shown as "not measured". */
  accuracy: WeightedAccuracy | null;
}

/**
 * Weighted accuracy per group (model version, ISO week, slice…). Groups listed in `expectedKeys` but
 * without items are returned with `accuracy: null`, so a week without labels shows as a gap rather than
 * disappearing. Groups come out in `expectedKeys` order, then the others in order of first appearance.
 */
export function weightedAccuracyByGroup<T extends WeightedOutcome, K extends string | number>(
  items: Iterable<T>,
  keyOf: (item: T) => K,
  options: { alpha?: number; expectedKeys?: readonly K[] } = {},
): GroupedAccuracy<K>[] {
  const groups = new Map<K, T[]>();
  for (const key of options.expectedKeys ?? []) groups.set(key, []);
  for (const item of items) {
    const key = keyOf(item);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(item);
  }
  return [...groups].map(([key, list]) => ({ key, accuracy: weightedAccuracy(list, options.alpha) }));
}

/**
 * The sums the Hájek estimator and its linearization variance need, so a database can aggregate them
 * (GROUP BY) and send five numbers per group instead of every label. With y ∈ {0, 1}:
 *
 *     Σ w²·(y − p̂)² = Σ w²y·(1 − 2p̂) + p̂²·Σ w²
 */
export interface WeightedSums {
  /** Labeled items. */
  n: number;
  /** Σ w */
  sumW: number;
  /** Σ w·y */
  sumWY: number;
  /** Σ w² */
  sumW2: number;
  /** Σ w²·y */
  sumW2Y: number;
}

/** `weightedAccuracy` from aggregated sums (same estimate, variance and intervals). Null without items. */
export function weightedAccuracyFromSums(s: WeightedSums, alpha = 0.05): WeightedAccuracy | null {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const { n, sumW, sumWY, sumW2, sumW2Y } = s;
  if (n === 0) return null;
  if (!(sumW > 0) || !(sumW2 > 0) || sumWY < 0 || sumWY > sumW * (1 + 1e-12))
    throw new RangeError(`inconsistent sums: ${JSON.stringify(s)}`);
  const p = Math.min(1, sumWY / sumW);
  const ss = Math.max(0, sumW2Y * (1 - 2 * p) + p * p * sumW2);
  return fromMoments({ n, sumW, sumWY, sumW2 }, p, ss, alpha);
}

/**
 * The shared tail of both estimators: from p̂ and ss = Σ w²·(y − p̂)², the linearization variance, the
 * effective sample size and both intervals.
 */
function fromMoments(s: Omit<WeightedSums, "sumW2Y">, p: number, ss: number, alpha: number): WeightedAccuracy {
  const { n, sumW, sumWY, sumW2 } = s;
  const variance = n > 1 ? ((n / (n - 1)) * ss) / (sumW * sumW) : Number.NaN;
  const se = Math.sqrt(variance);
  const kish = (sumW * sumW) / sumW2;
  // All labels agreeing (p̂ = 0 or 1) takes Kish's size, whatever rounding left in the variance.
  const effectiveN = variance > 0 && p > 0 && p < 1 ? (p * (1 - p)) / variance : kish;
  const interval = wilsonInterval(p * effectiveN, effectiveN, alpha);
  const z = normalQuantile(1 - alpha / 2);
  const waldInterval: [number, number] = Number.isFinite(se)
    ? [Math.max(0, p - z * se), Math.min(1, p + z * se)]
    : [Number.NaN, Number.NaN];
  return {
    n,
    estimate: p,
    estimatedCorrect: sumWY,
    estimatedTotal: sumW,
    standardError: se,
    effectiveN,
    interval,
    waldInterval,
    alpha,
  };
}
