import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, releases, requirementSets } from "@/db/schema";
import type { DomainContext } from "@/server/domain/context";
import { registerDataset } from "@/server/domain/registry/datasets";
import { decideRelease } from "@/server/domain/releases/decide";
import { requestRelease } from "@/server/domain/releases/request";
import { rollback } from "@/server/domain/releases/rollback";
import { createReport } from "@/server/domain/reports/create";
import { registerVersion } from "@/server/domain/registry/versions";
import { proposeRequirementSet } from "@/server/domain/requirements/sets";
import { binaryOutcomes, regressionOutcomes } from "./synthetic";

/**
 * The governance half of the demo: requirements, evaluation reports, releases with a history, one
 * failing gate waiting in the inbox, one rollback and one loosening waiting for a manager. Everything
 * goes through the same domain functions as the product, so the demo obeys the same rules.
 */
const BACKTEST_MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];
const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).toISOString().slice(0, 10);

async function evaluationData(scientist: DomainContext, prefix: string) {
  await registerDataset(scientist, { name: `${prefix}-holdout`, role: "test", periodStart: "2026-01-01", periodEnd: "2026-05-31", rowCount: 1500, hash: `sha256:${prefix}-holdout-1`, uri: `s3://ratchet-demo/datasets/${prefix}-holdout/v1.parquet` });
  await registerDataset(scientist, { name: `${prefix}-nowtest`, role: "live", periodStart: "2026-11-16", periodEnd: "2026-11-22", rowCount: 600, hash: `sha256:${prefix}-nowtest-1`, uri: `s3://ratchet-demo/datasets/${prefix}-nowtest/v1.parquet` });
  for (const m of BACKTEST_MONTHS) {
    await registerDataset(scientist, { name: `${prefix}-backtest-${m}`, role: "backtest", periodStart: `${m}-01`, periodEnd: lastDay(m), rowCount: 4000, hash: `sha256:${prefix}-bt-${m}`, uri: `s3://ratchet-demo/datasets/${prefix}-backtest/${m}.parquet` });
  }
}

/** Reports for one classification version: a holdout and a now-test with outcomes, back-tests per month. */
async function classificationReports(scientist: DomainContext, model: string, prefix: string, version: number, skill: number, latency: number, drift = 0) {
  await createReport(scientist, { model, version, kind: "holdout", dataset: { name: `${prefix}-holdout`, version: 1 }, sampleSize: 1500, metrics: { latency_p95_ms: latency }, outcomes: binaryOutcomes(11, 1500, skill, 0.22, 100) });
  await createReport(scientist, { model, version, kind: "nowtest", dataset: { name: `${prefix}-nowtest`, version: 1 }, periodStart: "2026-11-16", periodEnd: "2026-11-22", sampleSize: 600, metrics: {}, outcomes: binaryOutcomes(12, 600, skill - drift, 0.25, 200) });
  // Back-tests carry their outcomes too: the gate counts the primary metric only when computed from enough
  // outcomes (at least 200, and 20 of each class for AUC), never a posted number alone.
  for (const [i, m] of BACKTEST_MONTHS.entries()) {
    const rows = binaryOutcomes(20 + i, 500, skill - i * 0.03, 0.22, 300 + i);
    await createReport(scientist, { model, version, kind: "backtest", dataset: { name: `${prefix}-backtest-${m}`, version: 1 }, periodStart: `${m}-01`, periodEnd: lastDay(m), sampleSize: 500, metrics: {}, outcomes: rows });
  }
}

async function regressionReports(scientist: DomainContext, model: string, prefix: string, version: number, errorScale: number) {
  await createReport(scientist, { model, version, kind: "holdout", dataset: { name: `${prefix}-holdout`, version: 1 }, sampleSize: 1500, metrics: { latency_p95_ms: 12 }, outcomes: regressionOutcomes(31, 1500, errorScale, 400) });
  await createReport(scientist, { model, version, kind: "nowtest", dataset: { name: `${prefix}-nowtest`, version: 1 }, periodStart: "2026-11-16", periodEnd: "2026-11-22", sampleSize: 600, metrics: {}, outcomes: regressionOutcomes(32, 600, errorScale * 1.05, 500) });
  for (const [i, m] of BACKTEST_MONTHS.entries()) {
    const rows = regressionOutcomes(40 + i, 500, errorScale * (1 + i * 0.02), 600 + i);
    await createReport(scientist, { model, version, kind: "backtest", dataset: { name: `${prefix}-backtest-${m}`, version: 1 }, periodStart: `${m}-01`, periodEnd: lastDay(m), sampleSize: 500, metrics: {}, outcomes: rows });
  }
}

