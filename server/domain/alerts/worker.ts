import type { Db } from "@/db/client";
import { sendDueAlertEmails } from "./email";
import { runPeriodicAlertChecks } from "./periodic";

const holder = globalThis as unknown as { ratchetAlertWorker?: () => void };
const CHECK_EVERY_MS = 60 * 60_000;

/**
 * Beside the server (instrumentation.ts), one per process: sends due alert email every `mailIntervalMs`,
 * and judges the age and now-test rules hourly. Safe on several instances at once: mail is claimed with
 * SKIP LOCKED and a lease, and an alert opens once per rule and subject (a unique index) and resolves once.
 */
export function startAlertWorker(getDb: () => Promise<{ db: Db }>, opts: { mailIntervalMs?: number } = {}): () => void {
  if (holder.ratchetAlertWorker) return holder.ratchetAlertWorker;
  const guarded = (name: string, work: (db: Db) => Promise<unknown>) => {
    let running = false;
    return async () => {
      if (running) return;
      running = true;
      try {
        await work((await getDb()).db);
      } catch (error) {
        console.error(`alert worker (${name}):`, error instanceof Error ? error.message : error);
      } finally {
        running = false;
      }
    };
  };
  const mail = guarded("email", (db) => sendDueAlertEmails(db));
  const check = guarded("periodic check", (db) => runPeriodicAlertChecks(db));
  void check();
  const timers = [
    setInterval(() => void mail(), opts.mailIntervalMs ?? 10_000),
    setInterval(() => void check(), CHECK_EVERY_MS),
  ];
  for (const t of timers) t.unref();
  const stop = () => {
    for (const t of timers) clearInterval(t);
    if (holder.ratchetAlertWorker === stop) holder.ratchetAlertWorker = undefined;
  };
  holder.ratchetAlertWorker = stop;
  return stop;
}
