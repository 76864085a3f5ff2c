import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incrementalWindowsSince, modelVersions, predictionReferences } from "@/db/schema";
import {
  countsAndLatency,
  featureDistributions,
  histogramEdges,
  outputDistributions,
  windowFeatures,
  type WindowRange,
} from "./aggregates";
import { runWindowHooks } from "./hooks";
import { computeIncrementally, dropBefore, dropFinalHours, dropHour, NO_SAMPLE } from "./incremental-window";
import { binningOfVersion } from "./reference-binning";
import { storeWindow } from "./store-window";
import { isFinal, windowEnd, windowStart } from "./window-bounds";
import { DEFAULT_EXACT_ROWS, logSample, windowDrift } from "./window-drift";
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
 * A window from all its rows in the prediction log: aggregates in SQL, drift through the engine. What
 * merging partial states must equal (the incremental windows' tests compare the two).
 */
export async function summaryFromLog(
  db: Db,
  granularity: WindowGranularity,
  w: WindowRange,
  ref: { id: string; rowCount: number } | null,
  final: boolean,
  exactUpTo: number,
): Promise<WindowSummary> {
  const counts = await countsAndLatency(db, w);
  const features = await windowFeatures(db, w, ref?.id ?? null);
  const numerical = features.filter((f) => f.kind === "numerical").map((f) => f.name);
  const edges = await histogramEdges(db, w, ref?.id ?? null, numerical);
  // A reference without outputs still bins a regression output, on the window's own range.
  const outputEdges = edges.output ?? (ref ? (await histogramEdges(db, w, null, [])).output : null);
  return {
    granularity,
    windowStart: w.start.toISOString(),
    windowEnd: w.end.toISOString(),
    rowCount: counts.rowCount,
    final,
    rowsPerArm: counts.rowsPerArm,
    latency: counts.latency,
    output: await outputDistributions(db, w, outputEdges),
    features: await featureDistributions(db, w, features, edges.features),
    drift: ref ? await windowDrift(db, ref, counts.rowCount, features, exactUpTo, logSample(w, exactUpTo)) : null,
  };
}

/**
 * Whether the window may hold rows ingested before partial states were stored (migration 0022 records
 * when): only a version registered before then, in a window starting before then, can. Two rows by
 * primary key, read per window.
 */
async function mayHoldRowsWithoutPartials(db: Db, w: { versionId: string; start: Date }): Promise<boolean> {
  const [row] = await db
    .select({ since: incrementalWindowsSince.since, registered: modelVersions.createdAt })
    .from(modelVersions)
    .leftJoin(incrementalWindowsSince, sql`true`)
    .where(eq(modelVersions.id, w.versionId))
    .limit(1);
  // The row is inserted by the migration that made the table; without it nothing is known to be complete.
  if (!row?.since) return true;
  return row.registered < row.since && w.start < row.since;
}

/**
 * Computes one window of one version and stores it (an upsert on version, granularity and start), then
 * runs the afterWindowComputed hooks. When the version has a reference, the window is merged from the
 * partial states ingest stored (incremental-window.ts), whose cost does not grow with the window's rows;
 * otherwise, or when they do not merge, it is recomputed from the prediction log.
 */
export async function computeWindow(
  db: Db,
  target: { versionId: string; granularity: WindowGranularity; start: Date },
  opts: ComputeWindowOptions = {},
): Promise<{ windowId: string; summary: WindowSummary }> {
  const now = opts.now ?? new Date();
  const exactUpTo = opts.exactUpTo ?? DEFAULT_EXACT_ROWS;
  const w = { versionId: target.versionId, start: target.start, end: windowEnd(target.granularity, target.start) };
  const final = isFinal(target.granularity, w.start, now, opts.lateMs ?? DEFAULT_LATE_MS);
  const ref = await currentReference(db, w.versionId);
  const binning = ref ? await binningOfVersion(db, w) : null;
  let stored =
    ref && binning && !(await mayHoldRowsWithoutPartials(db, w))
      ? await computeIncrementally(db, { ...w, granularity: target.granularity }, ref, binning, {
          now,
          final,
          exactUpTo,
        })
      : null;
  if (!stored) {
    const summary = await summaryFromLog(db, target.granularity, w, ref, final, exactUpTo);
    // An hour is now recomputed from rows for good (its state is null): its partials and sample will never
    // be read, and the lowest possible bound stops ingest from sampling it.
    const hour = target.granularity === "hour";
    const incremental = { state: null, sampleBound: hour ? NO_SAMPLE : null };
    stored = { windowId: await storeWindow(db, w, summary, ref?.id ?? null, now, incremental), summary };
    if (hour) await dropHour(db, w.versionId, w.start);
  }
  if (final) await dropFinalHours(db, w.versionId, windowStart("week", w.start));
  if (target.granularity === "week" && final) await dropBefore(db, w.versionId, w.start);
  await runWindowHooks(db, { windowId: stored.windowId, modelVersionId: w.versionId, summary: stored.summary });
  return stored;
}
