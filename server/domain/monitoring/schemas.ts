import { z } from "zod";
import { positiveInt32 } from "@/server/domain/ints";
import { modelName } from "../registry/schemas";

export const WINDOW_GRANULARITIES = ["hour", "day", "week"] as const;

/** A feature name as it appears in the prediction log's `features` object. */
export const featureName = z.string().min(1).max(200);

/** The monitoring page's input; the page builds it from its query string (?granularity=day&feature=income). */
export const monitoringPageInput = z.object({
  model: modelName,
  /** Monitored version (default: the champion, else the newest version). */
  version: positiveInt32().optional(),
  granularity: z.enum(WINDOW_GRANULARITIES).default("day"),
  /** The feature whose reference and current distributions are drawn (default: the most drifted one). */
  feature: featureName.optional(),
});
export type MonitoringPageInput = z.input<typeof monitoringPageInput>;

/** How many windows the page shows per granularity: two days of hours, a month of days, half a year of weeks. */
export const WINDOWS_SHOWN = { hour: 48, day: 30, week: 26 } as const;
