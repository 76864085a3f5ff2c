/**
 * The binning a version's current reference fixes for its windows (`Binning`): which features, and the
 * Sturges edges of each numerical one and of a regression output, exactly as a window's recomputation
 * from rows derives them (`windowFeatures`, `histogramEdges`). Deriving them reads every reference row,
 * so it is done once per reference and stored (`reference_binnings`); it is derived again when the
 * model's declared features no longer match the stored ones.
 */
import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { pgArray } from "../predictions/pg-array";
import { histogramEdges, windowFeatures, type FeatureSpec, type WindowRange } from "./aggregates";
import { featureKey, type Binning } from "./window-state";

/** Whether a stored binning still holds for the model's declared features (none: the reference's own columns). */
const stillHolds = (b: Binning, declared: readonly FeatureSpec[]) =>
  declared.length > 0 ? b.declared && featureKey(b.features) === featureKey(declared) : !b.declared;

async function derive(db: Db | Tx, w: WindowRange, referenceId: string): Promise<Binning> {
  const features = await windowFeatures(db, w, referenceId);
  const declared = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from model_features f join model_versions v on v.model_id = f.model_id
    where v.id = ${w.versionId}::uuid`);
  const numerical = features.filter((f) => f.kind === "numerical").map((f) => f.name);
  const edges = await histogramEdges(db, w, referenceId, numerical);
  const binning: Binning = {
    referenceId,
    declared: Number(declared.rows[0]!.n) > 0,
    features,
    edges: Object.fromEntries(edges.features),
    outputEdges: edges.output,
  };
  await db.execute(sql`
    insert into reference_binnings (reference_id, binning) values (${referenceId}::uuid, ${JSON.stringify(binning)}::jsonb)
    on conflict (reference_id) do update set binning = excluded.binning`);
  return binning;
}

/**
 * The current binning of each version that has a reference (versions without one are absent): one
 * query for all, the derivation only when nothing stored holds. `declared` is each version's declared
 * features; `ranges` a window of each version's rows (with a reference, only its version matters).
 */
export async function currentBinnings(
  db: Db | Tx,
  versions: readonly { range: WindowRange; declared: readonly FeatureSpec[] }[],
): Promise<Map<string, Binning>> {
  const ids = versions.map((v) => v.range.versionId);
  const found = await db.execute<{ version_id: string; reference_id: string; binning: Binning | null }>(sql`
    select r.model_version_id as version_id, r.id as reference_id, b.binning
    from prediction_references r left join reference_binnings b on b.reference_id = r.id
    where r.model_version_id = any(${pgArray(ids)}::uuid[]) and r.replaced_at is null`);
  const out = new Map<string, Binning>();
  for (const r of found.rows) {
    const v = versions.find((x) => x.range.versionId === r.version_id)!;
    out.set(
      r.version_id,
      r.binning && stillHolds(r.binning, v.declared) ? r.binning : await derive(db, v.range, r.reference_id),
    );
  }
  return out;
}

/** The current binning of the version of window `w`, or null when the version has no reference. */
export async function binningOfVersion(db: Db | Tx, w: WindowRange): Promise<Binning | null> {
  const declared = await db.execute<{ name: string; kind: FeatureSpec["kind"] }>(sql`
    select f.name, f.kind from model_features f join model_versions v on v.model_id = f.model_id
    where v.id = ${w.versionId}::uuid`);
  return (await currentBinnings(db, [{ range: w, declared: declared.rows }])).get(w.versionId) ?? null;
}
