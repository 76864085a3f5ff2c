import { z } from "zod";
import { boundedJsonObject } from "@/server/domain/json-limits";
import { coercedPositiveInt32, positiveInt32 } from "@/server/domain/ints";
import { DATASET_ROLES, MODEL_TASKS, VERSION_STAGES } from "@/server/domain/enums";

/**
 * Request schemas shared by the tRPC procedures, the HTTP API and the OpenAPI document:
 * one definition, so the three can never disagree about what is valid.
 */
export const modelName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    "use lower-case letters, digits and dashes (max 63), starting with a letter or digit",
  )
  .describe("Model name, e.g. credit-default");

export const modelTask = z.enum(MODEL_TASKS);
export const versionStage = z.enum(VERSION_STAGES);
export const datasetRole = z.enum(DATASET_ROLES);

const jsonObject = boundedJsonObject();
const isoDate = z.iso.date().describe("YYYY-MM-DD");

export const createModelInput = z.object({
  name: modelName,
  task: modelTask,
  labels: z.array(z.string().min(1).max(100)).max(1000).default([]),
  owner: z.string().min(1).max(200),
  description: z.string().max(5000).default(""),
  reviewThreshold: z.number().min(0).max(1).default(0.6),
});
export type CreateModelInput = z.input<typeof createModelInput>;

export const datasetRef = z.object({
  name: z.string().min(1).max(200),
  version: positiveInt32(),
});

export const registerVersionInput = z.object({
  artifactUri: z
    .string()
    .min(1)
    .max(2000)
    .describe("Where the serialized model lives, e.g. s3://models/credit-default/8.pkl"),
  artifactSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex characters (the sha256 of the artifact)"),
  config: jsonObject.describe("Learned coefficients / configuration as JSON"),
  hyperparameters: jsonObject.default({}),
  trainingDataset: datasetRef.optional().describe("A dataset registered before, by name and version"),
  parentVersion: positiveInt32().optional().describe("The version this one was derived from"),
  codeCommit: z.string().min(1).max(100).optional(),
  description: z.string().max(5000).default(""),
});
export type RegisterVersionInput = z.input<typeof registerVersionInput>;

export const registerDatasetInput = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "letters, digits, . _ / - only"),
    role: datasetRole,
    periodStart: isoDate.optional(),
    periodEnd: isoDate.optional(),
    rowCount: z.number().int().min(0),
    hash: z.string().min(8).max(200).describe("Content hash, e.g. sha256:…"),
    uri: z.string().min(1).max(2000),
  })
  .refine((d) => !d.periodStart || !d.periodEnd || d.periodStart <= d.periodEnd, {
    path: ["periodEnd"],
    message: "must not be before periodStart",
  });
export type RegisterDatasetInput = z.input<typeof registerDatasetInput>;

/** Free-form labels on models and versions ("fraud", "tier-1"): refused, never rewritten, when not in this form. */
export const MAX_TAGS = 20;
export const tag = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,31}$/,
    "use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 32 characters",
  );

export const sortDirection = z.enum(["asc", "desc"]);
export const MODEL_SORTS = ["lastActivity", "name", "versions"] as const;
export const listModelsInput = z.object({
  search: z.string().max(100).default(""),
  tag: tag.optional(),
  sort: z.enum(MODEL_SORTS).default("lastActivity"),
  dir: sortDirection.default("desc"),
  page: coercedPositiveInt32().default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListModelsInput = z.input<typeof listModelsInput>;

/** A model card or a version's notes: Markdown, rendered sanitized; long enough for a real card. */
export const MAX_MARKDOWN_CHARS = 50_000;
const markdown = z.string().max(MAX_MARKDOWN_CHARS);

export const updateModelCardInput = z.object({ model: modelName, card: markdown });
export type UpdateModelCardInput = z.input<typeof updateModelCardInput>;

export const updateVersionNotesInput = z.object({ model: modelName, version: positiveInt32(), notes: markdown });
export type UpdateVersionNotesInput = z.input<typeof updateVersionNotesInput>;
