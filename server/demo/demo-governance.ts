import { createHash } from "node:crypto";
import type { DomainContext } from "@/server/domain/context";
import { registerDataset } from "@/server/domain/registry/datasets";
import { decideRelease } from "@/server/domain/releases/decide";
import { requestRelease } from "@/server/domain/releases/request";
import { rollback } from "@/server/domain/releases/rollback";
import { createReport } from "@/server/domain/reports/create";
import { registerVersion } from "@/server/domain/registry/versions";
import { proposeRequirementSet } from "@/server/domain/requirements/sets";
import { VERSION_DAYS, type Story } from "./story";
import { binaryOutcomes, regressionOutcomes } from "./synthetic";

/**
 * The governance half of the demo: requirements, evaluation reports, releases with a history, one
 * failing gate waiting in the inbox, one rollback and one loosening waiting for a manager. Everything
 * goes through the same domain functions as the product, so the demo obeys the same rules, and each
 * event is scheduled on the story's calendar (days ago), so every date on the pages tells one story.
 *
 * The evaluation data comes before any version: a holdout, five monthly back-test periods and a
 * now-test week, all ending before credit-default's v1 (100 days ago) was evaluated.
 */
interface EvaluationPeriods {
  holdout: { start: string; end: string };
  backtestMonths: string[];
  nowtest: { start: string; end: string };
}

const lastDay = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).toISOString().slice(0, 10);

function periodsOf(story: Story): EvaluationPeriods {
  const month = (monthsBack: number) => {
    const d = new Date(Date.UTC(story.today.getUTCFullYear(), story.today.getUTCMonth() - monthsBack, 1));
    return d.toISOString().slice(0, 7);
  };
  // Back-tests: the five calendar months ending at least four months ago; the holdout the five before.
  const backtestMonths = [8, 7, 6, 5, 4].map(month);
  return {
    holdout: { start: `${month(13)}-01`, end: lastDay(month(9)) },
    backtestMonths,
    nowtest: { start: story.day(110), end: story.day(104) },
  };
}

async function evaluationData(scientist: DomainContext, prefix: string, p: EvaluationPeriods) {
  await registerDataset(scientist, {
    name: `${prefix}-holdout`,
    role: "test",
    periodStart: p.holdout.start,
    periodEnd: p.holdout.end,
    rowCount: 1500,
    hash: `sha256:${prefix}-holdout-1`,
    uri: `s3://ratchet-demo/datasets/${prefix}-holdout/v1.parquet`,
  });
  await registerDataset(scientist, {
    name: `${prefix}-nowtest`,
    role: "live",
    periodStart: p.nowtest.start,
    periodEnd: p.nowtest.end,
    rowCount: 600,
    hash: `sha256:${prefix}-nowtest-1`,
    uri: `s3://ratchet-demo/datasets/${prefix}-nowtest/v1.parquet`,
  });
  for (const m of p.backtestMonths) {
    await registerDataset(scientist, {
      name: `${prefix}-backtest-${m}`,
      role: "backtest",
      periodStart: `${m}-01`,
      periodEnd: lastDay(m),
      rowCount: 4000,
      hash: `sha256:${prefix}-bt-${m}`,
      uri: `s3://ratchet-demo/datasets/${prefix}-backtest/${m}.parquet`,
    });
  }
}

/** Reports for one classification version: a holdout and a now-test with outcomes, back-tests per month. */
async function classificationReports(
  scientist: DomainContext,
  p: EvaluationPeriods,
  model: string,
  prefix: string,
  version: number,
  skill: number,
  latency: number,
  drift = 0,
) {
  await createReport(scientist, {
    model,
    version,
    kind: "holdout",
    dataset: { name: `${prefix}-holdout`, version: 1 },
    sampleSize: 1500,
    metrics: { latency_p95_ms: latency },
    outcomes: binaryOutcomes(11, 1500, skill, 0.22, 100),
  });
  await createReport(scientist, {
    model,
    version,
    kind: "nowtest",
    dataset: { name: `${prefix}-nowtest`, version: 1 },
    periodStart: p.nowtest.start,
    periodEnd: p.nowtest.end,
    sampleSize: 600,
    metrics: {},
    outcomes: binaryOutcomes(12, 600, skill - drift, 0.25, 200),
  });
  // Back-tests carry their outcomes too: the gate counts the primary metric only when computed from enough
  // outcomes (at least 200, and 20 of each class for AUC), never a posted number alone.
  for (const [i, m] of p.backtestMonths.entries()) {
    const rows = binaryOutcomes(20 + i, 500, skill - i * 0.03, 0.22, 300 + i);
    await createReport(scientist, {
      model,
      version,
      kind: "backtest",
      dataset: { name: `${prefix}-backtest-${m}`, version: 1 },
      periodStart: `${m}-01`,
      periodEnd: lastDay(m),
      sampleSize: 500,
      metrics: {},
      outcomes: rows,
    });
  }
}

