import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { models } from "@/db/schema";

/**
 * A model's "last activity" moves with every event on it (a version, a report, a release request,
 * decision or rollback, a requirement change), inside the event's own transaction, so the models list
 * and the overview sort by what actually happened last.
 */
export async function touchModel(tx: Tx, modelId: string): Promise<void> {
  await tx
    .update(models)
    .set({ lastActivityAt: sql`now()` })
    .where(eq(models.id, modelId));
}
