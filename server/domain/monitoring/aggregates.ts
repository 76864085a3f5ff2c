/**
 * The SQL half of a monitoring window: counts per arm, latency percentiles, the output distribution per
 * arm and every feature's distribution, aggregated where the rows are (one scan per kind of aggregate,
 * whatever the row count) so nothing but small results reaches Node.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { sturgesEdges } from "@/server/stats/drift";
import { pgArray } from "../predictions/pg-array";
import type { Distribution, TrafficArm } from "./window-summary";

export interface FeatureSpec {
  name: string;
  kind: "numerical" | "categorical";
}

export interface WindowRange {
  versionId: string;
  start: Date;
  end: Date;
}

const inWindow = (w: WindowRange) =>
  sql`p.model_version_id = ${w.versionId}::uuid and p."time" >= ${w.start.toISOString()}::timestamptz and p."time" < ${w.end.toISOString()}::timestamptz`;

/** A numeric JSON value of feature `name` as float8, null when absent, null or not a number. */
const numericFeature = (row: SQL, name: SQL) =>
  sql`case when jsonb_typeof(${row}->${name}) = 'number' then (${row}->>${name})::float8 end`;

export async function countsAndLatency(db: Db, w: WindowRange) {
  const arms = await db.execute<{ arm: TrafficArm; n: string }>(
    sql`select p.arm, count(*) as n from predictions p where ${inWindow(w)} group by p.arm`,
  );
  const latency = await db.execute<{ p50: number | null; p95: number | null; measured: string }>(sql`
    select percentile_cont(0.5) within group (order by p.latency_ms) as p50,
           percentile_cont(0.95) within group (order by p.latency_ms) as p95,
           count(p.latency_ms) as measured
    from predictions p where ${inWindow(w)}`);
  const rowsPerArm: Partial<Record<TrafficArm, number>> = {};
  let rowCount = 0;
  for (const r of arms.rows) {
    rowsPerArm[r.arm] = Number(r.n);
    rowCount += Number(r.n);
  }
  const l = latency.rows[0]!;
  return {
    rowCount,
    rowsPerArm,
    latency: {
      p50: l.p50 === null ? null : Number(l.p50),
      p95: l.p95 === null ? null : Number(l.p95),
      measured: Number(l.measured),
    },
  };
}

/** The features a window reports: the model's declared ones, else the reference's, else the window's own keys. */
export async function windowFeatures(db: Db | Tx, w: WindowRange, referenceId: string | null): Promise<FeatureSpec[]> {
  const declared = await db.execute<{ name: string; kind: "numerical" | "categorical" }>(sql`
    select f.name, f.kind from model_features f join model_versions v on v.model_id = f.model_id
    where v.id = ${w.versionId}::uuid order by f.name`);
  if (declared.rows.length > 0) return declared.rows.map((r) => ({ name: r.name, kind: r.kind }));
  // Undeclared: a feature is numerical when every non-null value is a JSON number.
  const source = referenceId
    ? sql`select r.features from reference_rows r where r.reference_id = ${referenceId}::uuid`
    : sql`select p.features from predictions p where ${inWindow(w)}`;
  const found = await db.execute<{ name: string; numerical: boolean }>(sql`
    select e.key as name, coalesce(bool_and(jsonb_typeof(e.value) = 'number') filter (where jsonb_typeof(e.value) <> 'null'), true) as numerical
    from (${source}) s cross join lateral jsonb_each(s.features) e group by e.key order by e.key`);
  return found.rows.map((r) => ({ name: r.name, kind: r.numerical ? "numerical" : "categorical" }));
}

interface Range {
  min: number;
  max: number;
  count: number;
}

/** Sturges edges over each numerical column's range, as numpy.histogram_bin_edges(values, "sturges"). */
function edgesOf(ranges: Map<string, Range>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [name, r] of ranges) out.set(name, r.count > 0 ? Array.from(sturgesEdges(r.min, r.max, r.count)) : []);
  return out;
}

/**
 * Histogram edges per numerical feature (and `edges.output` for a regression output): from the reference
 * when there is one, so every window of a version is binned alike; else from this window's range.
 */
export async function histogramEdges(
  db: Db | Tx,
  w: WindowRange,
  referenceId: string | null,
  numerical: string[],
): Promise<{ features: Map<string, number[]>; output: number[] | null }> {
  const names = pgArray(numerical);
  const value = numericFeature(sql`s.features`, sql`f.name`);
  const source = referenceId
    ? sql`select r.features, r.prediction_number from reference_rows r where r.reference_id = ${referenceId}::uuid`
    : sql`select p.features, p.prediction_number from predictions p where ${inWindow(w)}`;
  const res = await db.execute<{ name: string; min: number | null; max: number | null; n: string }>(sql`
    select x.name, min(x.v) as min, max(x.v) as max, count(x.v) as n
    from (select f.name, ${value} as v from (${source}) s cross join unnest(${names}::text[]) as f(name) offset 0) x
    group by x.name`);
  const ranges = new Map<string, Range>();
  for (const r of res.rows)
    ranges.set(r.name, { min: Number(r.min), max: Number(r.max), count: r.min === null ? 0 : Number(r.n) });
  const out = await db.execute<{ min: number | null; max: number | null; n: string }>(
    sql`select min(s.prediction_number) as min, max(s.prediction_number) as max, count(s.prediction_number) as n from (${source}) s`,
  );
  const o = out.rows[0]!;
  return {
    features: edgesOf(ranges),
    output:
      o.min === null
        ? null
        : edgesOf(new Map([["o", { min: Number(o.min), max: Number(o.max), count: Number(o.n) }]])).get("o")!,
  };
}

