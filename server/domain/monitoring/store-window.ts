import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { monitoringWindows } from "@/db/schema";
import type { WindowState } from "./window-state";
import type { WindowSummary } from "./window-summary";

/**
 * Stores a computed window: an upsert on (version, granularity, start), so computing a window again
 * replaces it. `state` and `sampleBound` are an hour's incremental state (null when recomputed from rows).
 */
export async function storeWindow(
  db: Db | Tx,
  w: { versionId: string; start: Date; end: Date },
  summary: WindowSummary,
  referenceId: string | null,
  computedAt: Date,
  incremental: { state: WindowState | null; sampleBound: bigint | null } = { state: null, sampleBound: null },
): Promise<string> {
  const [row] = await db
    .insert(monitoringWindows)
    .values({
      modelVersionId: w.versionId,
      granularity: summary.granularity,
      windowStart: w.start,
      windowEnd: w.end,
      rowCount: summary.rowCount,
      referenceId,
      summary,
      state: incremental.state,
      sampleBound: incremental.sampleBound,
      computedAt,
    })
    .onConflictDoUpdate({
      target: [monitoringWindows.modelVersionId, monitoringWindows.granularity, monitoringWindows.windowStart],
      set: {
        rowCount: sql`excluded.row_count`,
        referenceId: sql`excluded.reference_id`,
        summary: sql`excluded.summary`,
        state: sql`excluded.state`,
        sampleBound: sql`excluded.sample_bound`,
        computedAt: sql`excluded.computed_at`,
      },
    })
    .returning({ id: monitoringWindows.id });
  return row!.id;
}