async function regressionReports(
  scientist: DomainContext,
  p: EvaluationPeriods,
  model: string,
  prefix: string,
  version: number,
  errorScale: number,
) {
  await createReport(scientist, {
    model,
    version,
    kind: "holdout",
    dataset: { name: `${prefix}-holdout`, version: 1 },
    sampleSize: 1500,
    metrics: { latency_p95_ms: 12 },
    outcomes: regressionOutcomes(31, 1500, errorScale, 400),
  });
  await createReport(scientist, {
    model,
    version,
    kind: "nowtest",
    dataset: { name: `${prefix}-nowtest`, version: 1 },
    periodStart: p.nowtest.start,
    periodEnd: p.nowtest.end,
    sampleSize: 600,
    metrics: {},
    outcomes: regressionOutcomes(32, 600, errorScale * 1.05, 500),
  });
  for (const [i, m] of p.backtestMonths.entries()) {
    const rows = regressionOutcomes(40 + i, 500, errorScale * (1 + i * 0.02), 600 + i);
    await createReport(scientist, {
      model,
      version,
      kind: "backtest",
      dataset: { name: `${prefix}-backtest-${m}`, version: 1 },
      periodStart: `${m}-01`,
      periodEnd: lastDay(m),
      sampleSize: 500,
      metrics: {},
      outcomes: rows,
    });
  }
}

/** A full release: requested on one day, approved by the manager half a day later. */
function release(
  story: Story,
  scientist: DomainContext,
  manager: DomainContext,
  daysAgo: number,
  model: string,
  version: number,
  rationale: string,
  note = "Gate passes; approved.",
) {
  let id = "";
  story.at(daysAgo, async () => {
    id = (await requestRelease(scientist, { model, version, strategy: "full", rationale })).id;
  });
  story.at(daysAgo - 0.5, () => decideRelease(manager, { releaseId: id, decision: "approve", note }));
}

const KINDS = ["holdout", "backtest", "nowtest"] as ("holdout" | "backtest" | "nowtest")[];
/** A version's reports are uploaded half a day after it is registered. */
const reportsDay = (model: string, version: number) => VERSION_DAYS[model]![version - 1]! - 0.5;

