import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signing";

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_LIMIT = 20;
/**
 * A claimed delivery is leased, not held in an open transaction: holding row locks across a 10 s HTTP
 * call would pin a connection (and stall the whole embedded database, which runs one transaction at a
 * time). The lease outlives the timeout; if the process dies mid-send, it expires and the row is retried.
 */
const LEASE_MS = 60_000;

/** Wait before the next attempt after `failedAttempts` failures: 30 s, 60 s, 2 min, … capped at 1 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, failedAttempts - 1), MAX_DELAY_MS);
}

/** What a failed attempt leads to: another try at a later time, or giving up. */
export function afterFailure(failedAttempts: number, now: Date): { status: "pending"; nextAttemptAt: Date } | { status: "failed" } {
  if (failedAttempts >= MAX_ATTEMPTS) return { status: "failed" };
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + retryDelayMs(failedAttempts)) };
}

export interface DeliverOptions {
  /** The scheduling clock (which rows are due, when to retry); defaults to the current time. */
  now?: Date;
  fetch?: typeof fetch;
  limit?: number;
  timeoutMs?: number;
}
export interface DeliverResult { claimed: number; delivered: number; retrying: number; failed: number }

type Claimed = Awaited<ReturnType<typeof claimDue>>[number];

/** Leases up to `limit` due deliveries of active endpoints. SKIP LOCKED lets instances claim side by side. */
async function claimDue(db: Db, now: Date, limit: number) {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: webhookDeliveries.id,
        attempts: webhookDeliveries.attempts,
        eventId: outboxEvents.id,
        type: outboxEvents.type,
        payload: outboxEvents.payload,
        eventCreatedAt: outboxEvents.createdAt,
        url: webhookEndpoints.url,
        secret: webhookEndpoints.secret,
      })
      .from(webhookDeliveries)
      .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now), eq(webhookEndpoints.active, true)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.eventId))
      .limit(limit)
      .for("update", { of: webhookDeliveries, skipLocked: true });
    if (due.length > 0) {
      await tx.update(webhookDeliveries).set({ nextAttemptAt: leaseUntil }).where(inArray(webhookDeliveries.id, due.map((d) => d.id)));
    }
    return due.map((d) => ({ ...d, leaseUntil }));
  });
}

type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

function describeError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return `no response within ${timeoutMs / 1000} s`;
  // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is in its cause.
  const cause = error.cause;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
  return detail ? `${error.message}: ${detail}` : error.message;
}

async function send(d: Claimed, fetchFn: typeof fetch, timeoutMs: number): Promise<Outcome> {
  const body = JSON.stringify({ id: d.eventId, type: d.type, createdAt: d.eventCreatedAt.toISOString(), data: d.payload });
  // Signed with the wall clock, not the scheduling clock: receivers check freshness against theirs.
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetchFn(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Ratchet-Webhooks/1",
        [SIGNATURE_HEADER]: signatureHeader(d.secret, timestamp, body),
        [EVENT_HEADER]: d.type,
        [DELIVERY_HEADER]: d.id,
      },
      body,
      // A redirect is reported as a failure rather than followed: the registered URL is the contract.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel().catch(() => undefined); // the answer's body is not needed; free the socket
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status };
    return { ok: false, statusCode: res.status, error: `HTTP ${res.status}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeError(error, timeoutMs).slice(0, 500) };
  }
}

/** Records an attempt, but only while this call still holds the lease (else another instance took over). */
async function record(db: Db, d: Claimed, outcome: Outcome, now: Date): Promise<"delivered" | "retrying" | "failed"> {
  const attempts = d.attempts + 1;
  const stillOurs = and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.status, "pending"), eq(webhookDeliveries.nextAttemptAt, d.leaseUntil));
  if (outcome.ok) {
    await db.update(webhookDeliveries).set({ status: "delivered", attempts, lastStatusCode: outcome.statusCode, lastError: null, deliveredAt: now }).where(stillOurs);
    return "delivered";
  }
  const next = afterFailure(attempts, now);
  await db
    .update(webhookDeliveries)
    .set({ attempts, lastStatusCode: outcome.statusCode, lastError: outcome.error, ...next })
    .where(stillOurs);
  return next.status === "failed" ? "failed" : "retrying";
}

/**
 * Sends every due delivery once: claims them, POSTs the signed event, and records the result. Safe to
 * run from several processes at once; each delivery is claimed by one of them.
 */
export async function deliverDue(db: Db, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const fetchFn = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const claimed = await claimDue(db, opts.now ?? new Date(), opts.limit ?? DEFAULT_LIMIT);
  const result: DeliverResult = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (d) => {
      const outcome = await send(d, fetchFn, timeoutMs);
      result[await record(db, d, outcome, opts.now ?? new Date())]++;
    }),
  );
  return result;
}

export interface WorkerOptions { intervalMs?: number; fetch?: typeof fetch }

const holder = globalThis as unknown as { ratchetWebhookWorker?: () => void };
/** A full batch suggests a backlog; drain a few more batches per tick, but never monopolise the process. */
const MAX_BATCHES_PER_TICK = 10;

/**
 * Runs deliverDue every few seconds in this process. Ticks never overlap, errors are logged and the
 * next tick tries again, and the timer is unref'd so it never keeps the process alive. Starting it twice
 * in one process (module reloads) returns the running worker's stop function. Returns a stop function.
 */
export function startDeliveryWorker(getDb: () => Promise<{ db: Db }>, opts: WorkerOptions = {}): () => void {
  if (holder.ratchetWebhookWorker) return holder.ratchetWebhookWorker;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { db } = await getDb();
      for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch++) {
        const { claimed } = await deliverDue(db, { fetch: opts.fetch, limit: DEFAULT_LIMIT });
        if (claimed < DEFAULT_LIMIT) break;
      }
    } catch (error) {
      console.error("webhook delivery worker:", error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 5_000);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    if (holder.ratchetWebhookWorker === stop) holder.ratchetWebhookWorker = undefined;
  };
  holder.ratchetWebhookWorker = stop;
  return stop;
}
