import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const JOB_STATUSES = ["queued", "running", "done", "failed"] as const;
export const jobStatusEnum = pgEnum("job_status", JOB_STATUSES);

/**
 * The one durable jobs queue of the app (webhook delivery, monitoring windows, upkeep): stored in the
 * database so jobs survive restarts, claimed with FOR UPDATE SKIP LOCKED and a lease so several app
 * instances on one PostgreSQL run each job once, retried with backoff. server/domain/jobs runs them.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Which handler runs it (`webhook.deliver`, `monitoring.window`, …). */
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: jobStatusEnum("status").notNull().default("queued"),
    /** Coalesces work: at most one queued job per key (enqueueing another while one waits adds nothing). */
    dedupKey: text("dedup_key"),
    /** Jobs sharing this key never run at the same time (e.g. two computations of one window). */
    lockKey: text("lock_key"),
    /** A job spawned by another (a check's windows): the parent's progress counts its children. */
    parentId: bigint("parent_id", { mode: "number" }),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    /** While running: the claim expires then, and another worker may take the job over (a crashed process). */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** Set at each claim: only the holder of the current claim may settle the job. */
    leaseToken: uuid("lease_token"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    lastError: text("last_error"),
    /** What the handler reported while running (e.g. `{ done: 3, total: 9 }`). */
    progress: jsonb("progress").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("jobs_queued_dedup_uq")
      .on(t.dedupKey)
      .where(sql`${t.status} = 'queued'`),
    index("jobs_due_idx")
      .on(t.runAt)
      .where(sql`${t.status} = 'queued'`),
    index("jobs_running_lease_idx")
      .on(t.leaseUntil)
      .where(sql`${t.status} = 'running'`),
    index("jobs_running_lock_idx")
      .on(t.lockKey)
      .where(sql`${t.status} = 'running'`),
    index("jobs_parent_idx").on(t.parentId),
  ],
);
