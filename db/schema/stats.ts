import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Results of heavy statistics (report intervals, paired comparisons), keyed by a hash of exactly the
 * content they were computed from, so a page view or a release decision reads them instead of recomputing.
 */
export const statResults = pgTable(
  "stat_results",
  {
    key: text("key").primaryKey(),
    kind: text("kind").notNull(),
    result: jsonb("result").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stat_results_kind_idx").on(t.kind, t.createdAt)],
);
