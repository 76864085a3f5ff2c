import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, datasets, evaluationReports, outcomeUploads, reportOutcomeChunks } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { createRng } from "@/server/stats";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { createUser } from "../admin/users";
import { createModel } from "../registry/models";
import { registerDataset } from "../registry/datasets";
import { registerVersion } from "../registry/versions";
import { createReport } from "./create";
import { CHUNK_ROWS, readOutcomes } from "./outcomes";
import { listReports } from "./queries";
import type { OutcomeRow } from "./schemas";
import { createUpload, removeStaleUploads, writeChunks } from "./staging";

/**
 * A report's outcome chunks are staged before the report exists and linked by its own short transaction
 * (staging.ts): until then nothing of it is visible, a failure leaves nothing behind, and — on the
 * embedded database, whose one connection a long transaction would hold — other queries run meanwhile.
 */
const scientist: Principal = {
  kind: "user",
  id: "",
  email: "scientist@ratchet.dev",
  name: "S",
  roles: ["data_scientist"],
};
const viewer: Principal = { kind: "user", id: "", email: "viewer@ratchet.dev", name: "V", roles: ["viewer"] };

/** Three chunks: two staged before the report's transaction, the last written in it. */
const ROWS = 2 * CHUNK_ROWS + 17;

function rows(seed: number, n = ROWS): OutcomeRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = rng.nextDouble() < 0.3 ? 1 : 0;
    const score = Math.round(Math.min(1, Math.max(0, 0.35 * label + 0.65 * rng.nextDouble())) * 1e6) / 1e6;
    return { id: `st-${i}`, label, prediction: score >= 0.45 ? 1 : 0, score };
  });
}

