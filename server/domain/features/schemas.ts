import { z } from "zod";
import { modelName } from "@/server/domain/registry/schemas";
import { FEATURE_KINDS, versionRef } from "@/server/domain/references/schemas";

export const featureName = z.string().trim().min(1).max(200);

export const modelFeaturesInput = z.object({ model: modelName });

/** Declare the features a version's current reference proposes (kind and categories; importance is kept). */
export const applyProposalInput = versionRef;
export type ApplyProposalInput = z.input<typeof applyProposalInput>;

export const updateFeatureInput = z.object({
  model: modelName,
  name: featureName,
  kind: z.enum(FEATURE_KINDS),
  important: z.boolean(),
});
export type UpdateFeatureInput = z.input<typeof updateFeatureInput>;

export const removeFeatureInput = z.object({ model: modelName, name: featureName });
export type RemoveFeatureInput = z.input<typeof removeFeatureInput>;