export function scheduleGovernance(story: Story, scientist: DomainContext, manager: DomainContext) {
  const p = periodsOf(story);

  // credit-default: a ratchet of requirements, four promotions, and v6 waiting with a failing gate (too slow).
  story.at(114, () => evaluationData(scientist, "credit", p));
  story.at(113, () =>
    proposeRequirementSet(scientist, {
      model: "credit-default",
      primaryMetric: "auc",
      requiredReportKinds: KINDS,
      requirements: [
        { metric: "auc", direction: "higher", floor: 0.6 },
        {
          metric: "latency_p95_ms",
          direction: "lower",
          floor: 50,
          reportKinds: ["holdout"],
          rationale: "the loan form answers within 100 ms end to end",
        },
      ],
      rationale: "Agreed with Risk at the launch review.",
    }),
  );
  const credit = [0.55, 0.62, 0.72, 0.8, 0.9, 0.95];
  for (const [i, skill] of credit.entries())
    story.at(reportsDay("credit-default", i + 1), () =>
      classificationReports(scientist, p, "credit-default", "credit", i + 1, skill, i === 5 ? 64 : 28 + i),
    );
  release(story, scientist, manager, 99, "credit-default", 1, "First model: beats the rules engine on the holdout.");
  release(
    story,
    scientist,
    manager,
    68,
    "credit-default",
    3,
    "Adds inquiries in the last six months; better on every back-test.",
  );
  story.at(60, () =>
    proposeRequirementSet(scientist, {
      model: "credit-default",
      primaryMetric: "auc",
      requiredReportKinds: KINDS,
      requirements: [
        { metric: "auc", direction: "higher", floor: 0.66 },
        { metric: "latency_p95_ms", direction: "lower", floor: 50, reportKinds: ["holdout"] },
      ],
      rationale: "v3 holds well above 0.6: tighten the floor to 0.66.",
    }),
  );
  release(story, scientist, manager, 50, "credit-default", 4, "Balanced class weights; recall on defaults up.");
  release(story, scientist, manager, 28, "credit-default", 5, "Adds log income; best holdout AUC so far.");
  story.at(6, () =>
    requestRelease(scientist, {
      model: "credit-default",
      version: 6,
      strategy: "canary",
      share: 0.1,
      rationale: "Best AUC yet on every back-test; the latency fix ships next sprint.",
    }),
  );

  // churn: v4 went out and was rolled back to v3.
  story.at(111, () => evaluationData(scientist, "churn", p));
  story.at(110, () =>
    proposeRequirementSet(scientist, {
      model: "churn",
      primaryMetric: "auc",
      requiredReportKinds: ["holdout", "nowtest"],
      requirements: [
        { metric: "auc", direction: "higher", floor: 0.62 },
        { metric: "recall", direction: "higher", floor: 0.2, reportKinds: ["holdout"] },
      ],
      rationale: "Retention team needs at least a fifth of churners flagged.",
    }),
  );
  for (const [i, skill] of [0.6, 0.7, 0.85, 0.9].entries())
    story.at(reportsDay("churn", i + 1), () => classificationReports(scientist, p, "churn", "churn", i + 1, skill, 15));
  release(story, scientist, manager, 76, "churn", 2, "Gradient boosting replaces the heuristic.");
  release(story, scientist, manager, 58, "churn", 3, "Lower learning rate, better calibrated.");
  release(story, scientist, manager, 38, "churn", 4, "More trees; best holdout AUC.");
  // The week after: v4 collapses on annual plans, which the now-test on that slice shows.
  const annual = (version: number, skill: number) =>
    createReport(scientist, {
      model: "churn",
      version,
      kind: "nowtest",
      dataset: { name: "churn-nowtest", version: 1 },
      slice: "plan=annual",
      periodStart: p.nowtest.start,
      periodEnd: p.nowtest.end,
      sampleSize: 300,
      metrics: {},
      outcomes: binaryOutcomes(13, 300, skill, 0.2, 210),
    });
  story.at(33, () => annual(4, 0.25));
  story.at(32, () =>
    rollback(manager, {
      model: "churn",
      reason: "v4 over-predicts churn for annual plans since the price change; back to v3 while we retrain.",
    }),
  );
  story.at(31, () => annual(3, 0.85));
  churnChallenger(story, scientist, p, annual);

  // house-price: two promotions, and a loosening that waits for a manager.
  story.at(107, () => evaluationData(scientist, "house", p));
  story.at(106, () =>
    proposeRequirementSet(scientist, {
      model: "house-price",
      primaryMetric: "rmse",
      requiredReportKinds: ["holdout"],
      requirements: [
        { metric: "rmse", direction: "lower", floor: 50_000 },
        { metric: "mae", direction: "lower", floor: 40_000 },
      ],
      rationale: "Valuations within the agents' tolerance.",
    }),
  );
  for (const [i, err] of [40_000, 34_000, 33_000].entries())
    story.at(reportsDay("house-price", i + 1), () =>
      regressionReports(scientist, p, "house-price", "house", i + 1, err),
    );
  release(story, scientist, manager, 90, "house-price", 1, "Ridge on log price.");
  release(story, scientist, manager, 68, "house-price", 2, "Adds distance to the centre.");
  story.at(5, () =>
    proposeRequirementSet(scientist, {
      model: "house-price",
      primaryMetric: "rmse",
      requiredReportKinds: ["holdout"],
      requirements: [
        { metric: "rmse", direction: "lower", floor: 55_000 },
        { metric: "mae", direction: "lower", floor: 40_000 },
      ],
      rationale: "The new coastal regions are noisier; allow a wider RMSE for a quarter.",
    }),
  );
}

/**
 * churn v5, the comparison page's story: retrained after the rollback, better on AUC on the holdout and
 * the now-test, but still worse than champion v3 on annual plans. Its outcomes share example ids with
 * v3's (same data seeds), so every comparison is paired; its gate fails on that slice, pending.
 */
function churnChallenger(
  story: Story,
  scientist: DomainContext,
  p: EvaluationPeriods,
  annual: (version: number, skill: number) => Promise<unknown>,
) {
  story.at(12, async () => {
    await registerDataset(scientist, {
      name: "subscriber-activity",
      role: "train",
      periodStart: "2025-06-01",
      periodEnd: story.day(14),
      rowCount: 61_250,
      hash: "sha256:subscriber-activity-5",
      uri: "s3://ratchet-demo/datasets/subscriber-activity/v5.parquet",
    });
    await registerVersion(scientist, "churn", {
      artifactUri: "s3://ratchet-demo/models/churn/5/model.joblib",
      artifactSha256: createHash("sha256").update("churn-5").digest("hex"),
      config: {
        kind: "gradient_boosting",
        trees: 400,
        feature_importance: {
          days_since_login: 0.31,
          support_tickets_30d: 0.19,
          plan_price: 0.17,
          tenure_months: 0.14,
          price_change: 0.09,
        },
        threshold: 0.5,
      },
      hyperparameters: { learning_rate: 0.05, max_depth: 5, subsample: 0.8 },
      trainingDataset: { name: "subscriber-activity", version: 5 },
      parentVersion: 3,
      codeCommit: "5c1d0e7a9b21",
      description: "Retrained from v3 with the price change as a feature",
    });
  });
  story.at(11.5, async () => {
    await classificationReports(scientist, p, "churn", "churn", 5, 0.95, 14);
    await annual(5, 0.55);
  });
  story.at(11, () =>
    requestRelease(scientist, {
      model: "churn",
      version: 5,
      strategy: "canary",
      share: 0.2,
      rationale: "Better AUC than v3 on the holdout and the now-test; annual plans still lag, so canary first.",
    }),
  );
}
