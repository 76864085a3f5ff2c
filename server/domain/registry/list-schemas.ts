import { z } from "zod";
import { coercedPositiveInt32 } from "@/server/domain/ints";
import { reportKind } from "@/server/domain/reports/schemas";
import { MAX_TAGS, modelName, sortDirection, tag, versionStage } from "./schemas";

/**
 * Inputs of the registry's list queries: sort, filters and page, validated here so the tRPC procedures,
 * the pages (which read them from the URL) and the domain agree on what a request may ask for.
 */
const page = coercedPositiveInt32().default(1);
const pageSize = z.coerce.number().int().min(1).max(100).default(20);

/** "auc ≥ 0.8 on holdout": some overall (unsliced) report of that kind meets the bound. */
export const metricFilter = z.object({
  metric: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "a metric name such as auc or log_loss"),
  op: z.enum(["gte", "lte"]),
  value: z.number().finite(),
  kind: reportKind,
});
export type MetricFilter = z.output<typeof metricFilter>;

export const VERSION_SORTS = ["version", "createdAt", "stage"] as const;
/** `archived`: hidden by default; "include" shows them beside the others. */
export const listVersionsInput = z.object({
  model: modelName,
  tag: tag.optional(),
  stage: versionStage.optional(),
  archived: z.enum(["hide", "include"]).default("hide"),
  metric: metricFilter.optional(),
  sort: z.enum(VERSION_SORTS).default("version"),
  dir: sortDirection.default("desc"),
  page,
  pageSize,
});
export type ListVersionsInput = z.input<typeof listVersionsInput>;

const tagChange = {
  add: z.array(tag).max(MAX_TAGS).default([]),
  remove: z.array(tag).max(MAX_TAGS).default([]),
};
const someChange: [(i: { add: string[]; remove: string[] }) => boolean, { path: string[]; message: string }] = [
  (i) => i.add.length + i.remove.length > 0,
  { path: ["add"], message: "name a tag to add or remove" },
];
export const modelTagsInput = z.object({ model: modelName, ...tagChange }).refine(...someChange);
export const versionTagsInput = z
  .object({ model: modelName, version: coercedPositiveInt32(), ...tagChange })
  .refine(...someChange);
export type ModelTagsInput = z.input<typeof modelTagsInput>;
export type VersionTagsInput = z.input<typeof versionTagsInput>;

export const archiveVersionInput = z.object({
  model: modelName,
  version: coercedPositiveInt32(),
  archived: z.boolean(),
});
export type ArchiveVersionInput = z.input<typeof archiveVersionInput>;
