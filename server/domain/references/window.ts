import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { ReferenceProfile, ReferenceProfileColumn } from "@/db/schema";
import { authorize, type DomainContext } from "@/server/domain/context";
import { InvalidInputError } from "@/server/domain/errors";
import { declaredFeatures } from "@/server/domain/features/declared";
import { proposeFeatures } from "@/server/domain/features/propose";
import { pgArray } from "@/server/domain/predictions/pg-array";
import { CATEGORY_LIST_LIMIT, REFERENCE_MAX_ROWS, windowReferenceInput, type WindowReferenceInput } from "./schemas";
import { currentReference, lockVersion, replaceReference } from "./store";
import type { SetReferenceResult } from "./upload";

const fmt = (n: number) => n.toLocaleString("en");

/**
 * The profile of a reference's stored rows, aggregated in SQL (the rows never come to Node). Same rule
 * as detectColumnType on a sample: numerical when every non-missing value is a JSON number; missing is
 * null, "" or a key the row does not have. Categories are the values' text, as ingestion compares them.
 */
async function profileStoredRows(tx: Tx, referenceId: string, rowCount: number): Promise<ReferenceProfile> {
  const kinds = await tx.execute<{ key: string; numbers: number; others: number; present: number }>(sql`
    select e.key,
      count(*) filter (where jsonb_typeof(e.value) = 'number')::int as numbers,
      count(*) filter (where jsonb_typeof(e.value) not in ('number', 'null') and e.value <> '""'::jsonb)::int as others,
      count(*) filter (where jsonb_typeof(e.value) <> 'null' and e.value <> '""'::jsonb)::int as present
    from reference_rows r, jsonb_each(r.features) e
    where r.reference_id = ${referenceId}
    group by e.key
    order by e.key`);
  const categorical = kinds.rows.filter((k) => Number(k.others) > 0).map((k) => k.key);
  const categories = new Map<string, { values: string[]; distinct: number }>();
  if (categorical.length > 0) {
    // Up to the listing limit + 1 distinct values per column: enough to know whether the list is complete.
    const found = await tx.execute<{ key: string; value: string; distinct: number }>(sql`
      select key, value, distinct_count::int as distinct from (
        select key, value, row_number() over (partition by key order by value) as n,
               count(*) over (partition by key) as distinct_count
        from (
          select distinct e.key, e.value #>> '{}' as value
          from reference_rows r, jsonb_each(r.features) e
          where r.reference_id = ${referenceId}
            and e.key = any(${pgArray(categorical)}::text[])
            and jsonb_typeof(e.value) <> 'null' and e.value <> '""'::jsonb
        ) d
      ) ranked
      where n <= ${CATEGORY_LIST_LIMIT + 1}`);
    for (const row of found.rows) {
      const entry = categories.get(row.key) ?? { values: [], distinct: Number(row.distinct) };
      entry.values.push(row.value);
      categories.set(row.key, entry);
    }
  }
  const columns: ReferenceProfileColumn[] = kinds.rows.map((k) => {
    const missing = rowCount - Number(k.present);
    if (Number(k.others) === 0)
      return {
        name: k.key,
        type: Number(k.numbers) > 0 ? "numerical" : null,
        missing,
        categories: null,
        distinct: null,
      };
    const c = categories.get(k.key)!;
    return {
      name: k.key,
      type: "categorical",
      missing,
      categories: c.distinct <= CATEGORY_LIST_LIMIT ? [...c.values].sort() : null,
      distinct: c.distinct,
    };
  });
  return { columns, hasPrediction: true, hasTarget: false };
}

/**
 * Sets a version's reference to a window of its own production traffic, [from, to), copied inside the
 * database with one INSERT … SELECT (never row by row through Node). The same window with the same rows
 * again changes nothing; a window with no traffic, or more than the reference limit, is refused.
 */
export async function setWindowReference(ctx: DomainContext, raw: WindowReferenceInput): Promise<SetReferenceResult> {
  const actor = authorize(ctx, "reference:write");
  const input = windowReferenceInput.parse(raw);
  const from = new Date(input.window.from);
  const to = new Date(input.window.to);
  const arm = input.window.arm ?? null;
  return ctx.db.transaction(async (tx) => {
    const version = await lockVersion(tx, input.model, input.version);
    const inWindow = sql`model_version_id = ${version.id} and "time" >= ${from.toISOString()}::timestamptz
      and "time" < ${to.toISOString()}::timestamptz ${arm ? sql`and arm = ${arm}::prediction_arm` : sql``}`;
    // Counted only up to one past the limit: a year of traffic is refused without being counted in full.
    const counted = await tx.execute<{ n: number; last: string | null }>(sql`
      select count(*)::int as n, max(received_at)::text as last
      from (select received_at from predictions where ${inWindow} limit ${REFERENCE_MAX_ROWS + 1}) w`);
    const rowCount = Number(counted.rows[0]?.n ?? 0);
    const span = `between ${from.toISOString()} and ${to.toISOString()}${arm ? ` (arm ${arm})` : ""}`;
    if (rowCount === 0)
      throw new InvalidInputError("window", `${input.model} v${input.version} has no predictions ${span}`);
    if (rowCount > REFERENCE_MAX_ROWS)
      throw new InvalidInputError(
        "window",
        `holds more than ${fmt(REFERENCE_MAX_ROWS)} predictions ${span}; a reference holds at most ${fmt(REFERENCE_MAX_ROWS)}: choose a shorter window`,
      );
    // The same window, rows and latest arrival: the same reference (a late row makes it a new one).
    const contentHash = createHash("sha256")
      .update(
        `window|${version.id}|${from.toISOString()}|${to.toISOString()}|${arm ?? ""}|${rowCount}|${counted.rows[0]?.last}`,
      )
      .digest("hex");
    const previous = await currentReference(tx, version.id);
    const declared = await declaredFeatures(tx, version.modelId);
    if (previous?.contentHash === contentHash) {
      const proposal = previous.profile ? proposeFeatures(previous.profile, previous.rowCount, declared) : null;
      return { reference: previous, changed: false, replaced: null, proposal };
    }
    const reference = await replaceReference(
      tx,
      actor,
      version,
      previous,
      { source: "window", windowFrom: from, windowTo: to, rowCount, contentHash, profile: null },
      async (id) => {
        await tx.execute(sql`
          insert into reference_rows (reference_id, row_index, features, prediction_number, prediction_label, target)
          select ${id}::uuid, (row_number() over (order by "time", id) - 1)::int, features, prediction_number, prediction_label, null
          from predictions where ${inWindow}`);
        return profileStoredRows(tx, id, rowCount);
      },
    );
    return {
      reference,
      changed: true,
      replaced: previous?.id ?? null,
      proposal: proposeFeatures(reference.profile!, rowCount, declared),
    };
  });
}
