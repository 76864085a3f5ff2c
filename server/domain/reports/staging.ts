import { inBackground } from "@/db/priority";
import { and, eq, lt, notExists, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { evaluationReports, outcomeUploads, reportOutcomeChunks } from "@/db/schema";
import { CHUNK_ROWS, float64ToBytes, type OutcomeColumns } from "./outcomes";

/**
 * A report's outcomes are written as an upload BEFORE the report exists: each chunk in a short statement
 * of its own, with an event-loop turn between them, and the report's own short transaction links the
 * upload. One long transaction around ~60 MB of chunks would hold embedded PGlite's only connection (and
 * its WebAssembly, on the event loop) for tens of seconds, and every request — /api/health included —
 * would wait for it. Readers reach chunks only through a linked report, so an upload is invisible until
 * that transaction commits; one that is refused, raced by a duplicate or left by a crash is deleted.
 */

/** Unlinked uploads older than this are leftovers (a crash mid-upload); a live upload takes seconds. */
export const STALE_UPLOAD_MS = 60 * 60 * 1000;

/** Called after each chunk is staged (tests use it to act while a report is half written). */
export type AfterChunkStaged = (chunk: number) => Promise<void> | void;

export const chunkCount = (cols: OutcomeColumns) => Math.ceil(cols.n / CHUNK_ROWS);

const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

export async function createUpload(db: Db | Tx): Promise<string> {
  const [upload] = await db.insert(outcomeUploads).values({}).returning({ id: outcomeUploads.id });
  if (!upload) throw new Error("insert returned no row");
  return upload.id;
}

/** Writes chunks [from, to) of the outcomes, one INSERT each, yielding to the event loop between them. */
export async function writeChunks(
  db: Db | Tx,
  uploadId: string,
  cols: OutcomeColumns,
  from: number,
  to: number,
  afterChunk?: AfterChunkStaged,
): Promise<void> {
  for (let c = from; c < to; c++) {
    // Queued requests (and their queries, on PGlite's one connection) run between two chunks.
    if (c > from) await yieldToEventLoop();
    const start = c * CHUNK_ROWS,
      end = Math.min(cols.n, start + CHUNK_ROWS);
    // Background: the upload's statements go after waiting page queries (db/priority.ts). Marked here, as
    // the chunks arrive from the parsing worker's messages, outside the request's own async context.
    await inBackground(() =>
      db.insert(reportOutcomeChunks).values({
        uploadId,
        chunk: c,
        rows: end - start,
        ids: cols.idChunks[c]!,
        labels: float64ToBytes(cols.labels.subarray(start, end)),
        predictions: float64ToBytes(cols.predictions.subarray(start, end)),
        scores: cols.scores ? float64ToBytes(cols.scores.subarray(start, end)) : null,
      }),
    );
    await afterChunk?.(c);
  }
}

/**
 * Stages every chunk but the last in statements of their own; the report's transaction writes the last one
 * (so a report of one chunk — the demo's, most pipelines' — still takes a single transaction).
 * Returns null when there is nothing to stage.
 */
export async function stageOutcomes(
  db: Db,
  cols: OutcomeColumns,
  afterChunk?: AfterChunkStaged,
): Promise<{ uploadId: string; staged: number } | null> {
  const staged = chunkCount(cols) - 1;
  if (staged <= 0) return null;
  await removeStaleUploads(db);
  const uploadId = await createUpload(db);
  try {
    await writeChunks(db, uploadId, cols, 0, staged, afterChunk);
  } catch (error) {
    await discardUpload(db, uploadId);
    throw error;
  }
  return { uploadId, staged };
}

/** Deletes an upload no report links (a refused or raced one) with its chunks. Best effort: the age sweep is the backstop. */
export async function discardUpload(db: Db, uploadId: string): Promise<void> {
  try {
    await db.delete(outcomeUploads).where(
      and(
        eq(outcomeUploads.id, uploadId),
        notExists(
          db
            .select({ one: sql`1` })
            .from(evaluationReports)
            .where(eq(evaluationReports.outcomeUploadId, uploadId)),
        ),
      ),
    );
  } catch (error) {
    console.error(`could not discard outcome upload ${uploadId} (removed later as stale):`, error);
  }
}

/** Deletes uploads that no report links and that are older than `olderThanMs`; returns how many. */
export async function removeStaleUploads(db: Db, olderThanMs = STALE_UPLOAD_MS): Promise<number> {
  const removed = await db
    .delete(outcomeUploads)
    .where(
      and(
        lt(outcomeUploads.createdAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`),
        notExists(
          db
            .select({ one: sql`1` })
            .from(evaluationReports)
            .where(eq(evaluationReports.outcomeUploadId, outcomeUploads.id)),
        ),
      ),
    )
    .returning({ id: outcomeUploads.id });
  return removed.length;
}
