import { createHash } from "node:crypto";
import { inArray } from "drizzle-orm";
import superjson from "superjson";
import type { Db, Tx } from "@/db/client";
import { statResults } from "@/db/schema";

/**
 * The stat_results cache: a heavy result is stored under a hash of exactly what it was computed from
 * (reports' content hashes, metric, settings), so page views and release decisions read it instead of
 * recomputing. Values go through superjson: intervals and p-values may be NaN or ±Infinity.
 */
export function statKey(kind: string, parts: readonly unknown[]): string {
  return createHash("sha256")
    .update(JSON.stringify([kind, ...parts]))
    .digest("hex");
}

export async function readStats<T>(db: Db | Tx, keys: readonly string[]): Promise<Map<string, T>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select({ key: statResults.key, result: statResults.result })
    .from(statResults)
    .where(inArray(statResults.key, [...keys]));
  return new Map(
    rows.map((r) => [r.key, superjson.deserialize<T>(r.result as Parameters<typeof superjson.deserialize>[0])]),
  );
}

/** Stores results; a key already present (another request computed it too) keeps its first value. */
export async function writeStats(
  db: Db | Tx,
  kind: string,
  entries: readonly { key: string; value: unknown }[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insert(statResults)
    .values(entries.map((e) => ({ key: e.key, kind, result: superjson.serialize(e.value) })))
    .onConflictDoNothing();
}
