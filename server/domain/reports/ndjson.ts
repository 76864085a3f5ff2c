import type { z } from "zod";
import { InvalidInputError } from "../errors";
import { outcomeRow, type OutcomeRow } from "./schemas";

/** A report header can carry many metrics; an outcome line is small. Longer lines are refused, not buffered. */
export const MAX_LINE_CHARS = 1_000_000;

export interface NumberedLine {
  /** 1-based line number in the body, counting blank lines, as an editor shows it. */
  line: number;
  text: string;
}

/**
 * Splits a byte stream into lines as it arrives (\n or \r\n; blank lines skipped but counted). Only the
 * current partial line is buffered, so memory stays flat however long the body is.
 */
export async function* readLines(stream: ReadableStream<Uint8Array>, maxLineChars = MAX_LINE_CHARS): AsyncGenerator<NumberedLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = stream.getReader();
  let rest = "";
  let line = 0;
  let finished = false;
  const decode = (bytes?: Uint8Array) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new InvalidInputError(`line ${line + 1}`, "is not valid UTF-8");
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = rest + (done ? decode() : decode(value));
      let start = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
        line++;
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end - start > maxLineChars) throw new InvalidInputError(`line ${line}`, `is longer than ${maxLineChars.toLocaleString("en")} characters`);
        if (end > start) {
          const s = text.slice(start, end);
          if (s.trim() !== "") yield { line, text: s };
        }
        start = nl + 1;
      }
      rest = text.slice(start);
      if (rest.length > maxLineChars) throw new InvalidInputError(`line ${line + 1}`, `is longer than ${maxLineChars.toLocaleString("en")} characters`);
      if (done) break;
    }
    finished = true;
    const last = rest.endsWith("\r") ? rest.slice(0, -1) : rest;
    if (last.trim() !== "") yield { line: line + 1, text: last };
  } finally {
    // A refused report stops reading: cancel the upload rather than drain it.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

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

export interface NdjsonReport {
  /** The first line, parsed as JSON but not yet validated (createReport validates it like a JSON body). */
  header: unknown;
  /** The remaining lines, each validated as one outcome. */
  outcomes: AsyncIterable<{ line: number; outcome: OutcomeRow }>;
  /** Stops reading the body (cancels the upload) when the report is refused before its outcomes are read. */
  close: () => Promise<void>;
}

/**
 * An NDJSON report: the first line is the report without outcomes, every further line one outcome
 * {id, label, prediction, score?}. Outcomes are read lazily, after the header has been checked.
 */
export async function readNdjsonReport(stream: ReadableStream<Uint8Array>): Promise<NdjsonReport> {
  const lines = readLines(stream);
  const first = await lines.next();
  if (first.done) throw new InvalidInputError("body", "is empty; the first line must be the report (JSON), the following lines its outcomes");
  let header: unknown;
  try {
    header = JSON.parse(first.value.text);
  } catch {
    throw new InvalidInputError(`line ${first.value.line}`, "is not valid JSON (the first line must be the report without its outcomes)");
  }
  async function* outcomes() {
    for await (const numbered of lines) yield { line: numbered.line, outcome: parseLine(outcomeRow, numbered) };
  }
  return { header, outcomes: outcomes(), close: async () => void (await lines.return(undefined)) };
}
