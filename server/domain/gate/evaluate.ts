import { createHash } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { datasets, evaluationReports, models, modelVersions } from "@/db/schema";
import { engineMetric, marginFor } from "../compare/margins";
import { pairedCompareCached, type PairedOptions } from "../statistics/paired";
import { activeRequirementSet } from "../requirements/sets";
import { gateOpenAlerts } from "../alerts/queries";
import { classCountsOf } from "./evidence";
import {
  gateRequirementSet,
  runGate,
  type GateInput,
  type GateReport,
  type GateResult,
  type PairedComparison,
} from "./gate";

type Model = typeof models.$inferSelect;
type Version = typeof modelVersions.$inferSelect;

/** Newest first, so the gate pairs with the same (newest) champion report per dataset as the comparison page. */
async function reportsOf(db: Db | Tx, versionId: string) {
  return db
    .select()
    .from(evaluationReports)
    .where(eq(evaluationReports.modelVersionId, versionId))
    .orderBy(desc(evaluationReports.createdAt), desc(evaluationReports.id));
}

/** A stored report as gate evidence: how many outcomes back it and of which class, and its dataset's name. */
const toGateReport = (r: typeof evaluationReports.$inferSelect, names: Map<string, string>): GateReport => ({
  id: r.id,
  kind: r.kind,
  slice: r.slice,
  metrics: r.metrics,
  periodStart: r.periodStart,
  periodEnd: r.periodEnd,
  datasetId: r.datasetId,
  baseline: r.baseline,
  dataset: r.datasetId ? (names.get(r.datasetId) ?? null) : null,
  hasOutcomes: r.outcomeCount > 0,
  outcomeCount: r.outcomeCount,
  sampleSize: r.sampleSize,
  classCounts: classCountsOf(r.confusion),
});

/** "name vN" of the datasets the reports name, so the gate can say which evidence it used. */
async function datasetNames(db: Db | Tx, reports: ReportRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(reports.map((r) => r.datasetId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: datasets.id, name: datasets.name, version: datasets.version })
    .from(datasets)
    .where(inArray(datasets.id, ids));
  return new Map(rows.map((d) => [d.id, `${d.name} v${d.version}`]));
}

type ReportRow = typeof evaluationReports.$inferSelect;
const sameData = (a: ReportRow, b: ReportRow) =>
  a.kind === b.kind &&
  a.datasetId === b.datasetId &&
  a.slice === b.slice &&
  (a.periodStart ?? null) === (b.periodStart ?? null);

/**
 * The paired tests "beats the champion" prefers: for each dataset on which both versions posted
 * outcomes and the primary metric, the engine's comparison on the examples both share. Done here, while
 * loading evidence, so the gate stays a pure function of its input. The margin is the one agreed in the
 * model's requirement set, else the code default for the metric.
 */
async function pairedComparisons(
  db: Db | Tx,
  primaryMetric: string | undefined,
  margins: Record<string, number>,
  mine: ReportRow[],
  theirs: ReportRow[],
  options: PairedOptions,
): Promise<PairedComparison[]> {
  const metric = primaryMetric ? engineMetric(primaryMetric) : null;
  if (!primaryMetric || !metric) return [];
  const out: PairedComparison[] = [];
  for (const candidate of mine) {
    if (candidate.kind === "baseline" || candidate.outcomeCount === 0 || !candidate.metrics[primaryMetric]) continue;
    const champion = theirs.find((c) => sameData(candidate, c));
    if (!champion || champion.outcomeCount === 0 || !champion.metrics[primaryMetric]) continue;
    // Cached by the two reports' content hashes; computed on the worker pool unless `cachedOnly`.
    const margin = marginFor(metric, margins);
    const [cached] = await pairedCompareCached(db, champion, candidate, [{ metric, margin }], options);
    const paired = cached!.outcome;
    if (!paired.ok) continue;
    const { difference, verdict } = paired.result;
    out.push({
      candidateReportId: candidate.id,
      championReportId: champion.id,
      metric: primaryMetric,
      test: paired.test,
      matched: paired.result.n,
      difference: difference.value,
      ci: difference.ci,
      pValue: paired.pValue,
      margin,
      verdict,
    });
  }
  return out;
}

export interface Evidence {
  artifactSha256: string;
  requirementSet: { id: string; version: number } | null;
  reports: { id: string; kind: string; contentHash: string }[];
  champion: { version: number; reports: string[] } | null;
}

/**
 * Gathers the evidence for a version from the database and runs the gate on it. The evidence bundle
 * (artifact hash, report hashes, requirement set) is hashed so a decision can tell whether anything
 * changed since the request.
 */
export async function evaluateGate(
  db: Db | Tx,
  model: Model,
  version: Version,
  options: PairedOptions = {},
): Promise<{ gate: GateResult; evidence: Evidence; evidenceHash: string; requirementSetId: string | null }> {
  // Sequential on purpose: inside a transaction all queries share one connection.
  const set = await activeRequirementSet(db, model.id);
  const mine = await reportsOf(db, version.id);
  const [champion] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.stage, "champion")));
  const theirs = champion && champion.id !== version.id ? await reportsOf(db, champion.id) : [];
  const names = await datasetNames(db, [...mine, ...theirs]);
  const input: GateInput = {
    requirementSet: gateRequirementSet(set),
    candidate: { version: version.version, reports: mine.map((r) => toGateReport(r, names)) },
    champion: champion ? { version: champion.version, reports: theirs.map((r) => toGateReport(r, names)) } : null,
    // Not part of the evidence hash: an alert opening or resolving between request and decision changes
    // the gate's verdict at decision time, not what the request rested on.
    openAlerts: await gateOpenAlerts(db, model.id),
    pairedComparisons:
      champion && champion.id !== version.id
        ? await pairedComparisons(db, set?.primaryMetric, set?.comparisonMargins ?? {}, mine, theirs, options)
        : [],
  };
  const evidence: Evidence = {
    artifactSha256: version.artifactSha256,
    requirementSet: set ? { id: set.id, version: set.version } : null,
    reports: mine.map((r) => ({ id: r.id, kind: r.kind, contentHash: r.contentHash })),
    champion: champion ? { version: champion.version, reports: theirs.map((r) => r.contentHash) } : null,
  };
  const evidenceHash = createHash("sha256").update(JSON.stringify(evidence)).digest("hex");
  return { gate: runGate(input), evidence, evidenceHash, requirementSetId: set?.id ?? null };
}

/**
 * Computes (and caches) the gate's paired tests for a version outside any transaction, so that a
 * release request or decision can then evaluate the gate inside its transaction with
 * `{ cachedOnly: true }` and never run a bootstrap while holding row locks.
 */
export async function prepareGateStatistics(db: Db, modelId: string, versionId: string): Promise<void> {
  const [model] = await db.select().from(models).where(eq(models.id, modelId));
  const [version] = await db.select().from(modelVersions).where(eq(modelVersions.id, versionId));
  if (model && version) await evaluateGate(db, model, version);
}
