import type { Db } from "@/db/client";
import { deleteExpiredIdempotencyKeys } from "@/server/http/idempotency";
import { dropExpiredPredictions, ensurePredictionPartitions } from "./predictions/partitions";

/**
 * Upkeep that every instance may run (each step is idempotent and safe side by side): prediction
 * partitions created ahead, raw predictions past retention dropped by partition, expired idempotency
 * keys forgotten. Run once at start and then periodically, like the webhook delivery worker.
 */
export interface MaintenanceResult {
  partitionsCreated: number;
  partitionsDropped: number;
  idempotencyKeysDeleted: number;
}

export async function runMaintenance(
  db: Db,
  { now = new Date(), retentionDays }: { now?: Date; retentionDays: number },
): Promise<MaintenanceResult> {
  const partitionsCreated = await ensurePredictionPartitions(db, { now });
  const partitionsDropped = await dropExpiredPredictions(db, { now, retentionDays });
  const idempotencyKeysDeleted = await deleteExpiredIdempotencyKeys(db, now);
  return { partitionsCreated, partitionsDropped, idempotencyKeysDeleted };
}

const holder = globalThis as unknown as { ratchetMaintenanceWorker?: () => void };

/** Runs the upkeep now and then every `intervalMs` (default hourly); returns a stop function. One per process. */
export function startMaintenanceWorker(
  getDb: () => Promise<{ db: Db }>,
  opts: { retentionDays: number; intervalMs?: number },
): () => void {
  if (holder.ratchetMaintenanceWorker) return holder.ratchetMaintenanceWorker;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { db } = await getDb();
      await runMaintenance(db, { retentionDays: opts.retentionDays });
    } catch (error) {
      console.error("maintenance worker:", error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 60 * 60_000);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    if (holder.ratchetMaintenanceWorker === stop) holder.ratchetMaintenanceWorker = undefined;
  };
  holder.ratchetMaintenanceWorker = stop;
  return stop;
}
