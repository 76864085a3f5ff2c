import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { alertRules } from "@/db/schema";
import { checkModelAlerts } from "../alerts/periodic";
import { enqueueJob } from "../jobs/queue";
import type { JobHandler } from "../jobs/runner";

/** Judges a model's live-accuracy rules (and its other non-window rules) after labels resolved items. */
export const LIVE_ACCURACY_JOB = "alerts.live_accuracy";

/**
 * Called in the transaction that resolves an item (a label that completes it, or an adjudication): when
 * the model has an enabled live-accuracy rule, queues one judgment of it, on the jobs queue, never on the
 * request thread. While one waits, more labels add nothing: the waiting job reads them all.
 */
export async function queueLiveAccuracyCheck(tx: Db | Tx, modelId: string): Promise<void> {
  const [rule] = await tx
    .select({ id: alertRules.id })
    .from(alertRules)
    .where(and(eq(alertRules.modelId, modelId), eq(alertRules.kind, "live_accuracy"), eq(alertRules.enabled, true)))
    .limit(1);
  if (!rule) return;
  const key = `${LIVE_ACCURACY_JOB}:${modelId}`;
  await enqueueJob(tx, { kind: LIVE_ACCURACY_JOB, payload: { modelId }, dedupKey: key, lockKey: key });
}

export const liveAccuracyJobHandler: JobHandler = async ({ db, job, now }) => {
  await checkModelAlerts(db, String(job.payload.modelId), now);
};
