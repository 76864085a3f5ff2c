import { openDatabase, type Database } from "@/db/client";
import { seedDemoData } from "@/server/demo/demo";
import { removeStaleUploads } from "./domain/reports/staging";
import { env } from "./env";

/**
 * The server's one database handle, kept on globalThis so Next's module reloading never opens the
 * embedded folder twice. A failed open is not cached (the next request tries again).
 */
const holder = globalThis as unknown as { ratchetDb?: Promise<Database> };

async function open(): Promise<Database> {
  const e = env();
  const database = await openDatabase(
    e.DATABASE_URL
      ? { url: e.DATABASE_URL, migrationUrl: e.MIGRATION_DATABASE_URL }
      : { dataDir: e.PGLITE_DIR, thread: e.RATCHET_PGLITE_THREAD === "on" },
  );
  // Outcome uploads left unlinked by a crash mid-ingestion (an hour old: other instances may be mid-upload).
  await removeStaleUploads(database.db);
  if (e.RATCHET_DEMO_DATA === "on") await seedDemoData(database.db);
  return database;
}

export function getDatabase(): Promise<Database> {
  holder.ratchetDb ??= open().catch((error: unknown) => {
    holder.ratchetDb = undefined;
    throw error;
  });
  return holder.ratchetDb;
}

/** Hands the server an already-open database (integration tests, or embedding Ratchet in another process). */
export function setDatabase(database: Database): void {
  holder.ratchetDb = Promise.resolve(database);
}
