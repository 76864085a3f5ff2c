import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { ConflictError, ForbiddenError } from "../errors";
import { ingestPredictions } from "../predictions/ingest";
import { enqueueJob } from "../jobs/queue";
import { FEEDBACK_INTAKE_JOB, lockModelIntake, runReviewIntake, type IntakeBatch } from "./intake-job";
import { parseJsonBatch } from "../predictions/parse";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { adjudicate, listConflicts, markGold } from "./adjudicate";
import { nextItem, releaseItem, renewClaim, skipItem } from "./claims";
import { getPolicy, setPolicy, type PolicyInput } from "./policy";
import { reviewProgress } from "./progress";
import { submitLabel } from "./submit";

/**
 * The review queue on a real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): predictions enter it
 * through the ingest, reviewers claim, label, skip; leases expire; the database refuses double labels.
 */
const operator: Principal = { kind: "operator", name: "test" };

describe.each(testDatabaseKinds)("review queue on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  let viewer: Principal;
  const reviewers: Principal[] = [];
  const as = (p: Principal) => ({ db: database.db, principal: p });
  let seq = 0;

  type Row = { prediction: string | number; confidence?: number; version?: number; arm?: string; id?: string };
  /** `intake: false` leaves the batch's intake job queued, as it is when the POST answers. */
  const ingest = async (model: string, rows: Row[], { intake = true } = {}) => {
    const predictions = rows.map((r) => ({
      model,
      version: r.version ?? 1,
      id: r.id ?? `req-${++seq}`,
      time: new Date(Date.UTC(2026, 10, 30, 10, 0, seq % 60)).toISOString(),
      features: { income: 1000 + seq, region: "north" },
      prediction: r.prediction,
      ...(r.confidence === undefined ? {} : { confidence: r.confidence }),
      arm: r.arm ?? "champion",
    }));
    await ingestPredictions(as(operator), parseJsonBatch(JSON.stringify({ predictions })));
    if (intake) await runReviewIntake(database.db);
  };
  const items = async () =>
    (
      await database.db.execute<{
        id: number;
        external_id: string;
        reason: string;
        sampling_probability: number;
        random_draw: boolean;
        status: string;
        label_count: number;
        required_labels: number;
        disagreement: unknown;
      }>(sql`select * from feedback_items order by id`)
    ).rows.map((r) => ({ ...r, id: Number(r.id) }));
  const policy = (model: string, p: Partial<PolicyInput> = {}) =>
    setPolicy(as(scientist), {
      model,
      strategy: "confidence",
      threshold: 0.6,
      randomShare: 0,
      goldShare: 0,
      overlap: 1,
      hideAnswerShare: 0,
      secondOpinionAbove: 0.9,
      order: ["disagreement", "confidence", "recency"],
      ...p,
    });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    viewer = await makeUser(database.db, "viewer@ratchet.test", ["viewer"]);
    for (let i = 0; i < 20; i++) reviewers.push(await makeUser(database.db, `r${i}@ratchet.test`, ["reviewer"]));
  });
  afterAll(async () => database?.close());

  let modelCount = 0;
  let model = "";
  beforeEach(async () => {
    // Each test gets its own model, and the queue is emptied, so counts are the test's own.
    await database.db.execute(sql`delete from feedback_items`);
    model = `churn-${++modelCount}`;
    await createModel(as(scientist), {
      name: model,
      task: "binary_classification",
      owner: "growth",
      labels: ["stays", "churns"],
    });
    for (const v of [1, 2])
      await registerVersion(as(scientist), model, {
        artifactUri: `s3://m/${v}`,
        artifactSha256: "a".repeat(64),
        config: {},
      });
  });

  it("queues predictions below the model's review threshold when no policy was saved, with sampling probability 1", async () => {
    expect((await getPolicy(as(viewer), model)).current).toMatchObject({
      id: null,
      strategy: "confidence",
      threshold: 0.6,
    });
    await ingest(model, [
      { prediction: "churns", confidence: 0.55 },
      { prediction: "stays", confidence: 0.95 },
      { prediction: "stays", confidence: 0.59 },
    ]);
    const queued = await items();
    expect(queued.map((i) => [i.reason, Number(i.sampling_probability), i.random_draw])).toEqual([
      ["low_confidence", 1, false],
      ["low_confidence", 1, false],
    ]);
    const slots = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_claims`);
    expect(Number(slots.rows[0]!.n)).toBe(2);
  });

  it("samples a random share of confident predictions and records the probability with which each was drawn", async () => {
    await policy(model, { randomShare: 0.5, threshold: 0.1 });
    await ingest(
      model,
      Array.from({ length: 400 }, () => ({ prediction: "stays", confidence: 0.97 })),
    );
    const queued = await items();
    expect(queued.every((i) => i.reason === "random" && Number(i.sampling_probability) === 0.5 && i.random_draw)).toBe(
      true,
    );
    // Binomial(400, 0.5): 5 standard deviations either side.
    expect(queued.length).toBeGreaterThan(150);
    expect(queued.length).toBeLessThan(250);
  });

  const intakeJobs = async () =>
    (
      await database.db.execute<{ payload: IntakeBatch }>(
        sql`select payload from jobs where kind = ${FEEDBACK_INTAKE_JOB} and status = 'queued' order by id`,
      )
    ).rows.map((r) => r.payload);
  const claimCount = async () =>
    Number((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_claims`)).rows[0]!.n);

  it("queues a batch from a job after the ingest committed, and a retried job queues nothing twice and draws the same rows", async () => {
    await policy(model, { randomShare: 0.3, threshold: 0.6 });
    await ingest(
      model,
      Array.from({ length: 80 }, (_, i) => ({ prediction: "stays", confidence: i % 2 ? 0.55 : 0.97 })),
      { intake: false },
    );
    // The serving system got its answer before the queue took anything.
    expect(await items()).toEqual([]);
    const [job] = await intakeJobs();
    expect(job).toMatchObject({ firstId: expect.any(String), lastId: expect.any(String) });

    await runReviewIntake(database.db);
    const queued = await items();
    expect(queued.filter((i) => i.reason === "low_confidence")).toHaveLength(40);
    const drawn = queued.filter((i) => i.reason === "random").map((i) => i.external_id);
    expect(drawn.length).toBeGreaterThan(0);
    const claims = await claimCount();

    // Jobs are delivered at least once: the same batch again adds no item and no reviewer slot.
    await enqueueJob(database.db, { kind: FEEDBACK_INTAKE_JOB, payload: job! });
    await runReviewIntake(database.db);
    expect(await items()).toEqual(queued);
    expect(await claimCount()).toBe(claims);

    // And its draws are the batch's own: from an empty queue, the same rows are drawn again (a second,
    // independent draw would make their real sampling probability higher than the one recorded).
    await database.db.execute(sql`delete from feedback_items`);
    await enqueueJob(database.db, { kind: FEEDBACK_INTAKE_JOB, payload: job! });
    await runReviewIntake(database.db);
    expect(
      (await items())
        .filter((i) => i.reason === "random")
        .map((i) => i.external_id)
        .sort(),
    ).toEqual(drawn.toSorted());
  });

  // PGlite runs one transaction at a time anyway; on a server, intake jobs run side by side.
  it.skipIf(kind !== "postgres")(
    "queues one model's batches one at a time, so each sees the items the one before it queued",
    async () => {
      const [{ id: modelId }] = (
        await database.db.execute<{ id: string }>(sql`select id from models where name = ${model}`)
      ).rows as [{ id: string }];
      await ingest(model, [{ id: "split", prediction: "stays", confidence: 0.3 }], { intake: false });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let taken!: () => void;
      const lockTaken = new Promise<void>((resolve) => (taken = resolve));
      // Another intake of the model, still running: holds the model's lock.
      const other = database.db.transaction(async (tx) => {
        await lockModelIntake(tx, modelId);
        taken();
        await held;
      });
      await lockTaken;
      let done = false;
      const intake = runReviewIntake(database.db).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      release();
      await other;
      await intake;
      expect((await items()).map((i) => i.external_id)).toEqual(["split"]);
    },
  );

  it("takes only its own batch's rows, even when another batch's ids fall in its range", async () => {
    await ingest(model, [{ id: "a-1", prediction: "stays", confidence: 0.3 }], { intake: false });
    await ingest(model, [{ id: "b-1", prediction: "stays", confidence: 0.3 }], { intake: false });
    const [a, b] = await intakeJobs();
    await database.db.execute(sql`delete from jobs where kind = ${FEEDBACK_INTAKE_JOB}`);
    // As when two batches insert at once and their ids interleave: A's range now covers B's row.
    await enqueueJob(database.db, { kind: FEEDBACK_INTAKE_JOB, payload: { ...a!, lastId: b!.lastId } });
    await runReviewIntake(database.db);
    expect((await items()).map((i) => i.external_id)).toEqual(["a-1"]);
  });

  it("queues by margin between the top two classes, or by entropy, when the policy says so", async () => {
    await policy(model, { strategy: "margin", threshold: 0.2 });
    await ingest(model, [
      { prediction: "stays", confidence: 0.58 }, // margin 0.16 → queued
      { prediction: "stays", confidence: 0.7 }, // margin 0.4 → not
    ]);
    expect((await items()).length).toBe(1);
    await database.db.execute(sql`delete from feedback_items`);
    await policy(model, { strategy: "entropy", threshold: 0.6 });
    await ingest(model, [
      { prediction: "stays", confidence: 0.6 }, // entropy 0.673 nats → queued
      { prediction: "stays", confidence: 0.9 }, // 0.325 → not
    ]);
    expect((await items()).length).toBe(1);
  });

  it("puts a disagreement between champion and shadow first, in one batch or across batches", async () => {
    await ingest(model, [{ prediction: "stays", confidence: 0.3 }]);
    await ingest(model, [
      { id: "pair-1", prediction: "stays", confidence: 0.95, version: 1, arm: "champion" },
      { id: "pair-1", prediction: "churns", confidence: 0.8, version: 2, arm: "shadow" },
      { id: "same", prediction: "stays", confidence: 0.95, version: 1, arm: "champion" },
      { id: "same", prediction: "stays", confidence: 0.9, version: 2, arm: "shadow" },
    ]);
    await ingest(model, [{ id: "late", prediction: "churns", confidence: 0.5, version: 1 }]);
    await ingest(model, [{ id: "late", prediction: "stays", confidence: 0.99, version: 2, arm: "shadow" }]);
    const queued = await items();
    expect(queued.map((i) => [i.external_id, i.reason])).toEqual([
      [expect.stringMatching(/^req-/), "low_confidence"],
      ["pair-1", "disagreement"],
      ["late", "disagreement"],
    ]);
    expect(queued[1]!.disagreement).toEqual({ version: 2, prediction: "churns", confidence: 0.8 });
    const first = await nextItem(as(reviewers[0]!), { model });
    const second = await nextItem(as(reviewers[0]!), { model, exclude: [first!.item.id] });
    // Both disagreements before the lower-confidence single answer; the less confident disagreement first.
    expect([first!.item.externalId, second!.item.externalId]).toEqual(["late", "pair-1"]);
  });

  it("never gives one item to two reviewers claiming at once", async () => {
    await ingest(
      model,
      Array.from({ length: 10 }, () => ({ prediction: "stays", confidence: 0.4 })),
    );
    const claims = await Promise.all(reviewers.map((r) => nextItem(as(r), { model })));
    const got = claims.filter((c) => c !== null).map((c) => c!.item.id);
    expect(got.length).toBe(10);
    expect(new Set(got).size).toBe(10);
    const held = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from feedback_claims where state = 'claimed'`,
    );
    expect(Number(held.rows[0]!.n)).toBe(10);
  });

  it("gives an item to N reviewers with overlap N, never twice to the same one, and resolves it when they agree", async () => {
    await policy(model, { overlap: 2 });
    await ingest(model, [{ prediction: "stays", confidence: 0.4 }]);
    const [a, b, c] = reviewers;
    const first = await nextItem(as(a!), { model });
    expect(await nextItem(as(a!), { model, exclude: [first!.item.id] })).toBeNull();
    const second = await nextItem(as(b!), { model });
    expect(second!.item.id).toBe(first!.item.id);
    expect(await nextItem(as(c!), { model })).toBeNull();
    await submitLabel(as(a!), { itemId: first!.item.id, label: "churns" });
    const done = await submitLabel(as(b!), { itemId: first!.item.id, label: "churns", flags: ["unsure"] });
    expect(done).toMatchObject({ status: "resolved", labels: 2 });
    expect(await nextItem(as(a!), { model })).toBeNull();
  });

  it("asks a second opinion when the first label contradicts a confident model, and sends a conflict to adjudication", async () => {
    await policy(model, { randomShare: 1, threshold: 0.1, secondOpinionAbove: 0.9 });
    await ingest(model, [{ prediction: "stays", confidence: 0.97 }]);
    const [a, b] = reviewers;
    const claim = await nextItem(as(a!), { model });
    const first = await submitLabel(as(a!), { itemId: claim!.item.id, label: "churns" });
    expect(first).toMatchObject({ status: "open", requiredLabels: 2, secondOpinion: true });
    const again = await nextItem(as(b!), { model });
    expect(again!.item.id).toBe(claim!.item.id);
    expect(await submitLabel(as(b!), { itemId: claim!.item.id, label: "stays" })).toMatchObject({ status: "conflict" });

    const conflicts = await listConflicts(as(scientist), { model });
    expect(conflicts.total).toBe(1);
    expect(conflicts.items[0]!.labels.map((l) => l.label)).toEqual(["churns", "stays"]);
    await expect(adjudicate(as(scientist), { itemId: claim!.item.id, label: "maybe" })).rejects.toThrow(/classes/);
    await expect(adjudicate(as(reviewers[2]!), { itemId: claim!.item.id, label: "stays" })).rejects.toThrow(
      ForbiddenError,
    );
    expect(await adjudicate(as(scientist), { itemId: claim!.item.id, label: "stays" })).toEqual({
      itemId: claim!.item.id,
      label: "stays",
    });
    expect((await items())[0]).toMatchObject({ status: "resolved" });
    await expect(adjudicate(as(scientist), { itemId: claim!.item.id, label: "stays" })).rejects.toThrow(
      /already resolved/,
    );
  });

  it("lets an expired lease pass to another reviewer and refuses the late label, changing nothing", async () => {
    await ingest(model, [{ prediction: "stays", confidence: 0.4 }]);
    const [a, b] = reviewers;
    const claim = await nextItem(as(a!), { model });
    expect(claim!.leaseExpiresAt.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    // Time passes beyond the lease.
    await database.db.execute(sql`update feedback_claims set lease_expires_at = now() - interval '1 second'`);
    const taken = await nextItem(as(b!), { model });
    expect(taken!.item.id).toBe(claim!.item.id);
    await expect(submitLabel(as(a!), { itemId: claim!.item.id, label: "churns" })).rejects.toThrow(
      /expired and the item passed to another reviewer/,
    );
    await expect(renewClaim(as(a!), { itemId: claim!.item.id })).rejects.toThrow(/passed to another reviewer/);
    expect((await items())[0]).toMatchObject({ label_count: 0, status: "open" });
    await submitLabel(as(b!), { itemId: claim!.item.id, label: "churns" });
    expect((await items())[0]).toMatchObject({ label_count: 1, status: "resolved" });
  });

  it("refuses labels without the reviewer role, for items not held, and a second label by the same reviewer", async () => {
    await ingest(model, [
      { prediction: "stays", confidence: 0.4 },
      { prediction: "stays", confidence: 0.45 },
    ]);
    const [a, b] = reviewers;
    const claim = await nextItem(as(a!), { model });
    const id = claim!.item.id;
    await expect(submitLabel(as(viewer), { itemId: id, label: "stays" })).rejects.toThrow(ForbiddenError);
    await expect(submitLabel(as(scientist), { itemId: id, label: "stays" })).rejects.toThrow(ForbiddenError);
    await expect(nextItem(as(operator), { model })).rejects.toThrow(/signed-in reviewer/);
    await expect(submitLabel(as(b!), { itemId: id, label: "stays" })).rejects.toThrow(/do not hold item/);
    await expect(submitLabel(as(a!), { itemId: id, label: "perhaps" })).rejects.toThrow(
      /not one of the model's classes/,
    );
    await expect(submitLabel(as(a!), { itemId: 999_999, label: "stays" })).rejects.toThrow(/not found/);
    expect((await items()).every((i) => i.label_count === 0)).toBe(true);

    await submitLabel(as(a!), { itemId: id, label: "stays", note: "clear case" });
    await expect(submitLabel(as(a!), { itemId: id, label: "churns" })).rejects.toThrow(ConflictError);
    await expect(submitLabel(as(a!), { itemId: id, label: "churns" })).rejects.toThrow(/already labeled/);
    // The database itself refuses a second label by the same reviewer, whatever the code above does.
    await expect(
      database.db.execute(
        sql`insert into feedback_labels (item_id, reviewer_id, label, saw_model_answer) values (${id}, ${a!.kind === "user" ? a!.id : ""}, 'churns', true)`,
      ),
    ).rejects.toThrow();
    const labels = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_labels`);
    expect(Number(labels.rows[0]!.n)).toBe(1);
  });

  it("skipped items go to someone else, never back to the skipper; released ones may come back", async () => {
    await ingest(model, [{ prediction: "stays", confidence: 0.4 }]);
    const [a, b] = reviewers;
    const claim = await nextItem(as(a!), { model });
    await releaseItem(as(a!), { itemId: claim!.item.id });
    const back = await nextItem(as(a!), { model });
    expect(back!.item.id).toBe(claim!.item.id);
    await skipItem(as(a!), { itemId: claim!.item.id });
    await expect(skipItem(as(a!), { itemId: claim!.item.id })).rejects.toThrow(/do not hold/);
    expect(await nextItem(as(a!), { model })).toBeNull();
    expect((await nextItem(as(b!), { model }))!.item.id).toBe(claim!.item.id);
    const progress = await reviewProgress(as(a!), { model });
    expect(progress).toMatchObject({ labeledTotal: 0, waiting: 0 });
  });

  it("gives a held claim back on reload, renewed, and withholds the model's answer on hidden items", async () => {
    await policy(model, { hideAnswerShare: 1 });
    await ingest(model, [{ prediction: "churns", confidence: 0.4 }]);
    const [a] = reviewers;
    const claim = await nextItem(as(a!), { model });
    expect(claim!.item).toMatchObject({ showModelAnswer: false, prediction: null, confidence: null });
    expect(claim!.item.features).toMatchObject({ region: "north" });
    const again = await nextItem(as(a!), { model });
    expect(again!.item.id).toBe(claim!.item.id);
    await submitLabel(as(a!), { itemId: claim!.item.id, label: "stays" });
    const saw = await database.db.execute<{ saw_model_answer: boolean }>(
      sql`select saw_model_answer from feedback_labels`,
    );
    expect(saw.rows[0]!.saw_model_answer).toBe(false);
  });

  it("serves gold items at the policy's gold share, once per reviewer, without giving their label away", async () => {
    await ingest(model, [{ prediction: "stays", confidence: 0.4 }]);
    const [a, b] = reviewers;
    const claim = await nextItem(as(a!), { model });
    await submitLabel(as(a!), { itemId: claim!.item.id, label: "churns" });
    await expect(markGold(as(reviewers[3]!), { itemId: claim!.item.id })).rejects.toThrow(ForbiddenError);
    const gold = await markGold(as(scientist), { itemId: claim!.item.id });
    expect(gold.goldLabel).toBe("churns");
    await policy(model, { goldShare: 1 });
    const served = await nextItem(as(b!), { model });
    expect(served!.item).toMatchObject({ id: gold.itemId, reason: "random" });
    expect(JSON.stringify(served)).not.toContain("gold");
    await submitLabel(as(b!), { itemId: gold.itemId, label: "churns" });
    expect(await nextItem(as(b!), { model })).toBeNull();
  });

  it("keeps every version of the policy, refuses nonsense, and audits each edit", async () => {
    await policy(model, { randomShare: 0.05 });
    await policy(model, { randomShare: 0.1, order: ["confidence", "recency"] });
    const p = await getPolicy(as(viewer), model);
    expect(p.current).toMatchObject({
      version: 2,
      randomShare: expect.closeTo(0.1, 6),
      order: ["confidence", "recency"],
    });
    expect(p.history.map((h) => h.version)).toEqual([2, 1]);
    await expect(policy(model, { threshold: 1.5 })).rejects.toThrow(/between 0 and 1/);
    await expect(policy(model, { order: ["confidence", "confidence"] })).rejects.toThrow(/at most once/);
    await expect(setPolicy(as(reviewers[0]!), { ...p.current, model } as PolicyInput)).rejects.toThrow(ForbiddenError);
    const audit = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'feedback_policy.saved' and after->>'model' = ${model}`,
    );
    expect(Number(audit.rows[0]!.n)).toBe(2);
  });
});
