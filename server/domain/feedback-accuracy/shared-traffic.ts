/**
 * Champion against challenger on the same labeled requests: the items (one per request) whose external id
 * both versions answered and whose label counts. The item holds the answer of the version it was queued
 * for; the other version's answer is the item's recorded disagreement when it names that version, else
 * that version's logged prediction for the same external id (read within a day of the labeled items'
 * times, through the log's (version, time) index).
 *
 * Both accuracies are Hájek estimates over those items with the same weights 1/π. The difference
 * (b − a) gets a seeded percentile bootstrap interval over items (2,000 resamples, the engine's
 * `bootstrapIndices`): each resample keeps an item's two answers and its weight together, so the interval
 * is paired, and recomputes both weighted accuracies on it.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bootstrapIndices } from "@/server/stats";
import { weightedAccuracy, type WeightedAccuracy } from "@/server/stats/feedback";
import { COUNTED } from "./live-accuracy";

type Version = { id: string; version: number };

export interface SharedTrafficAccuracy {
  /** Labeled requests both versions answered. */
  labeled: number;
  a: { version: number; accuracy: WeightedAccuracy } | null;
  b: { version: number; accuracy: WeightedAccuracy } | null;
  /** b − a with its paired bootstrap interval; null without shared labels. */
  difference: { estimate: number; interval: [number, number]; method: string } | null;
  /** Labeled requests of either version the other did not answer (left out). */
  unmatched: number;
  /** Items of these versions whose labels still conflict (left out). */
  conflicts: number;
}

export const SHARED_DIFFERENCE_METHOD = "paired percentile bootstrap over labeled items (2,000 resamples, seeded)";

export async function sharedTrafficAccuracy(
  db: Db,
  modelId: string,
  a: Version,
  b: Version,
): Promise<SharedTrafficAccuracy> {
  const { rows } = await db.execute<{
    pi: number;
    truth: string;
    answer_a: string | null;
    answer_b: string | null;
  }>(sql`
    with labeled as (
      select f.id, f.external_id, f.model_version_id, f.predicted_at, f.sampling_probability as pi,
        f.prediction_label as own, f.resolved_label as truth,
        case when (f.disagreement ->> 'version')::int =
            (case when f.model_version_id = ${a.id}::uuid then ${b.version}::int else ${a.version}::int end)
          then f.disagreement ->> 'prediction' end as other_from_item
      from feedback_items f
      where f.model_id = ${modelId}::uuid and ${COUNTED}
        and f.model_version_id in (${a.id}::uuid, ${b.id}::uuid)
    ), bounds as (
      select min(predicted_at) - interval '1 day' as lo, max(predicted_at) + interval '1 day' as hi from labeled
    ), logged as (
      select distinct on (p.model_version_id, p.external_id) p.model_version_id, p.external_id, p.prediction_label
      from predictions p cross join bounds
      where p.model_version_id in (${a.id}::uuid, ${b.id}::uuid)
        and p."time" >= bounds.lo and p."time" <= bounds.hi
        and p.external_id in (select external_id from labeled where other_from_item is null)
      order by p.model_version_id, p.external_id, p."time" desc
    )
    select l.pi, l.truth,
      case when l.model_version_id = ${a.id}::uuid then l.own else coalesce(l.other_from_item, la.prediction_label) end as answer_a,
      case when l.model_version_id = ${b.id}::uuid then l.own else coalesce(l.other_from_item, lb.prediction_label) end as answer_b
    from labeled l
    left join logged la on la.model_version_id = ${a.id}::uuid and la.external_id = l.external_id
    left join logged lb on lb.model_version_id = ${b.id}::uuid and lb.external_id = l.external_id
    order by l.id`);
  const { rows: pending } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from feedback_items f
    where f.model_id = ${modelId}::uuid and f.reason <> 'gold' and f.status = 'conflict'
      and f.model_version_id in (${a.id}::uuid, ${b.id}::uuid)`);
  const conflicts = Number(pending[0]?.n ?? 0);
  const shared = rows.filter((r) => r.answer_a !== null && r.answer_b !== null);
  const unmatched = rows.length - shared.length;
  if (shared.length === 0) return { labeled: 0, a: null, b: null, difference: null, unmatched, conflicts };

  const w = Float64Array.from(shared, (r) => 1 / Number(r.pi));
  const ya = Float64Array.from(shared, (r) => (r.answer_a === r.truth ? 1 : 0));
  const yb = Float64Array.from(shared, (r) => (r.answer_b === r.truth ? 1 : 0));
  const accA = weightedAccuracy(shared.map((r, i) => ({ correct: ya[i] === 1, inclusionProbability: Number(r.pi) })))!;
  const accB = weightedAccuracy(shared.map((r, i) => ({ correct: yb[i] === 1, inclusionProbability: Number(r.pi) })))!;
  const boot = bootstrapIndices(shared.length, (idx) => {
    let sw = 0;
    let sd = 0;
    for (const i of idx) {
      sw += w[i]!;
      sd += w[i]! * (yb[i]! - ya[i]!);
    }
    return sd / sw;
  });
  return {
    labeled: shared.length,
    a: { version: a.version, accuracy: accA },
    b: { version: b.version, accuracy: accB },
    difference: { estimate: boot.estimate, interval: [boot.lo, boot.hi], method: SHARED_DIFFERENCE_METHOD },
    unmatched,
    conflicts,
  };
}
