import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  /** At most one queued job per key: enqueueing while one waits adds nothing (the waiting one does the work). */
  dedupKey?: string | null;
  /** Jobs with the same lock key never run at the same time. */
  lockKey?: string | null;
  parentId?: number | null;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Adds jobs to the queue, in the caller's transaction when given one (so a job exists exactly when the
 * change that asked for it committed). Returns the ids of the jobs added; a job whose dedup key already
 * has a queued job is not added (`sooner`: the waiting job is brought forward to this one's time).
 */
export async function enqueueJobs(
  db: Db | Tx,
  jobs: NewJob[],
  { onConflict = "keep" }: { onConflict?: "keep" | "sooner" } = {},
): Promise<number[]> {
  if (jobs.length === 0) return [];
  const rows = JSON.stringify(
    jobs.map((j) => ({
      kind: j.kind,
      payload: j.payload,
      dedup_key: j.dedupKey ?? null,
      lock_key: j.lockKey ?? null,
      parent_id: j.parentId ?? null,
      run_at: (j.runAt ?? null)?.toISOString() ?? null,
      max_attempts: j.maxAttempts ?? 5,
    })),
  );
  // One statement for the whole list; the partial unique index is the dedup (ON CONFLICT names it).
  // "Now" in milliseconds: workers ask for due jobs with a JavaScript clock, which has no microseconds, so
  // a job queued in the same millisecond would otherwise not be due yet for them.
  const res = await db.execute<{ id: string }>(sql`
    insert into jobs (kind, payload, dedup_key, lock_key, parent_id, run_at, max_attempts)
    select r.kind, r.payload, r.dedup_key, r.lock_key, r.parent_id,
      coalesce(r.run_at, date_trunc('milliseconds', now())), r.max_attempts
    from jsonb_to_recordset(${rows}::jsonb) as r(kind text, payload jsonb, dedup_key text, lock_key text,
      parent_id bigint, run_at timestamptz, max_attempts int)
    on conflict (dedup_key) where status = 'queued' ${
      onConflict === "sooner" ? sql`do update set run_at = least(jobs.run_at, excluded.run_at)` : sql`do nothing`
    }
    returning id`);
  return res.rows.map((r) => Number(r.id));
}

export async function enqueueJob(db: Db | Tx, job: NewJob): Promise<number | null> {
  const [id] = await enqueueJobs(db, [job]);
  return id ?? null;
}

/** Finished jobs are kept this long (a check's progress and a failure's last error stay visible), then deleted. */
export const FINISHED_JOBS_KEPT_MS = 7 * 24 * 60 * 60_000;

/** Deletes jobs that finished (done or failed) more than FINISHED_JOBS_KEPT_MS before `now`; returns how many. */
export async function deleteFinishedJobs(db: Db, now: Date): Promise<number> {
  const res = await db.execute<{ id: string }>(sql`
    delete from jobs where status in ('done', 'failed')
      and finished_at < ${new Date(now.getTime() - FINISHED_JOBS_KEPT_MS).toISOString()}::timestamptz
    returning id`);
  return res.rows.length;
}
