/**
 * CSV per RFC 4180: a header line, CRLF line ends, a field quoted when it holds a comma, a double quote,
 * CR or LF, with inner quotes doubled. Null is an empty field; objects and arrays (features, flags) are
 * JSON text in one field. Values are never altered otherwise — no "=" prefixes against spreadsheet formula
 * injection — because this file is training data, and a changed value would be a wrong label; open it with
 * a data tool, not a spreadsheet that evaluates cells.
 */
import { EXPORT_COLUMNS, type ExportRow } from "./rows";

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: readonly unknown[]) => fields.map(csvField).join(",") + "\r\n";

export interface CsvExportOptions {
  /**
   * Feature names to spread into their own columns (`feature:<name>`), e.g. the model's reference schema;
   * features not listed are dropped from those columns. Unset: one `features` column of JSON.
   */
  featureNames?: readonly string[];
}

/** Yields the header, then one line per row, as rows arrive. */
export async function* encodeCsv(
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>,
  options: CsvExportOptions = {},
): AsyncGenerator<string> {
  const features = options.featureNames;
  const header = features
    ? EXPORT_COLUMNS.flatMap((c) => (c === "features" ? features.map((f) => `feature:${f}`) : [c]))
    : [...EXPORT_COLUMNS];
  yield csvLine(header);
  for await (const row of rows) {
    yield csvLine(
      EXPORT_COLUMNS.flatMap((c) => (c === "features" && features ? features.map((f) => row.features[f]) : [row[c]])),
    );
  }
}
