import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { pgArray } from "../predictions/pg-array";
import { jobRetryDelayMs } from "./backoff";

/** A claimed job is leased, not held in an open transaction (a long job must not pin a connection). */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** Including this run. */
  attempts: number;
  maxAttempts: number;
  parentId: number | null;
  dedupKey: string | null;
  lockKey: string | null;
  leaseToken: string;
}

/**
 * What a run led to. `settle` writes the handler's own state in the same transaction that settles the
 * job, and only while this run still holds the lease (so a run that lost its lease changes nothing).
 * `label` lets callers count outcomes in their own words (webhooks: delivered, retrying, failed).
 */
export type JobOutcome = { settle?: (tx: Tx) => Promise<void>; label?: string } & (
  | { status: "done"; progress?: Record<string, unknown> }
  | { status: "retry"; runAt: Date; error?: string }
  | { status: "failed"; error: string }
);

export interface JobContext {
  db: Db;
  /** The scheduling clock of this run. */
  now: Date;
  job: ClaimedJob;
  /** Stores the job's progress for whoever watches it (ignored once the lease is lost). */
  reportProgress: (progress: Record<string, unknown>) => Promise<void>;
}

/** Runs one job. Throwing counts as a failed attempt: retried with backoff until `maxAttempts`. */
export type JobHandler = (ctx: JobContext) => Promise<JobOutcome | void>;
export type JobHandlers = Record<string, JobHandler>;

export interface RunOptions {
  handlers: JobHandlers;
  /** Only these kinds (default: every kind with a handler). */
  kinds?: string[];
  now?: Date;
  limit?: number;
  leaseMs?: number;
}

export interface RunResult {
  claimed: number;
  /** Per outcome label (or status when the handler gave none), e.g. `{ done: 3, retry: 1 }`. */
  outcomes: Record<string, number>;
}

type ClaimRow = {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  parent_id: string | null;
  dedup_key: string | null;
  lock_key: string | null;
  lease_token: string;
};

const iso = (d: Date) => d.toISOString();

/**
 * Leases up to `limit` due jobs: queued ones whose time has come, and running ones whose lease ran out
 * (their process died). FOR UPDATE SKIP LOCKED lets instances claim side by side without waiting on or
 * double-taking each other's rows. A job whose lock key is held by a live run waits for it.
 */
export async function claimJobs(
  db: Db,
  { kinds, now, limit, leaseMs }: { kinds: string[]; now: Date; limit: number; leaseMs: number },
): Promise<ClaimedJob[]> {
  if (kinds.length === 0) return [];
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return db.transaction(async (tx) => {
    const res = await tx.execute<ClaimRow>(sql`
      with due as (
        select j.id from jobs j
        where j.kind = any(${pgArray(kinds)}::text[])
          and ((j.status = 'queued' and j.run_at <= ${iso(now)}::timestamptz)
            or (j.status = 'running' and j.lease_until < ${iso(now)}::timestamptz))
          and (j.lock_key is null or not exists (
            select 1 from jobs r where r.status = 'running' and r.lock_key = j.lock_key and r.id <> j.id
              and r.lease_until >= ${iso(now)}::timestamptz))
        order by j.run_at, j.id
        limit ${limit}
        for update of j skip locked)
      update jobs set status = 'running', lease_until = ${iso(leaseUntil)}::timestamptz,
        lease_token = gen_random_uuid(), attempts = jobs.attempts + 1,
        started_at = coalesce(jobs.started_at, ${iso(now)}::timestamptz)
      from due where jobs.id = due.id
      returning jobs.id, jobs.kind, jobs.payload, jobs.attempts, jobs.max_attempts, jobs.parent_id,
        jobs.dedup_key, jobs.lock_key, jobs.lease_token`);
    const claimed: ClaimedJob[] = [];
    const released: string[] = [];
    const heldKeys = new Set<string>();
    const batchIds = `{${res.rows.map((r) => r.id).join(",")}}`;
    for (const r of res.rows) {
      if (r.lock_key !== null && !(await holdLockKey(tx, r, batchIds, heldKeys, now))) {
        released.push(r.id);
        continue;
      }
      claimed.push({
        id: Number(r.id),
        kind: r.kind,
        payload: r.payload,
        attempts: Number(r.attempts),
        maxAttempts: Number(r.max_attempts),
        parentId: r.parent_id === null ? null : Number(r.parent_id),
        dedupKey: r.dedup_key,
        lockKey: r.lock_key,
        leaseToken: r.lease_token,
      });
    }
    if (released.length > 0) {
      // Back in the queue as they were, but for the attempt just counted.
      await tx.execute(sql`
        update jobs set status = 'queued', lease_until = null, lease_token = null, attempts = attempts - 1
        where id = any(${`{${released.join(",")}}`}::bigint[])`);
    }
    return claimed;
  });
}

