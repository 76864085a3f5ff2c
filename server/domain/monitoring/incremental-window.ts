/**
 * A window computed from mergeable states instead of its rows. An hour merges its stored state with the
 * partials ingest wrote since (and deletes them, in the same transaction: each batch is folded in once);
 * a day or a week merges its hours' states and the partials not folded in yet, so it needs no hour job
 * to have run first. The drift engine reads the window's drift sample (`window_samples`, the k rows with
 * the smallest seeded hash, as a recomputation from the log draws them) instead of the window's rows.
 *
 * Everything is read in one REPEATABLE READ snapshot: a batch is then either in a partial or in its
 * hour's state, never both or neither, and the sample holds exactly the rows the states count.
 *
 * Returns null, changing nothing, when states do not merge (no reference when some rows came, another
 * reference or other features since, an hour recomputed from rows): the caller recomputes from rows.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { sharedDrift } from "./drift-memo";
import { latencyPercentile } from "./latency-state";
import { storeWindow } from "./store-window";
import { windowDrift } from "./window-drift";
import { mergeAll, emptyState, type Binning, type WindowState } from "./window-state";
import type { WindowGranularity, WindowSummary } from "./window-summary";

interface Target {
  versionId: string;
  granularity: WindowGranularity;
  start: Date;
  end: Date;
}

/**
 * The k rows with the smallest hash over the hours' samples, in hash order: each hour's in hash order,
 * merged (Merge Append). `columns` of `window_samples s`, hash included.
 */
function hoursSample(versionId: string, hours: readonly Date[], k: number, columns: SQL): SQL {
  const perHour = hours.map(
    (h) => sql`(select ${columns} from window_samples s
      where s.model_version_id = ${versionId}::uuid and s.hour_start = ${h.toISOString()}::timestamptz order by s.hash limit ${k})`,
  );
  if (perHour.length === 0) return sql`select ${columns} from window_samples s where false`;
  return sql`select u.* from (${sql.join(perHour, sql` union all `)}) u order by u.hash limit ${k}`;
}

/** A digest of which rows the sample holds (their hashes, in order): with the reference, features and k, the drift's whole input. */
async function sampleDigest(tx: Tx, versionId: string, hours: readonly Date[], k: number): Promise<string> {
  const res = await tx.execute<{ digest: string }>(sql`
    select md5(coalesce(string_agg(d.hash::text, ',' order by d.hash), '')) as digest
    from (${hoursSample(versionId, hours, k, sql`s.hash`)}) d`);
  return res.rows[0]!.digest;
}

/** The summary's aggregates, from a merged state. */
function summaryOf(target: Target, state: WindowState, final: boolean): Omit<WindowSummary, "drift"> {
  return {
    granularity: target.granularity,
    windowStart: target.start.toISOString(),
    windowEnd: target.end.toISOString(),
    rowCount: state.rowCount,
    final,
    rowsPerArm: state.rowsPerArm,
    latency: {
      p50: latencyPercentile(state.latency, 0.5),
      p95: latencyPercentile(state.latency, 0.95),
      measured: state.latency.measured,
    },
    output: state.output,
    features: state.features,
  };
}

interface HourRow extends Record<string, unknown> {
  state: WindowState | null;
  sample_bound: string | null;
  /** The sample size the hour's sample was trimmed to (its summary's exactUpTo). */
  k: string | null;
}

/**
 * Whether a stored hour can be merged into: it has a state (it was not recomputed from rows), and its
 * sample was not trimmed below `k` rows (RATCHET_MONITORING_EXACT_ROWS raised since).
 */
const sampleHolds = (h: HourRow, k: number) =>
  h.state !== null && (h.sample_bound === null || (h.k !== null && Number(h.k) >= k));

