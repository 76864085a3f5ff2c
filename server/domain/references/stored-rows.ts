import { InvalidInputError } from "@/server/domain/errors";
import type { ReferenceSample, SampleColumnValues, SampleValue } from "./parse";

type Task = "binary_classification" | "multiclass_classification" | "regression";

/** The rows of a sample in reference_rows' shape: one array per column, paired by position. */
export interface StoredRows {
  features: Record<string, number | string | boolean | null>[];
  predictionNumbers: (number | null)[];
  predictionLabels: (string | null)[];
  targets: (string | null)[];
}

const isMissing = (v: SampleValue) =>
  v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

/**
 * An output (the model's prediction, or the true target) as the model's task says it must be: a number
 * for regression, a class (a label, or an integer) for classifiers, as ingestion stores predictions.
 */
function output(
  v: SampleValue,
  task: Task,
  field: string,
  what: string,
): { number: number | null; label: string | null } {
  if (isMissing(v)) return { number: null, label: null };
  if (task === "regression") {
    if (typeof v !== "number")
      throw new InvalidInputError(field, `the model is a regression model: the ${what} must be a number`);
    return { number: v, label: null };
  }
  if (typeof v === "number" && !Number.isInteger(v))
    throw new InvalidInputError(
      field,
      `the model is a classifier: the ${what} must be a class (a label or an integer)`,
    );
  const label = String(v);
  if (label.length > 200) throw new InvalidInputError(field, "is over 200 characters");
  return { number: null, label };
}

const at = (values: SampleColumnValues, i: number): SampleValue => values[i];

/** Validates the output columns against the model's task and builds the rows to insert. */
export function storedRows(sample: ReferenceSample, task: Task): StoredRows {
  const n = sample.rows;
  const rows: StoredRows = {
    features: new Array(n),
    predictionNumbers: new Array(n),
    predictionLabels: new Array(n),
    targets: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const features: Record<string, number | string | boolean | null> = {};
    for (const column of sample.features) {
      const v = at(column.values, i);
      if (v === undefined) continue; // a JSON row that left the key out: missing, as in production
      features[column.name] = typeof v === "number" && Number.isNaN(v) ? null : v;
    }
    rows.features[i] = features;
    const p = sample.prediction
      ? output(at(sample.prediction, i), task, `${sample.rowName(i)}.prediction`, "prediction")
      : { number: null, label: null };
    rows.predictionNumbers[i] = p.number;
    rows.predictionLabels[i] = p.label;
    const t = sample.target ? output(at(sample.target, i), task, `${sample.rowName(i)}.target`, "target") : null;
    rows.targets[i] = t === null ? null : t.number !== null ? String(t.number) : t.label;
  }
  return rows;
}
