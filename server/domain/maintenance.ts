import type { Db } from "@/db/client";
import { inBackground } from "@/db/priority";
import { deleteFinishedJobs, enqueueJobs, type NewJob } from "./jobs/queue";
import type { JobHandler } from "./jobs/runner";
import { deleteExpiredIdempotencyKeys } from "@/server/http/idempotency";
import { dropExpiredPredictions, ensurePredictionPartitions } from "./predictions/partitions";

/**
 * Upkeep that every instance may run (each step is idempotent and safe side by side): prediction
 * partitions created ahead, raw predictions past retention dropped by partition, expired idempotency
 * keys forgotten, finished jobs a week old deleted. Runs as a job (maintenanceJobHandler): at start and then hourly, once across instances.
 */
export interface MaintenanceResult {
  partitionsCreated: number;
  partitionsDropped: number;
  idempotencyKeysDeleted: number;
  finishedJobsDeleted: number;
}

export async function runMaintenance(
  db: Db,
  { now = new Date(), retentionDays }: { now?: Date; retentionDays: number },
): Promise<MaintenanceResult> {
  const partitionsCreated = await ensurePredictionPartitions(db, { now });
  const partitionsDropped = await dropExpiredPredictions(db, { now, retentionDays });
  const idempotencyKeysDeleted = await deleteExpiredIdempotencyKeys(db, now);
  const finishedJobsDeleted = await deleteFinishedJobs(db, now);
  return { partitionsCreated, partitionsDropped, idempotencyKeysDeleted, finishedJobsDeleted };
}

export const MAINTENANCE_JOB = "maintenance";
const MAINTENANCE_INTERVAL_MS = 60 * 60_000;

/**
 * The next upkeep run, one queued at a time across every instance (the dedup key): queued at start-up
 * (`sooner`: an instance that starts runs upkeep now, not at the next hour) and by each run for an hour later.
 */
export const maintenanceJob = (runAt: Date): NewJob => ({
  kind: MAINTENANCE_JOB,
  payload: {},
  dedupKey: MAINTENANCE_JOB,
  lockKey: MAINTENANCE_JOB,
  runAt,
});

export async function queueMaintenanceNow(db: Db): Promise<void> {
  await enqueueJobs(db, [maintenanceJob(new Date())], { onConflict: "sooner" });
}

/** Upkeep on the jobs queue: runs once per hour across all instances, and queues its next run. */
export function maintenanceJobHandler(opts: { retentionDays: number; intervalMs?: number }): JobHandler {
  return async ({ db, now }) => {
    // Upkeep yields embedded PGlite's one connection to requests (db/priority.ts).
    const result = await inBackground(() => runMaintenance(db, { retentionDays: opts.retentionDays }));
    const next = new Date(now.getTime() + (opts.intervalMs ?? MAINTENANCE_INTERVAL_MS));
    return {
      status: "done",
      progress: { ...result },
      settle: async (tx) => void (await enqueueJobs(tx, [maintenanceJob(next)])),
    };
  };
}