/** An hour: its stored state plus its pending partials, which are deleted once folded in. */
async function mergeHour(tx: Tx, target: Target, binning: Binning, k: number) {
  const prior = await tx.execute<HourRow>(sql`
    select state, sample_bound, summary->'drift'->>'exactUpTo' as k from monitoring_windows
    where model_version_id = ${target.versionId}::uuid and granularity = 'hour' and window_start = ${target.start.toISOString()}::timestamptz`);
  if (prior.rows[0] && !sampleHolds(prior.rows[0], k)) return null;
  const partials = await tx.execute<{ id: string; state: WindowState }>(sql`
    select id, state from window_partials
    where model_version_id = ${target.versionId}::uuid and hour_start = ${target.start.toISOString()}::timestamptz`);
  const states = [...(prior.rows[0] ? [prior.rows[0].state!] : []), ...partials.rows.map((p) => p.state)];
  const state = mergeAll(states, emptyState(binning));
  if (!state) return null;
  if (partials.rows.length > 0)
    await tx.execute(
      sql`delete from window_partials where id = any(${`{${partials.rows.map((p) => p.id).join(",")}}`}::bigint[])`,
    );
  return { state, hours: [target.start] };
}

/** A day or a week: its hours' states and the partials no hour job has folded in yet. */
async function mergeHours(tx: Tx, target: Target, binning: Binning, k: number) {
  const hours = await tx.execute<HourRow & { hour: Date }>(sql`
    select window_start as hour, state, sample_bound, summary->'drift'->>'exactUpTo' as k from monitoring_windows
    where model_version_id = ${target.versionId}::uuid and granularity = 'hour' and window_start >= ${target.start.toISOString()}::timestamptz
      and window_start < ${target.end.toISOString()}::timestamptz`);
  if (hours.rows.some((h) => !sampleHolds(h, k))) return null;
  const pending = await tx.execute<{ hour: Date; state: WindowState }>(sql`
    select hour_start as hour, state from window_partials
    where model_version_id = ${target.versionId}::uuid and hour_start >= ${target.start.toISOString()}::timestamptz
      and hour_start < ${target.end.toISOString()}::timestamptz`);
  const state = mergeAll(
    [...hours.rows.map((h) => h.state!), ...pending.rows.map((p) => p.state)],
    emptyState(binning),
  );
  if (!state) return null;
  const distinct = new Map([...hours.rows, ...pending.rows].map((h) => [new Date(h.hour).getTime(), new Date(h.hour)]));
  return { state, hours: [...distinct.values()] };
}

/**
 * Keeps an hour's sample at its k smallest hashes and returns the k-th (the bound ingest filters on),
 * or null while the hour has fewer than k sampled rows.
 */
async function trimHourSample(tx: Tx, target: Target, k: number): Promise<bigint | null> {
  const hour = sql`s.model_version_id = ${target.versionId}::uuid and s.hour_start = ${target.start.toISOString()}::timestamptz`;
  const kth = await tx.execute<{ hash: string }>(
    sql`select s.hash::text as hash from window_samples s where ${hour} order by s.hash offset ${k - 1} limit 1`,
  );
  if (!kth.rows[0]) return null;
  const bound = BigInt(kth.rows[0].hash);
  await tx.execute(sql`delete from window_samples s where ${hour} and s.hash > ${bound.toString()}::bigint`);
  return bound;
}

export async function computeIncrementally(
  db: Db,
  target: Target,
  ref: { id: string; rowCount: number },
  binning: Binning,
  opts: { now: Date; final: boolean; exactUpTo: number },
): Promise<{ windowId: string; summary: WindowSummary } | null> {
  return db.transaction(
    async (tx) => {
      const merged =
        target.granularity === "hour"
          ? await mergeHour(tx, target, binning, opts.exactUpTo)
          : await mergeHours(tx, target, binning, opts.exactUpTo);
      if (!merged) return null;
      const k = opts.exactUpTo;
      const key = JSON.stringify([
        ref,
        binning.features,
        k,
        merged.state.rowCount > k,
        await sampleDigest(tx, target.versionId, merged.hours, k),
      ]);
      const drift = await sharedDrift(key, () =>
        windowDrift(
          tx,
          ref,
          merged.state.rowCount,
          binning.features,
          k,
          hoursSample(target.versionId, merged.hours, k, sql`s.features, s.output, s.numeric_output, s.arm, s.hash`),
        ),
      );
      const summary: WindowSummary = { ...summaryOf(target, merged.state, opts.final), drift };
      const hour = target.granularity === "hour";
      const sampleBound = hour ? await trimHourSample(tx, target, opts.exactUpTo) : null;
      const windowId = await storeWindow(tx, target, summary, ref.id, opts.now, {
        state: hour ? merged.state : null,
        sampleBound,
      });
      return { windowId, summary };
    },
    { isolationLevel: "repeatable read" },
  );
}

