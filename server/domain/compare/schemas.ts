import { z } from "zod";
import { positiveInt32 } from "@/server/domain/ints";
import { modelName } from "../registry/schemas";
import { reportKind } from "../reports/schemas";

/** Inputs of the comparison procedures; the page builds them from its query string. */
const metricName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "use a snake_case metric name, e.g. auc");
const version = positiveInt32();

export const compareVersionsInput = z.object({
  model: modelName,
  /** The reference (default: the champion). */
  a: version.optional(),
  /** The challenger (default: the version in stage challenger, else the newest candidate). */
  b: version.optional(),
  differencesOnly: z.boolean().default(false),
  /** Non-inferiority margins per metric, in the metric's units; unnamed metrics keep the defaults. */
  margins: z.record(metricName, z.number().min(0, "a margin cannot be negative").max(1e12)).default({}),
});
export type CompareVersionsInput = z.input<typeof compareVersionsInput>;

export const metricHistoryInput = z.object({
  model: modelName,
  metric: metricName,
  kind: reportKind.default("holdout"),
  /** A registered dataset; by default the one most versions of the model report on. */
  datasetId: z.uuid().optional(),
  slice: z.string().max(200).default(""),
});
export type MetricHistoryInput = z.input<typeof metricHistoryInput>;
