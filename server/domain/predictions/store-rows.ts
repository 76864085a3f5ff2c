/**
 * The two ways a batch's rows go into the log, one bulk statement each, never near PostgreSQL's
 * bind-parameter limit and nothing row by row in SQL: a chunked COPY on a PostgreSQL server, one
 * `unnest` INSERT on the embedded database (PGlite has no COPY from a client).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { Client } from "pg";
import type { Tx } from "@/db/client";
import { copyField, startCopyIn } from "@/db/copy-in";
import { SAMPLE_COLUMNS, type BatchWindows } from "@/server/domain/monitoring/window-partials";
import type { InvalidInputError } from "@/server/domain/errors";
import { pgArray } from "./pg-array";

/**
 * Rows per chunk of a COPY: the server inserts one while Node prepares the next. Small chunks keep both
 * busy: bench:ingest measured the route at 0.49–0.54 of COPY's rate with 10,000, 0.51 with 5,000, 0.56
 * with 2,000, 0.58 with 1,000, 0.71–0.73 with 500 and 0.71 with 200 (medians of three paired rounds).
 */
const COPY_CHUNK_ROWS = 500;

/** The log's columns in the order both paths write them (id and received_at come from their defaults). */
const LOG_COLUMNS = `model_version_id, external_id, "time", features, prediction_number, prediction_label, confidence, probabilities, latency_ms, arm`;

/** A batch's rows, one array per column, filled in place by `prepare(i)` (which throws on a refused row). */
export interface PreparedRows {
  count: number;
  prepare: (i: number) => void;
  nulInFeatures: (i: number) => InvalidInputError;
  columns: {
    versionIds: string[];
    /** 1-based places in `batchVersionIds` (the unnest path sends these instead of 10,000 uuids). */
    versionIndexes: number[];
    externalIds: string[];
    times: string[];
    storedFeatures: Record<string, unknown>[];
    numbers: (number | null)[];
    labels: (string | null)[];
    confidences: (number | null)[];
    probabilities: (string | null)[];
    latencies: (number | null)[];
    arms: string[];
  };
  /** The batch's versions, in the order `versionIndexes` count them. */
  batchVersionIds: string[];
}

/** Where the stored rows are: the id range and transaction time the review queue's intake finds them by. */
export interface StoredRows {
  firstId: string;
  lastId: string;
  receivedAt: string;
}

type Partials = ReturnType<BatchWindows["partials"]>;

const windowColumns = (c: PreparedRows["columns"]) => ({
  versionIds: c.versionIds,
  times: c.times,
  features: c.storedFeatures,
  numbers: c.numbers,
  labels: c.labels,
  latencies: c.latencies,
  arms: c.arms,
});

/**
 * COPY in the transaction, fed in chunks while the next chunk is checked and encoded, so the server's
 * work and Node's overlap; a refused row aborts the COPY. Then the windows' partials and drift sample.
 */
export async function copyRows(
  tx: Tx,
  client: Client,
  rows: PreparedRows,
  windows: BatchWindows,
): Promise<{ stored: StoredRows; partials: Partials }> {
  const n = rows.count;
  const prepareRow = rows.prepare;
  const nulInFeatures = rows.nulInFeatures;
  const c = rows.columns;
  // The rows' ids come from the sequence as COPY inserts them: taking one just before, and reading the
  // session's last one just after, brackets them (other batches' rows in between differ in received_at).
  const before = await tx.execute<{ id: string }>(
    sql`select nextval(pg_get_serial_sequence('predictions', 'id'))::text as id`,
  );
  const copy = startCopyIn(client, `COPY predictions (${LOG_COLUMNS}) FROM STDIN`);
  try {
    for (let start = 0; start < n; start += COPY_CHUNK_ROWS) {
      const end = Math.min(n, start + COPY_CHUNK_ROWS);
      let text = "";
      for (let i = start; i < end; i++) {
        prepareRow(i);
        const json = JSON.stringify(c.storedFeatures[i]);
        if (json.includes("\\u0000")) throw nulInFeatures(i);
        text +=
          `${c.versionIds[i]}\t${copyField(c.externalIds[i]!)}\t${c.times[i]}\t${copyField(json)}\t${copyField(c.numbers[i]!)}\t` +
          `${copyField(c.labels[i]!)}\t${copyField(c.confidences[i]!)}\t${copyField(c.probabilities[i]!)}\t${copyField(c.latencies[i]!)}\t${c.arms[i]}\n`;
      }
      copy.write(text);
      // Lets this chunk go out (and the server start on it) before the next one is prepared.
      await nextTurn();
    }
  } catch (error) {
    copy.abort("the batch was refused");
    await copy.finished.catch(() => {});
    throw error;
  }
  copy.end();
  const partials = windows.partials(windowColumns(rows.columns));
  await copy.finished;
  const after = await tx.execute<{ id: string; received_at: string }>(
    sql`select currval(pg_get_serial_sequence('predictions', 'id'))::text as id, now()::text as received_at`,
  );
  const stored: StoredRows = {
    firstId: String(BigInt(before.rows[0]!.id) + 1n),
    lastId: after.rows[0]!.id,
    receivedAt: after.rows[0]!.received_at,
  };
  if (windows.samples)
    await tx.execute(
      windows.sampleInsert(sql`(
        select ${SAMPLE_COLUMNS} from predictions
        where id between ${stored.firstId}::bigint and ${stored.lastId}::bigint and received_at = now())`),
    );
  return { stored, partials };
}

