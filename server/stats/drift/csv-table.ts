/**
 * Read a CSV file with a header row (RFC 4180: quoted fields may hold commas,
 * newlines and "" escapes) into named columns of numbers, strings and nulls.
 *
 * Each field is typed on its own: empty → null (missing), a decimal number →
 * number, NaN → NaN (missing), inf/Infinity → ±Infinity, anything else stays
 * a string. Whether a column is numerical is then the drift engine's call
 * (every non-missing reference value a number). Errors name the line.
 *
 * A column is kept in a Float64Array (missing = NaN) for as long as it holds
 * only numbers and missing values, and becomes a plain array at its first
 * string: a million-row file of numbers then costs 8 bytes a value, not a
 * boxed number and a pointer, and the garbage collector has little to do.
 */
import { CsvInputError } from "../csv";

export type CsvValue = number | string | null;

export interface CsvTable {
  names: string[];
  /** Float64Array (NaN = missing) when every field was a number or empty; otherwise the typed values. */
  columns: (Float64Array | CsvValue[])[];
  rows: number;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NAN = /^[+-]?nan$/i;
const INFINITY = /^([+-]?)(inf|infinity)$/i;

/** One column being read: numbers in a growing Float64Array until a field is not one. */
class ColumnBuilder {
  private numbers: Float64Array | null = new Float64Array(1024);
  private values: CsvValue[] | null = null;
  private length = 0;

  push(raw: string): void {
    if (this.numbers) {
      const v = fastNumber(raw);
      if (v !== undefined) {
        if (this.length === this.numbers.length) {
          const grown = new Float64Array(this.numbers.length * 2);
          grown.set(this.numbers);
          this.numbers = grown;
        }
        this.numbers[this.length++] = v;
        return;
      }
      this.values = Array.from(this.numbers.subarray(0, this.length), (x) => (Number.isNaN(x) ? null : x));
      this.numbers = null;
    }
    this.values!.push(parseCsvValue(raw));
    this.length++;
  }

  finish(): Float64Array | CsvValue[] {
    return this.numbers ? this.numbers.slice(0, this.length) : this.values!;
  }
}

/** The field as a number (NaN for empty or NaN), or undefined when it is text. Same rules as parseCsvValue. */
function fastNumber(raw: string): number | undefined {
  const v = Number(raw); // trims whitespace; "" → 0
  if (Number.isFinite(v)) {
    const s = raw.trim();
    if (s === "") return Number.NaN;
    // Number() also reads 0x1f, 0b1 and 0o7: those are text here, as in parseCsvValue.
    if (s.length > 1 && s.charCodeAt(0) === 48 && (s.charCodeAt(1) | 0x20) > 0x60) return undefined;
    return v;
  }
  const p = parseCsvValue(raw);
  return typeof p === "number" ? p : undefined;
}

export function parseCsvValue(raw: string): CsvValue {
  const s = raw.trim();
  if (s === "") return null;
  if (NUMBER.test(s)) return Number(s);
  if (NAN.test(s)) return Number.NaN;
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return s;
}

/** Split into records; each keeps the line it starts on. Lines without quotes take a plain split. */
function* records(text: string, label: string): Generator<{ fields: string[]; line: number }> {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
    const startLine = line;
    const fields: string[] = [];
    let field = "";
    for (;;) {
      if (src[i] === '"') {
        i++;
        for (;;) {
          if (i >= src.length)
            throw new CsvInputError(`${label}, line ${startLine}: unterminated quoted field`, undefined, startLine);
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
      break;
    }
    yield { fields, line: startLine };
    line++;
  }
}

/** Parse a whole file; `label` (e.g. "--reference ref.csv") prefixes every error. */
export function parseCsvTable(text: string, label: string): CsvTable {
  const iter = records(text, label);
  const first = iter.next();
  if (first.done) throw new CsvInputError(`${label}: the file is empty; expected a header row`);
  const names = first.value.fields.map((f) => f.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "") throw new CsvInputError(`${label}, header (line ${first.value.line}): a column has no name`);
    if (seen.has(name))
      throw new CsvInputError(`${label}, header (line ${first.value.line}): duplicate column ${JSON.stringify(name)}`);
    seen.add(name);
  }
  const builders = names.map(() => new ColumnBuilder());
  let rows = 0;
  for (const rec of iter) {
    rows++;
    if (rec.fields.length !== names.length) {
      throw new CsvInputError(
        `${label}, row ${rows} (line ${rec.line}): expected ${names.length} fields as in the header, found ${rec.fields.length}`,
        rows,
        rec.line,
      );
    }
    for (let c = 0; c < names.length; c++) builders[c]!.push(rec.fields[c]!);
  }
  if (rows === 0) throw new CsvInputError(`${label}: no data rows after the header`);
  return { names, columns: builders.map((b) => b.finish()), rows };
}
