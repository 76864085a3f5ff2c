/**
 * "Run a check now": a data scientist queues the computation of a model's recent windows and watches
 * it progress. The work runs on the jobs queue, never in the request that asked for it.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { jobs } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { enqueueJob } from "../jobs/queue";
import { findModelOrThrow } from "../registry/models";
import { CHECK_JOB } from "./window-jobs";

export const monitoringCheckInput = z.object({ model: z.string().trim().min(1, "Name the model").max(200) });

export type CheckState = "queued" | "running" | "done" | "failed";

export interface CheckProgress {
  id: number;
  state: CheckState;
  /** Windows computed so far, and how many the check queued (null until it has looked). */
  windowsDone: number;
  windowsFailed: number;
  windowsTotal: number | null;
  requestedBy: string | null;
  requestedAt: Date;
  finishedAt: Date | null;
}

/**
 * Queues a check of the model's recent windows. Asking again while one is still waiting to start
 * returns that one rather than queueing a second.
 */
export async function runMonitoringCheck(ctx: DomainContext, raw: z.input<typeof monitoringCheckInput>) {
  const actor = authorize(ctx, "monitoring:run");
  const { model: name } = monitoringCheckInput.parse(raw);
  const model = await findModelOrThrow(ctx, name);
  const dedupKey = `check:${model.id}`;
  const id = await enqueueJob(ctx.db, {
    kind: CHECK_JOB,
    payload: { modelId: model.id, requestedBy: actor.name },
    dedupKey,
    maxAttempts: 3,
  });
  if (id !== null) return { id, queued: true };
  const [waiting] = await ctx.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.dedupKey, dedupKey), eq(jobs.status, "queued")));
  return { id: waiting?.id ?? null, queued: false };
}

/** The model's latest check and how far it got; null when none was ever run. */
export async function latestMonitoringCheck(
  ctx: DomainContext,
  raw: z.input<typeof monitoringCheckInput>,
): Promise<CheckProgress | null> {
  authorize(ctx, "registry:read");
  const { model: name } = monitoringCheckInput.parse(raw);
  const model = await findModelOrThrow(ctx, name);
  const [check] = await ctx.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, CHECK_JOB), sql`${jobs.payload}->>'modelId' = ${model.id}`))
    .orderBy(desc(jobs.id))
    .limit(1);
  if (!check) return null;
  const children = await ctx.db
    .select({ status: jobs.status, n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(eq(jobs.parentId, check.id))
    .groupBy(jobs.status);
  const count = (s: CheckState) => children.find((c) => c.status === s)?.n ?? 0;
  const total = typeof check.progress?.total === "number" ? check.progress.total : null;
  const done = count("done"),
    failed = count("failed");
  let state: CheckState;
  if (check.status === "queued" || check.status === "failed") state = check.status;
  else if (check.status === "running" || total === null || done + failed < total) state = "running";
  else state = failed > 0 ? "failed" : "done";
  return {
    id: check.id,
    state,
    windowsDone: done,
    windowsFailed: failed,
    windowsTotal: total,
    requestedBy: typeof check.payload.requestedBy === "string" ? check.payload.requestedBy : null,
    requestedAt: check.createdAt,
    finishedAt: state === "done" || state === "failed" ? (check.finishedAt ?? null) : null,
  };
}
