import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { modelVersions, models } from "./models";
import { apiKeys } from "./users";

export const predictionArmEnum = pgEnum("prediction_arm", ["champion", "challenger", "shadow", "canary"]);
export const featureKindEnum = pgEnum("feature_kind", ["numerical", "categorical"]);

/**
 * The production prediction log: the big table. On every database it is declaratively partitioned by
 * day on `time` (migration 0008 recreates it as `PARTITION BY RANGE (time)` with a default partition;
 * `ratchet_ensure_prediction_partitions` creates days ahead, retention drops whole days). Drizzle cannot
 * declare partitioning, so the columns here must match that migration exactly.
 *
 * No primary key: a unique index on a partitioned table must include `time`, and nothing looks a row up
 * by id alone yet; every index slows the ingest path, so the only one is what the dashboards query.
 */
export const predictions = pgTable(
  "predictions",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    /** The serving system's request id: pairs champion and challenger answers to the same request. */
    externalId: text("external_id").notNull(),
    /** When the prediction was made (the partition key). */
    time: timestamp("time", { withTimezone: true }).notNull(),
    /** Non-finite values (NaN, ±Infinity) are stored as null and counted in the batch's data quality. */
    features: jsonb("features").$type<Record<string, unknown>>().notNull(),
    /** Regression output. */
    predictionNumber: doublePrecision("prediction_number"),
    /** Classification output, the class as text ("1", "churned"). */
    predictionLabel: text("prediction_label"),
    confidence: real("confidence"),
    probabilities: jsonb("probabilities").$type<Record<string, number>>(),
    latencyMs: real("latency_ms"),
    arm: predictionArmEnum("arm").notNull().default("champion"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The monitoring windows and the dashboards read one version over a time range.
    index("predictions_version_time_idx").on(t.modelVersionId, t.time),
    // The review queue's intake job reads a batch back by its id range, just after it was inserted
    // (ids only grow, so each insert appends at the index's right edge: a few per cent of an ingest).
    index("predictions_id_idx").on(t.id),
    check("predictions_one_output", sql`num_nonnulls(${t.predictionNumber}, ${t.predictionLabel}) = 1`),
    check(
      "predictions_confidence_range",
      sql`${t.confidence} is null or (${t.confidence} >= 0 and ${t.confidence} <= 1)`,
    ),
    check("predictions_latency_range", sql`${t.latencyMs} is null or ${t.latencyMs} >= 0`),
  ],
);

/**
 * One row per ingested batch and model version: how many rows came, over which time range, and the
 * feature-level problems found in them (accepted, never dropped). `counts` is
 * `{ problem: { total, byFeature: { name: n } } }`.
 */
export const predictionBatches = pgTable(
  "prediction_batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: uuid("batch_id").notNull(),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    rows: integer("rows").notNull(),
    firstTime: timestamp("first_time", { withTimezone: true }).notNull(),
    lastTime: timestamp("last_time", { withTimezone: true }).notNull(),
    rowsWithProblems: integer("rows_with_problems").notNull(),
    counts: jsonb("counts").$type<Record<string, { total: number; byFeature: Record<string, number> }>>().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("prediction_batches_version_received_idx").on(t.modelVersionId, t.receivedAt)],
);

/**
 * The features a model declares (name, numerical or categorical, important or not, known categories).
 * Ingestion checks each row against them; with none declared only non-finite values can be checked,
 * and the answer says which checks were not made.
 */
export const modelFeatures = pgTable(
  "model_features",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: featureKindEnum("kind").notNull(),
    important: boolean("important").notNull().default(false),
    /** Categories seen in the reference data; null: not known, so new categories are not checked. */
    categories: jsonb("categories").$type<string[]>(),
  },
  (t) => [unique("model_features_model_name_uq").on(t.modelId, t.name)],
);

/**
 * Idempotency keys of POST requests (`Idempotency-Key`), per API key: the request's hash, whether it is
 * still running, and the answer to replay. Kept at least 24 hours (`expires_at`), then cleaned up.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    /** `running` until the request's transaction commits its answer as `completed`. */
    status: text("status", { enum: ["running", "completed"] }).notNull(),
    responseStatus: integer("response_status"),
    // `json`, not `jsonb`: a replay returns the first answer as it was written, keys in the same order.
    responseBody: json("response_body"),
    /** A `running` row older than this was left by a process that died: the next request takes it over. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);
