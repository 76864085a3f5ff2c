import type { z } from "zod";
import { NDJSON_LINE_LIMIT, readLines, type NumberedLine } from "@/server/http/body";
import { InvalidInputError, PayloadTooLargeError } from "../errors";
import { outcomeRow, type OutcomeRow } from "./schemas";

export { readLines, type NumberedLine } from "@/server/http/body";

/** Parses one line as JSON and validates it; errors name the line and the field. */
export function parseLine<S extends z.ZodType>(schema: S, { line, text }: NumberedLine): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`line ${line}`, "is not valid JSON (each line must be one JSON object)");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join(".");
    throw new InvalidInputError(`line ${line}`, path ? `${path}: ${issue.message}` : issue.message);
  }
  return parsed.data;
}

/** The outcome lines of an NDJSON report as raw bytes, to be parsed elsewhere (a worker thread). */
export interface NdjsonBody {
  /** Lines (blank ones included) before these bytes: the header and any blank lines around it. */
  linesBefore: number;
  chunks: AsyncIterable<Uint8Array>;
}

export interface NdjsonReport {
  /** The first line, parsed as JSON but not yet validated (createReport validates it like a JSON body). */
  header: unknown;
  /** The bytes after the first line, unparsed: what createReport hands to the ingestion worker. */
  body: NdjsonBody;
  /** The same lines parsed and validated here, one outcome each (use either this or `body`, not both). */
  outcomes: AsyncIterable<{ line: number; outcome: OutcomeRow }>;
  /** Stops reading the body (cancels the upload) when the report is refused before its outcomes are read. */
  close: () => Promise<void>;
}

const NEWLINE = 0x0a;

/**
 * An NDJSON report: the first line is the report without outcomes, every further line one outcome
 * {id, label, prediction, score?}. Only the first line is read and decoded here, byte-wise; the rest
 * stays bytes, read lazily after the header has been checked, so parsing a million lines can happen
 * off the event loop.
 */
export async function readNdjsonReport(
  stream: ReadableStream<Uint8Array>,
  maxLineChars = NDJSON_LINE_LIMIT,
): Promise<NdjsonReport> {
  const reader = stream.getReader();
  let ended = false;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // A refused report stops reading: cancel the upload rather than drain it.
    if (!ended) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  };
  let pending: Uint8Array = new Uint8Array(0);
  let lines = 0;
  let header: string | null = null;
  try {
    while (header === null) {
      const nl = pending.indexOf(NEWLINE);
      if (nl === -1) {
        // UTF-8 takes at most 3 bytes per UTF-16 unit: past that, the line is too long whatever it holds.
        if (pending.byteLength > 3 * maxLineChars) throw tooLong(lines + 1, maxLineChars);
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          if (pending.byteLength === 0) break;
          pending = concat([pending, new Uint8Array([NEWLINE])]);
        } else {
          pending = concat([pending, value]);
        }
        continue;
      }
      lines++;
      const text = decodeLine(pending.subarray(0, nl), lines);
      pending = pending.subarray(nl + 1);
      if (text.length > maxLineChars) throw tooLong(lines, maxLineChars);
      if (text.trim() !== "") header = text;
    }
  } catch (error) {
    await close();
    throw error;
  }
  if (header === null) {
    await close();
    throw new InvalidInputError(
      "body",
      "is empty; the first line must be the report (JSON), the following lines its outcomes",
    );
  }
  let parsedHeader: unknown;
  try {
    parsedHeader = JSON.parse(header);
  } catch {
    await close();
    throw new InvalidInputError(
      `line ${lines}`,
      "is not valid JSON (the first line must be the report without its outcomes)",
    );
  }
  const rest = pending;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (rest.byteLength > 0) yield rest;
    while (!ended && !closed) {
      const { done, value } = await reader.read();
      if (done) ended = true;
      else yield value;
    }
  }
  const body: NdjsonBody = { linesBefore: lines, chunks: chunks() };
  async function* outcomes() {
    for await (const numbered of readLines(body.chunks, maxLineChars, body.linesBefore))
      yield { line: numbered.line, outcome: parseLine(outcomeRow, numbered) };
  }
  return { header: parsedHeader, body, outcomes: outcomes(), close };
}

function decodeLine(bytes: Uint8Array, line: number): string {
  const text = (() => {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new InvalidInputError(`line ${line}`, "is not valid UTF-8");
    }
  })();
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

const tooLong = (line: number, maxLineChars: number) =>
  new PayloadTooLargeError(
    `line ${line}`,
    `is longer than ${maxLineChars.toLocaleString("en")} characters, the limit for one NDJSON line`,
  );

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
