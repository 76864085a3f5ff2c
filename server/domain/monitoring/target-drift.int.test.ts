import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { adjudicate, listConflicts } from "../feedback/adjudicate";
import { nextItem } from "../feedback/claims";
import { setPolicy } from "../feedback/policy";
import { submitLabel } from "../feedback/submit";
import { ingestPredictions } from "../predictions/ingest";
import { runReviewIntake } from "../feedback/intake-job";
import { parseJsonBatch } from "../predictions/parse";
import { uploadReference } from "../references/upload";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { TARGET_MIN_LABELS } from "./target-drift";

/**
 * Target drift from human labels on a real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): labels
 * made through the review queue's verbs (ingest, claim, submit, adjudicate), counted per week in SQL and
 * judged by the drift engine against the earliest labeled week or the reference data's target column.
 */
const WEEK = 7 * 86_400_000;
const operator: Principal = { kind: "operator", name: "test" };

/** Monday 00:00 UTC of the ISO week `weeksAgo` weeks before this one. */
function weekStart(weeksAgo: number): Date {
  const now = new Date();
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday - weeksAgo * WEEK);
}

describe.each(testDatabaseKinds)("target drift from labels on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  let viewer: Principal;
  let reviewers: Principal[];
  const as = (p: Principal) => ({ db: database.db, principal: p });
  let seq = 0;

  const setup = async (model: string) => {
    await createModel(as(scientist), {
      name: model,
      task: "binary_classification",
      owner: "t",
      labels: ["stays", "churns"],
    });
    await registerVersion(as(scientist), model, {
      artifactUri: "s3://m/1",
      artifactSha256: "a".repeat(64),
      config: {},
    });
    await setPolicy(as(scientist), {
      model,
      strategy: "confidence",
      threshold: 0.9,
      randomShare: 0,
      goldShare: 0,
      overlap: 1,
      hideAnswerShare: 0,
      secondOpinionAbove: 0.99,
      order: ["disagreement", "confidence", "recency"],
    });
  };

  /** `n` low-confidence predictions in the week `weeksAgo`, each labeled by a reviewer with the class `truth(i)`. */
  const labelWeek = async (model: string, weeksAgo: number, n: number, truth: (i: number) => string) => {
    const start = weekStart(weeksAgo).getTime();
    const truths = new Map<string, string>();
    const predictions = Array.from({ length: n }, (_, i) => {
      const id = `${model}-${++seq}`;
      truths.set(id, truth(i));
      return {
        model,
        version: 1,
        id,
        time: new Date(start + 3_600_000 + i * 60_000).toISOString(),
        features: { tenure: i },
        prediction: "stays",
        confidence: 0.6,
      };
    });
    await ingestPredictions(as(operator), parseJsonBatch(JSON.stringify({ predictions })));
    await runReviewIntake(database.db);
    for (let k = 0; k < n; k++) {
      const claim = await nextItem(as(reviewers[0]!), { model });
      expect(claim).not.toBeNull();
      await submitLabel(as(reviewers[0]!), { itemId: claim!.item.id, label: truths.get(claim!.item.externalId)! });
    }
  };
  const page = (model: string) => createCaller({ db: database.db, principal: viewer }).monitoring.page({ model });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    viewer = await makeUser(database.db, "viewer@ratchet.test", ["viewer"]);
    reviewers = [
      await makeUser(database.db, "r1@ratchet.test", ["reviewer"]),
      await makeUser(database.db, "r2@ratchet.test", ["reviewer"]),
    ];
  }, 60_000);
  afterAll(async () => database?.close());

  it("says there are no labels yet, then not enough, before it judges anything", async () => {
    await setup("quiet");
    const empty = await page("quiet");
    expect(empty.target).toMatchObject({ status: "no_labels", totalLabels: 0, reference: null, weeks: [] });

    await labelWeek("quiet", 2, 10, (i) => (i % 2 ? "churns" : "stays"));
    const few = await page("quiet");
    expect(few.target.status).toBe("not_enough");
    expect(few.target.totalLabels).toBe(10);
    expect(few.target.reference).toBeNull();
    expect(few.target.weeks).toMatchObject([{ labels: 10, counts: { churns: 5, stays: 5 }, drift: null }]);
  }, 60_000);

  it("flags a week whose labels shifted against the earliest labeled week, and not one that did not", async () => {
    await setup("churn");
    const n = 60;
    expect(n).toBeGreaterThanOrEqual(TARGET_MIN_LABELS);
    await labelWeek("churn", 3, n, (i) => (i % 4 === 0 ? "churns" : "stays")); // 25 % churn: the reference
    await labelWeek("churn", 2, n, (i) => (i % 4 === 1 ? "churns" : "stays")); // 25 % again
    await labelWeek("churn", 1, n, (i) => (i % 4 === 3 ? "stays" : "churns")); // 75 % churn
    await labelWeek("churn", 4, 12, () => "churns"); // too few to judge (and older than the reference)

    const { target } = await page("churn");
    expect(target.status).toBe("measured");
    expect(target.totalLabels).toBe(3 * n + 12);
    expect(target.reference).toMatchObject({ source: "earliest_week", start: weekStart(3), labels: n });
    const byStart = (w: number) => target.weeks.find((x) => x.start.getTime() === weekStart(w).getTime())!;
    expect(byStart(3)).toMatchObject({ isReference: true, drift: null, counts: { churns: 15, stays: 45 } });
    // 60 reference labels: the small-sample test for a two-class target (Z-test), p ≤ 0.05 is drift.
    expect(byStart(2).drift).toMatchObject({ method: "ztest", drifted: false });
    expect(byStart(2).drift!.pValue).toBeCloseTo(1, 6);
    expect(byStart(1).drift).toMatchObject({ method: "ztest", drifted: true });
    expect(byStart(1).drift!.pValue).toBeLessThan(0.001);
    expect(byStart(4)).toMatchObject({ labels: 12, drift: null, isReference: false });
  }, 120_000);

  it("counts the adjudicated label, and uses the reference data's target column when it has one", async () => {
    await setup("credit");
    // v1's reference declares a target: 80 % stays.
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i % 5 === 0 ? "churns" : "stays"}`);
    await uploadReference(as(scientist), {
      model: "credit",
      version: 1,
      format: "csv",
      fileName: "credit-sample.csv",
      content: `tenure,target\n${rows.join("\n")}\n`,
    });
    // A week like the reference (20 % churn) ...
    await labelWeek("credit", 2, 50, (i) => (i % 5 === 0 ? "churns" : "stays"));
    // ... and one where most labels say churns.
    await labelWeek("credit", 1, 40, (i) => (i % 5 === 0 ? "stays" : "churns"));

    // Two reviewers disagree on one more item of week 1; the data scientist's adjudication is what counts.
    await setPolicy(as(scientist), {
      model: "credit",
      strategy: "confidence",
      threshold: 0.9,
      randomShare: 0,
      goldShare: 0,
      overlap: 2,
      hideAnswerShare: 0,
      secondOpinionAbove: 0.99,
      order: ["disagreement", "confidence", "recency"],
    });
    const t = new Date(weekStart(1).getTime() + 86_400_000).toISOString();
    const one = { model: "credit", version: 1, id: "credit-conflict", time: t, features: { tenure: 1 } };
    await ingestPredictions(
      as(operator),
      parseJsonBatch(JSON.stringify({ predictions: [{ ...one, prediction: "stays", confidence: 0.6 }] })),
    );
    await runReviewIntake(database.db);
    for (const [who, label] of [
      [reviewers[0]!, "stays"],
      [reviewers[1]!, "churns"],
    ] as const) {
      const claim = await nextItem(as(who), { model: "credit" });
      await submitLabel(as(who), { itemId: claim!.item.id, label });
    }
    const { items } = await listConflicts(as(scientist), { limit: 10, offset: 0 });
    await adjudicate(as(scientist), { itemId: items[0]!.id, label: "churns", note: "Cancelled the next day." });

    const { target } = await page("credit");
    expect(target.reference).toMatchObject({
      source: "reference_data",
      fileName: "credit-sample.csv",
      labels: 200,
      counts: { churns: 40, stays: 160 },
    });
    const byStart = (w: number) => target.weeks.find((x) => x.start.getTime() === weekStart(w).getTime())!;
    expect(byStart(2)).toMatchObject({ labels: 50, isReference: false, drift: { method: "ztest", drifted: false } });
    expect(byStart(1)).toMatchObject({ labels: 41, counts: { churns: 33, stays: 8 } });
    expect(byStart(1).drift).toMatchObject({ method: "ztest", drifted: true });
  }, 120_000);
});
