import { and, eq, ne } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { modelVersions } from "@/db/schema";

/**
 * Moves stages for a release inside the caller's transaction (which holds the model row lock).
 * The old champion steps down before the new one steps up, so the partial unique index never sees two;
 * other transactions see only the before or the after, never zero champions.
 */
export async function applyStages(
  tx: Tx,
  modelId: string,
  toVersionId: string,
  strategy: "full" | "canary" | "shadow",
) {
  if (strategy === "full") {
    await tx
      .update(modelVersions)
      .set({ stage: "retired" })
      .where(
        and(eq(modelVersions.modelId, modelId), eq(modelVersions.stage, "champion"), ne(modelVersions.id, toVersionId)),
      );
    await tx.update(modelVersions).set({ stage: "champion" }).where(eq(modelVersions.id, toVersionId));
    return;
  }
  // One challenger at a time: a new canary or shadow replaces the previous one, which goes back to candidate.
  await tx
    .update(modelVersions)
    .set({ stage: "candidate" })
    .where(
      and(eq(modelVersions.modelId, modelId), eq(modelVersions.stage, "challenger"), ne(modelVersions.id, toVersionId)),
    );
  await tx.update(modelVersions).set({ stage: "challenger" }).where(eq(modelVersions.id, toVersionId));
}
