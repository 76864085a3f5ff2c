import { and, asc, eq, gt } from "drizzle-orm";
import { inBackground } from "@/db/priority";
import type { Db, Tx } from "@/db/client";
import { evaluationReports, reportOutcomeChunks } from "@/db/schema";
import { InvalidInputError } from "../errors";
import type { ReportHasher } from "./content-hash";
import { firstRepeat, idHash } from "./duplicates";
import { MAX_OUTCOMES, type OutcomeRow } from "./schemas";

/**
 * Rows per stored chunk (one INSERT each): few enough table rows, and small enough statements that
 * embedded PGlite — WebAssembly on the event loop — never holds it long for one (~0.5 MB a chunk).
 * Reports stored with bigger chunks (50,000 rows before) still read back: each chunk records its rows.
 */
export const CHUNK_ROWS = 10_000;

export type ModelTask = "binary_classification" | "multiclass_classification" | "regression";

/** A report's outcomes, column-wise. `idChunks[c]` holds rows c·CHUNK_ROWS… newline-joined. */
export interface OutcomeColumns {
  n: number;
  idChunks: string[];
  labels: Float64Array;
  predictions: Float64Array;
  scores: Float64Array | null;
}

/** Row-level rules that depend on the model's task, checked while rows stream in. */
function valueProblem(task: ModelTask, o: OutcomeRow, hasScores: boolean): [string, string] | null {
  if ((o.score !== undefined) !== hasScores) {
    return [
      "score",
      hasScores
        ? "is missing, but earlier rows have one: give a score on every row or on none"
        : "is given, but the first row has none: give a score on every row or on none",
    ];
  }
  if (task === "binary_classification") {
    if (o.label !== 0 && o.label !== 1) return ["label", `must be 0 or 1 for a binary classifier, got ${o.label}`];
    if (o.prediction !== 0 && o.prediction !== 1)
      return ["prediction", `must be the predicted class, 0 or 1, got ${o.prediction}`];
  } else if (task === "multiclass_classification") {
    if (!Number.isInteger(o.label) || o.label < 0)
      return ["label", `must be a class index (0, 1, 2, …), got ${o.label}`];
    if (!Number.isInteger(o.prediction) || o.prediction < 0)
      return ["prediction", `must be a class index (0, 1, 2, …), got ${o.prediction}`];
  }
  if (o.score !== undefined && task !== "regression" && (o.score < 0 || o.score > 1)) {
    return ["score", `must be a probability in [0, 1], got ${o.score}`];
  }
  return null;
}

/**
 * Collects outcomes into growing typed arrays as they arrive (never an array of row objects), checks
 * each row against the task, feeds the content hash, and on `finish` checks the count and the ids.
 */
export class OutcomeBuilder {
  private n = 0;
  private capacity: number;
  private labels: Float64Array;
  private predictions: Float64Array;
  private scores: Float64Array | null = null;
  private hashes: Float64Array;
  /** Source line of each row when rows come from NDJSON, for messages. */
  private lines: Uint32Array | null = null;
  private readonly idChunks: string[] = [];
  private current: string[] = [];

  constructor(
    private readonly task: ModelTask,
    private readonly sampleSize: number,
    private readonly hasher: ReportHasher,
  ) {
    // Start small: sampleSize is only a claim until the rows arrive.
    this.capacity = Math.min(sampleSize, 65_536);
    this.labels = new Float64Array(this.capacity);
    this.predictions = new Float64Array(this.capacity);
    this.hashes = new Float64Array(this.capacity);
  }

