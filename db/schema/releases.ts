import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { releaseKindEnum, releaseStatusEnum, releaseStrategyEnum } from "./enums";
import { models, modelVersions } from "./models";
import { requirementSets } from "./requirements";
import { apiKeys, users } from "./users";

export const releases = pgTable(
  "releases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "restrict" }),
    kind: releaseKindEnum("kind").notNull(),
    /** The champion when the release was requested (null if the model had none). */
    fromVersionId: uuid("from_version_id").references(() => modelVersions.id, { onDelete: "restrict" }),
    toVersionId: uuid("to_version_id")
      .notNull()
      .references(() => modelVersions.id, { onDelete: "restrict" }),
    strategy: releaseStrategyEnum("strategy").notNull(),
    /** Share of traffic for a canary (0 < share < 1). */
    share: real("share"),
    status: releaseStatusEnum("status").notNull(),
    rationale: text("rationale").notNull(),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "restrict" }),
    requestedByApiKey: uuid("requested_by_api_key").references(() => apiKeys.id, { onDelete: "restrict" }),
    requestedByLabel: text("requested_by_label").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    requirementSetId: uuid("requirement_set_id").references(() => requirementSets.id, { onDelete: "restrict" }),
    gateAtRequest: jsonb("gate_at_request"),
    /** sha256 over the artifact, the reports and the requirement set at request time. */
    evidenceHash: text("evidence_hash"),
    evidence: jsonb("evidence"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
    decidedByLabel: text("decided_by_label"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
    gateAtDecision: jsonb("gate_at_decision"),
    override: boolean("override").notNull().default(false),
    overrideJustification: text("override_justification"),
    /** When the release took effect (approval time; requests that are not approved have none). */
    effectiveAt: timestamp("effective_at", { withTimezone: true }),
  },
  (t) => [
    index("releases_model_effective_idx").on(t.modelId, t.effectiveAt),
    index("releases_status_idx").on(t.status, t.requestedAt),
    uniqueIndex("releases_one_pending_per_version_idx")
      .on(t.toVersionId)
      .where(sql`${t.status} = 'pending'`),
    check("releases_share_range", sql`${t.share} is null or (${t.share} > 0 and ${t.share} < 1)`),
    check("releases_canary_has_share", sql`(${t.strategy} = 'canary') = (${t.share} is not null)`),
    check(
      "releases_override_justified",
      sql`not ${t.override} or length(coalesce(${t.overrideJustification}, '')) >= 10`,
    ),
  ],
);
