import type { CompareMetric } from "@/server/stats";
import { matchOutcomes, pairedCompare, type PairedOutcome } from "../compare/paired";
import { computeFromOutcomes, type Computed } from "../reports/compute";
import type { ModelTask, OutcomeColumns, StoredOutcomes } from "../reports/outcomes";

/**
 * The heavy statistics, as plain functions of plain data: what the worker pool runs (pool.ts). Nothing
 * here touches the database or the environment, so a worker thread needs only these imports.
 */

/** A report's stored outcomes as read, ids still newline-joined per chunk: cheap to copy to a thread. */
export interface RawOutcomes {
  idChunks: string[];
  labels: Float64Array;
  predictions: Float64Array;
  scores: Float64Array | null;
}

export interface MatchSummary {
  matched: number;
  onlyA: number;
  onlyB: number;
  labelMismatches: number;
}

export type StatsTask =
  | { kind: "report"; task: ModelTask; cols: OutcomeColumns }
  | { kind: "paired"; a: RawOutcomes; b: RawOutcomes; comparisons: { metric: CompareMetric; margin: number }[] };

export interface PairedBatch {
  summary: MatchSummary;
  outcomes: PairedOutcome[];
}

export type StatsResult<T extends StatsTask> = T extends { kind: "report" } ? Computed : PairedBatch;

const stored = (raw: RawOutcomes): StoredOutcomes => ({ ...raw, ids: raw.idChunks.flatMap((c) => c.split("\n")) });

export function runStatsTask(task: StatsTask): Computed | PairedBatch {
  if (task.kind === "report") return computeFromOutcomes(task.task, task.cols);
  // Matching by id (a Map of up to a million strings) is heavy too, so it happens here as well.
  const m = matchOutcomes(stored(task.a), stored(task.b));
  return {
    summary: { matched: m.labels.length, onlyA: m.onlyA, onlyB: m.onlyB, labelMismatches: m.labelMismatches },
    outcomes: task.comparisons.map((c) => pairedCompare(c.metric, m, c.margin)),
  };
}
