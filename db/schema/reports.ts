import { sql } from "drizzle-orm";
import {
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { datasets } from "./datasets";
import { reportKindEnum } from "./enums";
import { modelVersions } from "./models";
import { apiKeys, users } from "./users";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

export interface MetricValue {
  value: number;
  ci?: [number, number];
  /** Where the number came from: posted by the pipeline, or computed by Ratchet from the outcomes. */
  source: "posted" | "computed";
  /** Posted value when it disagrees with the one computed from outcomes. */
  posted?: number;
}

/**
 * One upload of a report's outcomes. Its chunks are written in short statements of their own BEFORE the
 * report exists (a long transaction would hold embedded PGlite's one connection for everyone), and the
 * report's own short transaction links it (`evaluation_reports.outcome_upload_id`). Readers only reach
 * chunks through a report, so an unlinked upload — in progress, refused, or left by a crash — is never
 * seen; unlinked uploads older than an hour are deleted (server/domain/reports/staging.ts).
 */
export const outcomeUploads = pgTable("outcome_uploads", {
  id: uuid("id").primaryKey().defaultRandom(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const evaluationReports = pgTable(
  "evaluation_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    kind: reportKindEnum("kind").notNull(),
    datasetId: uuid("dataset_id").references(() => datasets.id, { onDelete: "restrict" }),
    periodStart: date("period_start"),
    periodEnd: date("period_end"),
    slice: text("slice").notNull().default(""),
    /** For `baseline` reports: which baseline (zero-rule, random, heuristic, human). */
    baseline: text("baseline"),
    sampleSize: integer("sample_size").notNull(),
    metrics: jsonb("metrics").$type<Record<string, MetricValue>>().notNull(),
    /** Posted metrics that disagree with what the outcomes give. */
    disagreements: jsonb("disagreements")
      .$type<{ metric: string; posted: number; computed: number }[]>()
      .notNull()
      .default([]),
    confusion: jsonb("confusion").$type<{ tn: number; fp: number; fn: number; tp: number } | null>(),
    outcomeCount: integer("outcome_count").notNull().default(0),
    /** sha256 of the canonical report, for idempotent posting and the evidence bundle. */
    contentHash: text("content_hash").notNull(),
    /** The stored outcomes; null for a report posted without them. */
    outcomeUploadId: uuid("outcome_upload_id").references(() => outcomeUploads.id, { onDelete: "restrict" }),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "restrict" }),
    createdByApiKeyId: uuid("created_by_api_key_id").references(() => apiKeys.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("evaluation_reports_version_hash_uq").on(t.modelVersionId, t.contentHash),
    unique("evaluation_reports_outcome_upload_uq").on(t.outcomeUploadId),
    index("evaluation_reports_version_idx").on(t.modelVersionId, t.kind),
    check("evaluation_reports_sample_size_positive", sql`${t.sampleSize} > 0`),
  ],
);

/**
 * Per-example outcomes, stored column-wise in chunks: ids as newline-joined text, numbers as
 * little-endian float64. A million rows take ~30 MB instead of a million table rows. Keyed by upload,
 * not by report: they are written before the report exists (see `outcomeUploads`).
 */
export const reportOutcomeChunks = pgTable(
  "report_outcome_chunks",
  {
    uploadId: uuid("upload_id")
      .notNull()
      .references(() => outcomeUploads.id, { onDelete: "cascade" }),
    chunk: integer("chunk").notNull(),
    rows: integer("rows").notNull(),
    ids: text("ids").notNull(),
    labels: bytea("labels").notNull(),
    predictions: bytea("predictions").notNull(),
    scores: bytea("scores"),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.chunk] })],
);
