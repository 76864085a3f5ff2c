/**
 * `ratchet compare --outcomes FILE.csv --metric accuracy|precision|recall|f1|auc|log_loss|brier|rmse|mae
 *                  [--seed N] [--resamples N] [--confidence C] [--margin M] [--json]`
 *
 * Exported as a function over injected I/O so it can be wired into the
 * `ratchet` binary and tested without touching the file system.
 * Exit codes: 0 = comparison ran (whatever the verdict), 2 = bad input
 * (unknown/missing flag, unreadable or invalid CSV).
 */
import { parseArgs } from "node:util";
import { compareModels, COMPARE_METRICS, isCompareMetric, metricDirection, type CompareResult } from "./compare";
import { CsvInputError, parseOutcomesCsv } from "./csv";
import { DEFAULT_SEED } from "./rng";
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES } from "./bootstrap";

/** A sink for text: a function or anything with write(), e.g. process.stdout. */
export type TextSink = ((text: string) => void) | { write(text: string): unknown };

export interface CompareCliIo {
  readFile(path: string): Promise<string> | string;
  stdout: TextSink;
  stderr: TextSink;
}

const USAGE = `usage: ratchet compare --outcomes FILE.csv --metric ${COMPARE_METRICS.join("|")} [--seed N] [--resamples N] [--confidence C] [--margin M] [--json]`;

class UsageError extends Error {}

function emit(sink: TextSink, text: string): void {
  if (typeof sink === "function") sink(text);
  else sink.write(text);
}

function numberFlag(
  name: string,
  raw: string | undefined,
  check: (v: number) => boolean,
  what: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || !check(v))
    throw new UsageError(`--${name}: ${JSON.stringify(raw)} is not ${what}`);
  return v;
}

/** Run the command; `argv` may start with "compare" or go straight to the flags. */
export async function runCompareCli(argv: string[], io: CompareCliIo): Promise<number> {
  const args = argv[0] === "compare" ? argv.slice(1) : argv;
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        outcomes: { type: "string" },
        metric: { type: "string" },
        seed: { type: "string" },
        resamples: { type: "string" },
        confidence: { type: "string" },
        margin: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    if (values.outcomes === undefined) throw new UsageError("missing --outcomes FILE.csv");
    if (values.metric === undefined) throw new UsageError("missing --metric");
    if (!isCompareMetric(values.metric))
      throw new UsageError(`--metric: ${JSON.stringify(values.metric)} is not one of ${COMPARE_METRICS.join(", ")}`);
    const metric = values.metric;
    const seed = numberFlag("seed", values.seed, Number.isSafeInteger, "an integer") ?? DEFAULT_SEED;
    const resamples =
      numberFlag("resamples", values.resamples, (v) => Number.isInteger(v) && v >= 1, "a positive integer") ??
      DEFAULT_RESAMPLES;
    const confidence =
      numberFlag("confidence", values.confidence, (v) => v > 0 && v < 1, "a number between 0 and 1") ??
      DEFAULT_CONFIDENCE;
    const margin = numberFlag("margin", values.margin, (v) => v >= 0, "a non-negative number") ?? 0;

    let text: string;
    try {
      text = await io.readFile(values.outcomes);
    } catch (err) {
      throw new UsageError(
        `cannot read --outcomes ${values.outcomes}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const data = parseOutcomesCsv(text, metric);
    const result = compareModels({
      metric,
      labels: data.labels,
      champion: data.champion,
      challenger: data.challenger,
      seed,
      resamples,
      confidence,
      margin,
    });
    emit(
      io.stdout,
      values.json ? `${JSON.stringify(result)}\n` : formatTable(result, { seed, resamples, confidence, margin }),
    );
    return 0;
  } catch (err) {
    if (err instanceof CsvInputError) {
      emit(io.stderr, `ratchet compare: ${err.message}\n`);
      return 2;
    }
    if (err instanceof RangeError) {
      // Data the parser accepted but the statistics cannot use (e.g. mismatched sizes).
      emit(io.stderr, `ratchet compare: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || isParseArgsError(err)) {
      emit(io.stderr, `ratchet compare: ${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

/** node:util parseArgs reports unknown flags / missing values with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

function fmt(v: number, signed = false): string {
  if (!Number.isFinite(v)) return String(v);
  const s = Math.abs(v) >= 1000 ? v.toPrecision(6) : v.toFixed(4);
  return signed && v >= 0 ? `+${s}` : s;
}

function fmtP(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** Short human-readable report. */
export function formatTable(
  r: CompareResult,
  o: { seed: number; resamples: number; confidence: number; margin: number },
): string {
  const pct = `${+(o.confidence * 100).toFixed(2)}% CI`;
  const dir = metricDirection(r.metric) === "higher" ? "higher is better" : "lower is better";
  const row = (name: string, v: { value: number; ci: [number, number] }, signed = false) =>
    `${name.padEnd(12)}${fmt(v.value, signed).padStart(11)}   [${fmt(v.ci[0], signed)}, ${fmt(v.ci[1], signed)}]`;
  const lines = [
    `metric ${r.metric} (${dir}), n = ${r.n}, paired bootstrap: ${o.resamples} resamples, seed ${o.seed}`,
    `${"".padEnd(12)}${"value".padStart(11)}   ${pct}`,
    row("champion", r.champion),
    row("challenger", r.challenger),
    `${row("difference", r.difference, true)}   (challenger − champion)`,
  ];
  if (r.mcnemar) {
    const m = r.mcnemar;
    lines.push(
      `McNemar: b = ${m.b} (champion right only), c = ${m.c} (challenger right only), exact p = ${fmtP(m.pValue)}; χ² = ${m.chiSquare.toFixed(3)}, p = ${fmtP(m.chiSquarePValue)}`,
    );
  }
  if (r.delong) lines.push(`DeLong: z = ${r.delong.z.toFixed(3)}, p = ${fmtP(r.delong.pValue)}`);
  lines.push(`verdict: ${r.verdict}${o.margin > 0 ? ` (non-inferiority margin ${o.margin})` : ""}`);
  return `${lines.join("\n")}\n`;
}
