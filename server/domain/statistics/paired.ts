import type { Db, Tx } from "@/db/client";
import type { CompareMetric } from "@/server/stats";
import { COMPARE_SETTINGS } from "../compare/margins";
import type { PairedOutcome } from "../compare/paired";
import { ConflictError } from "../errors";
import { bytesToFloat64, readOutcomeChunks } from "../reports/outcomes";
import { readStats, statKey, writeStats } from "./cache";
import { runStats } from "./pool";
import type { MatchSummary, RawOutcomes } from "./tasks";

/**
 * Paired comparisons of two reports' outcomes (champion "a", challenger "b"), cached by the reports'
 * content hashes: the comparison page, the gate preview, a release request and its decision all read
 * one stored result. Misses are computed together on the worker pool (one read of each report's outcomes).
 */
export interface ReportRef {
  id: string;
  contentHash: string;
}

export interface PairedCached {
  summary: MatchSummary;
  outcome: PairedOutcome;
}

export const PAIRED_KIND = "paired";

export function pairedKey(a: ReportRef, b: ReportRef, metric: CompareMetric, margin: number): string {
  return statKey(PAIRED_KIND, [1, a.contentHash, b.contentHash, metric, margin, COMPARE_SETTINGS]);
}

/** A report's outcome chunks without splitting ids: the worker does that. */
async function readRaw(db: Db | Tx, reportId: string): Promise<RawOutcomes> {
  const chunks = await readOutcomeChunks(db, reportId);
  const n = chunks.reduce((sum, c) => sum + c.rows, 0);
  const labels = new Float64Array(n),
    predictions = new Float64Array(n);
  const scores = chunks.length > 0 && chunks.every((c) => c.scores) ? new Float64Array(n) : null;
  let at = 0;
  for (const c of chunks) {
    bytesToFloat64(c.labels, labels, at);
    bytesToFloat64(c.predictions, predictions, at);
    if (scores && c.scores) bytesToFloat64(c.scores, scores, at);
    at += c.rows;
  }
  return { idChunks: chunks.map((c) => c.ids), labels, predictions, scores };
}

/** Computations of the same keys already under way in this process: ten identical requests compute once. */
const inFlight = new Map<string, Promise<void>>();

export interface PairedOptions {
  /**
   * Only read the cache, never compute: for a release decision's transaction, which must not run a
   * bootstrap while holding row locks (the decision computes them before it opens the transaction).
   */
  cachedOnly?: boolean;
}

export async function pairedCompareCached(
  db: Db | Tx,
  a: ReportRef,
  b: ReportRef,
  requests: readonly { metric: CompareMetric; margin: number }[],
  options: PairedOptions = {},
): Promise<PairedCached[]> {
  const keys = requests.map((r) => pairedKey(a, b, r.metric, r.margin));
  let found = await readStats<PairedCached>(db, keys);
  const missing = requests.filter((_, i) => !found.has(keys[i]!));
  if (missing.length > 0) {
    if (options.cachedOnly)
      throw new ConflictError("The evidence changed while this decision was being prepared; decide again.");
    const batchKey = keys.filter((k) => !found.has(k)).join(",");
    let running = inFlight.get(batchKey);
    if (!running) {
      running = (async () => {
        const [ra, rb] = [await readRaw(db, a.id), await readRaw(db, b.id)];
        const batch = await runStats({
          kind: "paired",
          a: ra,
          b: rb,
          comparisons: missing.map((r) => ({ metric: r.metric, margin: r.margin })),
        });
        await writeStats(
          db,
          PAIRED_KIND,
          missing.map((r, i) => ({
            key: pairedKey(a, b, r.metric, r.margin),
            value: { summary: batch.summary, outcome: batch.outcomes[i]! },
          })),
        );
      })().finally(() => inFlight.delete(batchKey));
      inFlight.set(batchKey, running);
    }
    await running;
    found = await readStats<PairedCached>(db, keys);
  }
  return keys.map((k) => {
    const hit = found.get(k);
    if (!hit) throw new Error("paired comparison missing from stat_results after computing it");
    return hit;
  });
}
