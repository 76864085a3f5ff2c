// The embedded database's own thread: PGlite (Postgres compiled to WebAssembly) runs its statements
// synchronously on the thread that calls it. Here, that is this worker and not the event loop that answers
// HTTP requests. db/pglite-thread.ts is the other side; the protocol is one message per call, answered
// with the same `rid`. Plain JavaScript, loaded by path at run time (not bundled by Next).
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const BYTEA_OID = 17;

/** bytea with Node's native hex codec (PGlite's converts byte by byte in JavaScript). */
const byteaToHex = (value) => {
  if (!(value instanceof Uint8Array)) throw new Error("Invalid input for bytea type");
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
};
const hexToBytea = (text) => {
  const buffer = Buffer.from(text.slice(2), "hex");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

const identity = (value) => value;

/** The caller names the type OIDs to keep as text (drizzle keeps dates and intervals as strings). */
function queryOptions(options) {
  if (!options) return undefined;
  const { textOids, ...rest } = options;
  if (!textOids) return rest;
  return { ...rest, parsers: Object.fromEntries(textOids.map((oid) => [oid, identity])) };
}

/** Errors cross the thread as plain objects: message plus Postgres' fields (code, detail, constraint…). */
function serializeError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const out = { name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === "function") continue;
    if (typeof value === "object" && value !== null) continue;
    out[key] = value;
  }
  return out;
}

const db = new PGlite(workerData.dataDir ?? undefined, {
  serializers: { [BYTEA_OID]: byteaToHex },
  parsers: { [BYTEA_OID]: hexToBytea },
});

/** Open transactions by id: the handle PGlite gave, and how to end it. */
const transactions = new Map();

function begin(id) {
  return new Promise((begun, failed) => {
    const finished = db
      .transaction(
        (tx) =>
          new Promise((resolve, reject) => {
            transactions.set(id, { tx, commit: resolve, rollback: reject });
            begun(undefined);
          }),
      )
      .finally(() => transactions.delete(id));
    // `end` awaits this; a failure before the callback ran (BEGIN refused) fails the begin itself.
    transactions.set(`${id}:finished`, finished);
    finished.catch(failed);
  });
}

async function end(id, commit) {
  const open = transactions.get(id);
  const finished = transactions.get(`${id}:finished`);
  transactions.delete(`${id}:finished`);
  if (!open || !finished) throw new Error(`no open transaction ${id}`);
  if (commit) open.commit(undefined);
  else open.rollback(Object.assign(new Error("rolled back"), { rolledBack: true }));
  try {
    await finished;
  } catch (error) {
    if (!commit && error?.rolledBack) return;
    throw error;
  }
}

function target(txId) {
  if (txId === undefined) return db;
  const open = transactions.get(txId);
  if (!open) throw new Error(`no open transaction ${txId}`);
  return open.tx;
}

async function handle(message) {
  switch (message.op) {
    case "ready":
      await db.waitReady;
      return null;
    case "query":
      return target(message.tx).query(message.sql, message.params, queryOptions(message.options));
    case "exec":
      return target(message.tx).exec(message.sql, queryOptions(message.options));
    case "begin":
      return begin(message.id);
    case "commit":
      return end(message.id, true);
    case "rollback":
      return end(message.id, false);
    case "close":
      await db.close();
      return null;
    default:
      throw new Error(`unknown operation ${message.op}`);
  }
}

parentPort.on("message", (message) => {
  handle(message).then(
    (result) => parentPort.postMessage({ rid: message.rid, ok: true, result }),
    (error) => parentPort.postMessage({ rid: message.rid, ok: false, error: serializeError(error) }),
  );
});
