import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { Pool } from "pg";
import * as schema from "./schema";
import { acquireEmbeddedLock } from "./lock";
import { ThreadedPGlite } from "./pglite-thread";
import { prioritized } from "./priority";

/** One database type for callers: PGlite and node-postgres speak the same Postgres through drizzle. */
export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbKind = "pglite" | "postgres";

export interface Database {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
}

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/**
 * `migrationUrl`: the schema owner, used only to apply migrations, so the app itself can run as a role that
 * may only INSERT and SELECT on the audit log (see the README's least-privilege section).
 */
export type OpenOptions =
  | { url: string; migrationUrl?: string }
  | {
      dataDir: string | null;
      /**
       * PGlite on a worker thread of its own (the server's default, RATCHET_PGLITE_THREAD) or on the calling
       * thread (the default here: tests, the CLI and seeding scripts make many tiny queries, and each
       * crossing to the thread costs a hand-off that nothing here gains from).
       */
      thread?: boolean;
    };

async function migrateAsOwner(url: string) {
  const owner = new Pool({ connectionString: url, max: 1 });
  try {
    await migratePg(drizzlePg(owner, { schema }), { migrationsFolder });
  } finally {
    await owner.end();
  }
}

const BYTEA_OID = 17;

/**
 * bytea to and from PostgreSQL's hex text with Node's native codec. PGlite's own converts byte by byte
 * in JavaScript (a string per byte): for a 1M-outcome report's ~24 MB of outcome columns that was
 * seconds of event-loop time (and garbage) on every write and every read.
 */
function byteaToHex(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new Error("Invalid input for bytea type");
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
}

function hexToBytea(text: string): Uint8Array {
  return Buffer.from(text.slice(2), "hex");
}

/** Opens a database and applies the committed migrations. `dataDir: null` is an in-memory PGlite. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if ("url" in opts) {
    const pool = new Pool({ connectionString: opts.url, max: 10 });
    // An idle client dropped by the server (restart, admin command) must not crash the process.
    pool.on("error", (error) => console.error("postgres pool:", error.message));
    const db = drizzlePg(pool, { schema });
    try {
      if (opts.migrationUrl) await migrateAsOwner(opts.migrationUrl);
      else await migratePg(db, { migrationsFolder });
    } catch (e) {
      await pool.end();
      throw e;
    }
    return { db, kind: "postgres", close: () => pool.end() };
  }
  let release = () => {};
  if (opts.dataDir) {
    release = acquireEmbeddedLock(opts.dataDir);
    mkdirSync(path.dirname(path.resolve(opts.dataDir)), { recursive: true });
  }
  try {
    let client: PGlite;
    if (opts.thread ?? false) {
      const threaded = new ThreadedPGlite(opts.dataDir);
      client = threaded.asPGlite();
      try {
        await threaded.waitReady();
      } catch (e) {
        await threaded.close().catch(() => undefined);
        throw e;
      }
    } else {
      client = new PGlite(opts.dataDir ?? undefined, {
        serializers: { [BYTEA_OID]: byteaToHex },
        parsers: { [BYTEA_OID]: hexToBytea },
      });
    }
    const db = drizzlePglite(prioritized(client), { schema });
    try {
      await migratePglite(db, { migrationsFolder });
    } catch (e) {
      await client.close().catch(() => undefined);
      throw e;
    }
    return {
      db: db as unknown as Db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
