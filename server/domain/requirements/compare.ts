import { marginFor } from "../compare/margins";
import { isAtLeastAsStrict, type RequirementLike } from "../gate/requirement-check";
import { EVIDENCE_DEFAULTS } from "./defaults";

/** Pure comparison of two requirement sets: what a proposal loosens (needs a manager) or changes. */
export type RequirementShape = RequirementLike;
export interface SetShape {
  primaryMetric: string;
  requiredReportKinds: string[];
  requirements: RequirementShape[];
  comparisonMargins?: Record<string, number>;
  /** Evidence minimums (defaults 200 outcomes, 20 of each class for AUC). */
  minOutcomes?: number;
  minAucClassCount?: number;
}

export { EVIDENCE_DEFAULTS };

const key = (r: { metric: string; slice: string }) => (r.slice ? `${r.metric} [${r.slice}]` : r.metric);

/** A narrower list of kinds checks less. An empty list means "every kind", the widest. */
function narrows(before: string[], after: string[]): boolean {
  if (before.length === 0) return after.length > 0;
  if (after.length === 0) return false;
  return before.some((k) => !after.includes(k));
}

/**
 * Every way `next` is looser than `current`, in words a manager can judge. Empty: a pure tightening.
 * `declared` holds the model's declared directions of custom metrics: a requirement that flips one is a
 * loosening even when the current set does not use that metric any more.
 */
export function loosenings(
  current: SetShape | null,
  next: SetShape,
  declared: Record<string, "higher" | "lower"> = {},
): string[] {
  const out: string[] = [];
  for (const r of next.requirements) {
    const was = declared[r.metric];
    const flipped = current?.requirements.some(
      (c) => c.metric === r.metric && c.slice === r.slice && c.direction !== r.direction,
    );
    if (was && was !== r.direction && !flipped)
      out.push(`flips the declared direction of ${r.metric} from ${was} to ${r.direction}`);
  }
  if (!current) return out;
  if (next.primaryMetric !== current.primaryMetric)
    out.push(`changes the primary metric from ${current.primaryMetric} to ${next.primaryMetric}`);
  const minOutcomes = [
    current.minOutcomes ?? EVIDENCE_DEFAULTS.minOutcomes,
    next.minOutcomes ?? EVIDENCE_DEFAULTS.minOutcomes,
  ];
  if (minOutcomes[1]! < minOutcomes[0]!)
    out.push(`lowers the minimum outcomes per report from ${minOutcomes[0]} to ${minOutcomes[1]}`);
  const minClass = [
    current.minAucClassCount ?? EVIDENCE_DEFAULTS.minAucClassCount,
    next.minAucClassCount ?? EVIDENCE_DEFAULTS.minAucClassCount,
  ];
  if (minClass[1]! < minClass[0]!)
    out.push(`lowers the minimum examples of each class for AUC from ${minClass[0]} to ${minClass[1]}`);
  const before = current.comparisonMargins ?? {};
  const after = next.comparisonMargins ?? {};
  for (const metric of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = marginFor(metric, before);
    const b = marginFor(metric, after);
    if (b > a) out.push(`widens the non-inferiority margin on ${metric} from ${a} to ${b}`);
  }
  for (const kind of current.requiredReportKinds) {
    if (!next.requiredReportKinds.includes(kind)) out.push(`no longer requires a ${kind} report`);
  }
  for (const before of current.requirements) {
    const after = next.requirements.find((r) => key(r) === key(before));
    if (!after) {
      out.push(`removes the requirement on ${key(before)}`);
      continue;
    }
    if (after.direction !== before.direction)
      out.push(`flips the direction of ${key(before)} from ${before.direction} to ${after.direction}`);
    else if (!isAtLeastAsStrict(before.direction, before.floor, after.floor)) {
      // Looser is lower for a floor, higher for a ceiling (lower-is-better metrics).
      const loosened =
        before.direction === "lower" ? `raises the ceiling of ${key(before)}` : `lowers the floor of ${key(before)}`;
      out.push(`${loosened} from ${before.floor} to ${after.floor}`);
    }
    if (narrows(before.reportKinds, after.reportKinds)) out.push(`checks ${key(before)} on fewer report kinds`);
  }
  return out;
}

export interface SetDiffRow {
  requirement: string;
  change: "added" | "removed" | "tightened" | "loosened" | "changed" | "same";
  before: RequirementShape | null;
  after: RequirementShape | null;
}

/** Row-by-row difference between two sets, for the history page. */
export function diffSets(a: SetShape, b: SetShape): SetDiffRow[] {
  const keys = [...new Set([...a.requirements.map(key), ...b.requirements.map(key)])].sort();
  return keys.map((k) => {
    const before = a.requirements.find((r) => key(r) === k) ?? null;
    const after = b.requirements.find((r) => key(r) === k) ?? null;
    if (!before) return { requirement: k, change: "added", before, after };
    if (!after) return { requirement: k, change: "removed", before, after };
    const same = JSON.stringify(before) === JSON.stringify(after);
    if (same) return { requirement: k, change: "same", before, after };
    if (before.direction === after.direction && before.floor !== after.floor) {
      const tighter = isAtLeastAsStrict(before.direction, before.floor, after.floor);
      return { requirement: k, change: tighter ? "tightened" : "loosened", before, after };
    }
    return { requirement: k, change: "changed", before, after };
  });
}
