import { pgEnum } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["viewer", "reviewer", "data_scientist", "manager", "admin"]);
export const taskEnum = pgEnum("model_task", ["binary_classification", "multiclass_classification", "regression"]);
export const stageEnum = pgEnum("version_stage", ["candidate", "challenger", "champion", "retired"]);
export const datasetRoleEnum = pgEnum("dataset_role", ["train", "test", "backtest", "live"]);
export const directionEnum = pgEnum("metric_direction", ["higher", "lower"]);
export const requirementSetStatusEnum = pgEnum("requirement_set_status", ["active", "pending", "rejected", "superseded"]);
export const reportKindEnum = pgEnum("report_kind", ["regression", "backtest", "nowtest", "holdout", "baseline", "online"]);
export const releaseKindEnum = pgEnum("release_kind", ["promote", "rollback"]);
export const releaseStrategyEnum = pgEnum("release_strategy", ["full", "canary", "shadow"]);
export const releaseStatusEnum = pgEnum("release_status", ["pending", "approved", "rejected"]);
export const deliveryStatusEnum = pgEnum("delivery_status", ["pending", "delivered", "failed"]);
