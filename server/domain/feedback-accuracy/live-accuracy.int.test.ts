import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { alerts, modelFeatures, models, modelVersions } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { weightedAccuracy } from "@/server/stats/feedback";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { insertReport, makeUser } from "@/server/testing/fixtures";
import { saveAlertRule } from "../alerts/rules";
import { compareVersions } from "../compare/compare-versions";
import { InvalidInputError } from "../errors";
import { adjudicate } from "../feedback/adjudicate";
import { nextItem } from "../feedback/claims";
import { setPolicy } from "../feedback/policy";
import { submitLabel } from "../feedback/submit";
import { evaluateGate } from "../gate/evaluate";
import { runDueJobs } from "../jobs/runner";
import { ingestPredictions } from "../predictions/ingest";
import { runReviewIntake } from "../feedback/intake-job";
import { parseJsonBatch } from "../predictions/parse";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { proposeRequirementSet } from "../requirements/sets";
import { LIVE_ACCURACY_JOB, liveAccuracyJobHandler } from "./alert-job";
import { liveAccuracy } from "./live-accuracy";

/**
 * Live accuracy from labels on a real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): the
 * weighted estimate per version, week and slice, conflicts left out until adjudicated, the comparison's
 * labeled accuracy on shared traffic, and the live-accuracy alert judged on the jobs queue as labels arrive.
 */
const operator: Principal = { kind: "operator", name: "test" };

