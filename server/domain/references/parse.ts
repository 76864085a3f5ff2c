/**
 * Reads an uploaded reference sample (CSV with a header row, or JSON rows) into columns: one per
 * feature, plus the optional `prediction` and `target` columns. Anything that cannot be stored refuses
 * the whole file with the row and field named; nothing is written for a refused file.
 */
import { CsvInputError } from "@/server/stats/csv";
import { parseCsvTable } from "@/server/stats/drift/csv-table";
import { InvalidInputError, PayloadTooLargeError } from "@/server/domain/errors";
import {
  PREDICTION_COLUMN,
  REFERENCE_MAX_COLUMNS,
  REFERENCE_MAX_NAME,
  REFERENCE_MAX_ROWS,
  TARGET_COLUMN,
  type ReferenceFormat,
} from "./schemas";

/** A value as a sample holds it; `undefined` is a key a JSON row left out (missing, and not stored). */
export type SampleValue = number | string | boolean | null | undefined;
/** Numbers in a Float64Array (NaN = missing) when a CSV column held nothing else. */
export type SampleColumnValues = Float64Array | SampleValue[];

export interface SampleColumn {
  name: string;
  values: SampleColumnValues;
}

export interface ReferenceSample {
  rows: number;
  features: SampleColumn[];
  prediction: SampleColumnValues | null;
  target: SampleColumnValues | null;
  /** How a row is named in messages: `row 3` (CSV, the 3rd row after the header) or `rows[2]` (JSON, 0-based). */
  rowName: (index: number) => string;
}

const fmt = (n: number) => n.toLocaleString("en");

function tooManyRows(rows: number): never {
  throw new PayloadTooLargeError(
    "body",
    `has ${fmt(rows)} rows; a reference holds at most ${fmt(REFERENCE_MAX_ROWS)}: upload a uniform sample of your training data`,
  );
}

function checkColumnNames(names: string[], where: string) {
  const features = names.filter((n) => n !== PREDICTION_COLUMN && n !== TARGET_COLUMN);
  if (features.length === 0)
    throw new InvalidInputError(where, "has no feature columns (only `prediction` and `target` are not features)");
  if (features.length > REFERENCE_MAX_COLUMNS)
    throw new InvalidInputError(
      where,
      `has ${fmt(features.length)} feature columns; at most ${fmt(REFERENCE_MAX_COLUMNS)}`,
    );
  for (const name of names) {
    if (name.length > REFERENCE_MAX_NAME)
      throw new InvalidInputError(
        where,
        `the column name "${name.slice(0, 40)}…" is over ${REFERENCE_MAX_NAME} characters`,
      );
    if (name.includes("\u0000")) throw new InvalidInputError(where, "a column name contains a NUL character");
  }
}

function assemble(names: string[], columns: SampleColumnValues[], rows: number, rowName: (i: number) => string) {
  const sample: ReferenceSample = { rows, features: [], prediction: null, target: null, rowName };
  names.forEach((name, c) => {
    if (name === PREDICTION_COLUMN) sample.prediction = columns[c]!;
    else if (name === TARGET_COLUMN) sample.target = columns[c]!;
    else sample.features.push({ name, values: columns[c]! });
  });
  return sample;
}

/** A CSV file with a header row (RFC 4180 quoting), read by the drift engine's own reader. */
export function parseReferenceCsv(text: string): ReferenceSample {
  let table;
  try {
    table = parseCsvTable(text, "the file");
  } catch (e) {
    if (e instanceof CsvInputError) throw new InvalidInputError(e.line ? `line ${e.line}` : "body", e.message);
    throw e;
  }
  if (table.rows > REFERENCE_MAX_ROWS) tooManyRows(table.rows);
  checkColumnNames(table.names, "header");
  const rowName = (i: number) => `row ${i + 1}`;
  table.columns.forEach((values, c) => {
    const name = table.names[c]!;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
        throw new InvalidInputError(
          `${rowName(i)}.${name}`,
          "is infinite; a reference holds finite numbers (leave the field empty for a missing value)",
        );
      if (typeof v === "string" && v.includes("\u0000"))
        throw new InvalidInputError(
          `${rowName(i)}.${name}`,
          "contains a NUL character (U+0000), which cannot be stored",
        );
    }
  });
  return assemble(table.names, table.columns, table.rows, rowName);
}

/** JSON: an array of row objects, or `{"rows": [...]}`. Keys are columns; a key a row leaves out is missing there. */
export function parseReferenceJson(text: string): ReferenceSample {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(
      "body",
      "is not valid JSON (NaN and Infinity are not JSON: send null for a missing value)",
    );
  }
  return referenceFromJsonValue(value);
}

export function referenceFromJsonValue(value: unknown): ReferenceSample {
  const wrapped = typeof value === "object" && value !== null && !Array.isArray(value);
  const rows = wrapped ? (value as { rows?: unknown }).rows : value;
  if (!Array.isArray(rows))
    throw new InvalidInputError(
      wrapped ? "rows" : "body",
      'send an array of row objects, or {"rows": [...]}: one key per feature, plus optional "prediction" and "target"',
    );
  if (rows.length === 0) throw new InvalidInputError("rows", "holds no rows");
  if (rows.length > REFERENCE_MAX_ROWS) tooManyRows(rows.length);
  const rowName = (i: number) => `rows[${i}]`;

  const columnIndex = new Map<string, number>();
  const columns: SampleValue[][] = [];
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw new InvalidInputError(rowName(i), "must be an object of column: value");
    for (const key in row) {
      const v = (row as Record<string, unknown>)[key];
      const ok = v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number";
      if (!ok)
        throw new InvalidInputError(
          `${rowName(i)}.${key}`,
          "must be a number, text, true/false or null (nested objects and arrays are not features)",
        );
      if (typeof v === "string" && v.includes("\u0000"))
        throw new InvalidInputError(
          `${rowName(i)}.${key}`,
          "contains a NUL character (U+0000), which cannot be stored",
        );
      let c = columnIndex.get(key);
      if (c === undefined) {
        if (key === "") throw new InvalidInputError(rowName(i), "has a column with an empty name");
        c = columns.length;
        columnIndex.set(key, c);
        // Rows before this one did not have the key: missing there.
        columns.push(new Array<SampleValue>(rows.length).fill(undefined));
        if (columns.length > REFERENCE_MAX_COLUMNS + 2) checkColumnNames([...columnIndex.keys()], "rows");
      }
      columns[c]![i] = v as SampleValue;
    }
  }
  const names = [...columnIndex.keys()];
  checkColumnNames(names, "rows");
  return assemble(names, columns, rows.length, rowName);
}

export function parseReference(format: ReferenceFormat, text: string): ReferenceSample {
  return format === "csv" ? parseReferenceCsv(text) : parseReferenceJson(text);
}
