import type { MetricValue } from "@/db/schema/reports";
import { benjaminiHochberg, type CompareResult, type Verdict } from "@/server/stats";
import type { PairedTest } from "./paired";

/** Pure: one metric of one report pair, as the comparison page shows it. */
export type RowMethod = "paired" | "intervals" | "point estimates";

/**
 * A row's verdict. "not tested" when there was nothing to test with: no shared outcomes and at least one
 * value without an interval. Saying "no detectable difference" there would claim a test that never ran.
 */
export type RowVerdict = Verdict | "not tested";

export interface ValueCi {
  value: number;
  ci: [number, number] | null;
}

export interface MetricRow {
  metric: string;
  direction: "higher" | "lower";
  a: ValueCi;
  b: ValueCi;
  /** b − a in the metric's units (for lower-is-better metrics a negative difference is an improvement). */
  difference: ValueCi;
  /** paired: compareModels on matched outcomes; intervals: stored intervals' overlap; point estimates: no uncertainty known. */
  method: RowMethod;
  test: PairedTest | null;
  pValue: number | null;
  /** Benjamini–Hochberg adjusted across every p-value on the page (before any filtering). */
  pAdjusted: number | null;
  margin: number;
  verdict: RowVerdict;
  /** Why a paired comparison was not possible, when outcomes exist but could not be used. */
  note: string | null;
}

/** From the engine's paired comparison: every number is the one `npx ratchet compare` prints. */
export function pairedRow(
  metric: string,
  result: CompareResult,
  test: PairedTest,
  pValue: number | null,
  margin: number,
  direction: "higher" | "lower",
): MetricRow {
  return {
    metric,
    direction,
    a: { value: result.champion.value, ci: result.champion.ci },
    b: { value: result.challenger.value, ci: result.challenger.ci },
    difference: { value: result.difference.value, ci: result.difference.ci },
    method: "paired",
    test,
    pValue,
    pAdjusted: null,
    margin,
    verdict: result.verdict,
    note: null,
  };
}

/**
 * Without shared outcomes: "better" only when b's interval lies entirely on the better side of a's,
 * "worse" only when it lies entirely beyond a's by more than the margin; overlapping intervals are "no
 * detectable difference". A missing interval is "not tested": two numbers without their uncertainty
 * prove nothing either way, and the page must not pretend a test found nothing.
 */
export function intervalVerdict(direction: "higher" | "lower", a: ValueCi, b: ValueCi, margin = 0): RowVerdict {
  if (!a.ci || !b.ci) return "not tested";
  const [aLo, aHi] = a.ci,
    [bLo, bHi] = b.ci;
  if (direction === "higher") {
    if (bLo > aHi) return "better";
    if (bHi < aLo - margin) return "worse";
  } else {
    if (bHi < aLo) return "better";
    if (bLo > aHi + margin) return "worse";
  }
  return "no detectable difference";
}

export function storedRow(
  metric: string,
  a: MetricValue,
  b: MetricValue,
  margin: number,
  direction: "higher" | "lower",
  note: string | null = null,
): MetricRow {
  const va: ValueCi = { value: a.value, ci: a.ci ?? null };
  const vb: ValueCi = { value: b.value, ci: b.ci ?? null };
  return {
    metric,
    direction,
    a: va,
    b: vb,
    difference: { value: b.value - a.value, ci: null },
    method: va.ci && vb.ci ? "intervals" : "point estimates",
    test: null,
    pValue: null,
    pAdjusted: null,
    margin,
    verdict: intervalVerdict(direction, va, vb, margin),
    note,
  };
}

/**
 * Adjusts every p-value on the page together (Benjamini–Hochberg): with dozens of metric × dataset
 * tests, some raw p-values fall under 0.05 by chance alone. Returns new rows; the input is untouched.
 */
export function adjustPValues<T extends { rows: MetricRow[] }>(groups: T[]): T[] {
  const at: [number, number][] = [];
  const ps: number[] = [];
  groups.forEach((g, gi) =>
    g.rows.forEach((r, ri) => {
      if (r.pValue !== null) {
        at.push([gi, ri]);
        ps.push(r.pValue);
      }
    }),
  );
  const out = groups.map((g) => ({ ...g, rows: g.rows.map((r) => ({ ...r })) }));
  if (ps.length === 0) return out;
  const { adjusted } = benjaminiHochberg(ps);
  at.forEach(([gi, ri], k) => {
    out[gi]!.rows[ri]!.pAdjusted = adjusted[k]!;
  });
  return out;
}

export interface VerdictTally {
  better: number;
  worse: number;
  same: number;
  notTested: number;
}

export function tally(rows: MetricRow[]): VerdictTally {
  return {
    better: rows.filter((r) => r.verdict === "better").length,
    worse: rows.filter((r) => r.verdict === "worse").length,
    same: rows.filter((r) => r.verdict === "no detectable difference").length,
    notTested: rows.filter((r) => r.verdict === "not tested").length,
  };
}

/** "Differences only": rows with a verdict either way (better or worse); groups left empty are dropped. */
export function onlyDifferences<T extends { rows: MetricRow[] }>(groups: T[]): T[] {
  return groups
    .map((g) => ({ ...g, rows: g.rows.filter((r) => r.verdict === "better" || r.verdict === "worse") }))
    .filter((g) => g.rows.length > 0);
}
