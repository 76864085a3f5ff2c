import type { MetricValue } from "@/db/schema/reports";
import { InvalidInputError, NotFoundError } from "../errors";

/** Pure: which two versions to compare, and which of their reports were measured on the same data. */
export interface VersionRef {
  id: string;
  version: number;
  stage: "candidate" | "challenger" | "champion" | "retired";
}

/**
 * a (the reference, usually the champion) and b (the challenger). Defaults: a is the champion; b is
 * the version in stage challenger, else the newest candidate, else the newest other version. Without
 * a champion, a is the newest version other than b. `versions` is newest first.
 */
export function pickVersions<V extends VersionRef>(versions: V[], a?: number, b?: number): { a: V; b: V } {
  const find = (n: number, field: "a" | "b") => {
    const v = versions.find((x) => x.version === n);
    if (!v) throw new NotFoundError(`Version ${n} (${field})`);
    return v;
  };
  if (versions.length < 2)
    throw new InvalidInputError("b", "this model has only one version: there is nothing to compare it with");
  const champion = versions.find((v) => v.stage === "champion");
  const other = (than: V | undefined) => versions.find((v) => v !== than);
  let av = a !== undefined ? find(a, "a") : undefined;
  let bv = b !== undefined ? find(b, "b") : undefined;
  av ??= champion && champion !== bv ? champion : undefined;
  bv ??=
    versions.find((v) => v.stage === "challenger" && v !== av) ??
    versions.find((v) => v.stage === "candidate" && v !== av) ??
    other(av);
  av ??= other(bv);
  if (!av || !bv) throw new InvalidInputError("b", "pick two versions to compare");
  if (av.version === bv.version)
    throw new InvalidInputError("b", `pick two different versions (both are v${av.version})`);
  return { a: av, b: bv };
}

export interface CompareReport {
  id: string;
  kind: string;
  datasetId: string | null;
  datasetName: string | null;
  datasetVersion: number | null;
  periodStart: string | null;
  periodEnd: string | null;
  slice: string;
  sampleSize: number;
  outcomeCount: number;
  /** Keys the cached paired comparisons (stat_results). */
  contentHash: string;
  metrics: Record<string, MetricValue>;
  createdAt: Date;
  /** Binary confusion counts, from which the gate's evidence rules know the examples of each class. */
  confusion?: { tn: number; fp: number; fn: number; tp: number } | null;
}

export interface ReportPair {
  /** Stable id for the page: kind, dataset, period and slice. */
  key: string;
  kind: string;
  dataset: { id: string; name: string; version: number } | null;
  periodStart: string | null;
  periodEnd: string | null;
  slice: string;
  a: CompareReport;
  b: CompareReport;
}

/** Same data means the same kind, registered dataset, period and slice (as the gate pairs them). */
export const pairKey = (r: Pick<CompareReport, "kind" | "datasetId" | "periodStart" | "slice">) =>
  [r.kind, r.datasetId ?? "-", r.periodStart ?? "-", r.slice || "all"].join("|");

const KIND_ORDER = ["holdout", "nowtest", "regression", "backtest", "online"];
const kindRank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);

/** One report per key: a report posted again for the same data replaces the earlier one. */
function newestByKey(reports: CompareReport[]): Map<string, CompareReport> {
  const out = new Map<string, CompareReport>();
  for (const r of reports) {
    if (r.kind === "baseline") continue; // baselines are compared with the model, not with each other
    const seen = out.get(pairKey(r));
    if (!seen || seen.createdAt < r.createdAt) out.set(pairKey(r), r);
  }
  return out;
}

export function pairReports(
  a: CompareReport[],
  b: CompareReport[],
): { pairs: ReportPair[]; unpairedA: number; unpairedB: number } {
  const left = newestByKey(a),
    right = newestByKey(b);
  const pairs: ReportPair[] = [];
  for (const [key, ra] of left) {
    const rb = right.get(key);
    if (!rb) continue;
    pairs.push({
      key,
      kind: ra.kind,
      dataset:
        ra.datasetId && ra.datasetName !== null && ra.datasetVersion !== null
          ? { id: ra.datasetId, name: ra.datasetName, version: ra.datasetVersion }
          : null,
      periodStart: ra.periodStart,
      periodEnd: ra.periodEnd,
      slice: ra.slice,
      a: ra,
      b: rb,
    });
  }
  pairs.sort(
    (x, y) =>
      kindRank(x.kind) - kindRank(y.kind) ||
      (x.periodStart ?? "").localeCompare(y.periodStart ?? "") ||
      (x.dataset?.name ?? "").localeCompare(y.dataset?.name ?? "") ||
      x.slice.localeCompare(y.slice),
  );
  return { pairs, unpairedA: left.size - pairs.length, unpairedB: right.size - pairs.length };
}
