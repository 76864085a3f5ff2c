/**
 * Live accuracy from reviewers' labels: per model version, per ISO week of the prediction, and per slice
 * (the values of one categorical feature), weighted by the inverse of the probability with which each
 * item entered the review queue (Hájek; `server/stats/feedback`). The database aggregates: it sends five
 * sums per group (n, Σw, Σw·y, Σw², Σw²·y), never the labels themselves.
 *
 * The label that counts is the item's resolved label: the labels' common answer, or the adjudicated one
 * when they conflicted. Items whose labels still conflict are left out and counted; gold items (copies
 * served to measure reviewers) are never counted. Regression models have no accuracy: "not measured".
 */
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { isoWeekKey, weightedAccuracyFromSums, type WeightedAccuracy } from "@/server/stats/feedback";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError } from "../errors";
import { declaredFeatures } from "../features/declared";
import { findModelOrThrow } from "../registry/models";
import { modelName } from "../registry/schemas";
import { activeRequirementSet } from "../requirements/sets";

export const liveAccuracyInput = z.object({
  model: modelName,
  /** A categorical feature the model declares: accuracy per value of it. */
  slice: z.string().trim().min(1).max(200).nullish(),
});
export type LiveAccuracyInput = z.input<typeof liveAccuracyInput>;

/** Slices shown per feature (the values with most labels); the rest are summed as "other". */
export const MAX_SLICE_VALUES = 12;

type SumsRow = { n: number | string; sw: unknown; swy: unknown; sw2: unknown; sw2y: unknown };

/** The five sums over the labeled items `f` (the item's answer against its resolved label). */
export const SUMS = sql.raw(`count(*)::int as n,
  sum(1 / f.sampling_probability) as sw,
  sum(case when f.resolved_label = f.prediction_label then 1 / f.sampling_probability else 0 end) as swy,
  sum(1 / (f.sampling_probability * f.sampling_probability)) as sw2,
  sum(case when f.resolved_label = f.prediction_label then 1 / (f.sampling_probability * f.sampling_probability) else 0 end) as sw2y`);

/** Items whose label counts: resolved (agreed or adjudicated), not a gold copy. */
export const COUNTED = sql.raw(`f.reason <> 'gold' and f.status = 'resolved' and f.resolved_label is not null`);

export function accuracyOf(r: SumsRow): WeightedAccuracy | null {
  return weightedAccuracyFromSums({
    n: Number(r.n),
    sumW: Number(r.sw ?? 0),
    sumWY: Number(r.swy ?? 0),
    sumW2: Number(r.sw2 ?? 0),
    sumW2Y: Number(r.sw2y ?? 0),
  });
}

export interface AccuracyFloor {
  floor: number;
  target: number | null;
  requirementSetVersion: number;
}

/**
 * The accuracy floor of the model's active requirement set: its overall (unsliced) `accuracy`
 * requirement, the strictest when several name different report kinds. Null when the set has none.
 */
export async function accuracyFloor(db: Db | Tx, modelId: string): Promise<AccuracyFloor | null> {
  const set = await activeRequirementSet(db, modelId);
  const reqs = (set?.requirements ?? []).filter(
    (r) => r.metric === "accuracy" && r.slice === "" && r.direction === "higher",
  );
  if (!set || reqs.length === 0) return null;
  const strictest = reqs.reduce((x, y) => (y.floor > x.floor ? y : x));
  return { floor: strictest.floor, target: strictest.target, requirementSetVersion: set.version };
}

/** Every ISO week from the first key's moment to the last's, so a week without labels shows as a gap. */
function weeksBetween(first: Date, last: Date): string[] {
  const out: string[] = [];
  const end = isoWeekKey(last);
  for (let t = first.getTime(); out.length < 520; t += 7 * 86_400_000) {
    const key = isoWeekKey(new Date(t));
    if (out.at(-1) !== key) out.push(key);
    if (key === end) break;
  }
  return out;
}

const week = sql.raw(`to_char(f.predicted_at at time zone 'UTC', 'IYYY-"W"IW')`);

/**
 * The Live accuracy tab's data. `measured: false` for a regression model (accuracy is not defined for
 * numbers). Versions with labels, plus the champion and challengers even without any.
 */
