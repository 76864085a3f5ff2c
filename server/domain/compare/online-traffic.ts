/**
 * Online evidence from production traffic, before any label exists: how the challenger's shadow or
 * canary answers compare with the champion's on the same requests. Per arm its output distribution and
 * latency; over the requests both answered (joined on external id within the window) the disagreement
 * rate (classification) or the mean absolute difference (regression).
 *
 * Reads the prediction log, bounded: one version and one time window per side, each through the
 * (model_version_id, time) index, joined by hash on external_id in the database.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { wilsonInterval } from "@/server/stats";
import type { TrafficArm } from "./online";

/** How far back from the challenger's newest prediction the panel looks. */
export const ONLINE_WINDOW_HOURS = 24;
/** Classes shown per arm; the rest are summed as "other". */
const TOP_CLASSES = 8;

export interface OnlineTrafficArm {
  arm: TrafficArm;
  version: number;
  rows: number;
  latency: { p50: number | null; p95: number | null; measured: number };
  output:
    | { kind: "classes"; shares: Record<string, number> }
    | { kind: "numbers"; mean: number | null; p50: number | null; p95: number | null };
}

export interface OnlineTraffic {
  window: { from: Date; to: Date };
  arms: OnlineTrafficArm[];
  /** Per challenger arm: requests both versions answered, and how often they disagreed. */
  agreement: {
    arm: TrafficArm;
    matched: number;
    /** Classification: different class; null for regression. */
    disagreements: number | null;
    disagreementRate: number | null;
    ci: [number, number] | null;
    /** Regression: mean |challenger − champion|; null for classification. */
    meanAbsDifference: number | null;
  }[];
}

type Version = { id: string; version: number };

const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

async function armStats(db: Db, v: Version, from: Date, to: Date, arms: TrafficArm[], classes: boolean) {
  const armList = `{${arms.join(",")}}`;
  const { rows } = await db.execute<{
    arm: TrafficArm;
    n: number;
    measured: number;
    p50: number | null;
    p95: number | null;
    mean: number | null;
    out50: number | null;
    out95: number | null;
  }>(sql`
    select arm, count(*)::int as n, count(latency_ms)::int as measured,
           percentile_cont(0.5) within group (order by latency_ms) as p50,
           percentile_cont(0.95) within group (order by latency_ms) as p95,
           avg(prediction_number) as mean,
           percentile_cont(0.5) within group (order by prediction_number) as out50,
           percentile_cont(0.95) within group (order by prediction_number) as out95
    from predictions
    where model_version_id = ${v.id} and time >= ${from.toISOString()}::timestamptz and time < ${to.toISOString()}::timestamptz
      and arm = any(${armList}::prediction_arm[])
    group by arm order by arm`);
  const labelRows = classes
    ? (
        await db.execute<{ arm: TrafficArm; label: string; n: number }>(sql`
          select arm, prediction_label as label, count(*)::int as n
          from predictions
          where model_version_id = ${v.id} and time >= ${from.toISOString()}::timestamptz and time < ${to.toISOString()}::timestamptz
            and arm = any(${armList}::prediction_arm[]) and prediction_label is not null
          group by arm, prediction_label`)
      ).rows
    : [];
  return rows.map((r): OnlineTrafficArm => {
    const n = Number(r.n);
    let output: OnlineTrafficArm["output"];
    if (classes) {
      const counts = labelRows
        .filter((l) => l.arm === r.arm)
        .map((l) => [l.label, Number(l.n)] as const)
        .sort((x, y) => y[1] - x[1]);
      const shares: Record<string, number> = {};
      for (const [label, c] of counts.slice(0, TOP_CLASSES)) shares[label] = c / n;
      const rest = counts.slice(TOP_CLASSES).reduce((s, [, c]) => s + c, 0);
      if (rest > 0) shares.other = rest / n;
      output = { kind: "classes", shares };
    } else output = { kind: "numbers", mean: num(r.mean), p50: num(r.out50), p95: num(r.out95) };
    return {
      arm: r.arm,
      version: v.version,
      rows: n,
      latency: { p50: num(r.p50), p95: num(r.p95), measured: Number(r.measured) },
      output,
    };
  });
}

/**
 * The champion side is version `a`'s champion-arm traffic; the challenger side is version `b`'s shadow,
 * canary or challenger traffic. Null when `b` served no such traffic.
 */
export async function onlineTraffic(
  db: Db,
  task: string,
  a: Version,
  b: Version,
  hours = ONLINE_WINDOW_HOURS,
): Promise<OnlineTraffic | null> {
  const challengerArms: TrafficArm[] = ["shadow", "canary", "challenger"];
  const { rows: newest } = await db.execute<{ t: Date | string | null }>(sql`
    select max(time) as t from predictions
    where model_version_id = ${b.id} and arm in ('shadow', 'canary', 'challenger')`);
  if (!newest[0]?.t) return null;
  // [to − hours, to]: the newest prediction included.
  const to = new Date(toDate(newest[0].t).getTime() + 1);
  const from = new Date(to.getTime() - hours * 3_600_000);
  const classes = task !== "regression";
  const [championArms, challengerSide] = [
    await armStats(db, a, from, to, ["champion"], classes),
    await armStats(db, b, from, to, challengerArms, classes),
  ];
  const { rows: joined } = await db.execute<{
    arm: TrafficArm;
    matched: number;
    disagreements: number;
    mad: number | null;
  }>(sql`
    with c as (
      select distinct on (external_id) external_id, prediction_label, prediction_number
      from predictions
      where model_version_id = ${a.id} and arm = 'champion'
        and time >= ${from.toISOString()}::timestamptz and time < ${to.toISOString()}::timestamptz
      order by external_id, time desc
    ), x as (
      select distinct on (arm, external_id) arm, external_id, prediction_label, prediction_number
      from predictions
      where model_version_id = ${b.id} and arm in ('shadow', 'canary', 'challenger')
        and time >= ${from.toISOString()}::timestamptz and time < ${to.toISOString()}::timestamptz
      order by arm, external_id, time desc
    )
    select x.arm, count(*)::int as matched,
           count(*) filter (where x.prediction_label is distinct from c.prediction_label)::int as disagreements,
           avg(abs(x.prediction_number - c.prediction_number)) as mad
    from x join c on c.external_id = x.external_id
    group by x.arm order by x.arm`);
  return {
    window: { from, to },
    arms: [...championArms, ...challengerSide],
    agreement: challengerSide.map((s) => {
      const j = joined.find((r) => r.arm === s.arm);
      const matched = j ? Number(j.matched) : 0;
      const disagreements = classes && j ? Number(j.disagreements) : classes ? 0 : null;
      return {
        arm: s.arm,
        matched,
        disagreements,
        disagreementRate: classes && matched > 0 ? disagreements! / matched : null,
        ci: classes && matched > 0 ? wilsonInterval(disagreements!, matched) : null,
        meanAbsDifference: !classes && j ? num(j.mad) : null,
      };
    }),
  };
}
