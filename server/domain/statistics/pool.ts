import path from "node:path";
import { Piscina } from "piscina";
import { env } from "@/server/env";
import { runStatsTask, type StatsResult, type StatsTask } from "./tasks";

/**
 * Heavy statistics run on a bounded pool of worker threads, so one million-outcome report or a batch
 * of uncached comparisons never blocks the event loop that answers everyone else: tasks past the
 * thread count wait in the pool's queue. RATCHET_STATS_THREADS=0 runs them in-process (a synchronous
 * fallback; the pool path is what production and the tests use by default).
 */
let pool: Piscina | null = null;

/** The worker entry, found by path at run time (cwd is the app root for `next start`, the CLI and vitest). */
export const WORKER_FILE = path.join(process.cwd(), "server", "domain", "statistics", "worker.mjs");

function statsPool(threads: number): Piscina {
  // Idle threads exit after a minute (and do not keep a CLI process alive).
  // workerData.nice: the threads lower their own priority (worker-priority.mjs, RATCHET_WORKER_NICE).
  pool ??= new Piscina({
    filename: WORKER_FILE,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: { nice: env().RATCHET_WORKER_NICE },
  });
  return pool;
}

export async function runStats<T extends StatsTask>(
  task: T,
  threads = env().RATCHET_STATS_THREADS,
): Promise<StatsResult<T>> {
  if (threads === 0) return runStatsTask(task) as StatsResult<T>;
  return (await statsPool(threads).run(task)) as StatsResult<T>;
}

/** Stops the pool's threads (tests, shutdown). */
export async function closeStatsPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
