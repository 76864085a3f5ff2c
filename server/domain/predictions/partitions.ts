import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

const DAY_MS = 24 * 60 * 60_000;
/** Days of partitions kept ready ahead of today (UTC), so a day never starts without its own. */
export const PARTITION_DAYS_AHEAD = 7;

const utcDay = (t: Date, offsetDays = 0) => new Date(t.getTime() + offsetDays * DAY_MS).toISOString().slice(0, 10);

/**
 * Creates the missing daily partitions of `predictions` from yesterday (late traffic) to `daysAhead`
 * days after today, UTC. Rows of those days that waited in the default partition move in. Idempotent,
 * and safe to run from several instances at once (the SQL function takes an advisory lock).
 */
export async function ensurePredictionPartitions(
  db: Db,
  { now = new Date(), daysAhead = PARTITION_DAYS_AHEAD, daysBack = 1 } = {},
): Promise<number> {
  let created = 0;
  // One day per statement: creating a partition is DDL taking ~0.5 s on embedded PGlite, and nine in one
  // statement held its only connection (and thread) for seconds at every start.
  for (let d = -daysBack; d <= daysAhead; d++) {
    const res = await db.execute<{ created: number }>(
      sql`select ratchet_ensure_prediction_partitions(${utcDay(now, d)}::date, ${utcDay(now, d)}::date) as created`,
    );
    created += Number(res.rows[0]?.created ?? 0);
  }
  return created;
}

/**
 * Retention: raw predictions older than `retentionDays` go, a whole day's partition at a time (and any
 * such rows from the default partition). A day is dropped once all of it is older than the limit.
 */
export async function dropExpiredPredictions(
  db: Db,
  { now = new Date(), retentionDays }: { now?: Date; retentionDays: number },
): Promise<number> {
  const res = await db.execute<{ dropped: number }>(
    sql`select ratchet_drop_prediction_partitions(${utcDay(now, -retentionDays)}::date) as dropped`,
  );
  return Number(res.rows[0]?.dropped ?? 0);
}

/** The partitions that exist, by name (for tests and diagnostics). */
export async function predictionPartitions(db: Db): Promise<string[]> {
  const res = await db.execute<{ name: string }>(sql`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'predictions'::regclass order by c.relname`);
  return res.rows.map((r) => r.name);
}