describe.each(testDatabaseKinds)("live accuracy on %s", (kind) => {
  let database: Database;
  let scientist: Principal, viewer: Principal;
  const reviewers: Principal[] = [];
  const as = (p: Principal) => ({ db: database.db, principal: p });

  /**
   * A classifier with v1 as champion (accuracy floor 0.8), the confidence rule only (every item sampled
   * with probability 1), and `region` declared categorical.
   */
  async function setup(name: string, overlap = 1) {
    await createModel(as(scientist), {
      name,
      task: "binary_classification",
      owner: "risk",
      labels: ["repaid", "default"],
    });
    for (const v of [1, 2])
      await registerVersion(as(scientist), name, {
        artifactUri: `s3://m/${v}`,
        artifactSha256: "a".repeat(64),
        config: {},
      });
    await proposeRequirementSet(as(scientist), {
      model: name,
      primaryMetric: "accuracy",
      requiredReportKinds: ["holdout"],
      requirements: [{ metric: "accuracy", direction: "higher", floor: 0.8 }],
      rationale: "agreed in the launch review",
    });
    await insertReport(database.db, name, 1, "holdout", { accuracy: [0.9, 0.88, 0.92] });
    const [m] = await database.db.select().from(models).where(eq(models.name, name));
    // v1 in production (how it got there is the release tests' business).
    await database.db
      .update(modelVersions)
      .set({ stage: "champion" })
      .where(and(eq(modelVersions.modelId, m!.id), eq(modelVersions.version, 1)));
    await database.db.insert(modelFeatures).values({ modelId: m!.id, name: "region", kind: "categorical" });
    await setPolicy(as(scientist), {
      model: name,
      strategy: "confidence",
      threshold: 0.6,
      randomShare: 0,
      goldShare: 0,
      overlap,
      hideAnswerShare: 0,
      secondOpinionAbove: 0.99,
      order: ["disagreement", "confidence", "recency"],
    });
    return m!;
  }

  /** Champion rows (and optionally v2 in shadow on the same requests); `ok-…` ids are answered right. */
  async function ingest(model: string, ids: string[], day: number, shadow?: (id: string) => "repaid" | "default") {
    const predictions = ids.flatMap((id, i) => {
      const time = new Date(Date.UTC(2026, 10, day, 10, 0, i)).toISOString();
      const base = { model, id, time, features: { region: i % 2 ? "south" : "north" }, confidence: 0.55 };
      return [
        { ...base, version: 1, prediction: "repaid", arm: "champion" },
        ...(shadow ? [{ ...base, version: 2, prediction: shadow(id), arm: "shadow" }] : []),
      ];
    });
    await ingestPredictions(as(operator), parseJsonBatch(JSON.stringify({ predictions })));
    await runReviewIntake(database.db);
  }

  /** The truth behind an id: `ok-…` was "repaid" (what v1 answers), anything else "default". */
  const truth = (externalId: string) => (externalId.startsWith("ok-") ? "repaid" : "default");

  /** One reviewer labels every item of the model it can claim, with the truth (or `override`). */
  async function labelAll(model: string, reviewer: Principal, override?: (id: string) => string) {
    for (;;) {
      const next = await nextItem(as(reviewer), { model });
      if (!next) return;
      const id = next.item.externalId;
      await submitLabel(as(reviewer), { itemId: next.item.id, label: override?.(id) ?? truth(id) });
    }
  }

  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    viewer = await makeUser(database.db, "viewer@ratchet.test", ["viewer"]);
    for (let i = 0; i < 2; i++) reviewers.push(await makeUser(database.db, `r${i}@ratchet.test`, ["reviewer"]));
  });
  afterAll(async () => database?.close());

  it("weights each label by its inverse sampling probability, per version, week and slice; says when nothing is measured", async () => {
    await setup("loans");
    expect((await liveAccuracy(as(viewer), { model: "loans" })).totals).toEqual({
      labeled: 0,
      conflicts: 0,
      awaiting: 0,
    });

    await ingest("loans", [...ids("ok", 8), ...ids("bad", 2)], 23); // Monday 2026-11-23: 2026-W48
    await ingest("loans", [...ids("ok-late", 3), ...ids("bad-late", 1)], 30); // 2026-W49
    // Two of the first week's right answers came from the random share (π = 0.5): they stand for two each.
    await database.db.execute(sql`
      update feedback_items set sampling_probability = 0.5, reason = 'random', random_draw = true
      where external_id in ('ok-0', 'ok-1')`);
    await labelAll("loans", reviewers[0]!);

    const r = await liveAccuracy(as(viewer), { model: "loans", slice: "region" });
    if (!r.measured) throw new Error("a classifier is measured");
    expect(r.floor).toMatchObject({ floor: 0.8, requirementSetVersion: 1 });
    expect(r.weeks).toEqual(["2026-W48", "2026-W49"]);
    const v1 = r.versions.find((v) => v.version === 1)!;
    const expected = weightedAccuracy([
      ...Array.from({ length: 2 }, () => ({ correct: true, inclusionProbability: 0.5 })),
      ...Array.from({ length: 6 + 3 }, () => ({ correct: true, inclusionProbability: 1 })),
      ...Array.from({ length: 3 }, () => ({ correct: false, inclusionProbability: 1 })),
    ])!;
    expect(v1.overall!.n).toBe(14);
    expect(v1.overall!.estimate).toBeCloseTo(expected.estimate, 12); // the Hájek estimate, 13/16, not the plain share 11/14
    expect(v1.overall!.estimate).toBeCloseTo(13 / 16, 12);
    expect(v1.overall!.interval[0]).toBeCloseTo(expected.interval[0], 9);
    expect(v1.overall!.interval[1]).toBeCloseTo(expected.interval[1], 9);
    expect(v1.weeks.map((w) => [w.week, w.accuracy?.n ?? 0])).toEqual([
      ["2026-W48", 10],
      ["2026-W49", 4],
    ]);
    expect(v1.weeks[1]!.accuracy!.estimate).toBeCloseTo(0.75, 12);
    // v2 never answered: listed only if it had labels, conflicts, or a stage worth showing.
    expect(r.versions.map((v) => v.version)).toEqual([1]);
    const bySlice = Object.fromEntries(r.slices!.values.map((s) => [s.value, s.versions[0]!.accuracy!.n]));
    expect(bySlice).toEqual({ north: 7, south: 7 });

    await expect(liveAccuracy(as(viewer), { model: "loans", slice: "income" })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it("leaves items in unresolved conflict out (and counts them) until adjudicated; regression is not measured", async () => {
    await setup("cards", 2);
    await ingest("cards", ids("ok", 3), 23);
    await labelAll("cards", reviewers[0]!);
    // The second reviewer disagrees on ok-0 only.
    await labelAll("cards", reviewers[1]!, (id) => (id === "ok-0" ? "default" : truth(id)));
    let r = await liveAccuracy(as(viewer), { model: "cards" });
    if (!r.measured) throw new Error("measured");
    expect(r.totals).toEqual({ labeled: 2, conflicts: 1, awaiting: 0 });
    expect(r.versions[0]!.overall!.estimate).toBe(1);

    const [conflict] = (
      await database.db.execute<{ id: number }>(sql`select id from feedback_items where status = 'conflict'`)
    ).rows;
    await adjudicate(as(scientist), { itemId: Number(conflict!.id), label: "default", note: "the file says so" });
    r = await liveAccuracy(as(viewer), { model: "cards" });
    if (!r.measured) throw new Error("measured");
    expect(r.totals).toEqual({ labeled: 3, conflicts: 0, awaiting: 0 });
    expect(r.versions[0]!.overall!.estimate).toBeCloseTo(2 / 3, 12); // the adjudicated label counts

    await createModel(as(scientist), { name: "prices", task: "regression", owner: "risk" });
    const reg = await liveAccuracy(as(viewer), { model: "prices" });
    expect(reg.measured).toBe(false);
  });

  it("compares champion and challenger on the labeled requests both answered, paired, with a bootstrap interval", async () => {
    const m = await setup("leases");
    const before = await compareVersions(as(viewer), { model: "leases", a: 1, b: 2 });
    expect(before.online).toBeNull();
    // v2 answers right where v1 is wrong (bad-…), and agrees with v1 elsewhere.
    await ingest("leases", [...ids("ok", 12), ...ids("bad", 6)], 23, truth);
    // And a request v2 never saw: labeled, but not shared traffic.
    await ingest("leases", ["ok-solo"], 24);
    await labelAll("leases", reviewers[0]!);
    const { online } = await compareVersions(as(viewer), { model: "leases", a: 1, b: 2 });
    const shared = online!.shared!;
    expect(shared.labeled).toBe(18);
    expect(shared.unmatched).toBe(1);
    expect(shared.a!.accuracy.estimate).toBeCloseTo(12 / 18, 12);
    expect(shared.b!.accuracy.estimate).toBe(1);
    expect(shared.difference!.estimate).toBeCloseTo(6 / 18, 12);
    expect(shared.difference!.interval[0]).toBeGreaterThan(0);
    expect(shared.difference!.interval[1]).toBeLessThanOrEqual(6 / 18 + 0.25);
    expect(shared.difference!.method).toMatch(/bootstrap/);
    // Same data, same interval (seeded).
    const again = await compareVersions(as(viewer), { model: "leases", a: 1, b: 2 });
    expect(again.online!.shared!.difference).toEqual(shared.difference);
    expect(m.id).toBeTruthy();
  });

  it("opens a live-accuracy alert on the jobs queue when labels arrive, fails the gate naming it, and resolves on better labels", async () => {
    const model = await setup("mortgages");
    const rule = await saveAlertRule(as(scientist), {
      model: "mortgages",
      name: "Live accuracy",
      severity: "critical",
      params: { kind: "live_accuracy", lastLabels: 20 },
    });
    const unresolved = () =>
      database.db
        .select()
        .from(alerts)
        .where(and(eq(alerts.ruleId, rule.id), inArray(alerts.status, ["open", "acknowledged"])));
    const runJobs = () => runDueJobs(database.db, { handlers: { [LIVE_ACCURACY_JOB]: liveAccuracyJobHandler } });
    expect(await unresolved()).toHaveLength(0); // no labels: not measured, nothing opens

    await ingest("mortgages", [...ids("ok", 3), ...ids("bad", 9)], 23);
    await labelAll("mortgages", reviewers[0]!);
    // Labeling only queued the judgment: nothing changed on the request thread.
    expect(await unresolved()).toHaveLength(0);
    const queued = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from jobs where kind = ${LIVE_ACCURACY_JOB} and status = 'queued'`,
    );
    expect(Number(queued.rows[0]!.n)).toBe(1); // one job for twelve labels
    await runJobs();
    const [open] = await unresolved();
    expect(open).toMatchObject({
      subject: "live_accuracy",
      severity: "critical",
      evidence: { labels: 12, floor: 0.8 },
    });
    expect((open!.evidence as { interval: number[] }).interval[1]).toBeLessThan(0.8);

    const [champion] = await database.db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, 1)));
    const gate = async () =>
      (await evaluateGate(database.db, model, champion!)).gate.checks.find((c) => c.id === "alerts")!;
    const failing = await gate();
    expect(failing.status).toBe("fail");
    expect(failing.details).toEqual([{ title: "Live accuracy: live accuracy of v1 below its floor 0.8 (open)" }]);

    // Twenty newer right answers: the newest twenty labels are all right, the alert resolves by itself.
    await ingest("mortgages", ids("ok-new", 20), 30);
    await labelAll("mortgages", reviewers[0]!);
    await runJobs();
    expect(await unresolved()).toHaveLength(0);
    expect((await gate()).status).toBe("pass");
  });
});
