import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { openDatabase, type Database, type DbKind } from "@/db/client";

/**
 * Integration tests run against every real database available: always PGlite (in memory), and a
 * PostgreSQL server too when TEST_DATABASE_URL (or DATABASE_URL) names one. Each test file gets a fresh
 * database with the committed migrations applied.
 */
const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";

export const testDatabaseKinds: DbKind[] = serverUrl ? ["pglite", "postgres"] : ["pglite"];

/** A test database; on PostgreSQL with its `url`, for a process the test starts (the CLI) to connect to. */
export async function openTestDatabase(kind: DbKind): Promise<Database & { url?: string }> {
  if (kind === "pglite") return openDatabase({ dataDir: null });
  const name = `ratchet_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      const cleanup = new Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
