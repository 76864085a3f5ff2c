import { z } from "zod";
import { positiveInt32 } from "@/server/domain/ints";
import { modelName } from "@/server/domain/registry/schemas";

/**
 * A reference is a sample, not a data lake: beyond this many rows the drift tests gain nothing a uniform
 * sample would not give, and the stored rows would only slow the window jobs that read them.
 */
export const REFERENCE_MAX_ROWS = 100_000;
/** Feature columns in one reference (a model declaring more is not what these pages are built for). */
export const REFERENCE_MAX_COLUMNS = 1_000;
/** A column's name, as it becomes a declared feature's name. */
export const REFERENCE_MAX_NAME = 200;
/** A categorical column's categories are listed (and checked for new ones) up to this many distinct values. */
export const CATEGORY_LIST_LIMIT = 1_000;
/** The column names that are not features. */
export const PREDICTION_COLUMN = "prediction";
export const TARGET_COLUMN = "target";

/** The traffic arms and feature kinds, as the database enums (db/schema/predictions.ts) have them; plain data for the pages. */
export const PREDICTION_ARMS = ["champion", "challenger", "shadow", "canary"] as const;
export const FEATURE_KINDS = ["numerical", "categorical"] as const;

export const versionRef = z.object({ model: modelName, version: positiveInt32() });
export type VersionRef = z.input<typeof versionRef>;

export const referenceFormat = z.enum(["csv", "json"]);
export type ReferenceFormat = z.infer<typeof referenceFormat>;

/** The web upload: the file's text as the browser read it. */
export const uploadReferenceInput = versionRef.extend({
  format: referenceFormat,
  fileName: z.string().trim().min(1).max(255).optional(),
  // The byte limit is the tRPC route's (REFERENCE_UPLOAD_LIMIT); this only refuses an empty file early.
  content: z.string().min(1, "the file is empty"),
});
export type UploadReferenceInput = z.input<typeof uploadReferenceInput>;

/** A window of the version's own production traffic, [from, to). */
export const referenceWindow = z
  .object({
    from: z.iso.datetime({ offset: true }).describe("Start of the window (inclusive), ISO 8601 with an offset"),
    to: z.iso.datetime({ offset: true }).describe("End of the window (exclusive), ISO 8601 with an offset"),
    arm: z
      .enum(PREDICTION_ARMS)
      .optional()
      .describe("Only the traffic of this arm (default: every arm of the version)"),
  })
  .strict()
  .refine((w) => Date.parse(w.from) < Date.parse(w.to), { message: "must be after `from`", path: ["to"] });

export const windowReferenceInput = versionRef.extend({ window: referenceWindow });
export type WindowReferenceInput = z.input<typeof windowReferenceInput>;

/** The HTTP API's JSON body for a window reference (the same route takes a sample as CSV or JSON rows). */
export const windowReferenceBody = z.object({ window: referenceWindow }).strict();

/** What the OpenAPI document says a JSON sample looks like; the parser (parse.ts) names each bad row and field. */
export const referenceRowsBody = z
  .union([
    z.array(z.record(z.string(), z.unknown())),
    z.object({ rows: z.array(z.record(z.string(), z.unknown())) }),
    windowReferenceBody,
  ])
  .describe(
    "A sample as rows (an array of objects, or {rows:[…]}): one key per feature, plus optional `prediction` and `target`; or {window:{from,to,arm?}} to take the version's own traffic. CSV (text/csv) with a header row is accepted too.",
  );
