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

/** Up to four versions on one metric table, against a reference (default: the champion). */
export const compareManyInput = z.object({
  model: modelName,
  /** 2 to 4 distinct versions (default: the champion and the newest others). */
  versions: z
    .array(version)
    .min(2, "pick at least two versions")
    .max(4, "compare at most four versions at once")
    .optional()
    .refine((vs) => !vs || new Set(vs).size === vs.length, "pick each version once"),
  /** The reference the others are judged against (default: the champion among them, else the first). */
  reference: version.optional(),
  /** Which dataset (a report pair key: kind, dataset, period, slice) the table is on (default: the holdout). */
  dataset: z.string().max(500).optional(),
});
export type CompareManyInput = z.input<typeof compareManyInput>;
