/**
 * How often people are right: each reviewer's accuracy on gold items (whose label is known in advance)
 * and human accuracy against adjudicated labels (the label that counts after conflicts were resolved).
 * Proportions get Wilson's score interval (statsmodels `proportion_confint(method="wilson")`), which stays
 * honest for the small counts a single reviewer accumulates; with no items the accuracy is null.
 */
import { wilsonInterval } from "../proportions";

export interface ProportionWithInterval {
  n: number;
  correct: number;
  /** Null when n = 0: not measured. */
  accuracy: number | null;
  interval: [number, number] | null;
}

function proportion(correct: number, n: number, alpha: number): ProportionWithInterval {
  return n === 0
    ? { n, correct, accuracy: null, interval: null }
    : { n, correct, accuracy: correct / n, interval: wilsonInterval(correct, n, alpha) };
}

export interface GoldAnswer {
  reviewer: string;
  label: string;
  gold: string;
}

export interface ReviewerAccuracy extends ProportionWithInterval {
  reviewer: string;
}

/** Per reviewer, in order of first appearance; `reviewers` lists people to show even without gold items. */
export function reviewerGoldAccuracy(
  answers: Iterable<GoldAnswer>,
  options: { alpha?: number; reviewers?: readonly string[] } = {},
): ReviewerAccuracy[] {
  const tally = new Map<string, { n: number; correct: number }>();
  for (const r of options.reviewers ?? []) tally.set(r, { n: 0, correct: 0 });
  for (const a of answers) {
    let t = tally.get(a.reviewer);
    if (!t) tally.set(a.reviewer, (t = { n: 0, correct: 0 }));
    t.n++;
    if (a.label === a.gold) t.correct++;
  }
  return [...tally].map(([reviewer, t]) => ({ reviewer, ...proportion(t.correct, t.n, options.alpha ?? 0.05) }));
}

export interface ReviewerLabel {
  itemId: string;
  reviewer: string;
  label: string;
}

export interface HumanAccuracy {
  /** All labels on adjudicated items, pooled: the human baseline. */
  overall: ProportionWithInterval;
  perReviewer: ReviewerAccuracy[];
  /** Labels on items without an adjudicated label: not counted. */
  unadjudicatedLabels: number;
}

/**
 * Human accuracy against the adjudicated label of each item. Note the bias this cannot remove: when the
 * adjudicator saw the reviewers' labels, agreeing with them is easier than with independent truth — gold
 * items (reviewerGoldAccuracy) are the unbiased check.
 */
export function humanAccuracy(
  labels: Iterable<ReviewerLabel>,
  adjudicated: ReadonlyMap<string, string>,
  alpha = 0.05,
): HumanAccuracy {
  const perReviewer = new Map<string, { n: number; correct: number }>();
  let n = 0;
  let correct = 0;
  let unadjudicatedLabels = 0;
  for (const l of labels) {
    const truth = adjudicated.get(l.itemId);
    if (truth === undefined) {
      unadjudicatedLabels++;
      continue;
    }
    let t = perReviewer.get(l.reviewer);
    if (!t) perReviewer.set(l.reviewer, (t = { n: 0, correct: 0 }));
    const hit = l.label === truth ? 1 : 0;
    t.n++;
    t.correct += hit;
    n++;
    correct += hit;
  }
  return {
    overall: proportion(correct, n, alpha),
    perReviewer: [...perReviewer].map(([reviewer, t]) => ({ reviewer, ...proportion(t.correct, t.n, alpha) })),
    unadjudicatedLabels,
  };
}
