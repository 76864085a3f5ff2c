import { pgEnum } from "drizzle-orm/pg-core";
import {
  DATASET_ROLES,
  DELIVERY_STATUSES,
  DIRECTIONS,
  MODEL_TASKS,
  RELEASE_KINDS,
  RELEASE_STATUSES,
  RELEASE_STRATEGIES,
  REPORT_KINDS,
  REQUIREMENT_SET_STATUSES,
  ROLES,
  VERSION_STAGES,
} from "@/server/domain/enums";

export const roleEnum = pgEnum("role", ROLES);
export const taskEnum = pgEnum("model_task", MODEL_TASKS);
export const stageEnum = pgEnum("version_stage", VERSION_STAGES);
export const datasetRoleEnum = pgEnum("dataset_role", DATASET_ROLES);
export const directionEnum = pgEnum("metric_direction", DIRECTIONS);
export const requirementSetStatusEnum = pgEnum("requirement_set_status", REQUIREMENT_SET_STATUSES);
export const reportKindEnum = pgEnum("report_kind", REPORT_KINDS);
export const releaseKindEnum = pgEnum("release_kind", RELEASE_KINDS);
export const releaseStrategyEnum = pgEnum("release_strategy", RELEASE_STRATEGIES);
export const releaseStatusEnum = pgEnum("release_status", RELEASE_STATUSES);
export const deliveryStatusEnum = pgEnum("delivery_status", DELIVERY_STATUSES);
