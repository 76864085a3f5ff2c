/**
 * One feature's distribution in a reference sample, aggregated in SQL (the rows never travel to Node),
 * in the same shape and on the same bins as the window's current distribution so the two can be drawn
 * side by side: numerical values on the window's edges (NumPy's rule: [e_i, e_i+1), the last bin closed,
 * values outside the edges left out), categories as counts.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { pgArray } from "../predictions/pg-array";
import type { Distribution } from "./window-summary";

/** A missing value: absent, JSON null, or empty text (the drift engine's rule). */
const missingSql = (f: string) =>
  sql`(features->${f}::text is null or jsonb_typeof(features->${f}::text) = 'null' or features->>${f}::text = '')`;

export async function referenceDistribution(
  db: Db,
  referenceId: string,
  feature: string,
  current: Distribution,
): Promise<Distribution> {
  if (current.kind === "categorical") {
    const { rows } = await db.execute<{ value: string | null; missing: boolean; n: number }>(sql`
      select case when ${missingSql(feature)} then null else features->>${feature}::text end as value,
             ${missingSql(feature)} as missing, count(*)::int as n
      from reference_rows where reference_id = ${referenceId}
      group by 1, 2`);
    const counts: Record<string, number> = {};
    let missing = 0;
    for (const r of rows) {
      if (r.missing || r.value === null) missing += Number(r.n);
      else counts[r.value] = Number(r.n);
    }
    return { kind: "categorical", counts, missing };
  }
  const edges = current.edges;
  const bins = Math.max(edges.length - 1, 0);
  const { rows } = await db.execute<{ bucket: number | null; n: number; lo: number | null; hi: number | null }>(sql`
    with v as (
      select case when jsonb_typeof(features->${feature}::text) = 'number'
                  then (features->>${feature}::text)::float8 end as x,
             ${missingSql(feature)} as missing
      from reference_rows where reference_id = ${referenceId}
    ), e as (select ${pgArray(edges)}::float8[] as edges)
    select case
             when v.missing then -1
             when v.x is null then -3
             when ${bins} = 0 then -5
             when v.x < e.edges[1] then -2
             when v.x > e.edges[${bins + 1}] then -4
             else least(width_bucket(v.x, e.edges), ${bins}) - 1
           end as bucket,
           count(*)::int as n, min(v.x) as lo, max(v.x) as hi
    from v cross join e
    group by 1`);
  const counts = new Array<number>(bins).fill(0);
  let missing = 0,
    below = 0,
    above = 0,
    min: number | null = null,
    max: number | null = null;
  for (const r of rows) {
    const bucket = Number(r.bucket);
    if (bucket === -1) missing += Number(r.n);
    else if (bucket >= 0) counts[bucket]! += Number(r.n);
    // Outside the window's edges: below the first, above the last.
    else if (bucket === -2) below += Number(r.n);
    else if (bucket === -4) above += Number(r.n);
    if (r.lo !== null) min = min === null ? Number(r.lo) : Math.min(min, Number(r.lo));
    if (r.hi !== null) max = max === null ? Number(r.hi) : Math.max(max, Number(r.hi));
  }
  return { kind: "numerical", edges, counts, below, above, missing, min, max };
}