  /** Adds one validated row; `line` is its NDJSON line (omit for rows of a JSON array). */
  push(o: OutcomeRow, line?: number): void {
    const row = this.n;
    if (row === 0) this.start(o, line !== undefined);
    const problem = valueProblem(this.task, o, this.scores !== null);
    if (problem) throw this.error(row, line, problem[0], problem[1]);
    if (row >= this.sampleSize) {
      throw new InvalidInputError(
        "sampleSize",
        `is ${this.sampleSize}, but more outcomes were sent (${this.where(row, line)}); they must match`,
      );
    }
    if (row >= MAX_OUTCOMES)
      throw this.error(
        row,
        line,
        "id",
        `at most ${MAX_OUTCOMES.toLocaleString("en")} outcomes per report; split it by slice or period`,
      );
    if (row === this.capacity) this.grow();
    this.labels[row] = o.label;
    this.predictions[row] = o.prediction;
    if (this.scores) this.scores[row] = o.score!;
    this.hashes[row] = idHash(o.id);
    if (this.lines && line !== undefined) this.lines[row] = line;
    this.current.push(o.id);
    if (this.current.length === CHUNK_ROWS) this.closeChunk();
    this.hasher.addRow(o.id, o.label, o.prediction, o.score);
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  finish(): OutcomeColumns {
    this.closeChunk();
    const n = this.n;
    if (n !== this.sampleSize) {
      throw new InvalidInputError(
        "sampleSize",
        `is ${this.sampleSize}, but ${n.toLocaleString("en")} outcomes were sent; they must match`,
      );
    }
    const split = new Map<number, string[]>();
    const idAt = (row: number) => {
      const c = Math.floor(row / CHUNK_ROWS);
      let ids = split.get(c);
      if (!ids) split.set(c, (ids = this.idChunks[c]!.split("\n")));
      return ids[row % CHUNK_ROWS]!;
    };
    const repeat = firstRepeat(this.hashes.subarray(0, n), idAt);
    if (repeat) {
      const first = this.lines ? `line ${this.lines[repeat.firstRow]}` : `outcomes.${repeat.firstRow}`;
      throw this.error(
        repeat.row,
        this.lines ? this.lines[repeat.row] : undefined,
        "id",
        `${JSON.stringify(repeat.id)} repeats the id of ${first}; ids must be unique within a report`,
      );
    }
    return {
      n,
      idChunks: this.idChunks,
      labels: this.labels.subarray(0, n),
      predictions: this.predictions.subarray(0, n),
      scores: this.scores?.subarray(0, n) ?? null,
    };
  }

  private start(first: OutcomeRow, numbered: boolean): void {
    if (first.score !== undefined) this.scores = new Float64Array(this.capacity);
    if (numbered) this.lines = new Uint32Array(this.capacity);
  }

  private grow(): void {
    this.capacity = Math.min(Math.max(this.capacity * 2, 1024), this.sampleSize, MAX_OUTCOMES);
    const grown = (a: Float64Array) => {
      const b = new Float64Array(this.capacity);
      b.set(a);
      return b;
    };
    this.labels = grown(this.labels);
    this.predictions = grown(this.predictions);
    this.hashes = grown(this.hashes);
    if (this.scores) this.scores = grown(this.scores);
    if (this.lines) {
      const lines = new Uint32Array(this.capacity);
      lines.set(this.lines);
      this.lines = lines;
    }
  }

  private closeChunk(): void {
    if (this.current.length === 0) return;
    this.idChunks.push(this.current.join("\n"));
    this.current = [];
  }

  private where(row: number, line: number | undefined): string {
    return line !== undefined ? `line ${line}` : `outcomes.${row}`;
  }

  private error(row: number, line: number | undefined, key: string, reason: string): InvalidInputError {
    return line !== undefined
      ? new InvalidInputError(`line ${line}`, `${key}: ${reason}`)
      : new InvalidInputError(`outcomes.${row}.${key}`, reason);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian float64 bytes, as the column is documented (a copy-free view on little-endian hosts). */
export function float64ToBytes(values: Float64Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => out.writeDoubleLE(v, i * 8));
  return out;
}

/** Copies little-endian float64 bytes into `target` at `offset` (driver buffers may be unaligned). */
export function bytesToFloat64(bytes: Uint8Array, target: Float64Array, offset: number): void {
  const n = bytes.byteLength / 8;
  if (LITTLE_ENDIAN) {
    // A fresh copy when unaligned (a Buffer's slice() would be a view at the same offset).
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
    target.set(new Float64Array(aligned.buffer, aligned.byteOffset, n), offset);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) target[offset + i] = view.getFloat64(i * 8, true);
}

/** Chunks read per statement: a few MB, so one statement never holds embedded PGlite (and its thread) long. */
export const CHUNKS_PER_READ = 5;

/**
 * A report's stored chunks in order, through the upload the report links (none if it has no outcomes).
 * Read a few chunks per statement, as background work: a 1M-outcome report is ~70 MB of bytea text, and in
 * one statement on embedded PGlite that was hundreds of milliseconds in which no page was answered.
 */
export async function readOutcomeChunks(db: Db | Tx, reportId: string) {
  return inBackground(async () => {
    const [report] = await db
      .select({ uploadId: evaluationReports.outcomeUploadId })
      .from(evaluationReports)
      .where(eq(evaluationReports.id, reportId));
    if (!report?.uploadId) return [];
    const uploadId = report.uploadId;
    const chunks: (typeof reportOutcomeChunks.$inferSelect)[] = [];
    for (;;) {
      const next = await db
        .select()
        .from(reportOutcomeChunks)
        .where(
          and(eq(reportOutcomeChunks.uploadId, uploadId), gt(reportOutcomeChunks.chunk, chunks.at(-1)?.chunk ?? -1)),
        )
        .orderBy(asc(reportOutcomeChunks.chunk))
        .limit(CHUNKS_PER_READ);
      chunks.push(...next);
      if (next.length < CHUNKS_PER_READ) return chunks;
    }
  });
}

export interface StoredOutcomes {
  ids: string[];
  labels: Float64Array;
  predictions: Float64Array;
  scores: Float64Array | null;
}

/**
 * A report's outcomes in row order, for paired comparisons (champion vs challenger matched by id).
 * Empty arrays when the report was posted without outcomes. No authorization here: callers are domain
 * functions that have already checked `registry:read`.
 */
export async function readOutcomes(db: Db | Tx, reportId: string): Promise<StoredOutcomes> {
  const chunks = await readOutcomeChunks(db, reportId);
  const n = chunks.reduce((sum, c) => sum + c.rows, 0);
  const labels = new Float64Array(n),
    predictions = new Float64Array(n);
  const scores = chunks.length > 0 && chunks.every((c) => c.scores) ? new Float64Array(n) : null;
  const ids: string[] = [];
  let at = 0;
  for (const c of chunks) {
    for (const id of c.ids.split("\n")) ids.push(id);
    bytesToFloat64(c.labels, labels, at);
    bytesToFloat64(c.predictions, predictions, at);
    if (scores && c.scores) bytesToFloat64(c.scores, scores, at);
    at += c.rows;
  }
  return { ids, labels, predictions, scores };
}
