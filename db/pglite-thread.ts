/**
 * Embedded PGlite on a thread of its own (db/pglite-worker.mjs), behind the small part of PGlite's
 * interface that drizzle uses: `query`, `exec` and `transaction`. PGlite executes each statement
 * synchronously (WebAssembly) on the calling thread; in-process, every statement of a report upload or a
 * comparison's outcome read was time in which the server answered nobody. Here the event loop only posts
 * messages and keeps answering.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { PGlite, QueryOptions, Results, Transaction } from "@electric-sql/pglite";

export const PGLITE_WORKER_FILE = path.join(process.cwd(), "db", "pglite-worker.mjs");

type Reply = { rid: number; ok: true; result: unknown } | { rid: number; ok: false; error: Record<string, unknown> };

/** An error from the database thread, with Postgres' fields (code, detail, constraint…) as they came. */
export class EmbeddedDatabaseError extends Error {
  constructor(fields: Record<string, unknown>) {
    super(String(fields.message ?? "database error"));
    Object.assign(this, fields);
    this.name = String(fields.name ?? "DatabaseError");
  }
}

/**
 * The parsers drizzle passes only keep some types as text (identity functions): functions cannot cross a
 * thread, so their type OIDs go instead and the worker applies the identity there. Any other parser
 * would be silently lost, so it is refused.
 */
function portable(options?: QueryOptions): Record<string, unknown> | undefined {
  if (!options) return undefined;
  const { parsers, serializers, ...rest } = options;
  if (serializers) throw new Error("custom serializers are not supported by the embedded database thread");
  if (!parsers) return rest;
  for (const parse of Object.values(parsers)) {
    if (parse("probe", 0) !== "probe") throw new Error("only identity parsers cross to the embedded database thread");
  }
  return { ...rest, textOids: Object.keys(parsers).map(Number) };
}

export class ThreadedPGlite {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextRid = 1;
  private nextTx = 1;
  private closed = false;

  constructor(dataDir: string | null) {
    this.worker = new Worker(PGLITE_WORKER_FILE, { workerData: { dataDir } });
    this.worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.rid);
      if (!waiting) return;
      this.pending.delete(reply.rid);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new EmbeddedDatabaseError(reply.error));
    });
    const failAll = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", (error) => failAll(error));
    this.worker.on("exit", (code) => {
      if (!this.closed) failAll(new Error(`the embedded database thread exited (code ${code})`));
    });
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the embedded database is closed"));
    const rid = this.nextRid++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, rid });
    });
  }

  /** Resolves once the database is open (and fails if its folder cannot be opened). */
  waitReady(): Promise<void> {
    return this.call({ op: "ready" });
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.call({ op: "query", sql, params, options: portable(options) });
  }

  exec(sql: string, options?: QueryOptions): Promise<Results[]> {
    return this.call({ op: "exec", sql, options: portable(options) });
  }

  /** BEGIN on the thread, `fn` with a handle whose statements run inside, then COMMIT (or ROLLBACK if it throws). */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = this.nextTx++;
    await this.call({ op: "begin", id });
    let open = true;
    const tx = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
        this.call<Results<R>>({ op: "query", tx: id, sql, params, options: portable(options) }),
      exec: (sql: string, options?: QueryOptions) =>
        this.call<Results[]>({ op: "exec", tx: id, sql, options: portable(options) }),
      rollback: async () => {
        open = false;
        await this.call({ op: "rollback", id });
      },
      get closed() {
        return !open;
      },
    } as unknown as Transaction;
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      if (open) {
        open = false;
        await this.call({ op: "rollback", id }).catch(() => undefined);
      }
      throw error;
    }
    if (open) {
      open = false;
      await this.call({ op: "commit", id });
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.call({ op: "close" });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  /** For drizzle's typing: this stands in for a PGlite client. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}
