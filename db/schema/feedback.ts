import { sql } from "drizzle-orm";
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
  real,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { modelVersions, models } from "./models";
import { predictionArmEnum } from "./predictions";
import { users } from "./users";

/** How a prediction's uncertainty is judged: its confidence, the margin between its top two classes, or its entropy. */
export const feedbackStrategyEnum = pgEnum("feedback_strategy", ["confidence", "margin", "entropy"]);
/** Why an item is in the queue. */
export const feedbackReasonEnum = pgEnum("feedback_reason", ["disagreement", "low_confidence", "random", "gold"]);
/** open: waiting for labels; conflict: labels disagree, waiting for adjudication; resolved: one label counts. */
export const feedbackItemStatusEnum = pgEnum("feedback_item_status", ["open", "conflict", "resolved"]);
/** A reviewer slot of an item: free, held under a lease, or done. */
export const feedbackClaimStateEnum = pgEnum("feedback_claim_state", ["open", "claimed", "labeled"]);

/**
 * The review policy of a model, versioned: every edit by a data scientist is a new row (audited), and the
 * highest version is in force. A model without a row uses the defaults (FEEDBACK_POLICY_DEFAULTS in
 * server/domain/feedback/policy.ts): its review threshold on confidence, nothing else.
 */
export const feedbackPolicies = pgTable(
  "feedback_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    strategy: feedbackStrategyEnum("strategy").notNull().default("confidence"),
    /** confidence/margin: enqueue below it; entropy (nats): enqueue above it. */
    threshold: real("threshold").notNull(),
    /** Share of all predictions sampled at random, so accuracy estimates are not biased toward hard items. */
    randomShare: real("random_share").notNull().default(0),
    /** Share of claims served from gold items (known label), to measure each reviewer. */
    goldShare: real("gold_share").notNull().default(0),
    /** Reviewers per item. */
    overlap: integer("overlap").notNull().default(1),
    /** Share of items shown without the model's answer, to measure how much the suggestion sways reviewers. */
    hideAnswerShare: real("hide_answer_share").notNull().default(0),
    /** A first label against the model on an item at or above this confidence asks for a second opinion. */
    secondOpinionAbove: real("second_opinion_above").notNull().default(0.9),
    /** The queue's order, most important key first. */
    orderKeys: text("order_keys")
      .array()
      .notNull()
      .default(sql`'{disagreement,confidence,recency}'::text[]`),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "restrict" }),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("feedback_policies_model_version_uq").on(t.modelId, t.version),
    check(
      "feedback_policies_shares",
      sql`${t.randomShare} between 0 and 1 and ${t.goldShare} between 0 and 1 and ${t.hideAnswerShare} between 0 and 1`,
    ),
    check("feedback_policies_overlap", sql`${t.overlap} between 1 and 10`),
    check("feedback_policies_threshold", sql`${t.threshold} >= 0`),
  ],
);

/**
 * A prediction (or a gold item) waiting for, or given, human labels. The prediction is copied (features,
 * answer, confidence), so the queue never reads the partitioned log and survives its retention.
 */
export const feedbackItems = pgTable(
  "feedback_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    modelVersionId: uuid("model_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    /** The prediction's row in the log (no foreign key: the log is partitioned and has no primary key). */
    predictionId: bigint("prediction_id", { mode: "number" }),
    externalId: text("external_id").notNull(),
    predictedAt: timestamp("predicted_at", { withTimezone: true }).notNull(),
    arm: predictionArmEnum("arm").notNull(),
    features: jsonb("features").$type<Record<string, unknown>>().notNull(),
    predictionLabel: text("prediction_label"),
    predictionNumber: doublePrecision("prediction_number"),
    confidence: real("confidence"),
    probabilities: jsonb("probabilities").$type<Record<string, number>>(),
    reason: feedbackReasonEnum("reason").notNull(),
    /** The probability with which this prediction entered the queue (1 when a rule selected it). */
    samplingProbability: doublePrecision("sampling_probability").notNull(),
    /** Whether the random draw selected it: the unbiased sample for live accuracy and calibration. */
    randomDraw: boolean("random_draw").notNull().default(false),
    /** The other version's answer to the same request when they disagree: {version, prediction, confidence}. */
    disagreement: jsonb("disagreement").$type<{
      version: number;
      prediction: string | number;
      confidence: number | null;
    }>(),
    /** Whether reviewers see the model's answer and confidence. */
    showModelAnswer: boolean("show_model_answer").notNull().default(true),
    goldLabel: text("gold_label"),
    /** Sort key built from the policy's order at enqueue time (ascending = first); `C` collation. */
    priority: text("priority").notNull(),
    requiredLabels: integer("required_labels").notNull().default(1),
    labelCount: integer("label_count").notNull().default(0),
    status: feedbackItemStatusEnum("status").notNull().default("open"),
    resolvedLabel: text("resolved_label"),
    policyId: uuid("policy_id").references(() => feedbackPolicies.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One item per request and model (gold copies aside): a disagreement found later updates it.
    uniqueIndex("feedback_items_request_uq")
      .on(t.modelId, t.externalId)
      .where(sql`${t.reason} <> 'gold'`),
    // The claim walks open items in priority order.
    index("feedback_items_open_priority_idx")
      .on(t.priority, t.id)
      .where(sql`${t.status} = 'open'`),
    index("feedback_items_model_status_idx").on(t.modelId, t.status),
    // Gold items are looked up on every claim; few of them, so a small partial index.
    index("feedback_items_gold_idx")
      .on(t.modelId)
      .where(sql`${t.reason} = 'gold'`),
    check("feedback_items_sampling_probability", sql`${t.samplingProbability} > 0 and ${t.samplingProbability} <= 1`),
    check("feedback_items_gold", sql`(${t.reason} = 'gold') = (${t.goldLabel} is not null)`),
  ],
);

