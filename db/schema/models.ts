import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { datasets } from "./datasets";
import { stageEnum, taskEnum } from "./enums";
import { apiKeys, users } from "./users";

export const models = pgTable(
  "models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull().unique(),
    task: taskEnum("task").notNull(),
    labels: jsonb("labels").$type<string[]>().notNull().default([]),
    owner: text("owner").notNull(),
    description: text("description").notNull().default(""),
    /** Free-form tags for filtering the registry ("fraud", "tier-1"). */
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The model card, Markdown written by the team; rendered sanitized. */
    card: text("card").notNull().default(""),
    /** Predictions below this confidence go to the human review queue. */
    reviewThreshold: real("review_threshold").notNull().default(0.6),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("models_name_format", sql`${t.name} ~ '^[a-z0-9][a-z0-9-]{0,62}$'`),
    check("models_review_threshold_range", sql`${t.reviewThreshold} >= 0 and ${t.reviewThreshold} <= 1`),
  ],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "restrict" }),
    version: integer("version").notNull(),
    stage: stageEnum("stage").notNull().default("candidate"),
    artifactUri: text("artifact_uri").notNull(),
    artifactSha256: text("artifact_sha256").notNull(),
    /** The learned coefficients / config, kept apart from the prediction code and versioned. */
    // `json`, not `jsonb`: jsonb reorders keys, and the config is shown as the user wrote it.
    config: json("config").$type<Record<string, unknown>>().notNull(),
    hyperparameters: json("hyperparameters").$type<Record<string, unknown>>().notNull().default({}),
    trainingDatasetId: uuid("training_dataset_id").references(() => datasets.id, { onDelete: "restrict" }),
    parentVersionId: uuid("parent_version_id").references((): AnyPgColumn => modelVersions.id, {
      onDelete: "restrict",
    }),
    codeCommit: text("code_commit"),
    description: text("description").notNull().default(""),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Notes per version (Markdown), editable after registration, unlike the config. */
    notes: text("notes").notNull().default(""),
    /** Archived versions are hidden from lists by default; never deleted (releases reference them). */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "restrict" }),
    authorApiKeyId: uuid("author_api_key_id").references(() => apiKeys.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("model_versions_model_version_uq").on(t.modelId, t.version),
    // The database, not only the code, guarantees at most one champion per model.
    uniqueIndex("model_versions_one_champion_idx")
      .on(t.modelId)
      .where(sql`${t.stage} = 'champion'`),
    // One challenger at a time: a new canary or shadow release replaces the previous one.
    uniqueIndex("model_versions_one_challenger_idx")
      .on(t.modelId)
      .where(sql`${t.stage} = 'challenger'`),
    index("model_versions_created_at_idx").on(t.modelId, t.createdAt),
    check("model_versions_version_positive", sql`${t.version} > 0`),
    check("model_versions_sha256_format", sql`${t.artifactSha256} ~ '^[0-9a-f]{64}$'`),
    check("model_versions_one_author", sql`num_nonnulls(${t.authorUserId}, ${t.authorApiKeyId}) = 1`),
  ],
);
