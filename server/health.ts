import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrationsFolder, type Database } from "@/db/client";

/** What /api/health reports: which database, and whether every committed migration is applied. */
export async function healthOf(database: Database) {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  const result = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const applied = Number(result.rows[0]?.n ?? 0);
  const expected = journal.entries.length;
  return { status: "ok" as const, database: database.kind, migrations: { applied, expected, current: applied === expected } };
}
