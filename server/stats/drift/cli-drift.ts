/**
 * `ratchet drift --reference REF.csv --current CUR.csv
 *   [--method auto|ks|ztest|chisquare|wasserstein|jensenshannon|psi]
 *   [--threshold X] [--columns a,b] [--benjamini-hochberg] [--json]`
 *
 * The drift engine on two CSV files. Exported over injected I/O, like
 * `ratchet compare`, so it is tested without a file system.
 * Exit codes: 0 = it ran (whatever it found), 2 = bad input.
 */
import { parseArgs } from "node:util";
import { CsvInputError } from "../csv";
import type { TextSink } from "../cli-compare";
import {
  preparePair,
  driftPrepared,
  summarize,
  DRIFT_METHODS,
  DriftInputError,
  isDriftMethod,
  type ColumnDrift,
  type DatasetDrift,
  type MethodChoice,
} from "./engine";
import { parseCsvTable, type CsvTable } from "./csv-table";
import { columnQuality, type ColumnQuality } from "./quality";
import { correlationChange } from "./correlation";

export interface DriftCliIo {
  readFile(path: string): Promise<string> | string;
  stdout: TextSink;
  stderr: TextSink;
}

const METHODS = ["auto", ...DRIFT_METHODS] as const;
const USAGE = `usage: ratchet drift --reference REF.csv --current CUR.csv [--method ${METHODS.join("|")}] [--threshold X] [--columns a,b] [--benjamini-hochberg] [--json]`;

class UsageError extends Error {}

function emit(sink: TextSink, text: string): void {
  if (typeof sink === "function") sink(text);
  else sink.write(text);
}

/** The documented JSON shape, and nothing else. JSON has no Infinity: an infinite statistic prints as null. */
function toJson(r: DatasetDrift): string {
  return JSON.stringify({
    columns: r.columns.map((c) => ({
      column: c.column,
      type: c.type,
      method: c.method,
      statistic: c.statistic,
      pValue: c.pValue,
      threshold: c.threshold,
      drifted: c.drifted,
      missingShare: { reference: c.missingShare.reference, current: c.missingShare.current },
      newCategories: c.newCategories,
    })),
    driftedShare: r.driftedShare,
    datasetDrifted: r.datasetDrifted,
  });
}

