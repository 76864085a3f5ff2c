import { and, eq } from "drizzle-orm";
import { request } from "undici";
import type { Db, Tx } from "@/db/client";
import { outboxEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { enqueueJobs } from "@/server/domain/jobs/queue";
import { runDueJobs, type JobHandler, type JobOutcome } from "@/server/domain/jobs/runner";
import { startJobWorker } from "@/server/domain/jobs/worker";
import { decryptSecret, encryptSecret, isEncryptedSecret } from "@/server/crypto";
import { RefusedAddressError } from "./address-guard";
import { deliveryJob, WEBHOOK_DELIVERY_JOB } from "./delivery-job";
import { deliveryAgent, networkPolicyFromEnv, refusedUrlReason, type WebhookNetworkPolicy } from "./network";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signing";

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_LIMIT = 20;
/** What is kept of a receiver's answer: enough to diagnose a failure, too little to hoard what it returns. */
export const RESPONSE_SNIPPET_CHARS = 200;
/**
 * A claimed delivery job is leased, not held in an open transaction: holding row locks across a 10 s HTTP
 * call would pin a connection (and stall the whole embedded database, which runs one transaction at a
 * time). The lease outlives the timeout; if the process dies mid-send, it expires and the job is retried.
 */
const LEASE_MS = 60_000;

/** Wait before the next attempt after `failedAttempts` failures: 30 s, 60 s, 2 min, … capped at 1 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, failedAttempts - 1), MAX_DELAY_MS);
}

/** What a failed attempt leads to: another try at a later time, or giving up. */
export function afterFailure(
  failedAttempts: number,
  now: Date,
): { status: "pending"; nextAttemptAt: Date } | { status: "failed" } {
  if (failedAttempts >= MAX_ATTEMPTS) return { status: "failed" };
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + retryDelayMs(failedAttempts)) };
}

export interface DeliverOptions {
  /** The scheduling clock (which rows are due, when to retry); defaults to the current time. */
  now?: Date;
  /** Where deliveries may go; from the environment (RATCHET_WEBHOOK_ALLOW_PRIVATE / _ALLOW_HTTP) by default. */
  network?: WebhookNetworkPolicy;
  limit?: number;
  timeoutMs?: number;
}
export interface DeliverResult {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** Queues the jobs of an endpoint's pending deliveries (when it is resumed after a pause). */
export async function queuePendingDeliveries(tx: Tx, endpointId: string): Promise<void> {
  const pending = await tx
    .select({ id: webhookDeliveries.id, nextAttemptAt: webhookDeliveries.nextAttemptAt })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending")));
  await enqueueJobs(
    tx,
    pending.map((d) => deliveryJob(d.id, d.nextAttemptAt)),
  );
}

type Claimed = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

/** The delivery a job names, with its event and endpoint; the claim of the job is the lease on it. */
async function loadDelivery(db: Db, deliveryId: string) {
  return db.transaction(async (tx) => {
    const [d] = await tx
      .select({
        id: webhookDeliveries.id,
        status: webhookDeliveries.status,
        attempts: webhookDeliveries.attempts,
        eventId: outboxEvents.id,
        type: outboxEvents.type,
        payload: outboxEvents.payload,
        eventCreatedAt: outboxEvents.createdAt,
        endpointId: webhookEndpoints.id,
        active: webhookEndpoints.active,
        url: webhookEndpoints.url,
        secret: webhookEndpoints.secret,
      })
      .from(webhookDeliveries)
      .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(eq(webhookDeliveries.id, deliveryId));
    if (d?.active && d.status === "pending") await encryptLegacySecrets(tx, [d]);
    return d;
  });
}

/**
 * Endpoints registered before secrets were encrypted at rest hold theirs in clear: they are encrypted the
 * first time they are used, in the claim's transaction. On first use rather than at start-up, so there is
 * no boot step that every instance races to run and no start-up write that a read-only replica would fail.
 */
async function encryptLegacySecrets(tx: Tx, due: { endpointId: string; secret: string }[]) {
  const plain = new Map(due.filter((d) => !isEncryptedSecret(d.secret)).map((d) => [d.endpointId, d.secret]));
  for (const [id, secret] of plain) {
    await tx
      .update(webhookEndpoints)
      .set({ secret: encryptSecret(secret) })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.secret, secret)));
  }
}

/** The signing secret in clear, whether stored encrypted (now) or in clear (older rows, until first use). */
const signingSecret = (stored: string) => (isEncryptedSecret(stored) ? decryptSecret(stored) : stored);

/** `final`: retrying cannot help (the target is refused by policy), so the delivery fails at once. */
type Outcome =
  { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string; final?: boolean };

function describeError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError" || /Timeout/.test(error.name))
    return `no response within ${timeoutMs / 1000} s`;
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

type Body = AsyncIterable<Buffer> & { destroy: () => void; on: (event: "error", fn: () => void) => void };

/** Lets the rest of an answer go and frees the socket; the abort this causes is expected, not an error. */
function discard(body: Body) {
  body.on("error", () => undefined);
  body.destroy();
}

/** Reads at most the snippet's worth of the answer; the rest is never read. */
async function snippetOf(body: Body): Promise<string> {
  body.on("error", () => undefined);
  let text = "";
  for await (const chunk of body) {
    text += chunk.toString("utf8");
    if (text.length >= RESPONSE_SNIPPET_CHARS) break;
  }
  discard(body);
  return text.slice(0, RESPONSE_SNIPPET_CHARS).replace(/\s+/g, " ").trim();
}

