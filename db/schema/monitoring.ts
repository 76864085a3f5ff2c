import {
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
