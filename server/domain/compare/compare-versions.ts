import { gateRequirementSet } from "../gate/gate";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { datasets, evaluationReports, modelVersions } from "@/db/schema";
import { metricDirection } from "@/server/stats";
import { authorize, type DomainContext } from "../context";
import { directionOf } from "../gate/gate";
import { diffVersions } from "../registry/versions";
import { findModelOrThrow } from "../registry/models";
import { keyMetricNames } from "../reports/metric-names";
import { activeRequirementSet } from "../requirements/sets";
import { COMPARE_SETTINGS, effectiveMargins, engineMetric, marginFor } from "./margins";
import type { OnlineEvidence } from "./online";
import { onlineTraffic } from "./online-traffic";
import { sharedTrafficAccuracy } from "../feedback-accuracy/shared-traffic";
import { pairedCompareCached } from "../statistics/paired";
import type { MatchSummary } from "../statistics/tasks";
import type { PairedOutcome } from "./paired";
import { pairReports, pickVersions, type CompareReport, type ReportPair } from "./pairing";
import { adjustPValues, onlyDifferences, pairedRow, storedRow, tally, type MetricRow } from "./rows";
import { compareVersionsInput, type CompareVersionsInput } from "./schemas";
import { operationalMetrics, requirementStatus, type RequirementSetShape } from "./summaries";

/**
 * Champion versus challenger: both versions' reports paired by (kind, dataset, period, slice), every
 * metric both report side by side with its interval, the difference with its interval and p-value, and
 * a verdict at 95 % — from the engine's paired comparison on matched examples where both reports have
 * outcomes (the same call, seed and resamples as `npx ratchet compare`), else from the stored intervals.
 */
export async function reportsOf(db: Db, versionId: string): Promise<CompareReport[]> {
  return db
    .select({
      id: evaluationReports.id,
      kind: evaluationReports.kind,
      datasetId: evaluationReports.datasetId,
      datasetName: datasets.name,
      datasetVersion: datasets.version,
      periodStart: evaluationReports.periodStart,
      periodEnd: evaluationReports.periodEnd,
      slice: evaluationReports.slice,
      sampleSize: evaluationReports.sampleSize,
      outcomeCount: evaluationReports.outcomeCount,
      contentHash: evaluationReports.contentHash,
      metrics: evaluationReports.metrics,
      createdAt: evaluationReports.createdAt,
      confusion: evaluationReports.confusion,
    })
    .from(evaluationReports)
    .leftJoin(datasets, eq(datasets.id, evaluationReports.datasetId))
    .where(eq(evaluationReports.modelVersionId, versionId));
}

export interface PairView {
  key: string;
  kind: string;
  dataset: ReportPair["dataset"];
  periodStart: string | null;
  periodEnd: string | null;
  slice: string;
  reports: { a: string; b: string };
  sampleSize: { a: number; b: number };
  /** With outcomes in both reports: how many example ids matched and how many were left out. */
  outcomes: { matched: number; onlyA: number; onlyB: number; labelMismatches: number } | null;
  rows: MetricRow[];
}

export async function comparePair(
  db: Db,
  pair: ReportPair,
  primary: string | null,
  set: RequirementSetShape | null,
  margins: Record<string, number>,
): Promise<PairView> {
  const names = keyMetricNames(pair.a.metrics, primary, Number.POSITIVE_INFINITY).filter(
    (m) => pair.b.metrics[m] !== undefined,
  );
  // Paired tests come from the stat_results cache (computed on the worker pool on a first view).
  const engineNames = pair.a.outcomeCount > 0 && pair.b.outcomeCount > 0 ? names.filter((m) => engineMetric(m)) : [];
  let matched: MatchSummary | null = null;
  const paired = new Map<string, PairedOutcome>();
  if (engineNames.length > 0) {
    const requests = engineNames.map((metric) => ({
      metric: engineMetric(metric)!,
      margin: marginFor(engineMetric(metric)!, margins),
    }));
    const results = await pairedCompareCached(db, pair.a, pair.b, requests);
    matched = results[0]!.summary;
    engineNames.forEach((metric, i) => paired.set(metric, results[i]!.outcome));
  }
  const rows = names.map((metric) => {
    const engine = engineMetric(metric);
    const margin = marginFor(engine ?? metric, margins);
    const direction = engine ? metricDirection(engine) : directionOf(metric, set?.requirements);
    let note: string | null = null;
    const outcome = paired.get(metric);
    if (outcome) {
      if (outcome.ok) return pairedRow(metric, outcome.result, outcome.test, outcome.pValue, margin, direction);
      note = `not paired: ${outcome.reason}`;
    }
    return storedRow(metric, pair.a.metrics[metric]!, pair.b.metrics[metric]!, margin, direction, note);
  });
  return {
    key: pair.key,
    kind: pair.kind,
    dataset: pair.dataset,
    periodStart: pair.periodStart,
    periodEnd: pair.periodEnd,
    slice: pair.slice,
    reports: { a: pair.a.id, b: pair.b.id },
    sampleSize: { a: pair.a.sampleSize, b: pair.b.sampleSize },
    outcomes: matched,
    rows,
  };
}

