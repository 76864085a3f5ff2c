/**
 * Reads of stored monitoring windows for the monitoring page. Each query walks the
 * (model_version_id, window_start) index and pulls only the JSON parts the page draws, never whole
 * summaries of every window and never the raw prediction log.
 */
import { and, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { monitoringWindows, modelVersions } from "@/db/schema";
import type { ColumnDrift, ColumnQuality, CorrelationChange } from "@/server/stats/drift";
import type { Distribution, TrafficArm, WindowGranularity, WindowSummary } from "./window-summary";

export interface WindowHeader {
  start: Date;
  end: Date;
  rowCount: number;
  referenceId: string | null;
  latency: WindowSummary["latency"];
  rowsPerArm: WindowSummary["rowsPerArm"];
  /** Null: drift not measured in this window (no reference). */
  dataset: { columns: ColumnDrift[]; driftedShare: number; datasetDrifted: boolean } | null;
}

const w = monitoringWindows;

/** The newest `limit` windows of one version at one granularity, oldest first. */
export async function windowHeaders(
  db: Db,
  versionId: string,
  granularity: WindowGranularity,
  limit: number,
): Promise<WindowHeader[]> {
  const rows = await db
    .select({
      start: w.windowStart,
      end: w.windowEnd,
      rowCount: w.rowCount,
      referenceId: w.referenceId,
      latency: sql<WindowSummary["latency"]>`${w.summary}->'latency'`,
      rowsPerArm: sql<WindowSummary["rowsPerArm"]>`${w.summary}->'rowsPerArm'`,
      dataset: sql<WindowHeader["dataset"]>`nullif(${w.summary}#>'{drift,dataset}', 'null'::jsonb)`,
    })
    .from(w)
    .where(and(eq(w.modelVersionId, versionId), eq(w.granularity, granularity)))
    .orderBy(desc(w.windowStart))
    .limit(limit);
  return rows.reverse();
}

export interface WindowDetail {
  start: Date;
  end: Date;
  referenceId: string | null;
  featureNames: string[];
  feature: Distribution | null;
  quality: ColumnQuality[] | null;
  correlation: CorrelationChange | null;
  output: ColumnDrift | null;
  exactUpTo: number | null;
  sampled: boolean | null;
}

/** One window's details: the feature list, one feature's distribution, the quality table and the correlation change. */
export async function windowDetail(
  db: Db,
  versionId: string,
  granularity: WindowGranularity,
  start: Date,
  feature: string | null,
): Promise<WindowDetail | null> {
  const [row] = await db
    .select({
      start: w.windowStart,
      end: w.windowEnd,
      referenceId: w.referenceId,
      featureNames: sql<
        string[]
      >`coalesce((select jsonb_agg(k order by k) from jsonb_object_keys(${w.summary}->'features') k), '[]'::jsonb)`,
      feature: sql<Distribution | null>`${w.summary}->'features'->${feature ?? ""}::text`,
      quality: sql<ColumnQuality[] | null>`nullif(${w.summary}#>'{drift,quality}', 'null'::jsonb)`,
      correlation: sql<CorrelationChange | null>`nullif(${w.summary}#>'{drift,correlation}', 'null'::jsonb)`,
      output: sql<ColumnDrift | null>`nullif(${w.summary}#>'{drift,output}', 'null'::jsonb)`,
      exactUpTo: sql<number | null>`(${w.summary}#>>'{drift,exactUpTo}')::float8`,
      sampled: sql<boolean | null>`(${w.summary}#>>'{drift,sampled}')::boolean`,
    })
    .from(w)
    .where(and(eq(w.modelVersionId, versionId), eq(w.granularity, granularity), eq(w.windowStart, start)));
  if (!row) return null;
  return { ...row, exactUpTo: row.exactUpTo === null ? null : Number(row.exactUpTo) };
}

export interface OutputPoint {
  version: number;
  start: Date;
  output: Partial<Record<TrafficArm, Distribution>>;
}

/** The model's output per arm in every window of any of its versions that starts within [from, to]. */
export async function outputsOverTime(
  db: Db,
  versionIds: string[],
  granularity: WindowGranularity,
  from: Date,
  to: Date,
): Promise<OutputPoint[]> {
  if (versionIds.length === 0) return [];
  return db
    .select({
      version: modelVersions.version,
      start: w.windowStart,
      output: sql<Partial<Record<TrafficArm, Distribution>>>`coalesce(${w.summary}->'output', '{}'::jsonb)`,
    })
    .from(w)
    .innerJoin(modelVersions, eq(modelVersions.id, w.modelVersionId))
    .where(
      and(
        inArray(w.modelVersionId, versionIds),
        eq(w.granularity, granularity),
        gte(w.windowStart, from),
        lte(w.windowStart, to),
      ),
    )
    .orderBy(w.windowStart, modelVersions.version);
}

/** The version's most recent window of any granularity (the finest one when several start together). */
export async function latestWindow(
  db: Db,
  versionId: string,
): Promise<{
  granularity: WindowGranularity;
  start: Date;
  end: Date;
  rowCount: number;
  latency: WindowSummary["latency"];
} | null> {
  const [row] = await db
    .select({
      granularity: w.granularity,
      start: w.windowStart,
      end: w.windowEnd,
      rowCount: w.rowCount,
      latency: sql<WindowSummary["latency"]>`${w.summary}->'latency'`,
    })
    .from(w)
    .where(eq(w.modelVersionId, versionId))
    .orderBy(desc(w.windowStart), w.granularity)
    .limit(1);
  return row ?? null;
}