/**
 * Two claims running at the same moment could each see no live run of a lock key and both take a job
 * of it. The advisory lock (held until this claim commits) orders them, and the re-check runs as a new
 * statement, so it sees a claim that committed in between.
 */
async function holdLockKey(
  tx: Tx,
  row: ClaimRow,
  batchIds: string,
  heldKeys: Set<string>,
  now: Date,
): Promise<boolean> {
  const key = row.lock_key!;
  if (heldKeys.has(key)) return false; // two jobs of one key in this very batch: the second waits
  const locked = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext(${key})) as ok`);
  if (!locked.rows[0]?.ok) return false;
  const busy = await tx.execute<{ busy: boolean }>(sql`
    select exists (select 1 from jobs r where r.status = 'running' and r.lock_key = ${key} and r.id <> all(${batchIds}::bigint[])
      and r.lease_until >= ${iso(now)}::timestamptz) as busy`);
  if (busy.rows[0]?.busy) return false;
  heldKeys.add(key);
  return true;
}

/** Settles a run, with the handler's own writes, only while the run still holds its lease. */
async function settle(db: Db, job: ClaimedJob, outcome: JobOutcome, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ours = sql`id = ${job.id} and status = 'running' and lease_token = ${job.leaseToken}::uuid`;
    let res;
    if (outcome.status === "retry") {
      // A retry goes back to the queue unless another job of its dedup key is already waiting there
      // (that one does the same work): then this one is finished.
      res = await tx.execute(sql`
        update jobs set
          status = case when dedup_key is not null and exists (
            select 1 from jobs q where q.dedup_key = jobs.dedup_key and q.status = 'queued') then 'done'::job_status
            else 'queued'::job_status end,
          run_at = ${iso(outcome.runAt)}::timestamptz, lease_until = null, lease_token = null,
          last_error = ${outcome.error ?? null}
        where ${ours} returning id`);
    } else {
      res = await tx.execute(sql`
        update jobs set status = ${outcome.status}::job_status, lease_until = null, lease_token = null,
          finished_at = ${iso(now)}::timestamptz,
          last_error = ${outcome.status === "failed" ? outcome.error : null},
          progress = coalesce(${outcome.status === "done" && outcome.progress ? JSON.stringify(outcome.progress) : null}::jsonb, progress)
        where ${ours} returning id`);
    }
    if (res.rows.length === 0) return false; // the lease ran out and another worker took the job over
    await outcome.settle?.(tx);
    return true;
  });
}

function failure(job: ClaimedJob, error: unknown, now: Date): JobOutcome {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  if (job.attempts >= job.maxAttempts) return { status: "failed", error: message };
  return { status: "retry", runAt: new Date(now.getTime() + jobRetryDelayMs(job.attempts)), error: message };
}

/**
 * Claims due jobs and runs each with its handler, then settles it. Safe to run from several processes
 * at once: each job is claimed by one of them, and a job whose worker died is taken over when its lease
 * expires.
 */
export async function runDueJobs(db: Db, opts: RunOptions): Promise<RunResult> {
  const now = opts.now ?? new Date();
  const kinds = opts.kinds ?? Object.keys(opts.handlers);
  const claimed = await claimJobs(db, {
    kinds: kinds.filter((k) => opts.handlers[k]),
    now,
    limit: opts.limit ?? 20,
    leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
  });
  const result: RunResult = { claimed: claimed.length, outcomes: {} };
  await Promise.all(
    claimed.map(async (job) => {
      const reportProgress = async (progress: Record<string, unknown>) => {
        await db.execute(
          sql`update jobs set progress = ${JSON.stringify(progress)}::jsonb
              where id = ${job.id} and status = 'running' and lease_token = ${job.leaseToken}::uuid`,
        );
      };
      let outcome: JobOutcome;
      try {
        outcome = (await opts.handlers[job.kind]!({ db, now, job, reportProgress })) ?? { status: "done" };
      } catch (error) {
        outcome = failure(job, error, now);
      }
      let settled: boolean;
      try {
        settled = await settle(db, job, outcome, now);
      } catch (error) {
        // The handler's own writes failed: the run counts as a failed attempt, and the job is retried.
        outcome = failure(job, error, now);
        settled = await settle(db, job, outcome, now);
      }
      const label = settled ? (outcome.label ?? outcome.status) : "lost-lease";
      result.outcomes[label] = (result.outcomes[label] ?? 0) + 1;
    }),
  );
  return result;
}
