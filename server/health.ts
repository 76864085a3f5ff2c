import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrationsFolder, type Database } from "@/db/client";
import { internalErrorMessage, logInternalError } from "@/server/internal-error";

/** What /api/health reports: which database, and whether every committed migration is applied. */
export async function healthOf(database: Database) {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  const result = await database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  const applied = Number(result.rows[0]?.n ?? 0);
  const expected = journal.entries.length;
  return {
    status: "ok" as const,
    database: database.kind,
    migrations: { applied, expected, current: applied === expected },
  };
}

/**
 * The /api/health answer: 200 with the health, or 503 with a generic message and an error id. The route
 * is public, and a database error can carry a connection string or a file path: that goes to the log only.
 */
export async function healthResponse(open: () => Promise<Database>): Promise<Response> {
  try {
    return Response.json(await healthOf(await open()), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return Response.json(
      { status: "error", message: internalErrorMessage(logInternalError("health", error)) },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