type BucketRow = {
  key: string;
  b: number | null;
  n: string;
  min: number | null;
  max: number | null;
};

/** Folds `width_bucket` rows (0 below, 1..bins inside, bins + 1 above, null missing) into a histogram. */
function histogram(edges: number[], rows: BucketRow[]): Distribution {
  const bins = Math.max(0, edges.length - 1);
  const d: Extract<Distribution, { kind: "numerical" }> = {
    kind: "numerical",
    edges,
    counts: new Array<number>(bins).fill(0),
    below: 0,
    above: 0,
    missing: 0,
    min: null,
    max: null,
  };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.b === null) {
      d.missing += n;
      continue;
    }
    if (r.min !== null) d.min = d.min === null ? Number(r.min) : Math.min(d.min, Number(r.min));
    if (r.max !== null) d.max = d.max === null ? Number(r.max) : Math.max(d.max, Number(r.max));
    const b = Number(r.b);
    if (bins === 0 || b === 0) d.below += n;
    else if (b > bins) d.above += n;
    else d.counts[b - 1]! += n;
  }
  return d;
}

/**
 * The bucket of value `v` (not null) on `edges`, numpy's way: [e_i, e_i+1) and the last bin closed, so a
 * value equal to the last edge is in the last bin (width_bucket alone would put it above). No edges (no
 * reference values to bin on): every value counts as below.
 */
function bucket(v: SQL, edges: number[]): SQL {
  if (edges.length === 0) return sql`0`;
  const array = sql`${pgArray(edges)}::float8[]`;
  return sql`(case when ${v} = ${edges.at(-1)!}::float8 then ${edges.length - 1} else width_bucket(${v}, ${array}) end)`;
}

export async function featureDistributions(
  db: Db,
  w: WindowRange,
  features: FeatureSpec[],
  edges: Map<string, number[]>,
): Promise<Record<string, Distribution>> {
  const out: Record<string, Distribution> = {};
  const categorical = features.filter((f) => f.kind === "categorical").map((f) => f.name);
  const numerical = features.filter((f) => f.kind === "numerical").map((f) => f.name);
  if (categorical.length > 0) {
    const res = await db.execute<{ key: string; value: string | null; n: string }>(sql`
      select f.name as key, nullif(p.features->>f.name, '') as value, count(*) as n
      from predictions p cross join unnest(${pgArray(categorical)}::text[]) as f(name)
      where ${inWindow(w)} group by 1, 2`);
    for (const name of categorical) out[name] = { kind: "categorical", counts: {}, missing: 0 };
    for (const r of res.rows) {
      const d = out[r.key] as Extract<Distribution, { kind: "categorical" }>;
      if (r.value === null) d.missing += Number(r.n);
      else d.counts[r.value] = Number(r.n);
    }
  }
  if (numerical.length > 0) {
    // Each feature's edges are a constant array in the statement (not a joined column), so the planner
    // evaluates width_bucket against a constant: several times faster than edges carried on every row.
    const perFeature = numerical.map((name) => sql`when ${name} then ${bucket(sql.raw("v"), edges.get(name) ?? [])}`);
    const res = await db.execute<BucketRow>(sql`
      select x.name as key, case when x.v is null then null else (case x.name ${sql.join(perFeature, sql` `)} end) end as b,
        count(*) as n, min(x.v) as min, max(x.v) as max
      from (
        select f.name, ${numericFeature(sql`p.features`, sql`f.name`)} as v
        from predictions p cross join unnest(${pgArray(numerical)}::text[]) as f(name) where ${inWindow(w)}
        -- OFFSET 0 keeps the subquery apart, so each value is extracted from the JSON once, not once per use above.
        offset 0) x
      group by 1, 2`);
    for (const name of numerical)
      out[name] = histogram(
        edges.get(name) ?? [],
        res.rows.filter((r) => r.key === name),
      );
  }
  return out;
}

/** The model's output per arm: class counts for classifiers, a histogram on `edges` for regression. */
export async function outputDistributions(
  db: Db,
  w: WindowRange,
  edges: number[] | null,
): Promise<Partial<Record<TrafficArm, Distribution>>> {
  const out: Partial<Record<TrafficArm, Distribution>> = {};
  const labels = await db.execute<{ arm: TrafficArm; label: string; n: string }>(sql`
    select p.arm, p.prediction_label as label, count(*) as n from predictions p
    where ${inWindow(w)} and p.prediction_label is not null group by 1, 2`);
  for (const r of labels.rows) {
    const d = (out[r.arm] ??= { kind: "categorical", counts: {}, missing: 0 }) as Extract<
      Distribution,
      { kind: "categorical" }
    >;
    d.counts[r.label] = Number(r.n);
  }
  if (edges) {
    const v = sql.raw("p.prediction_number");
    const res = await db.execute<BucketRow & { arm: TrafficArm }>(sql`
      select p.arm as key, ${bucket(v, edges)} as b, count(*) as n, min(${v}) as min, max(${v}) as max
      from predictions p where ${inWindow(w)} and p.prediction_number is not null group by 1, 2`);
    for (const arm of new Set(res.rows.map((r) => r.key as TrafficArm)))
      out[arm] = histogram(
        edges,
        res.rows.filter((r) => r.key === arm),
      );
  }
  return out;
}
