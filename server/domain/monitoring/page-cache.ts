/**
 * The monitoring page's data changes only when a window is (re)computed, a reference is uploaded, a
 * version changes stage or a release takes effect: a few times an hour. Fifty people watching the same
 * dashboard should not redo its dozen queries each time, so results are kept in memory keyed by the
 * request and a freshness token read from the database on every request (one query over small indexes:
 * the newest computed_at per version, the newest reference, the stages, the newest release). Any change
 * gives a new token and the next request recomputes; every app instance validates against the same
 * database, so none serves stale data and nothing has to be invalidated by hand.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** Distinct page requests kept per instance (model × version × granularity × feature). */
const MAX_ENTRIES = 200;

/** Per database (tests open several in one process), per model: the check now running. */
const inFlight = new WeakMap<Db, Map<string, Promise<string | null>>>();

/**
 * The model's freshness token. Requests that arrive while a check for the same model is running share
 * its answer (it started before they arrived, so it is at most that check's few milliseconds old):
 * fifty people opening the page at once cost one check, not fifty.
 */
export function freshnessToken(db: Db, model: string): Promise<string | null> {
  let checks = inFlight.get(db);
  if (!checks) inFlight.set(db, (checks = new Map()));
  const running = checks.get(model);
  if (running) return running;
  const check = readToken(db, model).finally(() => checks.delete(model));
  checks.set(model, check);
  return check;
}

async function readToken(db: Db, model: string): Promise<string | null> {
  const { rows } = await db.execute<{ token: string | null }>(sql`
    select concat_ws('|', m.id, m.labels::text,
      (select max(effective_at)::text from releases r where r.model_id = m.id),
      (select string_agg(concat_ws(':', v.version, v.stage,
                (select max(w.computed_at)::text from monitoring_windows w where w.model_version_id = v.id),
                (select max(p.created_at)::text from prediction_references p where p.model_version_id = v.id)),
              ',' order by v.version)
         from model_versions v where v.model_id = m.id)) as token
    from models m where m.name = ${model}`);
  return rows[0]?.token ?? null;
}

export class PageCache<T> {
  private readonly entries = new Map<string, { token: string; value: Promise<T> }>();

  /** The cached value for `key` if it was computed under `token`, else `compute()` (shared by concurrent callers). */
  get(key: string, token: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.token === token) {
      // Least recently used goes first: re-insert on every hit.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { token, value });
    // A failure is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  clear() {
    this.entries.clear();
  }
}
