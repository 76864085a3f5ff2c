import path from "node:path";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { env } from "@/server/env";
import { InvalidInputError, PayloadTooLargeError } from "../errors";
import { ingestNdjson, type IngestJob, type IngestReply, type Ingested } from "./ingest";
import type { NdjsonBody } from "./ndjson";

/**
 * NDJSON reports are parsed on worker threads: a million lines of JSON.parse + zod + hashing hold a
 * thread for seconds, and on the event loop that is seconds nobody else is answered. The event loop
 * only relays the upload's bytes in batches. A pool of its own (not the statistics pool): an ingestion
 * holds its thread while the client uploads, and must not queue behind comparisons or block them.
 * Its size is the ingestion bound (RATCHET_MAX_CONCURRENT_INGESTIONS); RATCHET_STATS_THREADS=0 runs
 * everything in-process.
 */
let pool: Piscina | null = null;

export const INGEST_WORKER_FILE = path.join(process.cwd(), "server", "domain", "reports", "ingest-worker.mjs");

/** Bytes relayed per message, and messages the worker may have unread: bounds what waits in memory. */
const BATCH_BYTES = 1 << 20;
const IN_FLIGHT = 4;

function ingestPool(threads: number): Piscina {
  pool ??= new Piscina({
    filename: INGEST_WORKER_FILE,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: { nice: env().RATCHET_WORKER_NICE },
  });
  return pool;
}

/** Parses and checks the outcome lines off the event loop; throws the same errors as in-process. */
export async function ingestOffThread(body: NdjsonBody, job: IngestJob): Promise<Ingested> {
  if (env().RATCHET_STATS_THREADS === 0) return ingestNdjson(body.chunks, job);
  const { port1, port2 } = new MessageChannel();
  let credits = IN_FLIGHT;
  let settled = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const reply = new Promise<Exclude<IngestReply, { kind: "ack" }>>((resolve, reject) => {
    port1.on("message", (m: IngestReply) => {
      if (m.kind === "ack") credits++;
      else {
        settled = true;
        resolve(m);
      }
      poke();
    });
    ingestPool(env().RATCHET_MAX_CONCURRENT_INGESTIONS)
      .run({ job, port: port2 }, { transferList: [port2] })
      .catch((error: unknown) => {
        settled = true;
        reject(error instanceof Error ? error : new Error(String(error)));
        poke();
      });
  });
  reply.catch(() => undefined); // awaited below; this only keeps an early rejection from going unhandled
  try {
    let batch: Uint8Array[] = [];
    let size = 0;
    /** Sends what is batched once the worker has room; false when it has already answered (a refusal). */
    const send = async (): Promise<boolean> => {
      while (credits === 0 && !settled) await new Promise<void>((resolve) => (wake = resolve));
      if (settled) return false;
      // A fresh buffer per message, so transferring it never detaches memory the body stream still uses.
      const merged = new Uint8Array(size);
      let at = 0;
      for (const part of batch) {
        merged.set(part, at);
        at += part.byteLength;
      }
      batch = [];
      size = 0;
      credits--;
      port1.postMessage(merged, [merged.buffer]);
      return true;
    };
    let open = true;
    for await (const chunk of body.chunks) {
      batch.push(chunk);
      size += chunk.byteLength;
      if (size >= BATCH_BYTES && !(open = await send())) break;
    }
    if (open && (size === 0 || (await send()))) port1.postMessage(null);
    const answer = await reply;
    if (answer.kind === "refused") {
      throw answer.tooLarge
        ? new PayloadTooLargeError(answer.field, answer.reason)
        : new InvalidInputError(answer.field, answer.reason);
    }
    return answer.result;
  } finally {
    port1.close();
  }
}

/** Stops the pool's threads (tests, shutdown). */
export async function closeIngestPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
