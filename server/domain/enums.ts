/**
 * The closed sets of Ratchet, defined once: the database enums (db/schema/enums.ts), the zod schemas and
 * the pages' pickers and badges all read them from here. Plain data, safe to import in client components.
 */
export const ROLES = ["viewer", "reviewer", "data_scientist", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const MODEL_TASKS = ["binary_classification", "multiclass_classification", "regression"] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

export const VERSION_STAGES = ["candidate", "challenger", "champion", "retired"] as const;
export type VersionStage = (typeof VERSION_STAGES)[number];

export const DATASET_ROLES = ["train", "test", "backtest", "live"] as const;
export type DatasetRole = (typeof DATASET_ROLES)[number];

export const DIRECTIONS = ["higher", "lower"] as const;

export const REQUIREMENT_SET_STATUSES = ["active", "pending", "rejected", "superseded"] as const;

export const REPORT_KINDS = ["regression", "backtest", "nowtest", "holdout", "baseline", "online"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const RELEASE_KINDS = ["promote", "rollback"] as const;

export const RELEASE_STRATEGIES = ["full", "canary", "shadow"] as const;
export type ReleaseStrategy = (typeof RELEASE_STRATEGIES)[number];

export const RELEASE_STATUSES = ["pending", "approved", "rejected"] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;

/** What an alert rule watches (server/domain/alerts/evaluate.ts judges each). */
export const ALERT_RULE_KINDS = [
  "feature_drift",
  "dataset_drift",
  "data_quality",
  "output_drift",
  "latency_p95",
  "model_age",
  "nowtest_floor",
  "live_accuracy",
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export const ALERT_SEVERITIES = ["warning", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** open → acknowledged (someone is on it) → resolved (by a person, or automatically when the condition clears). */
export const ALERT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The data-quality measures a rule can put a limit on, as shares of the window's rows (0–1). */
export const QUALITY_MEASURES = ["missing_share", "new_category_share", "out_of_range_share"] as const;
export type QualityMeasure = (typeof QUALITY_MEASURES)[number];
