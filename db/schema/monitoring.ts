import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { modelVersions } from "./models";
import { users } from "./users";

/** What a reference's columns hold; the proposal of declared features is made from it. */
export interface ReferenceProfileColumn {
  name: string;
  /** null when every value is missing: nothing can be said about it. */
  type: "numerical" | "categorical" | null;
  missing: number;
  /** Distinct non-missing values of a categorical column, sorted; null past the listing limit or when numerical. */
  categories: string[] | null;
  /** How many distinct values a categorical column has (exact up to the listing limit + 1). */
  distinct: number | null;
}
export interface ReferenceProfile {
  columns: ReferenceProfileColumn[];
  hasPrediction: boolean;
  hasTarget: boolean;
}

export const referenceSourceEnum = pgEnum("reference_source", ["upload", "window"]);
export const windowGranularityEnum = pgEnum("window_granularity", ["hour", "day", "week"]);

/**
 * The reference data of a model version: what the model saw in training (an uploaded sample, CSV or
 * JSON) or a chosen window of its own production traffic. Drift is measured against it. One per version;
 * replacing it is a new row (the old one stays for the windows computed against it).
 */
export const predictionReferences = pgTable(
  "prediction_references",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    source: referenceSourceEnum("source").notNull(),
    /** For `window`: the production traffic it was taken from. */
    windowFrom: timestamp("window_from", { withTimezone: true }),
    windowTo: timestamp("window_to", { withTimezone: true }),
    /** For `upload`: the file's name, as the person chose it. */
    fileName: text("file_name"),
    rowCount: integer("row_count").notNull(),
    /**
     * sha256 of the rows as stored: posting the same sample again finds it here and changes nothing
     * (replacing a reference with itself would only orphan the windows computed against it).
     */
    contentHash: text("content_hash"),
    /** Per column: its type, missing count and categories (ReferenceProfile), for the feature proposal. */
    profile: jsonb("profile").$type<ReferenceProfile>(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Null while it is the version's reference; set when a newer one replaced it. */
    replacedAt: timestamp("replaced_at", { withTimezone: true }),
  },
  (t) => [
    index("prediction_references_version_idx").on(t.modelVersionId, t.createdAt),
    // At most one current reference per version, held by the database even if two uploads race.
    uniqueIndex("prediction_references_current_uq")
      .on(t.modelVersionId)
      .where(sql`replaced_at is null`),
  ],
);

/** The rows of a reference, in the prediction log's shape (features, and the output when known). */
export const referenceRows = pgTable(
  "reference_rows",
  {
    referenceId: uuid("reference_id")
      .notNull()
      .references(() => predictionReferences.id, { onDelete: "cascade" }),
    rowIndex: integer("row_index").notNull(),
    features: jsonb("features").$type<Record<string, unknown>>().notNull(),
    predictionNumber: doublePrecision("prediction_number"),
    predictionLabel: text("prediction_label"),
    /** The true outcome when the sample has one (target drift). */
    target: text("target"),
  },
  (t) => [primaryKey({ columns: [t.referenceId, t.rowIndex] })],
);

/**
 * One computed monitoring window of one model version: aggregates made in SQL over the prediction log
 * (so dashboards never scan raw rows, and they survive the raw rows' retention) and the drift engine's
 * verdicts against the reference. The JSON shapes are `WindowSummary` in server/domain/monitoring/window-summary.ts.
 */
export const monitoringWindows = pgTable(
  "monitoring_windows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    granularity: windowGranularityEnum("granularity").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    windowEnd: timestamp("window_end", { withTimezone: true }).notNull(),
    rowCount: integer("row_count").notNull(),
    /** The reference the drift was measured against; null when the version has none (drift not measured). */
    referenceId: uuid("reference_id").references(() => predictionReferences.id, { onDelete: "set null" }),
    summary: jsonb("summary").notNull(),
    /**
     * Hour windows only: the mergeable aggregates the summary was made from (`WindowState` in
     * server/domain/monitoring/window-state.ts), which day and week windows merge instead of rereading rows.
     * Null when the hour was recomputed from its rows (no reference, or partials that could not be merged).
     */
    state: jsonb("state"),
    /**
     * Hour windows only: the largest hash in the hour's drift sample once it holds its k rows; ingest only
     * adds rows below it (a row above can never be among the k smallest). Null while the sample is not full.
     */
    sampleBound: bigint("sample_bound", { mode: "bigint" }),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("monitoring_windows_version_window_uq").on(t.modelVersionId, t.granularity, t.windowStart),
    index("monitoring_windows_version_start_idx").on(t.modelVersionId, t.windowStart),
    // The monitoring page's cache asks "has any window of this version been (re)computed since?":
    // max(computed_at) per version, answered from the index alone.
    index("monitoring_windows_version_computed_idx").on(t.modelVersionId, t.computedAt),
  ],
);

/**
 * Per ingested batch, per model version and hour: the batch's mergeable aggregates (`WindowState`),
 * written in the ingest's transaction. The hour's window job folds them into the hour's state and deletes
 * them in one transaction, so each batch is counted exactly once.
 */
export const windowPartials = pgTable(
  "window_partials",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    hourStart: timestamp("hour_start", { withTimezone: true }).notNull(),
    state: jsonb("state").notNull(),
  },
  (t) => [index("window_partials_version_hour_idx").on(t.modelVersionId, t.hourStart)],
);

/**
 * The drift sample of each hour window: its rows with the smallest seeded hash of their id (the same
 * draw as a recomputation from the log), at most k kept per hour once the hour's job trims it. A day or
 * week sample is the k smallest of its hours' samples.
 */
export const windowSamples = pgTable(
  "window_samples",
  {
    // No foreign key: ingest writes up to a batch of rows here, and a check per row would slow it; the
    // rows are deleted with their week's window (see trimming in incremental-window.ts).
    modelVersionId: uuid("model_version_id").notNull(),
    hourStart: timestamp("hour_start", { withTimezone: true }).notNull(),
    hash: bigint("hash", { mode: "bigint" }).notNull(),
    features: jsonb("features").$type<Record<string, unknown>>().notNull(),
    output: text("output"),
    numericOutput: boolean("numeric_output").notNull(),
    arm: text("arm").notNull(),
  },
  (t) => [index("window_samples_version_hour_hash_idx").on(t.modelVersionId, t.hourStart, t.hash)],
);

/**
 * How a reference bins a version's windows (features, Sturges edges per numerical feature and for a
 * regression output): computed once per reference and feature declaration, read by every ingest.
 */
export const referenceBinnings = pgTable("reference_binnings", {
  referenceId: uuid("reference_id")
    .primaryKey()
    .references(() => predictionReferences.id, { onDelete: "cascade" }),
  binning: jsonb("binning").notNull(),
});

/**
 * When this database began storing the partial states incremental windows merge (migration 0022 inserts
 * the one row, at migration time). Rows ingested before it have no partials, so a window that starts
 * before it, of a version registered before it, is recomputed from the log (compute-window.ts), never
 * merged without them.
 */
export const incrementalWindowsSince = pgTable(
  "incremental_windows_since",
  {
    id: integer("id").primaryKey().default(1),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("incremental_windows_since_one_row", sql`${t.id} = 1`)],
);