/** The sample bound of an hour recomputed from rows: below every hash, so ingest samples none of its rows. */
export const NO_SAMPLE = -(2n ** 63n);

/**
 * Once a week is final, the samples, partials and states of the weeks before it are no longer read
 * (their days and hours are final too): dropped, and their hours marked as no longer incremental (a
 * later recomputation of one of them reads its rows, and ingest samples none of a late row's).
 */
export async function dropBefore(db: Db, versionId: string, weekStart: Date): Promise<void> {
  const before = sql`model_version_id = ${versionId}::uuid and hour_start < ${weekStart.toISOString()}::timestamptz`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from window_samples where ${before}`);
    await tx.execute(sql`delete from window_partials where ${before}`);
    await tx.execute(sql`
      update monitoring_windows set state = null, sample_bound = ${NO_SAMPLE.toString()}::bigint
      where model_version_id = ${versionId}::uuid and granularity = 'hour' and window_start < ${weekStart.toISOString()}::timestamptz
        and state is not null`);
  });
}

/**
 * The week's own hours, once nothing will merge them again: dropped like the weeks before it, hour by
 * hour as soon as the hour, its day and the week are all stored final. `dropBefore` alone would keep a
 * week until the next one is final, which never comes for a version that stops receiving traffic: its
 * last week's drift sample (up to k rows an hour) would stay forever. Called after every final window:
 * the final jobs of a week's last hour, its last day and the week come due together and run in any
 * order, and a state dropped before its own window's final merge would send that window back to its rows.
 */
export async function dropFinalHours(db: Db, versionId: string, weekStart: Date): Promise<void> {
  const final = (w: string) => sql.raw(`(${w}.summary->>'final')::boolean`);
  await db.transaction(async (tx) => {
    const done = await tx.execute<{ hour: Date }>(sql`
      select h.window_start as hour
      from monitoring_windows wk
      join monitoring_windows h on h.model_version_id = wk.model_version_id and h.granularity = 'hour'
        and h.window_start >= wk.window_start and h.window_start < wk.window_end and ${final("h")}
      join monitoring_windows d on d.model_version_id = h.model_version_id and d.granularity = 'day'
        and d.window_start = date_trunc('day', h.window_start, 'UTC') and ${final("d")}
      where wk.model_version_id = ${versionId}::uuid and wk.granularity = 'week'
        and wk.window_start = ${weekStart.toISOString()}::timestamptz and ${final("wk")}
        and (h.state is not null or h.sample_bound is distinct from ${NO_SAMPLE.toString()}::bigint)`);
    if (done.rows.length === 0) return;
    const hours = sql`${`{${done.rows.map((r) => new Date(r.hour).toISOString()).join(",")}}`}::timestamptz[]`;
    const at = sql`model_version_id = ${versionId}::uuid and hour_start = any(${hours})`;
    await tx.execute(sql`delete from window_samples where ${at}`);
    await tx.execute(sql`delete from window_partials where ${at}`);
    await tx.execute(sql`
      update monitoring_windows set state = null, sample_bound = ${NO_SAMPLE.toString()}::bigint
      where model_version_id = ${versionId}::uuid and granularity = 'hour' and window_start = any(${hours})`);
  });
}

/** Drops an hour's partials and sample, once the hour is recomputed from rows for good. */
export async function dropHour(db: Db, versionId: string, hour: Date): Promise<void> {
  const at = sql`model_version_id = ${versionId}::uuid and hour_start = ${hour.toISOString()}::timestamptz`;
  await db.execute(sql`delete from window_partials where ${at}`);
  await db.execute(sql`delete from window_samples where ${at}`);
}