async function release(scientist: DomainContext, manager: DomainContext, model: string, version: number, rationale: string, note = "Gate passes; approved.") {
  const req = await requestRelease(scientist, { model, version, strategy: "full", rationale });
  await decideRelease(manager, { releaseId: req.id, decision: "approve", note });
}

const KINDS = ["holdout", "backtest", "nowtest"] as ("holdout" | "backtest" | "nowtest")[];

export async function seedGovernance(db: Db, scientist: DomainContext, manager: DomainContext) {
  // credit-default: a ratchet of requirements, four promotions, and v6 waiting with a failing gate (too slow).
  await evaluationData(scientist, "credit");
  await proposeRequirementSet(scientist, { model: "credit-default", primaryMetric: "auc", requiredReportKinds: KINDS, requirements: [{ metric: "auc", direction: "higher", floor: 0.6 }, { metric: "latency_p95_ms", direction: "lower", floor: 50, reportKinds: ["holdout"], rationale: "the loan form answers within 100 ms end to end" }], rationale: "Agreed with Risk at the launch review." });
  const credit = [0.55, 0.62, 0.72, 0.8, 0.9, 0.95];
  for (const [i, skill] of credit.entries()) await classificationReports(scientist, "credit-default", "credit", i + 1, skill, i === 5 ? 64 : 28 + i);
  await release(scientist, manager, "credit-default", 1, "First model: beats the rules engine on the holdout.");
  await release(scientist, manager, "credit-default", 3, "Adds inquiries in the last six months; better on every back-test.");
  await proposeRequirementSet(scientist, { model: "credit-default", primaryMetric: "auc", requiredReportKinds: KINDS, requirements: [{ metric: "auc", direction: "higher", floor: 0.66 }, { metric: "latency_p95_ms", direction: "lower", floor: 50, reportKinds: ["holdout"] }], rationale: "v3 holds well above 0.6: tighten the floor to 0.66." });
  await release(scientist, manager, "credit-default", 4, "Balanced class weights; recall on defaults up.");
  await release(scientist, manager, "credit-default", 5, "Adds log income; best holdout AUC so far.");
  await requestRelease(scientist, { model: "credit-default", version: 6, strategy: "canary", share: 0.1, rationale: "Best AUC yet on every back-test; the latency fix ships next sprint." });

  // churn: v4 went out and was rolled back to v3.
  await evaluationData(scientist, "churn");
  await proposeRequirementSet(scientist, { model: "churn", primaryMetric: "auc", requiredReportKinds: ["holdout", "nowtest"], requirements: [{ metric: "auc", direction: "higher", floor: 0.62 }, { metric: "recall", direction: "higher", floor: 0.2, reportKinds: ["holdout"] }], rationale: "Retention team needs at least a fifth of churners flagged." });
  for (const [i, skill] of [0.6, 0.7, 0.85, 0.9].entries()) await classificationReports(scientist, "churn", "churn", i + 1, skill, 15);
  await release(scientist, manager, "churn", 2, "Gradient boosting replaces the heuristic.");
  await release(scientist, manager, "churn", 3, "Lower learning rate, better calibrated.");
  await release(scientist, manager, "churn", 4, "More trees; best holdout AUC.");
  // The week after: v4 collapses on annual plans, which the now-test on that slice shows.
  await createReport(scientist, { model: "churn", version: 4, kind: "nowtest", dataset: { name: "churn-nowtest", version: 1 }, slice: "plan=annual", periodStart: "2026-11-16", periodEnd: "2026-11-22", sampleSize: 300, metrics: {}, outcomes: binaryOutcomes(13, 300, 0.25, 0.2, 210) });
  await rollback(manager, { model: "churn", reason: "v4 over-predicts churn for annual plans since the November price change; back to v3 while we retrain." });
  await churnChallenger(scientist);

  // house-price: two promotions, and a loosening that waits for a manager.
  await evaluationData(scientist, "house");
  await proposeRequirementSet(scientist, { model: "house-price", primaryMetric: "rmse", requiredReportKinds: ["holdout"], requirements: [{ metric: "rmse", direction: "lower", floor: 50_000 }, { metric: "mae", direction: "lower", floor: 40_000 }], rationale: "Valuations within the agents' tolerance." });
  for (const [i, err] of [40_000, 34_000, 33_000].entries()) await regressionReports(scientist, "house-price", "house", i + 1, err);
  await release(scientist, manager, "house-price", 1, "Ridge on log price.");
  await release(scientist, manager, "house-price", 2, "Adds distance to the centre.");
  await proposeRequirementSet(scientist, { model: "house-price", primaryMetric: "rmse", requiredReportKinds: ["holdout"], requirements: [{ metric: "rmse", direction: "lower", floor: 55_000 }, { metric: "mae", direction: "lower", floor: 40_000 }], rationale: "The new coastal regions are noisier; allow a wider RMSE for a quarter." });

  await backdate(db);
}

