/**
 * A batch's share of the monitoring windows, made at ingest: per model version and hour, the mergeable
 * state of the batch's rows (`window_partials`), and the rows that enter the hour's drift sample
 * (`window_samples`).
 *
 * Why at ingest rather than in a job: the batch's rows are in memory here, parsed and checked, so their
 * aggregates cost one pass over arrays in Node (no JSON extraction in SQL, the dominant cost of a
 * recomputation) and a few small rows; written in the ingest's transaction, each batch is counted exactly
 * once. A job would have to find the batch's rows again in the log. The sample rows need each row's id
 * (its seeded hash is the draw), so the INSERT of the rows writes them from its RETURNING, in the same
 * statement; the partial states are computed while that statement runs, and stored right after it.
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

/** The batch's share of the windows, in two steps around the INSERT of its rows. */
export interface BatchWindows {
  /** Whether some version has a reference, so rows of the batch may enter drift samples. */
  samples: boolean;
  /**
   * The statement that puts the batch's rows that enter their hour's drift sample into `window_samples`,
   * reading them from `rows` (a relation with the columns of SAMPLE_COLUMNS: the INSERT's RETURNING, or
   * the log read back by id).
   */
  sampleInsert(rows: SQL): SQL;
  /**
   * The batch's partial state per version and hour (binned on each version's current reference; versions
   * without one get a partial that only says so, which keeps their windows recomputed from rows), as the
   * statement that stores them, and the (version, hour) pairs the batch touched. Only CPU work, one pass
   * over the rows: the ingest runs it while the database inserts them.
   */
  partials(rows: BatchColumns): { statement: SQL; hours: { versionId: string; hour: string }[] };
}

/** The columns `sampleInsert` reads. */
export const SAMPLE_COLUMNS = sql.raw(
  `id, model_version_id, "time", features, prediction_number, prediction_label, arm`,
);

/**
 * Reads the versions' current binnings (one query): a version's windows are binned on the reference
 * current at the hour of its first row in the batch (`firstTimes`: version id → that row's time).
 */
export async function windowsOfBatch(
  tx: Tx,
  firstTimes: ReadonlyMap<string, string>,
  declared: ReadonlyMap<string, readonly FeatureSpec[]>,
): Promise<BatchWindows> {
  const binnings = await currentBinnings(
    tx,
    [...firstTimes].map(([versionId, time]) => {
      const hour = windowStart("hour", new Date(time));
      return {
        range: { versionId, start: hour, end: windowEnd("hour", hour) },
        declared: declared.get(versionId) ?? [],
      };
    }),
  );
  const sampled = [...binnings.keys()];
  // Only rows at or below the hour's bound can be among its k smallest hashes (no bound: not full yet).
  const sampleInsert = (rows: SQL) => sql`
    insert into window_samples (model_version_id, hour_start, hash, features, output, numeric_output, arm)
    select i.model_version_id, d.hour_start, d.hash, i.features, coalesce(i.prediction_number::text, i.prediction_label),
      i.prediction_number is not null, i.arm::text
    from ${rows} i
    cross join lateral (select date_trunc('hour', i."time", 'UTC') as hour_start, hashint8extended(i.id, ${SAMPLE_SEED}) as hash) d
    left join monitoring_windows w on w.model_version_id = i.model_version_id and w.granularity = 'hour' and w.window_start = d.hour_start
    where i.model_version_id = any(${pgArray(sampled)}::uuid[]) and (w.sample_bound is null or d.hash <= w.sample_bound)`;

  const partials = (rows: BatchColumns) => {
    const byHour = new Map<string, { versionId: string; hour: Date; rows: number[] }>();
    for (let i = 0; i < rows.versionIds.length; i++) {
      const hour = windowStart("hour", new Date(rows.times[i]!));
      const key = `${rows.versionIds[i]}|${hour.getTime()}`;
      let group = byHour.get(key);
      if (!group) byHour.set(key, (group = { versionId: rows.versionIds[i]!, hour, rows: [] }));
      group.rows.push(i);
    }
    const states = [...byHour.values()].map((g) => {
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
    return {
      statement: sql`
        insert into window_partials (model_version_id, hour_start, state)
        select x.v, x.h, x.s from jsonb_to_recordset(${JSON.stringify(states)}::jsonb) as x(v uuid, h timestamptz, s jsonb)`,
      hours: states.map((x) => ({ versionId: x.v, hour: x.h })),
    };
  };
  return { samples: sampled.length > 0, sampleInsert, partials };
}
