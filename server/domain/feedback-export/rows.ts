/**
 * One labeled item as exported for retraining, with its provenance: which model version said what with
 * which confidence, how the item came to be sampled (its weight corrects for that), who labeled it under
 * which guideline version, and whether the label is an adjudicated one.
 */

/** A label as the feedback tables give it (after the queue/labels merge), before the reviewer is masked. */
export interface LabeledRecord {
  itemId: string;
  model: string;
  modelVersion: number;
  /** The serving system's request id. */
  externalId: string;
  predictedAt: Date;
  features: Record<string, unknown>;
  /** The class as text, or the number for regression. */
  prediction: string | number | null;
  confidence: number | null;
  /** Why the item entered the queue (random, uncertain, gold, disagreement…). */
  samplingReason: string;
  /** Probability with which the item was sampled, in (0, 1]. */
  inclusionProbability: number;
  /**
   * The label that counts for the item: the adjudicated one where reviewers disagreed, else the one they
   * agreed on; null while the item still waits for labels or for adjudication.
   */
  finalLabel: string | number | null;
  /** This reviewer's label. */
  label: string | number;
  labeledAt: Date;
  /** The reviewer's user id; pseudonymized on export unless identities are configured. */
  reviewerId: string;
  /** The reviewer's email, exported instead of the pseudonym when identities are configured. */
  reviewerEmail: string;
  /** Version of the model's labeling guidelines the reviewer saw; null when there were none. */
  guidelineVersion: number | null;
  /** Whether the reviewer saw the model's answer (items can hide it). */
  sawModelAnswer: boolean;
  /** True when the item's label that counts was settled by adjudication. */
  adjudicated: boolean;
  /** Who adjudicated: their user id (null when the console or a key did), and the name the audit gave them. */
  adjudicatorId: string | null;
  adjudicatorEmail: string | null;
  note: string | null;
  flags: readonly string[];
}

/** What leaves Ratchet: reviewer ids replaced, the sampling weight spelled out. */
export interface ExportRow {
  item_id: string;
  model: string;
  model_version: number;
  external_id: string;
  predicted_at: string;
  features: Record<string, unknown>;
  prediction: string | number | null;
  confidence: number | null;
  sampling_reason: string;
  inclusion_probability: number;
  /** 1 / inclusion_probability: the Horvitz–Thompson weight to train or evaluate with. */
  sampling_weight: number;
  final_label: string | number | null;
  label: string | number;
  labeled_at: string;
  reviewer: string;
  guideline_version: number | null;
  saw_model_answer: boolean;
  adjudicated: boolean;
  adjudicator: string | null;
  note: string | null;
  flags: string[];
}

/** Column order of the CSV export (features are spread after `features` or kept as one JSON column). */
export const EXPORT_COLUMNS = [
  "item_id",
  "model",
  "model_version",
  "external_id",
  "predicted_at",
  "features",
  "prediction",
  "confidence",
  "sampling_reason",
  "inclusion_probability",
  "sampling_weight",
  "final_label",
  "label",
  "labeled_at",
  "reviewer",
  "guideline_version",
  "saw_model_answer",
  "adjudicated",
  "adjudicator",
  "note",
  "flags",
] as const satisfies readonly (keyof ExportRow)[];

/**
 * Names a person the same way for reviewers and adjudicators: a pseudonym of their user id, or their email
 * when identities are configured.
 */
export type ReviewerLabeler = (userId: string, email: string) => string;

export function toExportRow(record: LabeledRecord, reviewerLabel: ReviewerLabeler): ExportRow {
  const pi = record.inclusionProbability;
  if (!(pi > 0 && pi <= 1)) {
    throw new RangeError(`item ${record.itemId}: inclusion probability must be in (0, 1], got ${pi}`);
  }
  return {
    item_id: record.itemId,
    model: record.model,
    model_version: record.modelVersion,
    external_id: record.externalId,
    predicted_at: record.predictedAt.toISOString(),
    features: record.features,
    prediction: record.prediction,
    confidence: record.confidence,
    sampling_reason: record.samplingReason,
    inclusion_probability: pi,
    sampling_weight: 1 / pi,
    final_label: record.finalLabel,
    label: record.label,
    labeled_at: record.labeledAt.toISOString(),
    reviewer: reviewerLabel(record.reviewerId, record.reviewerEmail),
    guideline_version: record.guidelineVersion,
    saw_model_answer: record.sawModelAnswer,
    adjudicated: record.adjudicated,
    adjudicator:
      record.adjudicatorEmail === null
        ? null
        : // The console or a key has no user id: its audit name stands in for it.
          reviewerLabel(record.adjudicatorId ?? record.adjudicatorEmail, record.adjudicatorEmail),
    note: record.note,
    flags: [...record.flags],
  };
}

/** Maps records to export rows lazily, one at a time, so an export of millions never sits in memory. */
export async function* exportRows(
  records: AsyncIterable<LabeledRecord> | Iterable<LabeledRecord>,
  reviewerLabel: ReviewerLabeler,
): AsyncGenerator<ExportRow> {
  for await (const record of records) yield toExportRow(record, reviewerLabel);
}
