/**
 * Monitoring windows made from in-memory tables with the real drift engine: what the demo, the
 * monitoring page's tests and `bench:monitoring` store in `monitoring_windows` where the window jobs
 * (which aggregate the prediction log in SQL) would. The verdicts are the engine's own, so a page that
 * draws them draws real numbers.
 */
import type { Db } from "@/db/client";
import { monitoringWindows, predictionReferences, referenceRows } from "@/db/schema";
import type {
  Distribution,
  TrafficArm,
  WindowGranularity,
  WindowSummary,
} from "@/server/domain/monitoring/window-summary";
import {
  columnQuality,
  correlationChange,
  detectColumnType,
  driftColumn,
  driftDataset,
  histogramCounts,
  preparePair,
  sturgesEdges,
  type ColumnValues,
  type Table,
} from "@/server/stats/drift";

export interface SyntheticWindow {
  granularity: WindowGranularity;
  start: Date;
  end: Date;
  /** The version's reference features (null: the version has none, drift is not measured). */
  reference: { id: string; features: Table; output?: ColumnValues } | null;
  current: Table;
  /** The model's outputs per traffic arm. */
  outputs: Partial<Record<TrafficArm, ColumnValues>>;
  latencies: number[];
}

const isMissing = (v: unknown) =>
  v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

function finiteNumbers(values: ColumnValues): Float64Array {
  const out: number[] = [];
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) out.push(v);
  return Float64Array.from(out);
}

function rangeOf(values: Float64Array): [number, number] | null {
  if (values.length === 0) return null;
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The current values' distribution, binned on the reference's Sturges edges when there is a reference. */
export function distributionOf(values: ColumnValues, reference: ColumnValues | null): Distribution {
  let missing = 0;
  for (const v of values) if (isMissing(v)) missing++;
  const type = detectColumnType(reference ?? values) ?? detectColumnType(values) ?? "numerical";
  if (type === "categorical") {
    const counts: Record<string, number> = {};
    for (const v of values) if (!isMissing(v)) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
    return { kind: "categorical", counts, missing };
  }
  const current = finiteNumbers(values);
  const basis = reference ? finiteNumbers(reference) : current;
  const range = rangeOf(basis);
  const own = rangeOf(current);
  if (!range)
    return {
      kind: "numerical",
      edges: [],
      counts: [],
      below: 0,
      above: 0,
      missing,
      min: own?.[0] ?? null,
      max: own?.[1] ?? null,
    };
  const edges = sturgesEdges(range[0], range[1], basis.length);
  return {
    kind: "numerical",
    edges: [...edges],
    counts: [...histogramCounts(current, edges)],
    below: current.filter((x) => x < edges[0]!).length,
    above: current.filter((x) => x > edges[edges.length - 1]!).length,
    missing,
    min: own?.[0] ?? null,
    max: own?.[1] ?? null,
  };
}

/** Linear-interpolated percentile (PostgreSQL's percentile_cont). */
export function percentileCont(values: number[], f: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = f * (s.length - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function buildWindowSummary(w: SyntheticWindow): WindowSummary {
  const names = Object.keys(w.current);
  const rowCount = names.length ? w.current[names[0]!]!.length : 0;
  const rowsPerArm: WindowSummary["rowsPerArm"] = {};
  const output: WindowSummary["output"] = {};
  for (const [arm, values] of Object.entries(w.outputs) as [TrafficArm, ColumnValues][]) {
    rowsPerArm[arm] = values.length;
    output[arm] = distributionOf(values, w.reference?.output ?? null);
  }
  const features: Record<string, Distribution> = {};
  for (const name of names) features[name] = distributionOf(w.current[name]!, w.reference?.features[name] ?? null);
  let drift: WindowSummary["drift"] = null;
  if (w.reference) {
    const ref = w.reference.features;
    const shared = names.filter((n) => n in ref);
    const numerical = shared.filter((n) => (detectColumnType(ref[n]!) ?? "numerical") === "numerical");
    const champion = w.outputs.champion;
    drift = {
      referenceId: w.reference.id,
      dataset: driftDataset(ref, w.current, { only: shared }),
      output:
        champion && w.reference.output ? driftColumn(w.reference.output, champion, { column: "prediction" }) : null,
      quality: shared.map((n) => columnQuality(n, preparePair(ref[n]!, w.current[n]!))),
      correlation:
        numerical.length >= 2
          ? correlationChange(
              numerical,
              numerical.map((n) => Float64Array.from(ref[n]!, (v) => (typeof v === "number" ? v : Number.NaN))),
              numerical.map((n) => Float64Array.from(w.current[n]!, (v) => (typeof v === "number" ? v : Number.NaN))),
            )
          : null,
      exactUpTo: 1_000_000,
      sampled: false,
    };
  }
  return {
    granularity: w.granularity,
    // Demo windows lie in the past: closed, final.
    final: true,
    windowStart: w.start.toISOString(),
    windowEnd: w.end.toISOString(),
    rowCount,
    rowsPerArm,
    latency: {
      p50: percentileCont(w.latencies, 0.5),
      p95: percentileCont(w.latencies, 0.95),
      measured: w.latencies.length,
    },
    output,
    features,
    drift,
  };
}

/** Stores a reference sample for a version (as an upload) and returns its id. */
export async function storeReference(
  db: Db,
  modelVersionId: string,
  features: Table,
  outputs?: ColumnValues,
  fileName = "reference.csv",
): Promise<string> {
  const names = Object.keys(features);
  const n = names.length ? features[names[0]!]!.length : 0;
  const [ref] = await db
    .insert(predictionReferences)
    .values({ modelVersionId, source: "upload", fileName, rowCount: n })
    .returning({ id: predictionReferences.id });
  const rows = Array.from({ length: n }, (_, i) => {
    const out = outputs?.[i];
    return {
      referenceId: ref!.id,
      rowIndex: i,
      features: Object.fromEntries(names.map((name) => [name, features[name]![i] ?? null])),
      predictionNumber: typeof out === "number" ? out : null,
      predictionLabel: typeof out === "string" ? out : null,
    };
  });
  for (let i = 0; i < rows.length; i += 2000) await db.insert(referenceRows).values(rows.slice(i, i + 2000));
  return ref!.id;
}

/** Stores a window's summary; a window the jobs already computed is left as it is. */
export async function storeWindow(db: Db, modelVersionId: string, summary: WindowSummary): Promise<void> {
  await db
    .insert(monitoringWindows)
    .values({
      modelVersionId,
      granularity: summary.granularity,
      windowStart: new Date(summary.windowStart),
      windowEnd: new Date(summary.windowEnd),
      rowCount: summary.rowCount,
      referenceId: summary.drift?.referenceId ?? null,
      summary,
    })
    .onConflictDoNothing();
}
