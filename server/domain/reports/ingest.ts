import type { MessagePort } from "node:worker_threads";
import { readLines } from "@/server/http/body";
import { InvalidInputError, PayloadTooLargeError } from "../errors";
import { ReportHasher } from "./content-hash";
import { parseLine } from "./ndjson";
import { OutcomeBuilder, type ModelTask, type OutcomeColumns } from "./outcomes";
import { outcomeRow } from "./schemas";

/**
 * The per-line work of an NDJSON report — JSON.parse, the zod row schema, the task's value rules, the
 * typed-array columns, the duplicate-id check and the content hash — as a function of bytes, so it can
 * run on a worker thread (ingest-pool.ts) while the event loop only relays the upload's chunks.
 */
export interface IngestJob {
  task: ModelTask;
  sampleSize: number;
  /** The report without its outcomes, as validated: the start of the content hash. */
  header: Record<string, unknown>;
  /** Lines before the first outcome line (header, blank lines), so messages name the editor's line. */
  linesBefore: number;
}

export interface Ingested {
  /** null when the body had no outcome lines. */
  cols: OutcomeColumns | null;
  contentHash: string;
}

export async function ingestNdjson(chunks: AsyncIterable<Uint8Array>, job: IngestJob): Promise<Ingested> {
  const hasher = new ReportHasher(job.header);
  const builder = new OutcomeBuilder(job.task, job.sampleSize, hasher);
  for await (const numbered of readLines(chunks, undefined, job.linesBefore))
    builder.push(parseLine(outcomeRow, numbered), numbered.line);
  const cols = builder.count > 0 ? builder.finish() : null;
  return { cols, contentHash: hasher.digest() };
}

/** Messages from the ingestion worker to the thread that relays the body. */
export type IngestReply =
  | { kind: "ack" }
  | { kind: "done"; result: Ingested }
  | { kind: "refused"; tooLarge: boolean; field: string; reason: string };

/**
 * The worker side: body chunks arrive on `port` (null ends the body); each is acknowledged when taken,
 * which is the relay's back-pressure. A refusal is sent back as data (error classes do not survive a
 * thread boundary); the columns' buffers are transferred, not copied.
 */
export async function ingestFromPort({ job, port }: { job: IngestJob; port: MessagePort }): Promise<void> {
  const queue: (Uint8Array | null)[] = [];
  let wake: (() => void) | null = null;
  port.on("message", (chunk: Uint8Array | null) => {
    queue.push(chunk);
    wake?.();
    wake = null;
  });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const chunk = queue.shift()!;
      if (chunk === null) return;
      port.postMessage({ kind: "ack" } satisfies IngestReply);
      yield chunk;
    }
  }
  try {
    const result = await ingestNdjson(chunks(), job);
    const c = result.cols;
    const transfer = c ? [c.labels.buffer, c.predictions.buffer, ...(c.scores ? [c.scores.buffer] : [])] : [];
    port.postMessage({ kind: "done", result } satisfies IngestReply, transfer as ArrayBuffer[]);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    port.postMessage({
      kind: "refused",
      tooLarge: error instanceof PayloadTooLargeError,
      field: error.field,
      reason: error.reason,
    } satisfies IngestReply);
  } finally {
    port.close();
  }
}
