import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { models } from "./models";
import { users } from "./users";

/**
 * Labeling guidelines of a model: versioned Markdown that tells reviewers how to label. Append-only: a new
 * text is a new version, and a trigger (custom migration "guidelines_append_only") refuses UPDATE and
 * DELETE, so the version a label was given under (recorded with the label) always still says what it said.
 */
export const labelingGuidelines = pgTable(
  "labeling_guidelines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "restrict" }),
    /** 1, 2, … per model. */
    version: integer("version").notNull(),
    markdown: text("markdown").notNull(),
    /** What changed and why, for the history. */
    changeNote: text("change_note").notNull().default(""),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "restrict" }),
    /** Who wrote it, frozen at the time (email), like the audit log's actor. */
    author: text("author").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("labeling_guidelines_model_version_uq").on(t.modelId, t.version),
    check("labeling_guidelines_version_positive", sql`${t.version} >= 1`),
  ],
);
