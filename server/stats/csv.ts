/**
 * Parse an outcomes CSV (`id,label,champion,challenger`, columns in any
 * order) into typed arrays, validating everything a comparison relies on.
 *
 * Errors name the 1-based data row, the physical line and the column, e.g.
 *   row 12 (line 13), column "champion": "abc" is not a number
 * because the person fixing the file has it open in an editor.
 */
import type { CompareMetric } from "./compare";

export const OUTCOME_COLUMNS = ["id", "label", "champion", "challenger"] as const;
type Column = (typeof OUTCOME_COLUMNS)[number];

export class CsvInputError extends Error {
  constructor(
    message: string,
    readonly row?: number,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = "CsvInputError";
  }
}

export interface Outcomes {
  ids: string[];
  labels: Float64Array;
  champion: Float64Array;
  challenger: Float64Array;
}

interface Record {
  fields: string[];
  line: number;
}

/**
 * Split CSV text into records (RFC 4180: quoted fields may contain commas,
 * newlines and "" escapes). Blank lines are skipped; each record keeps the
 * line it starts on so messages point at the right place. Lines without
 * quotes take a fast split(",") path — outcome files are mostly numbers.
 */
function* records(text: string): Generator<Record> {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // strip a UTF-8 BOM
  let line = 1,
    i = 0;
  while (i < src.length) {
    let end = src.indexOf("\n", i);
    if (end === -1) end = src.length;
    const raw = src.slice(i, end > i && src[end - 1] === "\r" ? end - 1 : end);
    if (!raw.includes('"')) {
      if (raw.trim() !== "") yield { fields: raw.split(","), line };
      line++;
      i = end + 1;
      continue;
    }
    const quoted = parseQuotedRecord(src, i, line);
    yield { fields: quoted.fields, line };
    line = quoted.nextLine;
    i = quoted.next;
  }
}

/** Character-level parse of one record that contains quotes. */
function parseQuotedRecord(
  src: string,
  start: number,
  line: number,
): { fields: string[]; next: number; nextLine: number } {
  const fields: string[] = [];
  let i = start,
    field = "";
  const startLine = line;
  for (;;) {
    if (src[i] === '"') {
      i++;
      for (;;) {
        if (i >= src.length)
          throw new CsvInputError(`line ${startLine}: unterminated quoted field`, undefined, startLine);
        const ch = src[i]!;
        if (ch === '"' && src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === "\n") line++;
        field += ch;
        i++;
      }
    }
    while (i < src.length && src[i] !== "," && src[i] !== "\n" && src[i] !== "\r") field += src[i++];
    fields.push(field);
    field = "";
    if (src[i] === ",") {
      i++;
      continue;
    }
    if (src[i] === "\r") i++;
    if (src[i] === "\n") i++;
    return { fields, next: i, nextLine: line + 1 };
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Which values each metric accepts in the label / prediction columns. */
function valueRule(metric: CompareMetric | undefined, column: Column): "binary" | "finite" {
  if (column === "label") return metric === "rmse" || metric === "mae" || metric === undefined ? "finite" : "binary";
  return metric === "accuracy" || metric === "precision" || metric === "recall" || metric === "f1"
    ? "binary"
    : "finite";
}

/**
 * Parse and validate. With `metric` given, labels must be 0/1 for the
 * classification metrics and predictions 0/1 for accuracy/precision/recall/f1;
 * scores for auc/log_loss/brier and values for rmse/mae only need to be finite.
 */
export function parseOutcomesCsv(text: string, metric?: CompareMetric): Outcomes {
  const iter = records(text);
  const first = iter.next();
  if (first.done) throw new CsvInputError("the file is empty; expected a header id,label,champion,challenger");
  const header = first.value;
  const index = headerIndex(header);
  const ids: string[] = [];
  const cols: { [K in Exclude<Column, "id">]: number[] } = { label: [], champion: [], challenger: [] };
  const seen = new Map<string, number>();
  let row = 0;
  for (const rec of iter) {
    row++;
    const where = `row ${row} (line ${rec.line})`;
    if (rec.fields.length !== OUTCOME_COLUMNS.length) {
      throw new CsvInputError(
        `${where}: expected ${OUTCOME_COLUMNS.length} fields, found ${rec.fields.length}`,
        row,
        rec.line,
      );
    }
    const id = rec.fields[index.id]!.trim();
    if (id === "") throw new CsvInputError(`${where}, column "id": empty id`, row, rec.line, "id");
    const earlier = seen.get(id);
    if (earlier !== undefined)
      throw new CsvInputError(
        `${where}, column "id": duplicate id "${id}" (first seen in row ${earlier})`,
        row,
        rec.line,
        "id",
      );
    seen.set(id, row);
    ids.push(id);
    for (const column of ["label", "champion", "challenger"] as const) {
      const raw = rec.fields[index[column]]!.trim();
      const fail = (why: string) => new CsvInputError(`${where}, column "${column}": ${why}`, row, rec.line, column);
      if (!NUMBER.test(raw)) throw fail(`${JSON.stringify(raw)} is not a number`);
      const value = Number(raw);
      if (!Number.isFinite(value)) throw fail(`${raw} is not a finite number`);
      if (valueRule(metric, column) === "binary" && value !== 0 && value !== 1) {
        throw fail(
          column === "label"
            ? `label ${raw} is not 0 or 1 (metric ${metric} needs binary labels)`
            : `prediction ${raw} is not 0 or 1 (metric ${metric} needs predicted classes)`,
        );
      }
      cols[column].push(value);
    }
  }
  if (row === 0) throw new CsvInputError("no data rows after the header");
  if (metric === "auc" && (!cols.label.includes(0) || !cols.label.includes(1))) {
    const only = cols.label[0];
    throw new CsvInputError(
      `column "label": every row has label ${only}; metric auc needs both classes`,
      undefined,
      undefined,
      "label",
    );
  }
  return {
    ids,
    labels: Float64Array.from(cols.label),
    champion: Float64Array.from(cols.champion),
    challenger: Float64Array.from(cols.challenger),
  };
}

/** Map each required column to its position; any order, nothing missing or extra. */
function headerIndex(header: Record): { [K in Column]: number } {
  const names = header.fields.map((f) => f.trim());
  const expected = OUTCOME_COLUMNS.join(",");
  const fail = (why: string) =>
    new CsvInputError(
      `header (line ${header.line}): ${why}; expected columns ${expected} in any order`,
      undefined,
      header.line,
    );
  const index: Partial<{ [K in Column]: number }> = {};
  names.forEach((name, i) => {
    if (!(OUTCOME_COLUMNS as readonly string[]).includes(name)) throw fail(`unexpected column ${JSON.stringify(name)}`);
    if (index[name as Column] !== undefined) throw fail(`duplicate column ${JSON.stringify(name)}`);
    index[name as Column] = i;
  });
  const missing = OUTCOME_COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length > 0)
    throw fail(`missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => JSON.stringify(m)).join(", ")}`);
  return index as { [K in Column]: number };
}
