import type { Db } from "@/db/client";
import { inBackground } from "@/db/priority";
import { DEFAULT_LEASE_MS, runDueJobs, type JobHandlers } from "./runner";

export interface JobWorkerOptions {
  /** Names the worker in its log lines; one worker per name per process. */
  name: string;
  handlers: JobHandlers;
  intervalMs?: number;
  leaseMs?: number;
  /** Jobs claimed per batch. */
  batch?: number;
  /** Called once at start (e.g. to queue the first run of periodic upkeep). */
  onStart?: (db: Db) => Promise<void>;
}

const holder = globalThis as unknown as { ratchetJobWorkers?: Map<string, () => void> };
/** A full batch suggests a backlog; drain a few more batches per tick, but never monopolise the process. */
const MAX_BATCHES_PER_TICK = 10;

/**
 * Runs due jobs every few seconds in this process, off the request path. Ticks never overlap, errors are
 * logged and the next tick tries again, and the timer is unref'd so it never keeps the process alive.
 * Starting one of a name twice in one process (module reloads) returns the running worker's stop function.
 */
export function startJobWorker(getDb: () => Promise<{ db: Db }>, opts: JobWorkerOptions): () => void {
  const workers = (holder.ratchetJobWorkers ??= new Map());
  const running = workers.get(opts.name);
  if (running) return running;
  const batch = opts.batch ?? 20;
  let busy = false;
  let started = !opts.onStart;
  const work = async () => {
    if (busy) return;
    busy = true;
    try {
      const { db } = await getDb();
      if (!started) {
        await opts.onStart!(db);
        started = true;
      }
      for (let n = 0; n < MAX_BATCHES_PER_TICK; n++) {
        const { claimed } = await runDueJobs(db, {
          handlers: opts.handlers,
          limit: batch,
          leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
        });
        if (claimed < batch) break;
      }
    } catch (error) {
      console.error(`${opts.name}:`, error instanceof Error ? error.message : error);
    } finally {
      busy = false;
    }
  };
  // Everything a job does is off the request path: on the embedded database its statements (claims
  // included) wait behind a page's queries instead of interleaving with them.
  const tick = () => inBackground(work);
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 2_000);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    if (workers.get(opts.name) === stop) workers.delete(opts.name);
  };
  workers.set(opts.name, stop);
  return stop;
}