async function load(io: DriftCliIo, flag: string, path: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (err) {
    throw new UsageError(`cannot read --${flag} ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseCsvTable(text, `--${flag} ${path}`);
}

export async function runDriftCli(argv: string[], io: DriftCliIo): Promise<number> {
  const args = argv[0] === "drift" ? argv.slice(1) : argv;
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        reference: { type: "string" },
        current: { type: "string" },
        method: { type: "string" },
        threshold: { type: "string" },
        columns: { type: "string" },
        "benjamini-hochberg": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
    if (values.reference === undefined) throw new UsageError("missing --reference REF.csv");
    if (values.current === undefined) throw new UsageError("missing --current CUR.csv");
    const method = (values.method ?? "auto") as MethodChoice;
    if (method !== "auto" && !isDriftMethod(method))
      throw new UsageError(`--method: ${JSON.stringify(values.method)} is not one of ${METHODS.join(", ")}`);
    let threshold: number | undefined;
    if (values.threshold !== undefined) {
      threshold = Number(values.threshold);
      if (values.threshold.trim() === "" || !Number.isFinite(threshold) || threshold < 0)
        throw new UsageError(`--threshold: ${JSON.stringify(values.threshold)} is not a non-negative number`);
    }
    const reference = await load(io, "reference", values.reference);
    const current = await load(io, "current", values.current);

    let names: string[];
    if (values.columns !== undefined) {
      names = values.columns
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      if (names.length === 0) throw new UsageError("--columns: name at least one column");
      for (const name of names) {
        if (!reference.names.includes(name))
          throw new UsageError(
            `--columns: unknown column ${JSON.stringify(name)}; --reference has ${reference.names.join(", ")}`,
          );
        if (!current.names.includes(name))
          throw new UsageError(
            `--columns: column ${JSON.stringify(name)} is not in --current (it has ${current.names.join(", ")})`,
          );
      }
    } else {
      names = reference.names.filter((n) => current.names.includes(n));
      if (names.length === 0)
        throw new UsageError(
          `the files share no column: --reference has ${reference.names.join(", ")}; --current has ${current.names.join(", ")}`,
        );
    }

    const col = (t: CsvTable, name: string) => t.columns[t.names.indexOf(name)]!;
    const pairs = names.map((name) => ({ name, pair: preparePair(col(reference, name), col(current, name)) }));
    const columns: ColumnDrift[] = pairs.map(({ name, pair }) => driftPrepared(name, pair, { method, threshold }));
    const result = summarize(columns, { benjaminiHochberg: values["benjamini-hochberg"] });
    if (values.json) {
      emit(io.stdout, `${toJson(result)}\n`);
    } else {
      const quality = pairs.map(({ name, pair }) => columnQuality(name, pair));
      const numerical = pairs.filter((p) => p.pair.type === "numerical").map((p) => p.name);
      const asNumbers = (t: CsvTable, name: string) => {
        const c = col(t, name);
        return c instanceof Float64Array ? c : Float64Array.from(c, (v) => (typeof v === "number" ? v : Number.NaN));
      };
      const corr =
        numerical.length >= 2
          ? correlationChange(
              numerical,
              numerical.map((n) => asNumbers(reference, n)),
              numerical.map((n) => asNumbers(current, n)),
            )
          : null;
      emit(
        io.stdout,
        formatReport(result, quality, corr?.maxAbsChange ?? null, corr?.pair ?? null, {
          reference: reference.rows,
          current: current.rows,
        }),
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof CsvInputError || err instanceof DriftInputError) {
      emit(io.stderr, `ratchet drift: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || isParseArgsError(err)) {
      emit(io.stderr, `ratchet drift: ${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

const num = (v: number | null) =>
  v === null
    ? "—"
    : !Number.isFinite(v)
      ? String(v)
      : Math.abs(v) !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e5)
        ? v.toExponential(2)
        : v.toFixed(4);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Human-readable report: one line per column, the verdict, then data quality. */
export function formatReport(
  r: DatasetDrift,
  quality: ColumnQuality[],
  maxCorrelationChange: number | null,
  pair: [string, string] | null,
  rows: { reference: number; current: number },
): string {
  const width = Math.max(6, ...r.columns.map((c) => c.column.length));
  const lines = [
    `reference ${rows.reference} rows, current ${rows.current} rows`,
    `${"column".padEnd(width)}  ${"type".padEnd(11)}  ${"method".padEnd(13)}  ${"statistic".padStart(10)}  ${"p-value".padStart(10)}  ${"threshold".padStart(9)}  drifted  missing ref/cur`,
  ];
  for (const c of r.columns) {
    const drifted = c.drifted === null ? "not measured" : c.drifted ? "YES" : "no";
    const p = c.adjustedPValue !== undefined ? `${num(c.pValue)} (BH ${num(c.adjustedPValue)})` : num(c.pValue);
    lines.push(
      `${c.column.padEnd(width)}  ${c.type.padEnd(11)}  ${c.method.padEnd(13)}  ${num(c.statistic).padStart(10)}  ${p.padStart(10)}  ${num(c.threshold).padStart(9)}  ${drifted.padEnd(7)}  ${pct(c.missingShare.reference)} / ${pct(c.missingShare.current)}`,
    );
  }
  const measured = r.columns.filter((c) => c.drifted !== null).length;
  const drifted = r.columns.filter((c) => c.drifted).length;
  lines.push(
    `drifted ${drifted} of ${measured} measured columns (${pct(r.driftedShare)}): dataset drift ${r.datasetDrifted ? "YES" : "no"} (at least half drifted)`,
  );
  const notes: string[] = [];
  for (const q of quality) {
    const parts: string[] = [];
    if (q.newCategories.length)
      parts.push(
        `new categories ${q.newCategories.slice(0, 5).join(", ")}${q.newCategories.length > 5 ? ` (+${q.newCategories.length - 5})` : ""} in ${pct(q.newCategoryShare)} of rows`,
      );
    if (q.numerical?.outOfRange)
      parts.push(`${q.numerical.outOfRange} values outside the reference range (${pct(q.numerical.outOfRangeShare)})`);
    if (q.current.infinite) parts.push(`${q.current.infinite} infinite values`);
    if (q.current.wrongType) parts.push(`${q.current.wrongType} values that are not numbers`);
    if (q.numerical?.meanShift != null && Math.abs(q.numerical.meanShift) >= 0.1)
      parts.push(`mean moved ${q.numerical.meanShift.toFixed(2)} reference std`);
    if (q.numerical?.stdRatio != null && Math.abs(Math.log(q.numerical.stdRatio)) >= Math.log(1.2))
      parts.push(`std ×${q.numerical.stdRatio.toFixed(2)}`);
    if (parts.length) notes.push(`  ${q.column}: ${parts.join("; ")}`);
  }
  lines.push(notes.length ? `data quality:\n${notes.join("\n")}` : "data quality: nothing to report");
  if (maxCorrelationChange !== null && pair)
    lines.push(`largest change in correlation: ${maxCorrelationChange.toFixed(3)} (${pair[0]} × ${pair[1]})`);
  return `${lines.join("\n")}\n`;
}
