import { z } from "zod";
import { QUALITY_MEASURES } from "../enums";

/**
 * The settings of each kind of alert rule, stored as `alert_rules.params`. Plain zod, no database code, so
 * the rule editor checks the same shape the server stores.
 */
const featureName = z.string().trim().min(1, "name a feature").max(200);

/** Which features a rule watches: every one, those the model declares important, or the ones named. */
export const featureScope = z.union([
  z.literal("all"),
  z.literal("important"),
  z.array(featureName).min(1, "name at least one feature").max(200),
]);
export type FeatureScope = z.output<typeof featureScope>;

const share = z
  .number({ error: "a share between 0 and 1" })
  .min(0, "a share between 0 and 1")
  .max(1, "a share between 0 and 1");

export const alertRuleParams = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("feature_drift"), features: featureScope }),
  z.object({ kind: z.literal("dataset_drift") }),
  z.object({
    kind: z.literal("data_quality"),
    measure: z.enum(QUALITY_MEASURES),
    /** Fires when the measured share is above this. */
    limit: share,
    features: featureScope,
  }),
  z.object({ kind: z.literal("output_drift") }),
  z.object({
    kind: z.literal("latency_p95"),
    limitMs: z.number({ error: "milliseconds" }).positive("more than 0 ms").max(3_600_000, "at most an hour"),
  }),
  z.object({
    kind: z.literal("model_age"),
    maxDays: z
      .number({ error: "whole days" })
      .int("whole days")
      .min(1, "at least 1 day")
      .max(3650, "at most 3650 days"),
  }),
  /** The champion's newest now-test report per slice against the active requirement set's floors. */
  z.object({ kind: z.literal("nowtest_floor") }),
  /**
   * The champion's live accuracy over its newest `lastLabels` counted labels (from the review queue,
   * weighted by inverse sampling probability): fires when the whole interval lies below the active
   * requirement set's accuracy floor (its upper bound is under the floor).
   */
  z.object({
    kind: z.literal("live_accuracy"),
    lastLabels: z
      .number({ error: "a whole number of labels" })
      .int("a whole number of labels")
      .min(10, "at least 10 labels")
      .max(10_000, "at most 10,000 labels")
      .default(200),
  }),
]);
export type AlertRuleParams = z.output<typeof alertRuleParams>;

/** Rules judged on monitoring windows; the others are judged by the periodic check. */
export const WINDOW_RULE_KINDS = [
  "feature_drift",
  "dataset_drift",
  "data_quality",
  "output_drift",
  "latency_p95",
] as const;
export const isWindowRule = (kind: string) => (WINDOW_RULE_KINDS as readonly string[]).includes(kind);
