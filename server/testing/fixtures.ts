import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { evaluationReports, models, modelVersions, users, type MetricValue } from "@/db/schema";
import type { Principal, Role } from "@/server/authz/policy";
import { createUser } from "@/server/domain/admin/users";

/** Test helpers that set up state the tests are not about. */
export async function principalFor(db: Db, email: string): Promise<Principal> {
  const [u] = await db.select().from(users).where(eq(users.email, email));
  if (!u) throw new Error(`no user ${email}`);
  return { kind: "user", id: u.id, email: u.email, name: u.name, roles: u.roles };
}

export async function makeUser(db: Db, email: string, roles: Role[]): Promise<Principal> {
  await createUser({ db, principal: { kind: "operator", name: "test" } }, { email, password: "password-1234", roles });
  return principalFor(db, email);
}

/** A domain context for a signed-in person: what domain functions receive when they act. */
export interface Actor {
  db: Db;
  principal: Principal;
}

/** Creates a person with the roles and returns the context to act as them. */
export async function makeActor(db: Db, email: string, roles: Role[]): Promise<Actor> {
  return { db, principal: await makeUser(db, email, roles) };
}

/** The data scientist most integration tests act as (ds@ratchet.test, so named "ds"), as a context. */
export function makeScientist(db: Db, email = "ds@ratchet.test"): Promise<Actor> {
  return makeActor(db, email, ["data_scientist"]);
}

/**
 * Inserts a report row as the report capability would store it (metrics already computed). A metric given
 * as [value, lo, hi] is stored as computed from outcomes, and the report then carries real evidence by the
 * gate's rules (1,000 outcomes, 300 positives): tests that need a passing gate use those. A plain number is
 * stored as posted.
 */
export async function insertReport(
  db: Db,
  model: string,
  version: number,
  kind: "regression" | "backtest" | "nowtest" | "holdout" | "baseline" | "online",
  metrics: Record<string, number | [number, number, number]>,
  extra: {
    periodStart?: string;
    slice?: string;
    outcomeCount?: number;
    confusion?: { tn: number; fp: number; fn: number; tp: number } | null;
  } = {},
) {
  const [v] = await db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, model), eq(modelVersions.version, version)));
  const values: Record<string, MetricValue> = {};
  for (const [k, m] of Object.entries(metrics)) {
    values[k] = Array.isArray(m)
      ? { value: m[0], ci: [m[1], m[2]], source: "computed" }
      : { value: m, source: "posted" };
  }
  const hash = createHash("sha256")
    .update(JSON.stringify({ model, version, kind, metrics, extra, n: Math.random() }))
    .digest("hex");
  const computed = Object.values(metrics).some(Array.isArray);
  const outcomeCount = extra.outcomeCount ?? (computed ? 1000 : 0);
  const confusion =
    extra.confusion !== undefined ? extra.confusion : computed ? { tn: 600, fp: 100, fn: 60, tp: 240 } : null;
  const [row] = await db
    .insert(evaluationReports)
    .values({
      modelVersionId: v!.id,
      kind,
      metrics: values,
      sampleSize: Math.max(1000, outcomeCount),
      outcomeCount,
      confusion,
      contentHash: hash,
      slice: extra.slice ?? "",
      periodStart: extra.periodStart ?? null,
    })
    .returning();
  return row!;
}

export async function championVersion(db: Db, model: string): Promise<number[]> {
  const rows = await db.execute<{ version: number }>(
    sql`select v.version from model_versions v join models m on m.id = v.model_id where m.name = ${model} and v.stage = 'champion'`,
  );
  return rows.rows.map((r) => Number(r.version));
}