/**
 * churn v5, the comparison page's story: retrained after the rollback, better on AUC on the holdout and
 * the now-test, but still worse than champion v3 on annual plans. Its outcomes share example ids with
 * v3's (same data seeds), so every comparison is paired; its gate fails on that slice, pending.
 */
async function churnChallenger(scientist: DomainContext) {
  const annual = (version: number, skill: number) =>
    createReport(scientist, { model: "churn", version, kind: "nowtest", dataset: { name: "churn-nowtest", version: 1 }, slice: "plan=annual", periodStart: "2026-11-16", periodEnd: "2026-11-22", sampleSize: 300, metrics: {}, outcomes: binaryOutcomes(13, 300, skill, 0.2, 210) });
  await annual(3, 0.85);
  await registerDataset(scientist, { name: "subscriber-activity", role: "train", periodStart: "2025-06-01", periodEnd: "2026-11-15", rowCount: 61_250, hash: "sha256:subscriber-activity-5", uri: "s3://ratchet-demo/datasets/subscriber-activity/v5.parquet" });
  await registerVersion(scientist, "churn", {
    artifactUri: "s3://ratchet-demo/models/churn/5/model.joblib",
    artifactSha256: createHash("sha256").update("churn-5").digest("hex"),
    config: { kind: "gradient_boosting", trees: 400, feature_importance: { days_since_login: 0.31, support_tickets_30d: 0.19, plan_price: 0.17, tenure_months: 0.14, price_change_nov: 0.09 }, threshold: 0.5 },
    hyperparameters: { learning_rate: 0.05, max_depth: 5, subsample: 0.8 },
    trainingDataset: { name: "subscriber-activity", version: 5 },
    parentVersion: 3,
    codeCommit: "5c1d0e7a9b21",
    description: "Retrained from v3 with the November price change as a feature",
  });
  await classificationReports(scientist, "churn", "churn", 5, 0.95, 14);
  await annual(5, 0.55);
  await requestRelease(scientist, { model: "churn", version: 5, strategy: "canary", share: 0.2, rationale: "Better AUC than v3 on the holdout and the now-test; annual plans still lag, so canary first." });
}

/** Spreads the demo's history over the past months so the timeline reads like a real one. */
async function backdate(db: Db) {
  const all = await db.select({ id: releases.id, modelId: releases.modelId }).from(releases).orderBy(releases.requestedAt);
  const perModel = new Map<string, string[]>();
  for (const r of all) perModel.set(r.modelId, [...(perModel.get(r.modelId) ?? []), r.id]);
  for (const ids of perModel.values()) {
    for (const [i, id] of ids.entries()) {
      const daysAgo = (ids.length - i) * 21;
      await db.update(releases).set({
        requestedAt: sql`now() - make_interval(days => ${daysAgo + 1})`,
        decidedAt: sql`case when decided_at is null then null else now() - make_interval(days => ${daysAgo}) end`,
        effectiveAt: sql`case when effective_at is null then null else now() - make_interval(days => ${daysAgo}) end`,
      }).where(eq(releases.id, id));
    }
  }
  const sets = await db.select({ id: requirementSets.id, modelId: requirementSets.modelId }).from(requirementSets).orderBy(requirementSets.proposedAt);
  const setsPerModel = new Map<string, string[]>();
  for (const s of sets) setsPerModel.set(s.modelId, [...(setsPerModel.get(s.modelId) ?? []), s.id]);
  for (const [modelId, ids] of setsPerModel.entries()) {
    // The first set is agreed before the first release; each later one about a month after.
    const firstRelease = (perModel.get(modelId)?.length ?? 1) * 21 + 5;
    for (const [i, id] of ids.entries()) {
      await db.update(requirementSets).set({ proposedAt: sql`now() - make_interval(days => ${Math.max(1, firstRelease - i * 30)})` }).where(eq(requirementSets.id, id));
    }
  }
  await db.update(models).set({ lastActivityAt: sql`now() - interval '2 days'` }).where(sql`true`);
}
