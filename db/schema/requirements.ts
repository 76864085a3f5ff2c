import { sql } from "drizzle-orm";
import {
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { directionEnum, requirementSetStatusEnum } from "./enums";
import { models } from "./models";
import { users } from "./users";

/**
 * Performance requirements are kept as versioned sets per model. Tightening activates a new set at once;
 * loosening leaves it `pending` until a manager other than the proposer approves it.
 */
export const requirementSets = pgTable(
  "requirement_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "restrict" }),
    version: integer("version").notNull(),
    status: requirementSetStatusEnum("status").notNull(),
    basedOnId: uuid("based_on_id").references((): AnyPgColumn => requirementSets.id, { onDelete: "restrict" }),
    /** Report kinds a release needs (e.g. regression, backtest, nowtest). */
    requiredReportKinds: text("required_report_kinds")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The metric "beats the champion" and "beats the baselines" are judged on. */
    primaryMetric: text("primary_metric").notNull(),
    /**
     * Non-inferiority margins per metric (in the metric's units) for champion comparisons. Part of the set,
     * so widening one is a loosening like any other and waits for a manager.
     */
    comparisonMargins: jsonb("comparison_margins").$type<Record<string, number>>().notNull().default({}),
    /** A report counts as evidence only with at least this many outcomes (lowering it is a loosening). */
    minOutcomes: integer("min_outcomes").notNull().default(200),
    /** AUC counts only with at least this many examples of each class (lowering it is a loosening). */
    minAucClassCount: integer("min_auc_class_count").notNull().default(20),
    rationale: text("rationale").notNull(),
    /** Loosening: what got looser, explained to the approving manager. */
    loosens: text("loosens")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    proposedBy: uuid("proposed_by").references(() => users.id, { onDelete: "restrict" }),
    proposedByLabel: text("proposed_by_label").notNull(),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
  },
  (t) => [
    unique("requirement_sets_model_version_uq").on(t.modelId, t.version),
    uniqueIndex("requirement_sets_one_active_idx")
      .on(t.modelId)
      .where(sql`${t.status} = 'active'`),
    uniqueIndex("requirement_sets_one_pending_idx")
      .on(t.modelId)
      .where(sql`${t.status} = 'pending'`),
    check("requirement_sets_min_outcomes_positive", sql`${t.minOutcomes} >= 1`),
    check("requirement_sets_min_auc_class_count_positive", sql`${t.minAucClassCount} >= 1`),
  ],
);

/**
 * The direction of a custom metric (one not in the known-metrics registry), declared once per model by the
 * first requirement set that uses it. A later set with the other direction is a loosening.
 */
export const metricDirections = pgTable(
  "metric_directions",
  {
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "restrict" }),
    metric: text("metric").notNull(),
    direction: directionEnum("direction").notNull(),
    declaredInSetId: uuid("declared_in_set_id").references(() => requirementSets.id, { onDelete: "restrict" }),
    declaredAt: timestamp("declared_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.metric] })],
);

export const requirements = pgTable(
  "requirements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    setId: uuid("set_id")
      .notNull()
      .references(() => requirementSets.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    direction: directionEnum("direction").notNull(),
    /** Hard minimum (or maximum, for lower-is-better metrics such as latency or RMSE). */
    floor: doublePrecision("floor").notNull(),
    target: doublePrecision("target"),
    /** Report kinds it applies to; empty means every kind except baseline. */
    reportKinds: text("report_kinds")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    slice: text("slice").notNull().default(""),
    rationale: text("rationale").notNull().default(""),
  },
  (t) => [
    unique("requirements_set_metric_slice_uq").on(t.setId, t.metric, t.slice),
    index("requirements_set_idx").on(t.setId),
    check("requirements_floor_finite", sql`${t.floor} not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`),
  ],
);
