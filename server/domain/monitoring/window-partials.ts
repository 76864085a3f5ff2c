/**
 * A batch's share of the monitoring windows, made at ingest: per model version and hour, the mergeable
 * state of the batch's rows (`window_partials`), and the rows that enter the hour's drift sample
 * (`window_samples`).
 *
 * Why at ingest rather than in a job: the batch's rows are in memory here, parsed and checked, so their
 * aggregates cost one pass over arrays in Node (no JSON extraction in SQL, the dominant cost of a
 * recomputation) and a few small rows; written in the ingest's transaction, each batch is counted exactly
 * once. A job would have to find the batch's rows again in the log, which has no batch column. The sample
 * rows need each row's id (its seeded hash is the draw), so the INSERT of the rows writes them from its
 * RETURNING, in the same statement.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { FeatureSpec } from "./aggregates";
import { currentBinnings } from "./reference-binning";
import { windowEnd, windowStart } from "./window-bounds";
import { SAMPLE_SEED } from "./window-drift";
import { addRows, emptyState, type StateRow } from "./window-state";
import type { TrafficArm } from "./window-summary";
import { pgArray } from "../predictions/pg-array";

/** The batch as ingest inserts it: one array per column, rows by position. */
export interface BatchColumns {
  versionIds: readonly string[];
  times: readonly string[];
  features: readonly Record<string, unknown>[];
  numbers: readonly (number | null)[];
  labels: readonly (string | null)[];
  latencies: readonly (number | null)[];
  arms: readonly string[];
}

/**
 * Computes the batch's partial states (binned on each version's current reference; versions without
 * one get a partial that only says so, which keeps their windows recomputed from rows) and returns the
 * CTEs that write them and the sample rows, to follow `inserted` (the INSERT ... RETURNING of the rows)
 * in the ingest's statement.
 */
export async function windowPartialsOfBatch(
  tx: Tx,
  rows: BatchColumns,
  declared: ReadonlyMap<string, readonly FeatureSpec[]>,
): Promise<SQL> {
  const byHour = new Map<string, { versionId: string; hour: Date; rows: number[] }>();
  for (let i = 0; i < rows.versionIds.length; i++) {
    const hour = windowStart("hour", new Date(rows.times[i]!));
    const key = `${rows.versionIds[i]}|${hour.getTime()}`;
    let group = byHour.get(key);
    if (!group) byHour.set(key, (group = { versionId: rows.versionIds[i]!, hour, rows: [] }));
    group.rows.push(i);
  }
  const ranges = new Map<string, { versionId: string; start: Date; end: Date }>();
  for (const g of byHour.values())
    if (!ranges.has(g.versionId))
      ranges.set(g.versionId, { versionId: g.versionId, start: g.hour, end: windowEnd("hour", g.hour) });
  const binnings = await currentBinnings(
    tx,
    [...ranges.values()].map((range) => ({ range, declared: declared.get(range.versionId) ?? [] })),
  );
  const partials = [...byHour.values()].map((g) => {
    const binning = binnings.get(g.versionId) ?? null;
    const stateRows = g.rows.map((i): StateRow => ({
      features: rows.features[i]!,
      number: rows.numbers[i]!,
      label: rows.labels[i]!,
      latencyMs: rows.latencies[i]!,
      arm: rows.arms[i] as TrafficArm,
    }));
    return { v: g.versionId, h: g.hour.toISOString(), s: addRows(emptyState(binning), stateRows, binning) };
  });
  const writePartials = sql`, window_partials_in as (
    insert into window_partials (model_version_id, hour_start, state)
    select x.v, x.h, x.s from jsonb_to_recordset(${JSON.stringify(partials)}::jsonb) as x(v uuid, h timestamptz, s jsonb))`;
  const sampled = [...binnings.keys()];
  if (sampled.length === 0) return writePartials;
  // Only rows at or below the hour's bound can be among its k smallest hashes (no bound: not full yet).
  return sql`${writePartials}, window_samples_in as (
    insert into window_samples (model_version_id, hour_start, hash, features, output, numeric_output, arm)
    select i.model_version_id, d.hour_start, d.hash, i.features, coalesce(i.prediction_number::text, i.prediction_label),
      i.prediction_number is not null, i.arm::text
    from inserted i
    cross join lateral (select date_trunc('hour', i."time", 'UTC') as hour_start, hashint8extended(i.id, ${SAMPLE_SEED}) as hash) d
    left join monitoring_windows w on w.model_version_id = i.model_version_id and w.granularity = 'hour' and w.window_start = d.hour_start
    where i.model_version_id = any(${pgArray(sampled)}::uuid[]) and (w.sample_bound is null or d.hash <= w.sample_bound))`;
}