/** A promise to await and the function that settles it: a latch the test opens. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe.each(testDatabaseKinds)("staged outcome uploads on %s", (kind) => {
  let database: Database;
  const as = (principal: Principal) => ({ db: database.db, principal });
  const counts = async () => ({
    reports: await database.db.$count(evaluationReports),
    uploads: await database.db.$count(outcomeUploads),
    chunks: await database.db.$count(reportOutcomeChunks),
    audits: await database.db.$count(auditLog, eq(auditLog.action, "report.created")),
  });
  const report = (version: number, outcomes: OutcomeRow[], extra: Record<string, unknown> = {}) => ({
    model: "stage-bin",
    version,
    kind: "holdout" as const,
    sampleSize: outcomes.length,
    outcomes,
    ...extra,
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const operator: Principal = { kind: "operator", name: "test" };
    for (const p of [scientist, viewer]) {
      if (p.kind === "user")
        p.id = (
          await createUser(
            { db: database.db, principal: operator },
            { email: p.email, password: "a long test password", roles: [...p.roles] },
          )
        ).id;
    }
    await createModel(as(scientist), { name: "stage-bin", task: "binary_classification", owner: "test" });
    for (let i = 0; i < 5; i++)
      await registerVersion(as(scientist), "stage-bin", {
        artifactUri: `s3://s/${i}`,
        artifactSha256: "c".repeat(64),
        config: {},
      });
  });
  afterAll(async () => database?.close());

  it("a report is invisible until its last chunk and the report are committed; queries run meanwhile", async () => {
    const before = await counts();
    const firstChunk = latch(),
      release = latch();
    const staged: number[] = [];
    const creating = createReport(as(scientist), report(1, rows(1)), undefined, {
      afterChunkStaged: async (chunk) => {
        staged.push(chunk);
        if (chunk === 0) {
          firstChunk.open();
          await release.opened;
        }
      },
    });
    await firstChunk.opened;
    // Half written: a chunk is stored, but no query a reader makes finds the report. On the embedded
    // database these queries would wait forever if the upload held its one connection in a transaction.
    const during = await counts();
    expect(during).toMatchObject({
      reports: before.reports,
      uploads: before.uploads + 1,
      chunks: before.chunks + 1,
      audits: before.audits,
    });
    expect((await listReports(as(viewer), "stage-bin", 1)).reports).toEqual([]);
    release.open();
    const { report: created, created: isNew } = await creating;
    expect(isNew).toBe(true);
    expect(staged).toEqual([0, 1]);
    expect(await counts()).toEqual({
      reports: before.reports + 1,
      uploads: before.uploads + 1,
      chunks: before.chunks + 3,
      audits: before.audits + 1,
    });
    expect((await listReports(as(viewer), "stage-bin", 1)).reports.map((r) => r.id)).toEqual([created.id]);
    const back = await readOutcomes(database.db, created.id);
    expect(back.ids).toHaveLength(ROWS);
    expect([back.ids[0], back.ids.at(-1)]).toEqual(["st-0", `st-${ROWS - 1}`]);
    // Storage detail stays out of what a client sees.
    expect(created).not.toHaveProperty("outcomeUploadId");
  });

  it("re-posting the same report returns the first, stages nothing, and a concurrent duplicate leaves no second upload", async () => {
    const outcomes = rows(2);
    const first = await createReport(as(scientist), report(2, outcomes));
    const before = await counts();
    let stagedAgain = 0;
    const again = await createReport(as(scientist), report(2, outcomes), undefined, {
      afterChunkStaged: () => void stagedAgain++,
    });
    expect(again).toMatchObject({ created: false, report: { id: first.report.id } });
    expect(stagedAgain).toBe(0);
    expect(await counts()).toEqual(before);

    // Two posts of a new report at once: both stage, one links, the other returns it and discards its chunks.
    const other = rows(3);
    const [a, b] = await Promise.all([
      createReport(as(scientist), report(3, other)),
      createReport(as(scientist), report(3, other)),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.report.id).toBe(b.report.id);
    expect(await counts()).toEqual({
      reports: before.reports + 1,
      uploads: before.uploads + 1,
      chunks: before.chunks + 3,
      audits: before.audits + 1,
    });
  });

  it("an ingestion that fails while staging, or in the report's transaction, leaves nothing behind", async () => {
    const before = await counts();
    const failing = createReport(as(scientist), report(4, rows(4)), undefined, {
      afterChunkStaged: (chunk) => {
        if (chunk === 1) throw new Error("connection lost while staging");
      },
    });
    await expect(failing).rejects.toThrow("connection lost while staging");
    expect(await counts()).toEqual(before);

    // The report's own transaction is refused (its dataset vanished while the chunks were staged).
    const { dataset } = await registerDataset(as(scientist), {
      name: "stage-vanishing",
      role: "test",
      rowCount: ROWS,
      hash: "sha256:stage",
      uri: "s3://d/v",
    });
    const refused = createReport(
      as(scientist),
      report(4, rows(5), { dataset: { name: "stage-vanishing", version: 1 } }),
      undefined,
      {
        afterChunkStaged: async (chunk) => {
          if (chunk === 0) await database.db.delete(datasets).where(eq(datasets.id, dataset.id));
        },
      },
    );
    await expect(refused).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect((await listReports(as(viewer), "stage-bin", 4)).reports).toEqual([]);
  });

  it("removes unlinked uploads (a crash mid-upload) once stale, never a report's", async () => {
    const linked = await createReport(as(scientist), report(5, rows(6)));
    const cols = {
      n: 3,
      idChunks: ["a\nb\nc"],
      labels: new Float64Array([0, 1, 0]),
      predictions: new Float64Array([0, 1, 1]),
      scores: null,
    };
    const crashed = await createUpload(database.db);
    await writeChunks(database.db, crashed, cols, 0, 1);
    await database.db
      .update(outcomeUploads)
      .set({ createdAt: sql`now() - interval '2 hours'` })
      .where(eq(outcomeUploads.id, crashed));
    const inProgress = await createUpload(database.db);
    await writeChunks(database.db, inProgress, cols, 0, 1);
    // Even the linked report's upload is old enough: it stays because a report links it.
    await database.db.execute(
      sql`update outcome_uploads set created_at = now() - interval '3 hours' where id = (select outcome_upload_id from evaluation_reports where id = ${linked.report.id})`,
    );

    expect(await removeStaleUploads(database.db)).toBe(1);
    expect(await database.db.$count(outcomeUploads, eq(outcomeUploads.id, crashed))).toBe(0);
    expect(await database.db.$count(reportOutcomeChunks, eq(reportOutcomeChunks.uploadId, crashed))).toBe(0);
    expect(await database.db.$count(outcomeUploads, eq(outcomeUploads.id, inProgress))).toBe(1);

    expect(await removeStaleUploads(database.db, 0)).toBe(1);
    expect(await database.db.$count(outcomeUploads, and(eq(outcomeUploads.id, inProgress)))).toBe(0);
    expect((await readOutcomes(database.db, linked.report.id)).ids).toHaveLength(ROWS);
  });
});