export async function liveAccuracy(ctx: DomainContext, raw: LiveAccuracyInput) {
  authorize(ctx, "registry:read");
  const input = liveAccuracyInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const features = await declaredFeatures(ctx.db, model.id);
  const categorical = features.filter((f) => f.kind === "categorical").map((f) => f.name);
  const slice = input.slice ?? null;
  if (slice !== null && !categorical.includes(slice))
    throw new InvalidInputError(
      "slice",
      categorical.length
        ? `not a categorical feature of ${model.name} (${categorical.join(", ")})`
        : `${model.name} declares no categorical feature`,
    );
  const floor = await accuracyFloor(ctx.db, model.id);
  const base = { model: { name: model.name, task: model.task }, floor, categoricalFeatures: categorical, slice };
  if (model.task === "regression")
    return { ...base, measured: false as const, versions: [], weeks: [], slices: null, totals: null };

  const where: SQL = sql`f.model_id = ${model.id}::uuid and ${COUNTED}`;
  const [grouped, pending, versions, span] = await Promise.all([
    ctx.db.execute<SumsRow & { version_id: string; week: string | null }>(sql`
      select f.model_version_id as version_id, ${week} as week, ${SUMS}
      from feedback_items f where ${where}
      group by grouping sets ((f.model_version_id), (f.model_version_id, ${week}))`),
    ctx.db.execute<{ version_id: string; conflicts: number; awaiting: number }>(sql`
      select f.model_version_id as version_id,
        count(*) filter (where f.status = 'conflict')::int as conflicts,
        count(*) filter (where f.status = 'open' and f.label_count > 0)::int as awaiting
      from feedback_items f
      where f.model_id = ${model.id}::uuid and f.reason <> 'gold' and f.status <> 'resolved'
      group by f.model_version_id`),
    ctx.db.execute<{ id: string; version: number; stage: string }>(sql`
      select id, version, stage from model_versions where model_id = ${model.id}::uuid order by version`),
    ctx.db.execute<{ first: Date | string | null; last: Date | string | null }>(sql`
      select min(f.predicted_at) as first, max(f.predicted_at) as last from feedback_items f where ${where}`),
  ]);
  const first = span.rows[0]?.first ? new Date(span.rows[0].first) : null;
  const last = span.rows[0]?.last ? new Date(span.rows[0].last) : null;
  const weeks = first && last ? weeksBetween(first, last) : [];

  const perVersion = versions.rows
    .map((v) => {
      const rows = grouped.rows.filter((r) => r.version_id === v.id);
      const overall = rows.find((r) => r.week === null);
      const p = pending.rows.find((r) => r.version_id === v.id);
      return {
        version: Number(v.version),
        stage: v.stage,
        overall: overall ? accuracyOf(overall) : null,
        weeks: weeks.map((w) => {
          const r = rows.find((x) => x.week === w);
          return { week: w, accuracy: r ? accuracyOf(r) : null };
        }),
        conflicts: Number(p?.conflicts ?? 0),
        awaiting: Number(p?.awaiting ?? 0),
      };
    })
    .filter((v) => v.overall || v.conflicts > 0 || v.stage === "champion" || v.stage === "challenger");

  let slices: {
    feature: string;
    values: { value: string; versions: { version: number; accuracy: WeightedAccuracy | null }[] }[];
  } | null = null;
  if (slice) {
    const { rows } = await ctx.db.execute<SumsRow & { version_id: string; value: string | null }>(sql`
      select f.model_version_id as version_id, f.features ->> ${slice} as value, ${SUMS}
      from feedback_items f where ${where}
      group by 1, 2`);
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(r.value ?? "(missing)", (totals.get(r.value ?? "(missing)") ?? 0) + Number(r.n));
    const shown = [...totals].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([v]) => v);
    const top = new Set(shown.slice(0, MAX_SLICE_VALUES));
    const keyOf = (value: string | null) => (top.has(value ?? "(missing)") ? (value ?? "(missing)") : "other");
    const values = [...top, ...(shown.length > MAX_SLICE_VALUES ? ["other"] : [])];
    slices = {
      feature: slice,
      values: values.map((value) => ({
        value,
        versions: perVersion.map((v) => {
          const id = versions.rows.find((x) => Number(x.version) === v.version)!.id;
          const mine = rows.filter((r) => r.version_id === id && keyOf(r.value) === value);
          const sum = (k: keyof SumsRow) => mine.reduce((s, r) => s + Number(r[k] ?? 0), 0);
          return {
            version: v.version,
            accuracy: accuracyOf({ n: sum("n"), sw: sum("sw"), swy: sum("swy"), sw2: sum("sw2"), sw2y: sum("sw2y") }),
          };
        }),
      })),
    };
  }
  return {
    ...base,
    measured: true as const,
    versions: perVersion,
    weeks,
    slices,
    totals: {
      labeled: perVersion.reduce((s, v) => s + (v.overall?.n ?? 0), 0),
      conflicts: perVersion.reduce((s, v) => s + v.conflicts, 0),
      awaiting: perVersion.reduce((s, v) => s + v.awaiting, 0),
    },
  };
}

export type LiveAccuracyResult = Awaited<ReturnType<typeof liveAccuracy>>;

/**
 * The live accuracy of one version over its newest `lastLabels` counted labels (by prediction time): what
 * the `live_accuracy` alert rule judges. Null when the version has no counted label.
 */
export async function recentLiveAccuracy(
  db: Db | Tx,
  modelVersionId: string,
  lastLabels: number,
): Promise<{ accuracy: WeightedAccuracy | null; from: Date | null; to: Date | null }> {
  const { rows } = await db.execute<SumsRow & { first: Date | string | null; last: Date | string | null }>(sql`
    select ${SUMS}, min(f.predicted_at) as first, max(f.predicted_at) as last
    from (
      select * from feedback_items f
      where f.model_version_id = ${modelVersionId}::uuid and ${COUNTED}
      order by f.predicted_at desc, f.id desc limit ${lastLabels}
    ) f`);
  const r = rows[0];
  if (!r || Number(r.n) === 0) return { accuracy: null, from: null, to: null };
  return { accuracy: accuracyOf(r), from: r.first ? new Date(r.first) : null, to: r.last ? new Date(r.last) : null };
}
