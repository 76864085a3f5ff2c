import { PayloadTooLargeError, InvalidInputError } from "@/server/domain/errors";

/**
 * The one way request bodies are read: every byte is counted while it arrives, so a chunked body
 * without Content-Length is bounded too, and an honest Content-Length over the limit is refused before
 * a byte is read. A refused body is cancelled, not drained.
 */
export const MB = 1024 * 1024;
/** Any JSON request (the API, tRPC). */
export const JSON_LIMIT = 1 * MB;
/** A report posted as one JSON document; bigger reports stream as NDJSON. */
export const JSON_REPORT_LIMIT = 64 * MB;
/** A batch of predictions (at most 10,000 rows, JSON or NDJSON): room for about 3 KB per row. */
export const PREDICTION_BATCH_LIMIT = 32 * MB;
/** A reference sample (at most 100,000 rows, CSV or JSON), from the API or the web's upload form. */
export const REFERENCE_UPLOAD_LIMIT = 32 * MB;
/** One NDJSON line (the report header can carry many metrics; an outcome line is small). */
export const NDJSON_LINE_LIMIT = 1 * MB;

export const formatBytes = (bytes: number) => (bytes >= MB ? `${bytes / MB} MB` : `${Math.round(bytes / 1024)} KB`);

function tooLarge(limit: number, what: string, hint = ""): PayloadTooLargeError {
  return new PayloadTooLargeError(
    "body",
    `is larger than ${formatBytes(limit)}, the limit for ${what}${hint ? `; ${hint}` : ""}`,
  );
}

export interface BodyLimit {
  /** Bytes. */
  limit: number;
  /** For the message: "a JSON request", "a JSON report"… */
  what: string;
  /** What to do instead, e.g. "send big reports as application/x-ndjson". */
  hint?: string;
}

/** Reads the whole body as bytes, never more than `limit`. */
export async function readBodyBytes(req: Request, { limit, what, hint }: BodyLimit): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => undefined);
    throw tooLarge(limit, what, hint);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limit, what, hint);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads a JSON body within the limit; anything that is not JSON becomes a 400 naming the body. */
export async function readJsonBody(
  req: Request,
  limit: BodyLimit = { limit: JSON_LIMIT, what: "a JSON request" },
): Promise<unknown> {
  return parseJsonBytes(await readJsonBytes(req, limit));
}

/**
 * The raw bytes of a JSON request (checked to be one, within the limit), for routes that need them as
 * sent, e.g. to hash for `Idempotency-Key`; parse them with parseJsonBytes.
 */
export async function readJsonBytes(
  req: Request,
  limit: BodyLimit = { limit: JSON_LIMIT, what: "a JSON request" },
): Promise<Uint8Array> {
  if (!(req.headers.get("content-type") ?? "").includes("application/json")) {
    throw new InvalidInputError("body", "send JSON with `Content-Type: application/json`");
  }
  return readBodyBytes(req, limit);
}

/** JSON from bytes; anything that is not UTF-8 JSON becomes a 400 naming the body. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidInputError("body", "is not valid JSON (NaN and Infinity are not JSON either)");
  }
}

export interface NumberedLine {
  /** 1-based line number in the body, counting blank lines, as an editor shows it. */
  line: number;
  text: string;
}

/** Bytes as a web stream (a request body) or any async iterable (chunks relayed to a worker thread). */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

interface ByteReader {
  read(): Promise<IteratorResult<Uint8Array>>;
  cancel(): Promise<unknown>;
  release(): void;
}

function byteReader(source: ByteSource): ByteReader {
  if (source instanceof ReadableStream) {
    const reader = source.getReader();
    return {
      read: async () => {
        const r = await reader.read();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
      },
      cancel: () => reader.cancel(),
      release: () => reader.releaseLock(),
    };
  }
  const it = source[Symbol.asyncIterator]();
  return { read: () => it.next(), cancel: async () => it.return?.(), release: () => undefined };
}

/**
 * Splits a byte stream into lines as it arrives (\n or \r\n; blank lines skipped but counted). Only the
 * current partial line is buffered, and never beyond `maxLineChars`, so memory stays flat however long
 * the body is. `linesBefore` numbers the lines of a body whose first lines were read elsewhere.
 */
export async function* readLines(
  stream: ByteSource,
  maxLineChars = NDJSON_LINE_LIMIT,
  linesBefore = 0,
): AsyncGenerator<NumberedLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = byteReader(stream);
  let rest = "";
  let line = linesBefore;
  let finished = false;
  const decode = (bytes?: Uint8Array) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new InvalidInputError(`line ${line + 1}`, "is not valid UTF-8");
    }
  };
  const tooLong = (n: number) =>
    new PayloadTooLargeError(
      `line ${n}`,
      `is longer than ${maxLineChars.toLocaleString("en")} characters, the limit for one NDJSON line`,
    );
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = rest + (done ? decode() : decode(value));
      let start = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
        line++;
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end - start > maxLineChars) throw tooLong(line);
        if (end > start) {
          const s = text.slice(start, end);
          if (s.trim() !== "") yield { line, text: s };
        }
        start = nl + 1;
      }
      rest = text.slice(start);
      if (rest.length > maxLineChars) throw tooLong(line + 1);
      if (done) break;
    }
    finished = true;
    const last = rest.endsWith("\r") ? rest.slice(0, -1) : rest;
    if (last.trim() !== "") yield { line: line + 1, text: last };
  } finally {
    // A refused report stops reading: cancel the upload rather than drain it.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.release();
  }
}
