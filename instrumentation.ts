/**
 * Next calls register() once per server start. The job worker lives here, beside the server, so
 * `npm start` needs no second process; every instance on a shared PostgreSQL runs one, and SKIP LOCKED
 * claims keep them from running a job twice. RATCHET_JOBS_WORKER=off opts an instance out.
 */
export async function register() {
  // The worker needs node:crypto, timers and the database driver: never load it in the edge runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ env }, { getDatabase }] = await Promise.all([import("./server/env"), import("./server/db")]);
  const e = env();
  // Open the database (and apply migrations) before serving. A second instance on a locked embedded folder
  // must refuse to start with the lock's message, not serve a sign-in page that then fails every request.
  try {
    await getDatabase();
  } catch (error) {
    const { EmbeddedDatabaseLockedError } = await import("./db/lock");
    if (error instanceof EmbeddedDatabaseLockedError) {
      console.error(`Ratchet cannot start: ${error.message}`);
      process.exit(1);
    }
    console.error("Ratchet could not open its database at start-up; requests will retry:", error);
  }
  if (e.RATCHET_ALERT_WORKER === "on") {
    // Alert email after commit (with retries), and the hourly champion-age and now-test check.
    const { startAlertWorker } = await import("./server/domain/alerts/worker");
    startAlertWorker(getDatabase);
  }
  if (e.RATCHET_JOBS_WORKER === "off") return;
  // One worker for every kind of job: webhook delivery, monitoring windows and checks, and upkeep
  // (prediction partitions ahead, retention, expired idempotency keys: now, then hourly).
  const { startAppJobWorker } = await import("./server/domain/jobs/app-worker");
  startAppJobWorker(getDatabase, e);
}

/**
 * An unexpected error while rendering a page: Next logs the error itself (with its `digest`) and shows the
 * digest on app/error.tsx as the error id. This line puts that id in the same `[error <id>]` form as the
 * API's and tRPC's internal errors, with the page it happened on, so an operator finds it by the id a
 * person reports. For tRPC's internal errors the digest is the id already logged with the cause.
 */
export function onRequestError(
  error: unknown,
  request: { path: string; method: string },
  context: { routePath: string; routeType: string },
) {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== "string") return;
  console.error(`[error ${digest}] ${request.method} ${request.path} (${context.routeType} ${context.routePath})`);
}
