import { bigint, check, integer, pgTable, text, timestamp, unique, uuid, date } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { datasetRoleEnum } from "./enums";
import { apiKeys, users } from "./users";

export const datasets = pgTable(
  "datasets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    role: datasetRoleEnum("role").notNull(),
    periodStart: date("period_start"),
    periodEnd: date("period_end"),
    rowCount: bigint("row_count", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    uri: text("uri").notNull(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "restrict" }),
    createdByApiKeyId: uuid("created_by_api_key_id").references(() => apiKeys.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("datasets_name_version_uq").on(t.name, t.version),
    // Registering the same content twice is a retry, not a new version.
    unique("datasets_name_hash_uq").on(t.name, t.hash),
    check("datasets_row_count_nonneg", sql`${t.rowCount} >= 0`),
    check(
      "datasets_period_order",
      sql`${t.periodStart} is null or ${t.periodEnd} is null or ${t.periodStart} <= ${t.periodEnd}`,
    ),
  ],
);
