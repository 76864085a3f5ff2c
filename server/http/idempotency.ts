import { createHash } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import type { DomainContext } from "@/server/domain/context";
import { ConflictError, IdempotencyKeyReusedError, InvalidInputError } from "@/server/domain/errors";
import { json } from "./errors";

/**
 * `Idempotency-Key` for POST routes: a retried request (a timeout, a lost answer) gets the first answer
 * again and changes nothing; the same key with a different request is refused (422); a retry while the
 * first is still running is refused (409). Keys are per API key and kept at least 24 hours.
 *
 * The claim (`running`) is committed on its own so concurrent retries see it; the answer is written by
 * the route's own transaction (`record`), so the rows and the stored answer commit together or not at all.
 */
export const IDEMPOTENCY_HEADER = "idempotency-key";
/** How long a key is remembered after its first use. */
export const KEEP_MS = 24 * 60 * 60_000;
/** A `running` claim older than this was left by a process that died mid-request: the next retry takes over. */
export const LEASE_MS = 5 * 60_000;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

export interface Answer {
  status: number;
  body: unknown;
}
/** Stores the answer in the caller's transaction; call it last, just before the transaction commits. */
export type RecordAnswer = (tx: Tx, answer: Answer) => Promise<void>;

/** The key from the header, or null when none was sent; a malformed key is a 400 naming the header. */
export function idempotencyKeyOf(req: Request): string | null {
  const key = req.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return null;
  if (!KEY_FORMAT.test(key))
    throw new InvalidInputError(
      "Idempotency-Key",
      "must be 1 to 255 visible ASCII characters (a UUID is a good choice)",
    );
  return key;
}

/** What makes two requests "the same": method, path, content type and the exact body bytes. */
export function requestHash(req: Request, body: Uint8Array): string {
  const url = new URL(req.url);
  return createHash("sha256")
    .update(`${req.method} ${url.pathname}\n${req.headers.get("content-type") ?? ""}\n`)
    .update(body)
    .digest("hex");
}

type Claim = { kind: "owned" } | { kind: "replay"; answer: Answer };

async function claim(db: Db, apiKeyId: string, key: string, hash: string, now: Date): Promise<Claim> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await db
      .insert(idempotencyKeys)
      .values({
        apiKeyId,
        key,
        requestHash: hash,
        status: "running",
        leaseUntil,
        createdAt: now,
        expiresAt: new Date(now.getTime() + KEEP_MS),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: "owned" };
    const [existing] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key)));
    if (!existing) continue; // released or cleaned up in between: claim again
    if (existing.expiresAt <= now) {
      // Kept its 24 hours: forget it and treat the key as new.
      await db
        .delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.apiKeyId, apiKeyId),
            eq(idempotencyKeys.key, key),
            lte(idempotencyKeys.expiresAt, now),
          ),
        );
      continue;
    }
    if (existing.requestHash !== hash) {
      throw new IdempotencyKeyReusedError(
        "This Idempotency-Key was already used for a different request (another body or path). Use a new key for a new request.",
      );
    }
    if (existing.status === "completed")
      return { kind: "replay", answer: { status: existing.responseStatus ?? 200, body: existing.responseBody } };
    if (existing.leaseUntil <= now) {
      const taken = await db
        .update(idempotencyKeys)
        .set({ leaseUntil })
        .where(
          and(
            eq(idempotencyKeys.apiKeyId, apiKeyId),
            eq(idempotencyKeys.key, key),
            eq(idempotencyKeys.status, "running"),
            lte(idempotencyKeys.leaseUntil, now),
          ),
        )
        .returning({ key: idempotencyKeys.key });
      if (taken.length > 0) return { kind: "owned" };
    }
    throw new ConflictError(
      "A request with this Idempotency-Key is still being processed. Retry once it has finished to get its answer.",
    );
  }
  throw new ConflictError("This Idempotency-Key changed hands while it was being claimed. Retry the request.");
}

export interface IdempotentOptions {
  /** The request's raw body, already read (the hash covers it). */
  body: Uint8Array;
  now?: Date;
}

/**
 * Runs `run` at most once per (API key, Idempotency-Key). Without the header, or for a principal that is
 * not an API key, it simply runs. `run` receives `record` (or undefined without a key) and must call it
 * inside the transaction that makes its changes.
 */
export async function idempotent(
  ctx: DomainContext,
  req: Request,
  { body, now = new Date() }: IdempotentOptions,
  run: (record: RecordAnswer | undefined) => Promise<Answer>,
): Promise<Response> {
  const key = idempotencyKeyOf(req);
  if (key === null || ctx.principal?.kind !== "apiKey") {
    const answer = await run(undefined);
    return json(answer.body, answer.status);
  }
  const apiKeyId = ctx.principal.id;
  const owner = and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key));
  const claimed = await claim(ctx.db, apiKeyId, key, requestHash(req, body), now);
  if (claimed.kind === "replay")
    return json(claimed.answer.body, claimed.answer.status, { "idempotent-replayed": "true" });

  let recorded = false;
  const record: RecordAnswer = async (tx, answer) => {
    await tx
      .update(idempotencyKeys)
      .set({
        status: "completed",
        responseStatus: answer.status,
        responseBody: sql`${JSON.stringify(answer.body)}::json`,
      })
      .where(and(owner, eq(idempotencyKeys.status, "running")));
    recorded = true;
  };
  let answer: Answer;
  try {
    answer = await run(record);
  } catch (error) {
    // Nothing was stored (the transaction rolled back): free the key so a corrected request can use it.
    await ctx.db
      .delete(idempotencyKeys)
      .where(and(owner, eq(idempotencyKeys.status, "running")))
      .catch(() => undefined);
    throw error;
  }
  if (!recorded) await record(ctx.db as unknown as Tx, answer);
  return json(answer.body, answer.status);
}

/** Forgets keys past their 24 hours; run by the maintenance worker. Returns how many were removed. */
export async function deleteExpiredIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  const removed = await db
    .delete(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .returning({ key: idempotencyKeys.key });
  return removed.length;
}