async function send(d: Claimed, network: WebhookNetworkPolicy, timeoutMs: number): Promise<Outcome> {
  const refused = refusedUrlReason(d.url, network);
  if (refused) return { ok: false, statusCode: null, error: `refused: ${refused}`, final: true };
  const body = JSON.stringify({
    id: d.eventId,
    type: d.type,
    createdAt: d.eventCreatedAt.toISOString(),
    data: d.payload,
  });
  // Signed with the wall clock, not the scheduling clock: receivers check freshness against theirs.
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    // undici's request follows no redirects: a 3xx is a failed attempt, since the registered URL is the
    // contract (and a redirect could point anywhere, the internal network included).
    const res = await request(d.url, {
      method: "POST",
      dispatcher: deliveryAgent(network),
      headers: {
        "content-type": "application/json",
        "user-agent": "Ratchet-Webhooks/1",
        [SIGNATURE_HEADER]: signatureHeader(signingSecret(d.secret), timestamp, body),
        [EVENT_HEADER]: d.type,
        [DELIVERY_HEADER]: d.id,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.statusCode >= 200 && res.statusCode < 300) {
      discard(res.body); // the answer's body is not needed
      return { ok: true, statusCode: res.statusCode };
    }
    const snippet = await snippetOf(res.body).catch(() => "");
    const redirect = res.statusCode >= 300 && res.statusCode < 400 ? " (redirects are not followed)" : "";
    return {
      ok: false,
      statusCode: res.statusCode,
      error: `HTTP ${res.statusCode}${redirect}${snippet ? `: ${snippet}` : ""}`,
    };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof RefusedAddressError ? error.cause : error;
    if (cause instanceof RefusedAddressError)
      return {
        ok: false,
        statusCode: null,
        error: `${cause.message}; webhooks go only to public addresses`,
        final: true,
      };
    return { ok: false, statusCode: null, error: describeError(error, timeoutMs).slice(0, 500) };
  }
}

/** The delivery row's record of an attempt, written in the transaction that settles the job. */
function recordAttempt(d: Claimed, outcome: Outcome, now: Date): JobOutcome {
  const attempts = d.attempts + 1;
  const row = eq(webhookDeliveries.id, d.id);
  if (outcome.ok) {
    return {
      status: "done",
      label: "delivered",
      settle: async (tx) => {
        await tx
          .update(webhookDeliveries)
          .set({ status: "delivered", attempts, lastStatusCode: outcome.statusCode, lastError: null, deliveredAt: now })
          .where(row);
      },
    };
  }
  const next = outcome.final ? ({ status: "failed" } as const) : afterFailure(attempts, now);
  const settle = async (tx: Tx) => {
    await tx
      .update(webhookDeliveries)
      .set({ attempts, lastStatusCode: outcome.statusCode, lastError: outcome.error, ...next })
      .where(row);
  };
  return next.status === "failed"
    ? { status: "failed", label: "failed", error: outcome.error, settle }
    : { status: "retry", label: "retrying", runAt: next.nextAttemptAt, error: outcome.error, settle };
}

/**
 * The job handler of webhook delivery: POSTs the signed event and records the attempt on the delivery.
 * A paused endpoint's delivery stays pending without a job (resuming the endpoint queues it again).
 */
export function webhookDeliveryHandler(opts: Pick<DeliverOptions, "network" | "timeoutMs"> = {}): JobHandler {
  return async ({ db, now, job }) => {
    const d = await loadDelivery(db, String(job.payload.deliveryId));
    if (!d || d.status !== "pending") return { status: "done", label: "gone" };
    if (!d.active) return { status: "done", label: "paused" };
    const outcome = await send(d, opts.network ?? networkPolicyFromEnv(), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // Attempts are recorded at the scheduling clock, as the retry time is computed from it.
    return recordAttempt(d, outcome, now);
  };
}

/**
 * Sends every due delivery once: runs the due delivery jobs of the queue. Safe to run from several
 * processes at once; each delivery is claimed by one of them.
 */
export async function deliverDue(db: Db, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const { outcomes } = await runDueJobs(db, {
    handlers: { [WEBHOOK_DELIVERY_JOB]: webhookDeliveryHandler(opts) },
    now: opts.now,
    limit: opts.limit ?? DEFAULT_LIMIT,
    leaseMs: LEASE_MS,
  });
  const delivered = outcomes.delivered ?? 0,
    retrying = outcomes.retrying ?? 0,
    failed = outcomes.failed ?? 0;
  // A delivery that was sent counts as claimed; a paused or vanished one was only put aside.
  return { claimed: delivered + retrying + failed, delivered, retrying, failed };
}

export interface WorkerOptions {
  intervalMs?: number;
}

/**
 * Runs webhook delivery alone on this process's job worker (tests, and instances that only send
 * webhooks); the app's start-up runs every kind of job on one worker (server/domain/jobs/app-worker.ts).
 */
export function startDeliveryWorker(getDb: () => Promise<{ db: Db }>, opts: WorkerOptions = {}): () => void {
  return startJobWorker(getDb, {
    name: "webhook delivery worker",
    handlers: { [WEBHOOK_DELIVERY_JOB]: webhookDeliveryHandler() },
    intervalMs: opts.intervalMs ?? 5_000,
    leaseMs: LEASE_MS,
  });
}