/**
 * A reviewer slot of an item: an item that needs N labels has N rows. Claiming locks a free (or expired)
 * slot with FOR UPDATE SKIP LOCKED and writes the reviewer and lease into it, so two reviewers never hold
 * the same slot. Gold items get a slot per reviewer when served.
 */
export const feedbackClaims = pgTable(
  "feedback_claims",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => feedbackItems.id, { onDelete: "cascade" }),
    state: feedbackClaimStateEnum("state").notNull().default("open"),
    reviewerId: uuid("reviewer_id").references(() => users.id, { onDelete: "restrict" }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    /** The reviewer whose expired lease this claim took over: they are told so if they submit late. */
    takenFrom: uuid("taken_from").references(() => users.id, { onDelete: "restrict" }),
  },
  (t) => [
    index("feedback_claims_item_idx").on(t.itemId, t.state),
    // A reviewer holds at most one slot of an item (two tabs claiming at once cannot both win).
    uniqueIndex("feedback_claims_item_reviewer_uq")
      .on(t.itemId, t.reviewerId)
      .where(sql`${t.reviewerId} is not null`),
    index("feedback_claims_reviewer_idx")
      .on(t.reviewerId, t.state)
      .where(sql`${t.reviewerId} is not null`),
    check(
      "feedback_claims_held",
      sql`(${t.state} = 'open') = (${t.reviewerId} is null) and (${t.state} = 'claimed') = (${t.leaseExpiresAt} is not null)`,
    ),
  ],
);

/** A reviewer's label. UNIQUE (item, reviewer): nobody labels the same item twice, whatever the UI does. */
export const feedbackLabels = pgTable(
  "feedback_labels",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => feedbackItems.id, { onDelete: "cascade" }),
    reviewerId: uuid("reviewer_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    /** The class as text; null for regression. */
    label: text("label"),
    labelNumber: doublePrecision("label_number"),
    note: text("note").notNull().default(""),
    flags: text("flags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Whether the reviewer saw the model's answer (items can hide it). */
    sawModelAnswer: boolean("saw_model_answer").notNull(),
    /** The labeling guidelines' version shown when the label was given; null when the model had none. */
    guidelineVersion: integer("guideline_version"),
    /** From claim to submit. */
    durationMs: integer("duration_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("feedback_labels_item_reviewer_uq").on(t.itemId, t.reviewerId),
    index("feedback_labels_reviewer_idx").on(t.reviewerId, t.createdAt),
    check("feedback_labels_one_value", sql`num_nonnulls(${t.label}, ${t.labelNumber}) = 1`),
  ],
);

/** Items a reviewer skipped: not offered to them again. */
export const feedbackSkips = pgTable(
  "feedback_skips",
  {
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => feedbackItems.id, { onDelete: "cascade" }),
    reviewerId: uuid("reviewer_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.reviewerId] })],
);

/** The resolution of conflicting labels: the label that counts, and who decided it. */
export const feedbackAdjudications = pgTable("feedback_adjudications", {
  itemId: bigint("item_id", { mode: "number" })
    .primaryKey()
    .references(() => feedbackItems.id, { onDelete: "cascade" }),
  label: text("label").notNull(),
  note: text("note").notNull().default(""),
  decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
  decidedByLabel: text("decided_by_label").notNull(),
  decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
});
