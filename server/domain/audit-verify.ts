import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { authorize, type DomainContext } from "./context";

export interface BrokenEntry {
  id: number;
  action: string;
  at: Date | null;
  reason: string;
}
/** The newest entry of a verified chain: noted outside the database, it catches a log cut back later. */
export interface ChainHead {
  id: number;
  hash: string;
}
export type ChainVerdict =
  { ok: true; count: number; head: ChainHead | null } | { ok: false; count: number; broken: BrokenEntry };

/** Parses a checkpoint as printed by `audit verify` ("ID:HASH"); null when it is not one. */
export function parseCheckpoint(text: string): ChainHead | null {
  const m = /^(\d{1,18}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { id: Number(m[1]), hash: m[2]! } : null;
}

const BATCH = 5_000;

/**
 * Recomputes the audit log's hash chain (migration 0005) in id order: each entry's prev_hash must be the
 * previous entry's hash, and its hash must be the recomputation over prev_hash and its content. An edited
 * entry breaks its own hash; a deleted one breaks the prev_hash of the entry after it. (Removing the newest
 * entries leaves a shorter valid chain, which only a checkpoint noted earlier can catch: pass the head
 * printed by an earlier run, and the entry it names must still be there with the same hash.)
 * Reads in batches so a long log never sits in memory at once.
 */
export async function verifyAuditChain(ctx: DomainContext, checkpoint?: ChainHead): Promise<ChainVerdict> {
  authorize(ctx, "audit:read_security");
  const verdict = await verifyChain(ctx.db, checkpoint);
  return verdict;
}

async function verifyChain(db: Db, checkpoint?: ChainHead): Promise<ChainVerdict> {
  let count = 0;
  let lastId = 0;
  let previousHash: string | null = null;
  let checkpointSeen = false;
  for (;;) {
    const { rows } = await db.execute<{
      id: string | number;
      action: string;
      at: string | Date;
      prev_hash: string | null;
      hash: string | null;
      recomputed: string;
    }>(sql`
      select a.id, a.action, a.at, a.prev_hash, a.hash, audit_log_entry_hash(a.prev_hash, a) as recomputed
      from audit_log a where a.id > ${lastId} order by a.id limit ${BATCH}`);
    for (const r of rows) {
      const entry = { id: Number(r.id), action: r.action, at: new Date(r.at) };
      if ((r.prev_hash ?? null) !== previousHash) {
        const reason =
          count === 0
            ? "the first entry does not start the chain"
            : "its prev_hash is not the previous entry's hash (an entry before it was deleted or altered)";
        return { ok: false, count, broken: { ...entry, reason } };
      }
      if (r.hash !== r.recomputed)
        return {
          ok: false,
          count,
          broken: { ...entry, reason: "its content does not match its hash (it was altered)" },
        };
      if (checkpoint && entry.id === checkpoint.id) {
        if (r.hash !== checkpoint.hash) {
          const reason = "its hash is not the checkpoint's (the log was rewritten from here on)";
          return { ok: false, count, broken: { ...entry, reason } };
        }
        checkpointSeen = true;
      }
      previousHash = r.hash;
      lastId = entry.id;
      count++;
    }
    if (rows.length < BATCH) break;
  }
  if (checkpoint && !checkpointSeen) {
    const reason = `the checkpoint entry is gone: the log ends after ${count} entries (the entries from ${checkpoint.id} on were deleted)`;
    return { ok: false, count, broken: { id: checkpoint.id, action: "checkpoint", at: null, reason } };
  }
  return { ok: true, count, head: previousHash === null ? null : { id: lastId, hash: previousHash } };
}
