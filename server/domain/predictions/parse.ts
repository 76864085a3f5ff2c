import { ZodError, type z } from "zod";
import { InvalidInputError } from "@/server/domain/errors";
import { NDJSON_LINE_LIMIT } from "@/server/http/body";
import { MAX_BATCH_ROWS, predictionRow, type PredictionRow } from "./schemas";

/**
 * Parses a batch (JSON `{"predictions":[…]}` or NDJSON, one prediction per line) into validated rows.
 * Any structural problem throws, naming the row and field: nothing of a refused batch is stored.
 *
 * Python's `json.dumps` writes NaN and ±Infinity as bare words, which are not JSON. In features they are
 * data-quality problems to count, not reasons to drop traffic, so a body that fails to parse is parsed
 * again with those words (outside strings) turned into a marker that the data-quality check counts.
 */
export const NON_FINITE_MARKER = "$ratchetNonFinite";

const BARE_NON_FINITE = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;

export function parseLenient(text: string): { value: unknown; sawNonFinite: boolean } {
  try {
    return { value: JSON.parse(text), sawNonFinite: false };
  } catch (first) {
    let replaced = false;
    const patched = text.replace(BARE_NON_FINITE, (match, word: string | undefined) => {
      if (!word) return match;
      replaced = true;
      return `{"${NON_FINITE_MARKER}":"${word}"}`;
    });
    if (!replaced) throw first;
    return { value: JSON.parse(patched), sawNonFinite: true };
  }
}

export function isNonFiniteMarker(value: unknown): boolean {
  return typeof value === "object" && value !== null && NON_FINITE_MARKER in value;
}

export interface ParsedBatch {
  rows: PredictionRow[];
  /** How a row is named in messages: `predictions[3]` or `line 4`. */
  rowName: (index: number) => string;
  /** Whether any bare NaN/Infinity was seen (the data-quality check then looks for markers). */
  sawNonFinite: boolean;
}

/** At most this many problems are listed in one answer; the first ones are what a client needs to fix. */
const MAX_ISSUES = 20;

function refuse(issues: z.core.$ZodIssue[], rowName: (i: number) => string): never {
  const renamed = issues.slice(0, MAX_ISSUES).map((issue) => {
    const [index, ...rest] = issue.path;
    return { ...issue, path: [rowName(Number(index)), ...rest] };
  });
  throw new ZodError(renamed);
}

function validateRows(values: unknown[], rowName: (i: number) => string): PredictionRow[] {
  const rows: PredictionRow[] = new Array(values.length);
  const issues: z.core.$ZodIssue[] = [];
  for (let i = 0; i < values.length; i++) {
    const parsed = predictionRow.safeParse(values[i]);
    if (parsed.success) rows[i] = parsed.data;
    else {
      for (const issue of parsed.error.issues) issues.push({ ...issue, path: [i, ...issue.path] });
      if (issues.length >= MAX_ISSUES) break;
    }
  }
  if (issues.length > 0) refuse(issues, rowName);
  return rows;
}

const tooMany = (what: string) =>
  new InvalidInputError(
    what,
    `has more than ${MAX_BATCH_ROWS.toLocaleString("en")} predictions, the limit for one batch; split it`,
  );

export function parseJsonBatch(text: string): ParsedBatch {
  let parsed: { value: unknown; sawNonFinite: boolean };
  try {
    parsed = parseLenient(text);
  } catch {
    throw new InvalidInputError("body", "is not valid JSON");
  }
  const { value } = parsed;
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    !Array.isArray((value as { predictions?: unknown }).predictions)
  ) {
    throw new InvalidInputError("predictions", 'send {"predictions":[…]}, an array of predictions');
  }
  const extra = Object.keys(value).filter((k) => k !== "predictions");
  if (extra.length > 0) throw new InvalidInputError(extra[0]!, 'is not a known field; the body is {"predictions":[…]}');
  const list = (value as { predictions: unknown[] }).predictions;
  if (list.length === 0) throw new InvalidInputError("predictions", "send at least one prediction");
  if (list.length > MAX_BATCH_ROWS) throw tooMany("predictions");
  const rowName = (i: number) => `predictions[${i}]`;
  return { rows: validateRows(list, rowName), rowName, sawNonFinite: parsed.sawNonFinite };
}

export function parseNdjsonBatch(text: string): ParsedBatch {
  const values: unknown[] = [];
  const lineOf: number[] = [];
  let sawNonFinite = false;
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNumber++;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    if (line.trim() === "") continue;
    if (line.length > NDJSON_LINE_LIMIT)
      throw new InvalidInputError(
        `line ${lineNumber}`,
        `is longer than ${NDJSON_LINE_LIMIT.toLocaleString("en")} characters, the limit for one NDJSON line`,
      );
    if (values.length === MAX_BATCH_ROWS) throw tooMany("body");
    try {
      const parsed = parseLenient(line);
      values.push(parsed.value);
      sawNonFinite ||= parsed.sawNonFinite;
    } catch {
      throw new InvalidInputError(`line ${lineNumber}`, "is not valid JSON (one prediction object per line)");
    }
    lineOf.push(lineNumber);
  }
  if (values.length === 0) throw new InvalidInputError("body", "is empty; send one prediction object per line");
  const rowName = (i: number) => `line ${lineOf[i]}`;
  return { rows: validateRows(values, rowName), rowName, sawNonFinite };
}
