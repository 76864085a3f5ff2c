import type { z } from "zod";
import { readLines, type NumberedLine } from "@/server/http/body";
import { InvalidInputError } from "../errors";
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
