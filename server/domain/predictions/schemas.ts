import { z } from "zod";
import { predictionArmEnum } from "@/db/schema/predictions";
import { positiveInt32 } from "@/server/domain/ints";
import { modelName } from "../registry/schemas";

/** The prediction log's batch format, shared by POST /api/v1/predictions (JSON and NDJSON) and the OpenAPI document. */
export const MAX_BATCH_ROWS = 10_000;

const finite = (what: string) => z.number({ error: `must be a finite number (${what}; NaN and Infinity are refused)` });
const probability = finite("a probability").min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");

/**
 * One prediction. Structural problems here refuse the whole batch; feature values are checked later and
 * only counted (production traffic is never dropped for them).
 */
export const predictionRow = z
  .object({
    model: modelName,
    version: positiveInt32(),
    id: z
      .string()
      .min(1)
      .max(128)
      .describe("The serving system's request id; pairs champion and challenger answers to one request"),
    time: z.iso.datetime({ offset: true }).describe("When the prediction was made, ISO 8601 with an offset"),
    // Any JSON object: its values are checked (and only counted) later. A custom check, because a record
    // schema would validate every key of every row, the most expensive part of a 10,000-row batch.
    features: z
      .custom<Record<string, unknown>>(
        (v) => typeof v === "object" && v !== null && !Array.isArray(v),
        "must be an object of feature values",
      )
      .meta({ type: "object", additionalProperties: true })
      .describe("The model's inputs, as the service saw them (NaN and Infinity are accepted here and counted)"),
    prediction: z
      .union([finite("the model's output"), z.string().min(1).max(200)])
      .describe("The class (classification: a label or an integer) or a number (regression)"),
    confidence: probability.optional().describe("The model's confidence in its prediction, 0 to 1"),
    probabilities: z
      .record(z.string().min(1).max(200), probability)
      .refine((p) => Object.keys(p).length > 0, "name at least one class")
      .optional()
      .describe("Class probabilities instead of (or besides) confidence"),
    latencyMs: finite("milliseconds")
      .min(0, "must be at least 0")
      .max(3_600_000, "must be at most 3,600,000 (an hour)")
      .optional(),
    arm: z.enum(predictionArmEnum.enumValues).default("champion").describe("Which traffic arm answered"),
  })
  .strict();
export type PredictionRow = z.infer<typeof predictionRow>;

export const predictionBatch = z
  .object({ predictions: z.array(predictionRow).min(1, "send at least one prediction").max(MAX_BATCH_ROWS) })
  .strict();

export const dataQualityProblems = ["missingFeature", "extraFeature", "nonFinite", "wrongType", "newCategory"] as const;
export type DataQualityProblem = (typeof dataQualityProblems)[number];

const counts = z.object(
  Object.fromEntries(dataQualityProblems.map((p) => [p, z.number().int()])) as Record<DataQualityProblem, z.ZodNumber>,
);

/** The 201 answer. */
export const ingestResult = z.object({
  accepted: z.number().int().describe("Rows stored"),
  dataQuality: counts
    .extend({
      rowsWithProblems: z.number().int().describe("Rows with at least one feature-level problem (all stored)"),
      byFeature: z.record(z.string(), z.record(z.string(), z.number().int())).describe("Problem counts per feature"),
      notChecked: z
        .record(z.string(), z.array(z.enum(dataQualityProblems)))
        .describe(
          "Per model, the checks that could not be made: with no declared features only non-finite values are checked",
        ),
    })
    .describe("Feature-level problems found, counted per problem (each occurrence once)"),
});
export type IngestResult = z.infer<typeof ingestResult>;