/**
 * One INSERT of all rows from arrays (`unnest`, one per column), which also writes the drift sample from
 * its RETURNING. Then the windows' partials, computed while it runs.
 */
export async function insertRows(
  tx: Tx,
  rows: PreparedRows,
  windows: BatchWindows,
): Promise<{ stored: StoredRows; partials: Partials }> {
  const n = rows.count;
  const c = rows.columns;
  for (let i = 0; i < n; i++) rows.prepare(i);
  // Features travel as one JSON array (one native stringify, no per-row escaping into an array literal).
  const featuresJson = JSON.stringify(c.storedFeatures);
  if (featuresJson.includes("\\u0000"))
    throw rows.nulInFeatures(c.storedFeatures.findIndex((f) => JSON.stringify(f).includes("\\u0000")));
  // unnest walks all arrays in lockstep, so rows pair up by position with no join for the planner to
  // misjudge. The same statement writes the rows that enter the windows' drift samples (from RETURNING),
  // and answers with the id range and transaction time the review queue's intake finds the rows by.
  // drizzle's query runs on each then(): Promise.resolve makes it one run, awaited and caught below.
  const inserting = Promise.resolve(
    tx.execute<{ first_id: string; last_id: string; received_at: string }>(sql`
    with inserted as (
      insert into predictions (${sql.raw(LOG_COLUMNS)})
      select (${pgArray(rows.batchVersionIds)}::uuid[])[u.version_index], u.external_id, u."time", u.features,
        u.prediction_number, u.prediction_label, u.confidence, u.probabilities, u.latency_ms, u.arm
      from unnest(
        ${pgArray(c.versionIndexes)}::int[], ${pgArray(c.externalIds)}::text[], ${pgArray(c.times)}::timestamptz[],
        array(select f from jsonb_array_elements(${featuresJson}::jsonb) with ordinality as e(f, n) order by n),
        ${pgArray(c.numbers)}::float8[], ${pgArray(c.labels)}::text[], ${pgArray(c.confidences)}::real[], ${pgArray(c.probabilities)}::jsonb[],
        ${pgArray(c.latencies)}::real[], ${pgArray(c.arms)}::prediction_arm[])
        as u(version_index, external_id, "time", features, prediction_number, prediction_label, confidence, probabilities, latency_ms, arm)
      returning ${windows.samples ? SAMPLE_COLUMNS : sql`id`})
      ${windows.samples ? sql`, window_samples_in as (${windows.sampleInsert(sql`inserted`)})` : sql``}
    select min(id)::text as first_id, max(id)::text as last_id, now()::text as received_at from inserted`),
  );
  // Awaited below; this only keeps a failure that comes while Node works from counting as unhandled.
  inserting.catch(() => {});
  // Node's remaining work on the rows (the windows' partial states) runs while the database inserts
  // them, once the statement's bytes are on their way.
  await nextTurn();
  const partials = windows.partials(windowColumns(rows.columns));
  const row = (await inserting).rows[0]!;
  const stored: StoredRows = { firstId: row.first_id, lastId: row.last_id, receivedAt: row.received_at };
  return { stored, partials };
}
