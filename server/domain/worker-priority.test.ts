import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { closeIngestPool, ingestOffThread } from "./reports/ingest-pool";
import { closeStatsPool, runStats } from "./statistics/pool";

/**
 * The statistics and ingestion worker threads lower their own priority (worker-priority.mjs), so on a busy
 * machine the thread that answers requests wins the CPU. Linux keeps the nice value per thread: it is field
 * 19 of /proc/<pid>/task/<tid>/stat. Skipped where there is no /proc (not Linux).
 */
const hasProc = existsSync("/proc/thread-self/stat");

/** The nice value in a /proc stat line (fields after the parenthesised command name; field 3 is the first). */
function niceOf(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(")") + 2).split(" ");
  return Number(fields[19 - 3]);
}

/** Nice value of every thread of this process, by thread id. */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      nices.set(Number(tid), niceOf(readFileSync(`/proc/self/task/${tid}/stat`, "utf8")));
    } catch {
      // the thread exited between the listing and the read
    }
  }
  return nices;
}

/** Threads that did not exist in `before` and run at `nice`. */
function newThreadsAt(before: Map<number, number>, nice: number): number[] {
  return [...threadNices()].filter(([tid, n]) => !before.has(tid) && n === nice).map(([tid]) => tid);
}

afterAll(async () => {
  await Promise.all([closeStatsPool(), closeIngestPool()]);
});

describe.skipIf(!hasProc)("worker thread priority", () => {
  const nice = env().RATCHET_WORKER_NICE;
  const ownNice = () => niceOf(readFileSync("/proc/thread-self/stat", "utf8"));

  it("is lowered by default", () => {
    expect(nice).toBeGreaterThan(0);
  });

  it("statistics threads run at the configured nice value; the calling thread keeps its own", async () => {
    const mine = ownNice();
    expect(mine).toBeLessThan(nice);
    const before = threadNices();
    const labels = Float64Array.from({ length: 400 }, (_, i) => i % 2);
    const result = await runStats(
      {
        kind: "report",
        task: "binary_classification",
        cols: { n: 400, idChunks: [], labels, predictions: labels, scores: null },
      },
      1,
    );
    expect(result.metrics.accuracy?.value).toBe(1);
    // The pool keeps its idle thread for a minute, so it is still there to inspect.
    expect(newThreadsAt(before, nice).length).toBeGreaterThan(0);
    expect(ownNice()).toBe(mine);
  });

  it("ingestion threads run at the configured nice value too", async () => {
    const mine = ownNice();
    const before = threadNices();
    const body = new TextEncoder().encode('{"id":"a","label":1,"prediction":1}\n{"id":"b","label":0,"prediction":1}\n');
    async function* chunks() {
      yield body;
    }
    const { cols } = await ingestOffThread(
      { linesBefore: 1, chunks: chunks() },
      { task: "binary_classification", sampleSize: 2, header: {}, linesBefore: 1 },
    );
    expect(cols?.n).toBe(2);
    expect(newThreadsAt(before, nice).length).toBeGreaterThan(0);
    expect(ownNice()).toBe(mine);
  });
});
