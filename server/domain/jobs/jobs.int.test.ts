import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { currentPriority } from "@/db/priority";
import { jobs } from "@/db/schema";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { MAINTENANCE_JOB, maintenanceJobHandler, queueMaintenanceNow } from "../maintenance";
import { enqueueJob, enqueueJobs } from "./queue";
import { claimJobs, runDueJobs, type JobHandler } from "./runner";
import { startJobWorker } from "./worker";

const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";
const later = (ms: number) => new Date(Date.now() + ms);

describe.each(testDatabaseKinds)("durable jobs on %s", (kind) => {
  let database: Database;
  /** A second app instance: its own connection pool to the same PostgreSQL database (PGlite has one). */
  let other: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    if (kind === "pglite") other = database;
    else {
      const { rows } = await database.db.execute<{ name: string }>(sql`select current_database() as name`);
      const url = new URL(serverUrl);
      url.pathname = `/${rows[0]!.name}`;
      other = await openDatabase({ url: url.toString() });
    }
  });
  afterAll(async () => {
    if (other !== database) await other?.close();
    await database?.close();
  });

  async function jobRow(id: number) {
    const [row] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    return row!;
  }

  it("the app's worker runs jobs as background work, so an embedded database serves pages first", async () => {
    await enqueueJob(database.db, { kind: "test.priority", payload: {} });
    const seen = await new Promise<string>((resolve) => {
      const stop = startJobWorker(async () => database, {
        name: `priority test ${kind}`,
        intervalMs: 20,
        handlers: {
          "test.priority": async () => {
            stop();
            resolve(currentPriority());
          },
        },
      });
    });
    expect(seen).toBe("background");
  });

  it("a job queued now is due for a worker asking in the same millisecond (JavaScript has no microseconds)", async () => {
    const id = (await enqueueJob(database.db, { kind: "test.same-ms", payload: {} }))!;
    const { runAt } = await jobRow(id);
    const handlers = { "test.same-ms": async () => {} };
    expect((await runDueJobs(database.db, { handlers, now: runAt })).claimed).toBe(1);
  });

  it("two workers claiming at once run every job exactly once", async () => {
    const count = 60;
    const ids = await enqueueJobs(
      database.db,
      Array.from({ length: count }, (_, i) => ({ kind: "test.once", payload: { n: i } })),
    );
    expect(ids).toHaveLength(count);
    const runs = new Map<number, number>();
    // Slow handlers keep the two workers' claims overlapping, so a missing lock would show as a second run.
    const handler: JobHandler = async ({ job }) => {
      runs.set(job.payload.n as number, (runs.get(job.payload.n as number) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const drain = async (db: Database) => {
      for (let r = await runDueJobs(db.db, { handlers: { "test.once": handler }, limit: 7 }); r.claimed > 0;)
        r = await runDueJobs(db.db, { handlers: { "test.once": handler }, limit: 7 });
    };
    await Promise.all([drain(database), drain(other), drain(database), drain(other)]);
    expect(runs.size).toBe(count);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const rows = await database.db.select().from(jobs).where(eq(jobs.kind, "test.once"));
    expect(rows.every((r) => r.status === "done" && r.attempts === 1 && r.leaseToken === null)).toBe(true);
  });

  it("a job whose worker died is taken over when its lease expires; the dead run can no longer settle it", async () => {
    const id = (await enqueueJob(database.db, { kind: "test.crash", payload: {} }))!;
    // The first worker claims it and "dies": it never settles.
    const [claimed] = await claimJobs(database.db, {
      kinds: ["test.crash"],
      now: new Date(),
      limit: 1,
      leaseMs: 60_000,
    });
    expect(claimed?.id).toBe(id);
    expect(await jobRow(id)).toMatchObject({ status: "running", attempts: 1 });

    let ran = 0;
    const handlers = { "test.crash": async () => void ran++ };
    // While the lease holds, nobody else takes it.
    expect((await runDueJobs(other.db, { handlers, now: later(30_000) })).claimed).toBe(0);
    // After it, another instance does, and the job completes.
    expect(await runDueJobs(other.db, { handlers, now: later(61_000) })).toMatchObject({
      claimed: 1,
      outcomes: { done: 1 },
    });
    expect(ran).toBe(1);
    expect(await jobRow(id)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("a run that lost its lease changes nothing when it finally ends", async () => {
    const id = (await enqueueJob(database.db, { kind: "test.slow", payload: {} }))!;
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const wrote: string[] = [];
    const slow = runDueJobs(database.db, {
      handlers: {
        "test.slow": async () => {
          await blocked;
          return { status: "failed", error: "stale", settle: async () => void wrote.push("slow") };
        },
      },
      leaseMs: 1_000,
    });
    await expect.poll(async () => (await jobRow(id)).status).toBe("running");
    const fast = await runDueJobs(other.db, {
      handlers: { "test.slow": async () => ({ status: "done", settle: async () => void wrote.push("fast") }) },
      now: later(5_000),
    });
    expect(fast.outcomes).toEqual({ done: 1 });
    release();
    expect((await slow).outcomes).toEqual({ "lost-lease": 1 });
    expect(wrote).toEqual(["fast"]);
    expect(await jobRow(id)).toMatchObject({ status: "done", lastError: null });
  });

  it("a job that throws is retried with backoff, then fails after its attempts", async () => {
    const id = (await enqueueJob(database.db, { kind: "test.throws", payload: {}, maxAttempts: 2 }))!;
    const handlers = {
      "test.throws": async () => {
        throw new Error("receiver exploded");
      },
    };
    const t0 = new Date();
    expect((await runDueJobs(database.db, { handlers, now: t0 })).outcomes).toEqual({ retry: 1 });
    const waiting = await jobRow(id);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1, lastError: "receiver exploded" });
    expect(waiting.runAt.getTime()).toBe(t0.getTime() + 10_000);
    expect((await runDueJobs(database.db, { handlers, now: new Date(t0.getTime() + 9_000) })).claimed).toBe(0);
    expect((await runDueJobs(database.db, { handlers, now: new Date(t0.getTime() + 11_000) })).outcomes).toEqual({
      failed: 1,
    });
    expect(await jobRow(id)).toMatchObject({ status: "failed", attempts: 2, lastError: "receiver exploded" });
  });

  it("a dedup key keeps one queued job; a lock key never runs two at once", async () => {
    const first = await enqueueJob(database.db, { kind: "test.dedup", payload: { n: 1 }, dedupKey: "k1" });
    const second = await enqueueJob(database.db, { kind: "test.dedup", payload: { n: 2 }, dedupKey: "k1" });
    expect(first).not.toBeNull();
    expect(second).toBeNull();

    await enqueueJobs(database.db, [
      { kind: "test.lock", payload: { n: 1 }, lockKey: "window-a" },
      { kind: "test.lock", payload: { n: 2 }, lockKey: "window-a" },
      { kind: "test.lock", payload: { n: 3 }, lockKey: "window-b" },
    ]);
    let active = 0,
      maxActiveA = 0;
    const handlers = {
      "test.lock": async ({ job }: Parameters<JobHandler>[0]) => {
        if (job.lockKey === "window-a") maxActiveA = Math.max(maxActiveA, ++active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (job.lockKey === "window-a") active--;
      },
    };
    const [a, b] = await Promise.all([runDueJobs(database.db, { handlers }), runDueJobs(other.db, { handlers })]);
    expect(a.claimed + b.claimed).toBe(2); // one of window-a waits for the other
    expect(maxActiveA).toBe(1);
    expect((await runDueJobs(database.db, { handlers })).claimed).toBe(1);
    expect((await runDueJobs(database.db, { handlers })).claimed).toBe(0);
  });

  it("upkeep runs as a job once per hour across instances, queues its next run, and deletes old finished jobs", async () => {
    await database.db.execute(sql`update jobs set finished_at = now() - interval '8 days' where kind = 'test.once'`);
    await queueMaintenanceNow(database.db);
    await queueMaintenanceNow(other.db); // a second instance starting: still one queued run
    const queued = await database.db.select().from(jobs).where(eq(jobs.kind, MAINTENANCE_JOB));
    expect(queued).toHaveLength(1);
    const handlers = { [MAINTENANCE_JOB]: maintenanceJobHandler({ retentionDays: 36500 }) };
    const now = new Date();
    expect((await runDueJobs(other.db, { handlers, now })).outcomes).toEqual({ done: 1 });
    const [done] = await database.db.select().from(jobs).where(eq(jobs.id, queued[0]!.id));
    expect(done!.progress).toMatchObject({ finishedJobsDeleted: 60 });
    expect(
      await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(jobs)
        .where(eq(jobs.kind, "test.once")),
    ).toEqual([{ n: 0 }]);
    const [next] = await database.db
      .select()
      .from(jobs)
      .where(sql`${jobs.kind} = ${MAINTENANCE_JOB} and ${jobs.status} = 'queued'`);
    expect(next!.runAt.getTime()).toBe(now.getTime() + 3_600_000);
    expect((await runDueJobs(database.db, { handlers, now: new Date(now.getTime() + 60_000) })).claimed).toBe(0);
  });
});
