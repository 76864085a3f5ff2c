/**
 * The drift half of a monitoring window: the window's rows (or a seeded uniform sample of them) against
 * the version's reference (or a sample of it), through the same drift engine as the CLI and the pages.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import {
  columnQuality,
  correlationChange,
  driftColumn,
  driftDataset,
  preparePair,
  type ColumnValues,
  type Table,
} from "@/server/stats/drift";
import type { FeatureSpec, WindowRange } from "./aggregates";
import type { WindowSummary } from "./window-summary";

/**
 * KS and Wasserstein are exact up to this many rows per side; above it the engine runs on a uniform
 * sample of this size, drawn in SQL (ordered by a seeded hash of the row's id, so a recomputation over
 * the same rows draws the same sample). Counts and histograms are always over every row.
 */
export const DEFAULT_EXACT_ROWS = 100_000;
/** The sample's seed: fixed, so a page, an alert and a recomputation see the same numbers. */
export const SAMPLE_SEED = 20_261_130;

type SampleRow = {
  features: Record<string, unknown>;
  output: string | null;
  numeric_output: boolean;
  arm?: string;
};

async function loadRows(db: Db | Tx, from: SQL, id: SQL, count: number, limit: number): Promise<SampleRow[]> {
  // Below the limit every row is read, in no particular order: nothing to draw.
  const draw = count > limit ? sql`order by hashint8extended(${id}, ${SAMPLE_SEED}) limit ${limit}` : sql``;
  const res = await db.execute<SampleRow>(sql`${from} ${draw}`);
  return res.rows;
}

const valueOf = (v: unknown): number | string | null =>
  typeof v === "number" || typeof v === "string" ? v : typeof v === "boolean" ? String(v) : null;

function table(rows: SampleRow[], features: FeatureSpec[]): Table {
  const t: Table = {};
  for (const f of features) {
    const values = new Array<number | string | null>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = valueOf(rows[i]!.features[f.name]);
    t[f.name] = values;
  }
  return t;
}

const asNumbers = (values: ColumnValues) =>
  Float64Array.from(values as readonly unknown[], (v) => (typeof v === "number" ? v : NaN));

/**
 * The drift sample of a window's rows from the log: the `limit` rows with the smallest seeded hash of
 * their id, in hash order (every row when there are fewer; ordered even then, so the engine sees the
 * rows in the same order as from the incremental sample, `window_samples`, and sums alike).
 */
export const logSample = (w: WindowRange, limit: number): SQL => sql`
  select p.features, coalesce(p.prediction_number::text, p.prediction_label) as output,
    p.prediction_number is not null as numeric_output, p.arm
  from predictions p where p.model_version_id = ${w.versionId}::uuid
    and p."time" >= ${w.start.toISOString()}::timestamptz and p."time" < ${w.end.toISOString()}::timestamptz
  order by hashint8extended(p.id, ${SAMPLE_SEED}) limit ${limit}`;

/**
 * Drift of a window against the version's reference. `currentSample`: a query of the window's drift
 * sample (`logSample`, or the incremental one), at most `exactUpTo` rows.
 */
export async function windowDrift(
  db: Db | Tx,
  ref: { id: string; rowCount: number },
  currentRows: number,
  features: FeatureSpec[],
  exactUpTo: number,
  currentSample: SQL,
): Promise<NonNullable<WindowSummary["drift"]>> {
  const reference = await loadRows(
    db,
    sql`select r.features, coalesce(r.prediction_number::text, r.prediction_label) as output,
          r.prediction_number is not null as numeric_output
        from reference_rows r where r.reference_id = ${ref.id}::uuid`,
    sql`r.row_index::bigint`,
    ref.rowCount,
    exactUpTo,
  );
  const current = (await db.execute<SampleRow>(currentSample)).rows;
  const refTable = table(reference, features);
  const curTable = table(current, features);
  const types = Object.fromEntries(features.map((f) => [f.name, { type: f.kind }]));
  const dataset = driftDataset(refTable, curTable, { only: features.map((f) => f.name), columns: types });
  const quality = features.map((f) => columnQuality(f.name, preparePair(refTable[f.name]!, curTable[f.name]!, f.kind)));
  const numerical = features.filter((f) => f.kind === "numerical").map((f) => f.name);
  const correlation =
    numerical.length >= 2
      ? correlationChange(
          numerical,
          numerical.map((n) => asNumbers(refTable[n]!)),
          numerical.map((n) => asNumbers(curTable[n]!)),
        )
      : null;
  return {
    referenceId: ref.id,
    dataset,
    output: outputDrift(reference, current),
    quality,
    correlation,
    exactUpTo,
    sampled: ref.rowCount > exactUpTo || currentRows > exactUpTo,
  };
}

/** The champion arm's outputs against the reference's, when both sides have outputs. */
function outputDrift(reference: SampleRow[], current: SampleRow[]) {
  const numeric = reference[0]?.numeric_output ?? false;
  const out = (rows: SampleRow[]) =>
    rows.filter((r) => r.output !== null).map((r) => (numeric ? Number(r.output) : String(r.output)));
  const refOut = out(reference);
  const curOut = out(current.filter((r) => r.arm === "champion"));
  if (refOut.length === 0 || curOut.length === 0) return null;
  return driftColumn(refOut, curOut, { column: "prediction", type: numeric ? "numerical" : "categorical" });
}
