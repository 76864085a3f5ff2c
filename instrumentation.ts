/**
 * Next calls register() once per server start. The webhook delivery worker lives here, beside the server,
 * so `npm start` needs no second process; every instance on a shared PostgreSQL runs one, and
 * SKIP LOCKED claims keep them from sending an event twice. RATCHET_WEBHOOK_WORKER=off opts an instance out.
 */
export async function register() {
  // The worker needs node:crypto, timers and the database driver: never load it in the edge runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./server/env");
  const e = env();
  if (e.RATCHET_WEBHOOK_WORKER === "off") return;
  const [{ startDeliveryWorker }, { getDatabase }] = await Promise.all([import("./server/domain/webhooks/deliver"), import("./server/db")]);
  startDeliveryWorker(getDatabase, { intervalMs: e.RATCHET_WEBHOOK_INTERVAL_MS });
}
