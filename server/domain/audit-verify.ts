import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { authorize, type DomainContext } from "./context";

export interface BrokenEntry { id: number; action: string; at: Date; reason: string }
export type ChainVerdict = { ok: true; count: number } | { ok: false; count: number; broken: BrokenEntry };

const BATCH = 5_000;

/**
 * Recomputes the audit log's hash chain (migration 0005) in id order: each entry's prev_hash must be the
 * previous entry's hash, and its hash must be the recomputation over prev_hash and its content. An edited
 * entry breaks its own hash; a deleted one breaks the prev_hash of the entry after it. (Removing the newest
 * entries leaves a shorter valid chain: compare the count with one noted earlier to catch that.)
 * Reads in batches so a long log never sits in memory at once.
 */
export async function verifyAuditChain(ctx: DomainContext): Promise<ChainVerdict> {
  authorize(ctx, "audit:read_security");
  return verifyChain(ctx.db);
}

async function verifyChain(db: Db): Promise<ChainVerdict> {
  let count = 0;
  let lastId = 0;
  let previousHash: string | null = null;
  for (;;) {
    const { rows } = await db.execute<{ id: string | number; action: string; at: string | Date; prev_hash: string | null; hash: string | null; recomputed: string }>(sql`
      select a.id, a.action, a.at, a.prev_hash, a.hash, audit_log_entry_hash(a.prev_hash, a) as recomputed
      from audit_log a where a.id > ${lastId} order by a.id limit ${BATCH}`);
    for (const r of rows) {
      const entry = { id: Number(r.id), action: r.action, at: new Date(r.at) };
      if ((r.prev_hash ?? null) !== previousHash) {
        const reason = count === 0 ? "the first entry does not start the chain" : "its prev_hash is not the previous entry's hash (an entry before it was deleted or altered)";
        return { ok: false, count, broken: { ...entry, reason } };
      }
      if (r.hash !== r.recomputed) return { ok: false, count, broken: { ...entry, reason: "its content does not match its hash (it was altered)" } };
      previousHash = r.hash;
      lastId = entry.id;
      count++;
    }
    if (rows.length < BATCH) return { ok: true, count };
  }
}
