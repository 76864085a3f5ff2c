/**
 * What each column of a reference sample holds: its type by the drift engine's own rule (numerical when
 * every non-missing value is a number: detectColumnType), how many values are missing, and a categorical
 * column's categories. The proposal of declared features (server/domain/features/propose.ts) reads it.
 */
import type { ReferenceProfile, ReferenceProfileColumn } from "@/db/schema";
import { detectColumnType, type ColumnValues } from "@/server/stats/drift";
import type { ReferenceSample, SampleColumnValues, SampleValue } from "./parse";
import { CATEGORY_LIST_LIMIT } from "./schemas";

const isMissing = (v: SampleValue) =>
  v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

/** Booleans are categories ("true", "false"), as ingestion compares them; the engine reads only numbers and text. */
function asColumnValues(values: SampleColumnValues): ColumnValues {
  if (values instanceof Float64Array) return values;
  return values.some((v) => typeof v === "boolean")
    ? values.map((v) => (typeof v === "boolean" ? String(v) : v))
    : (values as ColumnValues);
}

export function profileColumn(name: string, values: SampleColumnValues): ReferenceProfileColumn {
  const column = asColumnValues(values);
  let missing = 0;
  for (let i = 0; i < column.length; i++) if (isMissing(column[i])) missing++;
  // A CSV column of empty fields arrives as all-NaN numbers: with no value at all, its kind cannot be told.
  const type = missing === column.length ? null : detectColumnType(column);
  if (type !== "categorical") return { name, type, missing, categories: null, distinct: null };
  const distinct = new Set<string>();
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (!isMissing(v)) distinct.add(String(v));
  }
  return {
    name,
    type,
    missing,
    categories: distinct.size <= CATEGORY_LIST_LIMIT ? [...distinct].sort() : null,
    distinct: distinct.size,
  };
}

export function profileSample(sample: ReferenceSample): ReferenceProfile {
  return {
    columns: sample.features.map((f) => profileColumn(f.name, f.values)),
    hasPrediction: sample.prediction !== null,
    hasTarget: sample.target !== null,
  };
}
