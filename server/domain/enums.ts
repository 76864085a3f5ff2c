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
