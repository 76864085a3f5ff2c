/**
 * JSON Lines (https://jsonlines.org): one JSON object per line, "\n" after each, UTF-8. JSON.stringify
 * escapes every control character, so a newline inside a note can never split a record.
 */
import type { ExportRow } from "./rows";

export async function* encodeJsonl(rows: AsyncIterable<ExportRow> | Iterable<ExportRow>): AsyncGenerator<string> {
  for await (const row of rows) yield JSON.stringify(row) + "\n";
}