export async function compareVersions(ctx: DomainContext, raw: CompareVersionsInput) {
  authorize(ctx, "registry:read");
  const input = compareVersionsInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const versions = await ctx.db
    .select({
      id: modelVersions.id,
      version: modelVersions.version,
      stage: modelVersions.stage,
      createdAt: modelVersions.createdAt,
      description: modelVersions.description,
    })
    .from(modelVersions)
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(desc(modelVersions.version));
  const { a, b } = pickVersions(versions, input.a, input.b);
  const [reportsA, reportsB, activeSet, config] = await Promise.all([
    reportsOf(ctx.db, a.id),
    reportsOf(ctx.db, b.id),
    activeRequirementSet(ctx.db, model.id),
    diffVersions(ctx, model.name, a.version, b.version),
  ]);
  const set = gateRequirementSet(activeSet);
  const primary = set?.primaryMetric ?? null;
  // The model's agreed margins (part of its requirement set), overridden per request for what-ifs.
  const margins = { ...(activeSet?.comparisonMargins ?? {}), ...input.margins };

  const { pairs, unpairedA, unpairedB } = pairReports(reportsA, reportsB);
  // One pair at a time: each may hold two reports' outcomes in memory.
  const compared: PairView[] = [];
  for (const pair of pairs) compared.push(await comparePair(ctx.db, pair, primary, set, margins));
  const adjusted = adjustPValues(compared);
  const allRows = adjusted.flatMap((p) => p.rows);

  // The back-tests' numbers, for the page to chart (shaping a chart is display: app/_components/chart-data).
  const backtestOf = (reports: CompareReport[]) =>
    reports
      .filter((r) => r.kind === "backtest")
      .map((r) => ({
        id: r.id,
        kind: r.kind,
        slice: r.slice,
        periodStart: r.periodStart,
        periodEnd: r.periodEnd,
        createdAt: r.createdAt,
        metrics: r.metrics,
      }));
  const backtestReports = { a: backtestOf(reportsA), b: backtestOf(reportsB) };
  // Production traffic (outputs, latency, disagreement), and reviewers' labels on requests both answered.
  const traffic = await onlineTraffic(ctx.db, model.task, a, b);
  const shared =
    model.task === "regression"
      ? null
      : await sharedTrafficAccuracy(
          ctx.db,
          model.id,
          { id: a.id, version: a.version },
          { id: b.id, version: b.version },
        );
  const online: OnlineEvidence | null =
    traffic || (shared && shared.labeled + shared.unmatched + shared.conflicts > 0)
      ? { window: traffic?.window ?? null, arms: [], traffic, shared }
      : null;
  const allBacktests = [...backtestReports.a, ...backtestReports.b];

  return {
    model: { name: model.name, task: model.task },
    versions: versions.map((v) => ({ version: v.version, stage: v.stage })),
    a: {
      version: a.version,
      stage: a.stage,
      createdAt: a.createdAt,
      description: a.description,
      requirements: requirementStatus(set, a.version, reportsA),
      reportCount: reportsA.length,
    },
    b: {
      version: b.version,
      stage: b.stage,
      createdAt: b.createdAt,
      description: b.description,
      requirements: requirementStatus(set, b.version, reportsB),
      reportCount: reportsB.length,
    },
    settings: {
      ...COMPARE_SETTINGS,
      margins: effectiveMargins(margins),
      agreedMargins: activeSet?.comparisonMargins ?? {},
      differencesOnly: input.differencesOnly,
    },
    requirementSet: set
      ? { version: set.version, primaryMetric: set.primaryMetric, requirements: set.requirements }
      : null,
    summary: {
      ...tally(allRows),
      primary: tally(allRows.filter((r) => r.metric === primary)),
      pairs: adjusted.length,
      unpairedA,
      unpairedB,
      tests: allRows.filter((r) => r.pValue !== null).length,
    },
    pairs: input.differencesOnly ? onlyDifferences(adjusted) : adjusted,
    backtestReports,
    backtestOptions: {
      metrics: [...new Set(allBacktests.flatMap((r) => keyMetricNames(r.metrics, primary, Number.POSITIVE_INFINITY)))],
      slices: [...new Set(allBacktests.map((r) => r.slice))].sort(),
    },
    operational: operationalMetrics(reportsA, reportsB),
    config,
    online,
  };
}

export type CompareVersionsResult = Awaited<ReturnType<typeof compareVersions>>;
