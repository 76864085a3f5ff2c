/**
 * Target drift from human labels: the distribution of the labels reviewers resolved (the adjudicated
 * label when there is one) per week of the predictions they judge, against a reference target
 * distribution, judged by the drift engine with its automatic rules (chi-square, Z-test or
 * Jensen–Shannon for class labels, Kolmogorov–Smirnov or Wasserstein for numbers).
 *
 * The reference is the `target` column of the monitored version's reference data when it declares one,
 * otherwise the earliest week with enough labels (the result says which). Labels are counted in SQL per
 * week and label; Node only expands those counts for the engine. A week with fewer than
 * `TARGET_MIN_LABELS` labels is shown with its count and not judged, so a handful of labels never reads
 * as "no drift".
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { driftColumn, type ColumnDrift } from "@/server/stats/drift";

/** Labels a week (and a reference) needs before its distribution is judged. */
export const TARGET_MIN_LABELS = 30;
/** Weeks shown, newest last (half a year, as the weekly heat map). */
export const TARGET_WEEKS_SHOWN = 26;

export interface TargetWeek {
  start: Date;
  end: Date;
  labels: number;
  /** Categorical: labels per class; numerical: null (see `mean`). */
  counts: Record<string, number> | null;
  /** Numerical targets: the mean label. */
  mean: number | null;
  /** null: not judged (too few labels, or this week is the reference). */
  drift: ColumnDrift | null;
  isReference: boolean;
}

export type TargetReference =
  | { source: "reference_data"; fileName: string | null; labels: number; counts: Record<string, number> | null }
  | { source: "earliest_week"; start: Date; labels: number; counts: Record<string, number> | null };

export interface TargetDrift {
  /** no_labels: nobody resolved a label yet; not_enough: labels exist, but no week could be judged. */
  status: "no_labels" | "not_enough" | "measured";
  type: "categorical" | "numerical";
  minLabels: number;
  totalLabels: number;
  reference: TargetReference | null;
  weeks: TargetWeek[];
}

const WEEK_MS = 7 * 86_400_000;

type CountRow = { value: string; n: number | string };

/** Expands SQL counts into the values the engine takes (numbers for a regression target). */
function expand(rows: CountRow[], numerical: boolean): (string | number)[] {
  const out: (string | number)[] = [];
  for (const r of rows) {
    const v = numerical ? Number(r.value) : r.value;
    if (numerical && !Number.isFinite(v)) continue;
    for (let i = 0; i < Number(r.n); i++) out.push(v);
  }
  return out;
}

function summarizeCounts(rows: CountRow[], numerical: boolean) {
  const labels = rows.reduce((s, r) => s + Number(r.n), 0);
  if (numerical) {
    const sum = rows.reduce((s, r) => s + Number(r.value) * Number(r.n), 0);
    return { labels, counts: null, mean: labels ? sum / labels : null };
  }
  return { labels, counts: Object.fromEntries(rows.map((r) => [r.value, Number(r.n)])), mean: null };
}

/**
 * The target drift of a model: its resolved labels (gold items aside: they are copies with a known
 * answer) per ISO week of the predictions, against `referenceId`'s target when it has one.
 */
export async function targetDrift(
  db: Db,
  model: { id: string; task: string },
  referenceId: string | null,
  now: Date = new Date(),
): Promise<TargetDrift> {
  const numerical = model.task === "regression";
  const type = numerical ? "numerical" : "categorical";
  const since = new Date(now.getTime() - (TARGET_WEEKS_SHOWN + 1) * WEEK_MS);
  const [labelRows, refRows] = await Promise.all([
    db.execute<CountRow & { week: Date | string }>(sql`
      select date_trunc('week', i.predicted_at at time zone 'UTC') at time zone 'UTC' as week,
             coalesce(a.label, i.resolved_label) as value, count(*)::int as n
        from feedback_items i
        left join feedback_adjudications a on a.item_id = i.id
       where i.model_id = ${model.id}::uuid and i.status = 'resolved' and i.reason <> 'gold'
         and i.predicted_at >= ${since.toISOString()}::timestamptz
         and coalesce(a.label, i.resolved_label) is not null
       group by 1, 2
       order by 1, 2`),
    referenceId
      ? db.execute<CountRow & { file_name: string | null }>(sql`
          select r.target as value, count(*)::int as n, p.file_name
            from reference_rows r join prediction_references p on p.id = r.reference_id
           where r.reference_id = ${referenceId}::uuid and r.target is not null and r.target <> ''
           group by r.target, p.file_name
           order by r.target`)
      : Promise.resolve({ rows: [] as (CountRow & { file_name: string | null })[] }),
  ]);

  const byWeek = new Map<number, CountRow[]>();
  for (const r of labelRows.rows) {
    const t = new Date(r.week).getTime();
    const list = byWeek.get(t) ?? [];
    list.push({ value: r.value, n: r.n });
    byWeek.set(t, list);
  }
  const starts = [...byWeek.keys()].sort((a, b) => a - b);
  const totalLabels = labelRows.rows.reduce((s, r) => s + Number(r.n), 0);

  let reference: TargetReference | null = null;
  let referenceValues: (string | number)[] | null = null;
  let referenceStart: number | null = null;
  if (refRows.rows.length > 0) {
    const s = summarizeCounts(refRows.rows, numerical);
    reference = { source: "reference_data", fileName: refRows.rows[0]!.file_name, labels: s.labels, counts: s.counts };
    referenceValues = expand(refRows.rows, numerical);
  } else {
    referenceStart = starts.find((t) => summarizeCounts(byWeek.get(t)!, numerical).labels >= TARGET_MIN_LABELS) ?? null;
    if (referenceStart !== null) {
      const rows = byWeek.get(referenceStart)!;
      const s = summarizeCounts(rows, numerical);
      reference = { source: "earliest_week", start: new Date(referenceStart), labels: s.labels, counts: s.counts };
      referenceValues = expand(rows, numerical);
    }
  }
  const referenceUsable = referenceValues !== null && referenceValues.length >= TARGET_MIN_LABELS;

  const weeks: TargetWeek[] = starts.map((t) => {
    const rows = byWeek.get(t)!;
    const s = summarizeCounts(rows, numerical);
    const isReference = t === referenceStart;
    const judged = referenceUsable && !isReference && s.labels >= TARGET_MIN_LABELS;
    return {
      start: new Date(t),
      end: new Date(t + WEEK_MS),
      labels: s.labels,
      counts: s.counts,
      mean: s.mean,
      isReference,
      drift: judged ? driftColumn(referenceValues!, expand(rows, numerical), { column: "target", type }) : null,
    };
  });
  const status = totalLabels === 0 ? "no_labels" : weeks.some((w) => w.drift !== null) ? "measured" : "not_enough";
  return { status, type, minLabels: TARGET_MIN_LABELS, totalLabels, reference, weeks };
}
