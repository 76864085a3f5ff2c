/** Export of labeled data for retraining: rows with provenance, pseudonyms, CSV and JSONL encoders. */
export {
  exportRows,
  toExportRow,
  EXPORT_COLUMNS,
  type LabeledRecord,
  type ExportRow,
  type ReviewerLabeler,
} from "./rows";
export {
  reviewerPseudonym,
  reviewerLabeler,
  pseudonymKeyFrom,
  configuredReviewerLabeler,
  type ReviewerExportMode,
} from "./pseudonym";
export { encodeCsv, csvField, csvLine, type CsvExportOptions } from "./csv-encoder";
export { encodeJsonl } from "./jsonl-encoder";
export { textByteStream } from "./byte-stream";
export { exportLabels, labelRecords, exportQuery, type ExportQuery, type LabelExportFilter } from "./query";
