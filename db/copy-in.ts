import { Client, type Connection } from "pg";
import type { Tx } from "./client";

/**
 * `COPY … FROM STDIN` on a node-postgres client, written to while the rows are still being prepared: the
 * server parses and inserts each chunk as it arrives, so the caller's work on the next chunk overlaps the
 * server's on this one. It speaks the protocol through pg's query hooks (what pg-copy-streams does), so
 * it runs on the very client of a drizzle transaction, in that transaction.
 *
 * After a server error, writes are dropped and `finished` rejects with the error; otherwise `finished`
 * resolves once the server has stored the rows and is ready for the next query.
 */
export class CopyIn {
  /** pg's query queue calls this when the query is done; set by pg itself. */
  callback?: (err: Error | null) => void;
  readonly finished: Promise<void>;
  private settle!: (err: Error | null) => void;
  private connection: Connection | null = null;
  private pending: Buffer[] = [];
  private ended = false;
  private error: Error | null = null;
  private aborted: string | null = null;

  constructor(private readonly text: string) {
    this.finished = new Promise<void>((resolve, reject) => (this.settle = (err) => (err ? reject(err) : resolve())));
    // Awaited by the caller; this only keeps an early server error from counting as unhandled meanwhile.
    this.finished.catch(() => {});
  }

  write(chunk: string | Buffer): void {
    if (this.error || this.ended) return;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (this.connection) this.sendChunk(bytes);
    else this.pending.push(bytes);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.connection && !this.error) this.endCopy();
  }

  /** Gives up on the COPY (the caller's rows were refused): the server discards what it got. */
  abort(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.aborted = reason;
    if (this.connection && !this.error) this.failCopy(reason);
  }

  private sendChunk(bytes: Buffer) {
    (this.connection as unknown as { sendCopyFromChunk: (b: Buffer) => void }).sendCopyFromChunk(bytes);
  }

  private failCopy(reason: string) {
    (this.connection as unknown as { sendCopyFail: (m: string) => void }).sendCopyFail(reason);
  }

  private endCopy() {
    (this.connection as unknown as { endCopyFrom: () => void }).endCopyFrom();
  }

  // The hooks node-postgres calls on a submittable query.
  submit(connection: Connection) {
    (connection as unknown as { query: (text: string) => void }).query(this.text);
  }
  handleCopyInResponse(connection: Connection) {
    this.connection = connection;
    if (this.aborted === null) for (const bytes of this.pending) this.sendChunk(bytes);
    this.pending = [];
    if (this.aborted !== null) this.failCopy(this.aborted);
    else if (this.ended) this.endCopy();
  }
  // node-postgres drops the active query on an error message, so an error settles it here, not on ready.
  handleError(error: Error) {
    if (this.error) return;
    this.error = error;
    this.callback?.(error);
    this.settle(error);
  }
  handleReadyForQuery() {
    if (this.error) return;
    this.callback?.(null);
    this.settle(null);
  }
  handleCommandComplete() {}
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handleCopyData() {}
}

/**
 * The node-postgres client under a drizzle transaction on a PostgreSQL server, to COPY in that transaction;
 * null on the embedded database (PGlite has no COPY FROM STDIN on its query API).
 */
export function copyClientOf(tx: Tx): Client | null {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof Client ? client : null;
}

/** Starts `COPY … FROM STDIN` (`sql` is the whole COPY statement) on the client; write rows, then end(). */
export function startCopyIn(client: Client, sql: string): CopyIn {
  const copy = new CopyIn(sql);
  void client.query(copy as never);
  return copy;
}

/** A field of COPY's text format: backslash, tab, newline and carriage return escaped; null is \N. */
export function copyField(value: string | number | null): string {
  if (value === null) return "\\N";
  const s = typeof value === "number" ? String(value) : value;
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
    : s;
}
