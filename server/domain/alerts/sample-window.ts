/**
 * A `WindowSummary` computed in memory from a reference table and a current table, through the same drift
 * engine the window jobs use. The alert tests and the demo use it to give the rules real verdicts (not
 * hand-written ones); production windows come from the window jobs, aggregated in SQL.
 */
import { columnQuality, driftPrepared, preparePair, summarize, type Table } from "@/server/stats/drift";
import type { WindowGranularity, WindowSummary } from "@/server/domain/monitoring/window-summary";

export interface SampleWindow {
  granularity?: WindowGranularity;
  windowStart: Date;
  reference: Table | null;
  current: Table;
  /** The model's outputs, reference and current (output drift); omit when not logged. */
  outputs?: { reference: number[]; current: number[] };
  latenciesMs?: number[];
}

const HOURS = { hour: 1, day: 24, week: 168 } as const;

function percentile(sorted: number[], q: number): number {
  // Linear interpolation between closest ranks (NumPy's default).
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function sampleWindowSummary(w: SampleWindow): WindowSummary {
  const granularity = w.granularity ?? "day";
  const rowCount = Object.values(w.current)[0]?.length ?? 0;
  const latencies = [...(w.latenciesMs ?? [])].sort((a, b) => a - b);
  let drift: WindowSummary["drift"] = null;
  if (w.reference) {
    const names = Object.keys(w.reference).filter((n) => n in w.current);
    const pairs = names.map((n) => [n, preparePair(w.reference![n]!, w.current[n]!)] as const);
    const output = w.outputs
      ? driftPrepared("prediction", preparePair(w.outputs.reference, w.outputs.current, "numerical"))
      : null;
    drift = {
      referenceId: "in-memory",
      dataset: summarize(pairs.map(([n, p]) => driftPrepared(n, p))),
      output,
      quality: pairs.map(([n, p]) => columnQuality(n, p)),
      correlation: null,
      exactUpTo: Number.MAX_SAFE_INTEGER,
      sampled: false,
    };
  }
  return {
    granularity,
    final: true,
    windowStart: w.windowStart.toISOString(),
    windowEnd: new Date(w.windowStart.getTime() + HOURS[granularity] * 3_600_000).toISOString(),
    rowCount,
    rowsPerArm: { champion: rowCount },
    latency: {
      p50: latencies.length ? percentile(latencies, 0.5) : null,
      p95: latencies.length ? percentile(latencies, 0.95) : null,
      measured: latencies.length,
    },
    output: {},
    features: {},
    drift,
  };
}
