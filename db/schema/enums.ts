import { pgEnum } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["viewer", "reviewer", "data_scientist", "manager", "admin"]);
export const taskEnum = pgEnum("model_task", ["binary_classification", "multiclass_classification", "regression"]);
export const stageEnum = pgEnum("version_stage", ["candidate", "challenger", "champion", "retired"]);
export const datasetRoleEnum = pgEnum("dataset_role", ["train", "test", "backtest", "live"]);
