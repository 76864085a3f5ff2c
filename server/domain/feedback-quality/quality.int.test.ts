import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { wilsonInterval } from "@/server/stats/proportions";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { ForbiddenError } from "../errors";
import { adjudicate, markGold } from "../feedback/adjudicate";
import { nextItem } from "../feedback/claims";
import { setPolicy, type PolicyInput } from "../feedback/policy";
import { submitLabel } from "../feedback/submit";
import { previewGate } from "../gate/preview";
import { ingestPredictions } from "../predictions/ingest";
import { runReviewIntake } from "../feedback/intake-job";
import { parseJsonBatch } from "../predictions/parse";
import { registerDataset } from "../registry/datasets";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { createReport } from "../reports/create";
import { proposeRequirementSet } from "../requirements/sets";
import { humanBaselines, recordHumanBaseline } from "./baseline";
import { labelQuality } from "./quality";

/**
 * Label quality on a small labeled set made through the feedback verbs, on a real database (PGlite, and
 * PostgreSQL with TEST_DATABASE_URL). The expected numbers are worked out by hand in the comments.
 */
const operator: Principal = { kind: "operator", name: "test" };

describe.each(testDatabaseKinds)("label quality on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  let viewer: Principal;
  let manager: Principal;
  let a: Principal;
  let b: Principal;
  let c: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  let seq = 0;

  const newModel = async (name: string) => {
    await createModel(as(scientist), {
      name,
      task: "binary_classification",
      owner: "growth",
      labels: ["stays", "churns"],
    });
    await registerVersion(as(scientist), name, {
      artifactUri: `s3://m/${name}`,
      artifactSha256: "a".repeat(64),
      config: {},
    });
  };
  const policy = (model: string, p: Partial<PolicyInput>) =>
    setPolicy(as(scientist), {
      model,
      strategy: "confidence",
      threshold: 0.99,
      randomShare: 0,
      goldShare: 0,
      overlap: 2,
      hideAnswerShare: 0,
      secondOpinionAbove: 0.999,
      order: ["confidence"],
      ...p,
    });
  const ingest = async (model: string, rows: { prediction: string; confidence: number }[]) => {
    await ingestPredictions(
      as(operator),
      parseJsonBatch(
        JSON.stringify({
          predictions: rows.map((r) => ({
            model,
            version: 1,
            id: `req-${++seq}`,
            time: new Date(Date.UTC(2026, 10, 30, 10, 0, seq % 60)).toISOString(),
            features: { tenure: seq },
            prediction: r.prediction,
            confidence: r.confidence,
            arm: "champion",
          })),
        }),
      ),
    );
    await runReviewIntake(database.db);
  };
  /** Each reviewer in turn claims the next item (lowest confidence first) and gives the label listed. */
  const label = async (model: string, rounds: [Principal, string][][]) => {
    const ids: number[] = [];
    for (const round of rounds) {
      for (const [who, given] of round) {
        const claim = await nextItem(as(who), { model });
        expect(claim).not.toBeNull();
        await submitLabel(as(who), { itemId: claim!.item.id, label: given });
        if (!ids.includes(claim!.item.id)) ids.push(claim!.item.id);
      }
    }
    return ids;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    viewer = await makeUser(database.db, "viewer@ratchet.test", ["viewer"]);
    manager = await makeUser(database.db, "manager@ratchet.test", ["manager"]);
    a = await makeUser(database.db, "ann@ratchet.test", ["reviewer"]);
    b = await makeUser(database.db, "bob@ratchet.test", ["reviewer"]);
    c = await makeUser(database.db, "cy@ratchet.test", ["reviewer"]);
  }, 120_000);
  afterAll(async () => database?.close());

  it("measures agreement, human accuracy, gold accuracy and calibration as worked out by hand, and stores the human baseline the gate reads", async () => {
    await newModel("churn-q");
    // Every prediction is drawn at random (share 1, weight 1), and two reviewers label each.
    await policy("churn-q", { randomShare: 1 });
    // Model answers and confidences; the label that counts ends up: churns, stays, stays, churns, churns, stays.
    await ingest("churn-q", [
      { prediction: "churns", confidence: 0.55 }, // right
      { prediction: "churns", confidence: 0.65 }, // wrong (adjudicated stays)
      { prediction: "stays", confidence: 0.72 }, // right
      { prediction: "stays", confidence: 0.85 }, // wrong (adjudicated churns)
      { prediction: "churns", confidence: 0.91 }, // right
      { prediction: "stays", confidence: 0.95 }, // right
    ]);
    const items = await label("churn-q", [
      [
        [a, "churns"],
        [b, "churns"],
      ],
      [
        [a, "churns"],
        [b, "stays"],
      ],
      [
        [a, "stays"],
        [b, "stays"],
      ],
      [
        [a, "stays"],
        [b, "churns"],
      ],
      [
        [a, "churns"],
        [b, "churns"],
      ],
      [
        [a, "stays"],
        [b, "stays"],
      ],
    ]);
    expect(items).toHaveLength(6);

    // Two conflicts wait for adjudication: they count nowhere yet.
    let q = await labelQuality(as(scientist), { model: "churn-q" });
    expect(q.human.openConflicts).toBe(2);
    expect(q.human.firstLabels).toMatchObject({ n: 4, correct: 4 });
    expect(q.calibration.versions).toMatchObject([{ version: 1, labeled: 4, waiting: 2 }]);
    await expect(recordHumanBaseline(as(viewer), { model: "churn-q", version: 1 })).rejects.toThrow(ForbiddenError);

    await adjudicate(as(scientist), { itemId: items[1]!, label: "stays" });
    await adjudicate(as(scientist), { itemId: items[3]!, label: "churns" });
    q = await labelQuality(as(scientist), { model: "churn-q" });
    expect(q.applicable).toBe(true);
    expect(q.reviewersNamed).toBe(true);

    // Cohen's kappa, Ann vs Bob: agree on 4 of 6 (p_o = 2/3); each said churns 3 times (p_e = 1/2);
    // κ = (2/3 − 1/2)/(1/2) = 1/3. SE (Fleiss, Cohen & Everitt): A = 2/27, B = 4/27, C = 0,
    // Var = (6/27)/((1/2)²·6) = 4/27, SE = 0.3849; interval 1/3 ± 1.96·SE = [−0.4211, 1 (clamped)].
    expect(q.agreement.sharedItems).toBe(6);
    expect(q.agreement.pairs).toHaveLength(1);
    const pair = q.agreement.pairs[0]!;
    expect(new Set([pair.a.name, pair.b.name])).toEqual(
      new Set([a.kind === "user" ? a.name : "", b.kind === "user" ? b.name : ""]),
    );
    expect(pair.kappa.n).toBe(6);
    expect(pair.kappa.observedAgreement).toBeCloseTo(2 / 3, 10);
    expect(pair.kappa.expectedAgreement).toBeCloseTo(1 / 2, 10);
    expect(pair.kappa.kappa).toBeCloseTo(1 / 3, 10);
    expect(pair.kappa.standardError).toBeCloseTo(Math.sqrt(4 / 27), 10);
    expect(pair.kappa.interval![0]).toBeCloseTo(1 / 3 - 1.959964 * Math.sqrt(4 / 27), 4);
    expect(pair.kappa.interval![1]).toBe(1);
    // No item has three labels: Fleiss' kappa is not measured.
    expect(q.agreement.fleiss).toEqual([]);

    // Human accuracy: the first label (Ann's) against the label that counts: right on 1, 3, 5, 6 → 4/6,
    // two of the six settled by adjudication. Per reviewer: Ann 4/6, Bob 6/6.
    expect(q.human.openConflicts).toBe(0);
    expect(q.human.adjudicatedItems).toBe(2);
    expect(q.human.firstLabels).toMatchObject({ n: 6, correct: 4 });
    expect(q.human.firstLabels.accuracy).toBeCloseTo(4 / 6, 10);
    expect(q.human.firstLabels.interval).toEqual(wilsonInterval(4, 6));
    expect(q.human.firstLabels.interval![0]).toBeCloseTo(0.3, 3);
    expect(q.human.firstLabels.interval![1]).toBeCloseTo(0.9032, 3);
    expect(q.human.perReviewer.map((r) => [r.reviewer.name, r.correct, r.n])).toEqual([
      [a.kind === "user" ? a.name : "", 4, 6],
      [b.kind === "user" ? b.name : "", 6, 6],
    ]);

    // Calibration from the random draw: bins (0.5, 0.6] right, (0.6, 0.7] wrong, (0.7, 0.8] right,
    // (0.8, 0.9] wrong, (0.9, 1] two right at mean 0.93. ECE = (0.45 + 0.65 + 0.28 + 0.85 + 2·0.07)/6 = 0.395.
    const [v1] = q.calibration.versions;
    expect(v1).toMatchObject({ version: 1, labeled: 6, waiting: 0 });
    expect(v1!.calibration.n).toBe(6);
    expect(v1!.calibration.bins.map((bin) => [bin.count, bin.accuracy])).toEqual([
      [0, null],
      [0, null],
      [0, null],
      [0, null],
      [0, null],
      [1, 1],
      [1, 0],
      [1, 1],
      [1, 0],
      [2, 1],
    ]);
    expect(v1!.calibration.bins[9]!.meanConfidence).toBeCloseTo(0.93, 6);
    expect(v1!.calibration.expectedCalibrationError).toBeCloseTo(0.395, 6);

    // Gold: item 1 (churns) becomes gold; Ann gets it right, Bob wrong. Gold labels stay out of agreement.
    await markGold(as(scientist), { itemId: items[0]! });
    await policy("churn-q", { randomShare: 1, goldShare: 1 });
    await label("churn-q", [
      [
        [a, "churns"],
        [b, "stays"],
      ],
    ]);
    q = await labelQuality(as(scientist), { model: "churn-q" });
    expect(q.gold.items).toBe(1);
    expect(q.gold.perReviewer.map((r) => [r.reviewer.name, r.correct, r.n])).toEqual([
      [a.kind === "user" ? a.name : "", 1, 1],
      [b.kind === "user" ? b.name : "", 0, 1],
    ]);
    expect(q.agreement.pairs[0]!.kappa.n).toBe(6);
    expect(q.calibration.versions[0]!.labeled).toBe(6);

    // Names are for data scientists: a viewer sees numbered reviewers, a reviewer sees themselves as "you".
    const seenByViewer = await labelQuality(as(viewer), { model: "churn-q" });
    expect(seenByViewer.reviewersNamed).toBe(false);
    expect(seenByViewer.reviewers.map((r) => r.name).sort()).toEqual(["Reviewer 1", "Reviewer 2"]);
    const seenByBob = await labelQuality(as(b), { model: "churn-q" });
    expect(seenByBob.reviewers.filter((r) => r.isYou).map((r) => r.name)).toEqual([
      expect.stringMatching(/^Reviewer \d \(you\)$/),
    ]);
    expect(JSON.stringify(seenByBob)).not.toContain("ann");
    expect(seenByBob.human.firstLabels).toEqual(q.human.firstLabels);

    // The human baseline: refused without reports:write, stored once for the same evidence, audited.
    for (const who of [viewer, manager, b])
      await expect(recordHumanBaseline(as(who), { model: "churn-q", version: 1 })).rejects.toThrow(ForbiddenError);
    expect(await humanBaselines(as(viewer), { model: "churn-q" })).toEqual([]);
    const first = await recordHumanBaseline(as(scientist), { model: "churn-q", version: 1 });
    expect(first.created).toBe(true);
    expect(first.report.sampleSize).toBe(6);
    expect(first.report.accuracy!.value).toBeCloseTo(4 / 6, 10);
    expect(first.report.accuracy!.source).toBe("computed");
    expect(first.report.accuracy!.ci).toHaveLength(2);
    expect(first.adjudicatedItems).toBe(2);
    const again = await recordHumanBaseline(as(scientist), { model: "churn-q", version: 1 });
    expect(again).toMatchObject({ created: false, report: { id: first.report.id } });
    const audit = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'report.created' and entity_id = ${first.report.id}`,
    );
    expect(Number(audit.rows[0]!.n)).toBe(1);
    const stored = await database.db.execute<{ kind: string; baseline: string; dataset_id: string | null }>(
      sql`select kind, baseline, dataset_id from evaluation_reports where id = ${first.report.id}`,
    );
    expect(stored.rows[0]).toMatchObject({ kind: "baseline", baseline: "human", dataset_id: null });
    expect(
      (await humanBaselines(as(viewer), { model: "churn-q" })).map((r) => [r.id, r.version, r.sampleSize]),
    ).toEqual([[first.report.id, 1, 6]]);

    // The gate reads it: with accuracy as the primary metric, the version's holdout (on a dataset) is
    // compared with the human baseline, and beats it (0.9 > 2/3).
    await registerDataset(as(scientist), {
      name: "churn-q-holdout",
      role: "test",
      rowCount: 10,
      hash: "sha256:churn-q-holdout",
      uri: "s3://d/churn-q-holdout",
    });
    await createReport(as(scientist), {
      model: "churn-q",
      version: 1,
      kind: "holdout",
      dataset: { name: "churn-q-holdout", version: 1 },
      sampleSize: 10,
      metrics: {},
      outcomes: Array.from({ length: 10 }, (_, i) => ({ id: `o${i}`, label: i % 2, prediction: i === 0 ? 1 : i % 2 })),
    });
    await proposeRequirementSet(as(scientist), {
      model: "churn-q",
      primaryMetric: "accuracy",
      requiredReportKinds: ["holdout"],
      requirements: [{ metric: "accuracy", direction: "higher", floor: 0.5 }],
      rationale: "test",
    });
    const { gate } = await previewGate(as(viewer), "churn-q", 1);
    const baselines = gate.checks.find((check) => check.id === "baselines")!;
    const human = baselines.details.filter((d) => d.baseline === "human");
    expect(human).toHaveLength(1);
    expect(human[0]).toMatchObject({ kind: "holdout", beats: true });
    expect(human[0]!.baselineValue as number).toBeCloseTo(4 / 6, 10);
    expect(human[0]!.model as number).toBeCloseTo(0.9, 10);
  }, 120_000);

  it("gives Fleiss' kappa for items with three labels, and no calibration without a random draw", async () => {
    await newModel("churn-f");
    await policy("churn-f", { overlap: 3, randomShare: 0 });
    await ingest("churn-f", [
      { prediction: "churns", confidence: 0.51 },
      { prediction: "churns", confidence: 0.52 },
      { prediction: "stays", confidence: 0.53 },
      { prediction: "stays", confidence: 0.54 },
    ]);
    await label("churn-f", [
      [
        [a, "churns"],
        [b, "churns"],
        [c, "churns"],
      ],
      [
        [a, "churns"],
        [b, "churns"],
        [c, "stays"],
      ],
      [
        [a, "stays"],
        [b, "stays"],
        [c, "stays"],
      ],
      [
        [a, "stays"],
        [b, "churns"],
        [c, "stays"],
      ],
    ]);
    const q = await labelQuality(as(viewer), { model: "churn-f" });
    // P_i = 1, 1/3, 1, 1/3 → P̄ = 2/3; churns has 6 of 12 ratings → P̄_e = 1/2; κ = (2/3 − 1/2)/(1/2) = 1/3.
    expect(q.agreement.fleiss).toHaveLength(1);
    const f = q.agreement.fleiss[0]!;
    expect(f.labelsPerItem).toBe(3);
    expect(f.kappa.items).toBe(4);
    expect(f.kappa.observedAgreement).toBeCloseTo(2 / 3, 10);
    expect(f.kappa.kappa).toBeCloseTo(1 / 3, 10);
    expect(f.kappa.interval).not.toBeNull();
    // Three reviewers, three pairs of four shared items each.
    expect(q.agreement.pairs.map((p) => p.kappa.n)).toEqual([4, 4, 4]);
    // Nothing was drawn at random: calibration is not measured (rather than measured on the hard items).
    expect(q.calibration.versions).toEqual([]);
  }, 120_000);

  it("says a regression model's labels give no class statistics, and refuses its human baseline", async () => {
    await createModel(as(scientist), { name: "price-q", task: "regression", owner: "growth" });
    await registerVersion(as(scientist), "price-q", {
      artifactUri: "s3://m/p",
      artifactSha256: "b".repeat(64),
      config: {},
    });
    const q = await labelQuality(as(viewer), { model: "price-q" });
    expect(q.applicable).toBe(false);
    expect(q.notApplicableReason).toMatch(/regression/);
    await expect(recordHumanBaseline(as(scientist), { model: "price-q", version: 1 })).rejects.toThrow(/regression/);
    await expect(recordHumanBaseline(as(scientist), { model: "churn-f", version: 9 })).rejects.toThrow(/no version 9/);
  }, 60_000);
});
