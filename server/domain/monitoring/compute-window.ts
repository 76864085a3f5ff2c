import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { monitoringWindows, predictionReferences } from "@/db/schema";
import {
  countsAndLatency,
  featureDistributions,
  histogramEdges,
  outputDistributions,
  windowFeatures,
} from "./aggregates";
import { runWindowHooks } from "./hooks";
import { isFinal, windowEnd } from "./window-bounds";
import { DEFAULT_EXACT_ROWS, windowDrift } from "./window-drift";
import type { WindowGranularity, WindowSummary } from "./window-summary";

export interface ComputeWindowOptions {
  now?: Date;
  /** Rows per side up to which KS and Wasserstein are exact (RATCHET_MONITORING_EXACT_ROWS). */
  exactUpTo?: number;
  /** After a window's end, how long late rows may still change it (RATCHET_MONITORING_LATE_MS). */
  lateMs?: number;
}

export const DEFAULT_LATE_MS = 10 * 60_000;

/** The version's current reference (the newest not replaced), if it has one. */
async function currentReference(db: Db, versionId: string) {
  const [ref] = await db
    .select({ id: predictionReferences.id, rowCount: predictionReferences.rowCount })
    .from(predictionReferences)
    .where(and(eq(predictionReferences.modelVersionId, versionId), isNull(predictionReferences.replacedAt)))
    .orderBy(desc(predictionReferences.createdAt))
    .limit(1);
  return ref ?? null;
}

/**
 * Computes one window of one version from the prediction log (aggregates in SQL, drift through the
 * engine against the version's reference) and stores it: an upsert on (version, granularity, start), so
 * computing a window again replaces it. Then runs the afterWindowComputed hooks.
 */
export async function computeWindow(
  db: Db,
  target: { versionId: string; granularity: WindowGranularity; start: Date },
  opts: ComputeWindowOptions = {},
): Promise<{ windowId: string; summary: WindowSummary }> {
  const now = opts.now ?? new Date();
  const exactUpTo = opts.exactUpTo ?? DEFAULT_EXACT_ROWS;
  const w = { versionId: target.versionId, start: target.start, end: windowEnd(target.granularity, target.start) };
  const ref = await currentReference(db, w.versionId);
  const counts = await countsAndLatency(db, w);
  const features = await windowFeatures(db, w, ref?.id ?? null);
  const numerical = features.filter((f) => f.kind === "numerical").map((f) => f.name);
  const edges = await histogramEdges(db, w, ref?.id ?? null, numerical);
  // A reference without outputs still bins a regression output, on the window's own range.
  const outputEdges = edges.output ?? (ref ? (await histogramEdges(db, w, null, [])).output : null);
  const summary: WindowSummary = {
    granularity: target.granularity,
    windowStart: w.start.toISOString(),
    windowEnd: w.end.toISOString(),
    rowCount: counts.rowCount,
    final: isFinal(target.granularity, w.start, now, opts.lateMs ?? DEFAULT_LATE_MS),
    rowsPerArm: counts.rowsPerArm,
    latency: counts.latency,
    output: await outputDistributions(db, w, outputEdges),
    features: await featureDistributions(db, w, features, edges.features),
    drift: ref ? await windowDrift(db, w, ref, counts.rowCount, features, exactUpTo) : null,
  };
  const [row] = await db
    .insert(monitoringWindows)
    .values({
      modelVersionId: w.versionId,
      granularity: target.granularity,
      windowStart: w.start,
      windowEnd: w.end,
      rowCount: summary.rowCount,
      referenceId: ref?.id ?? null,
      summary,
      computedAt: now,
    })
    .onConflictDoUpdate({
      target: [monitoringWindows.modelVersionId, monitoringWindows.granularity, monitoringWindows.windowStart],
      set: {
        rowCount: sql`excluded.row_count`,
        referenceId: sql`excluded.reference_id`,
        summary: sql`excluded.summary`,
        computedAt: sql`excluded.computed_at`,
      },
    })
    .returning({ id: monitoringWindows.id });
  await runWindowHooks(db, { windowId: row!.id, modelVersionId: w.versionId, summary });
  return { windowId: row!.id, summary };
}
