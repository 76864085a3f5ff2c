import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ALERT_RULE_KINDS, ALERT_SEVERITIES, ALERT_STATUSES } from "@/server/domain/enums";
import type { AlertRuleParams } from "@/server/domain/alerts/params";
import { models, modelVersions } from "./models";
import { windowGranularityEnum } from "./monitoring";
import { users } from "./users";

export const alertRuleKindEnum = pgEnum("alert_rule_kind", ALERT_RULE_KINDS);
export const alertSeverityEnum = pgEnum("alert_severity", ALERT_SEVERITIES);
export const alertStatusEnum = pgEnum("alert_status", ALERT_STATUSES);

/**
 * What a data scientist wants to be told about one model: a kind (drift, data quality, latency, age, a
 * now-test below a floor), its settings (`params`, shaped per kind in server/domain/alerts/params.ts), a
 * severity, and who is emailed. Window rules judge windows of one granularity only, so an hourly blip and
 * a calm day never open and close the same alert in turn.
 */
export const alertRules = pgTable(
  "alert_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: alertRuleKindEnum("kind").notNull(),
    severity: alertSeverityEnum("severity").notNull(),
    params: jsonb("params").$type<AlertRuleParams>().notNull(),
    granularity: windowGranularityEnum("granularity").notNull().default("day"),
    /** Resolve the alert by itself once a measured window (or the periodic check) finds the condition cleared. */
    autoResolve: boolean("auto_resolve").notNull().default(true),
    emailRecipients: text("email_recipients")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_rules_model_idx").on(t.modelId)],
);

/**
 * An alert: one rule firing on one subject (a feature, the dataset, the output, latency, the champion, a
 * requirement). At most one is open or acknowledged per rule and subject, enforced by the database, so
 * two window jobs judging at once cannot open it twice.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    /** The version whose window or report fired it (null for rules about the model as a whole). */
    modelVersionId: uuid("model_version_id").references(() => modelVersions.id, { onDelete: "set null" }),
    subject: text("subject").notNull(),
    /** The feature behind it, for drift and data-quality alerts (the link to its distributions). */
    feature: text("feature"),
    severity: alertSeverityEnum("severity").notNull(),
    status: alertStatusEnum("status").notNull().default("open"),
    title: text("title").notNull(),
    /** What was measured when it fired, and last time it was seen firing. */
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id, { onDelete: "set null" }),
    acknowledgedByLabel: text("acknowledged_by_label"),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgeNote: text("acknowledge_note"),
    /** Null with a label of `auto` when it resolved itself. */
    resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolvedByLabel: text("resolved_by_label"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolveNote: text("resolve_note"),
  },
  (t) => [
    uniqueIndex("alerts_one_unresolved_per_subject_uq")
      .on(t.ruleId, t.subject)
      .where(sql`${t.status} <> 'resolved'`),
    index("alerts_model_status_idx").on(t.modelId, t.status, t.openedAt),
    index("alerts_unresolved_idx")
      .on(t.status)
      .where(sql`${t.status} <> 'resolved'`),
  ],
);

/**
 * Alert emails to send: written in the transaction that opens or resolves the alert, sent after commit by
 * a worker with a lease and retries, so a slow or absent SMTP server never holds a transaction or loses a mail.
 */
export const alertEmails = pgTable(
  "alert_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    recipients: text("recipients").array().notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_emails_due_idx").on(t.status, t.nextAttemptAt)],
);
