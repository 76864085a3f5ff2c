/**
 * Monitoring windows on the jobs queue. Ingesting predictions marks the windows they fall in dirty (one
 * queued job per window, deduplicated, due after a short delay so a steady stream is computed once per
 * delay rather than once per batch), plus one final computation after each window closes. A check asked
 * for by a person queues the recent windows of a model's versions as children of one job, whose progress
 * is the share of children done.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { env } from "@/server/env";
import type { JobHandler } from "../jobs/runner";
import { enqueueJobs } from "../jobs/queue";
import { pgArray } from "../predictions/pg-array";
import { computeWindow, type ComputeWindowOptions } from "./compute-window";
import { isWindowStart, windowKey } from "./window-bounds";
import type { WindowGranularity } from "./window-summary";

export const WINDOW_JOB = "monitoring.window";
export const CHECK_JOB = "monitoring.check";

export interface MonitoringSchedule {
  /** Delay between the first row that dirties a window and its computation (RATCHET_MONITORING_DEBOUNCE_MS). */
  debounceMs: number;
  /** How long after a window's end late rows still change it (RATCHET_MONITORING_LATE_MS). */
  lateMs: number;
}

/** From the environment (RATCHET_MONITORING_DEBOUNCE_MS, RATCHET_MONITORING_LATE_MS). */
export function scheduleFromEnv(): MonitoringSchedule {
  const e = env();
  return { debounceMs: e.RATCHET_MONITORING_DEBOUNCE_MS, lateMs: e.RATCHET_MONITORING_LATE_MS };
}

/**
 * Marks the hour, day and week windows that a batch's rows fall in as dirty, in the ingest's transaction:
 * one statement whatever the batch size. The rows come reduced to their distinct (version, hour) pairs
 * (`hour`: an ISO time at the start of a UTC hour; windowsOfBatch's partials give them): days and weeks are
 * made of whole UTC hours, so the hours name every window, and the statement handles a few dozen pairs
 * instead of a batch's 10,000 rows times three granularities (a tenth of the ingest's time in SQL).
 * Windows already closed (past their end plus `lateMs`) are final and left alone.
 */
export async function markWindowsDirty(
  tx: Tx,
  pairs: readonly { versionId: string; hour: string }[],
  schedule: MonitoringSchedule = scheduleFromEnv(),
): Promise<void> {
  if (pairs.length === 0) return;
  await tx.execute(sql`
    with w as (
      select distinct x.v, g.g, date_trunc(g.g, x.t, 'UTC') as s,
        (case g.g when 'hour' then interval '1 hour' when 'day' then interval '1 day' else interval '7 days' end) as len
      from unnest(${pgArray(pairs.map((p) => p.versionId))}::uuid[], ${pgArray(pairs.map((p) => p.hour))}::timestamptz[]) as x(v, t)
      cross join unnest(array['hour', 'day', 'week']) as g(g)),
    open as (
      select v, g, s, len, 'window:' || v || ':' || g || ':' || to_char(s at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as k
      from w where s + len + ${schedule.lateMs} * interval '1 millisecond' > now())
    insert into jobs (kind, payload, dedup_key, lock_key, run_at)
    select ${WINDOW_JOB}, jsonb_build_object('versionId', v, 'granularity', g, 'start', to_char(s at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      k, k, least(now() + ${schedule.debounceMs} * interval '1 millisecond', s + len + ${schedule.lateMs} * interval '1 millisecond')
    from open
    union all
    select ${WINDOW_JOB}, jsonb_build_object('versionId', v, 'granularity', g, 'start', to_char(s at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      'final:' || k, k, s + len + ${schedule.lateMs} * interval '1 millisecond'
    from open
    on conflict (dedup_key) where status = 'queued' do nothing`);
}

interface WindowPayload {
  versionId: string;
  granularity: WindowGranularity;
  start: string;
}

function parseWindowPayload(payload: Record<string, unknown>): {
  versionId: string;
  granularity: WindowGranularity;
  start: Date;
} {
  const p = payload as Partial<WindowPayload>;
  const start = new Date(String(p.start));
  const granularity = p.granularity;
  if (typeof p.versionId !== "string" || (granularity !== "hour" && granularity !== "day" && granularity !== "week"))
    throw new Error(`not a window job: ${JSON.stringify(payload)}`);
  if (Number.isNaN(start.getTime()) || !isWindowStart(granularity, start))
    throw new Error(`not the start of a ${granularity} window: ${p.start}`);
  return { versionId: p.versionId, granularity, start };
}

export function windowJobHandler(opts: Omit<ComputeWindowOptions, "now"> = {}): JobHandler {
  return async ({ db, job }) => {
    // The wall clock, not the scheduling one: `final` says whether late rows could still come.
    const { summary } = await computeWindow(db, parseWindowPayload(job.payload), opts);
    return { status: "done", progress: { rows: summary.rowCount } };
  };
}

/** How far back a check looks for traffic: the windows holding a version's rows of the last day. */
export const CHECK_LOOKBACK_MS = 24 * 60 * 60_000;

/**
 * A check of one model: queues the hour, day and week windows that hold its versions' rows of the last
 * day, as children of this job (each window locked against a concurrent computation of itself).
 */
export const checkJobHandler: JobHandler = async ({ db, job, now, reportProgress }) => {
  const modelId = String(job.payload.modelId);
  const since = new Date(now.getTime() - CHECK_LOOKBACK_MS);
  const res = await db.execute<{ v: string; g: WindowGranularity; s: string }>(sql`
    select distinct p.model_version_id as v, g.g, to_char(date_trunc(g.g, p."time", 'UTC') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as s
    from predictions p join model_versions mv on mv.id = p.model_version_id
    cross join unnest(array['hour', 'day', 'week']) as g(g)
    where mv.model_id = ${modelId}::uuid and p."time" >= ${since.toISOString()}::timestamptz
      and p."time" <= ${now.toISOString()}::timestamptz`);
  const children = res.rows.map((r) => {
    const start = new Date(r.s);
    return {
      kind: WINDOW_JOB,
      payload: { versionId: r.v, granularity: r.g, start: start.toISOString() },
      lockKey: windowKey(r.v, r.g, start),
      parentId: job.id,
      runAt: now,
    };
  });
  await reportProgress({ total: children.length });
  return {
    status: "done",
    progress: { total: children.length },
    // Queued in the transaction that finishes the check, so a check that lost its lease queues nothing.
    settle: async (tx) => void (await enqueueJobs(tx, children)),
  };
};
