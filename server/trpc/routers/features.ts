import { applyFeatureProposal, listFeatures, removeFeature, updateFeature } from "@/server/domain/features/declared";
import {
  applyProposalInput,
  modelFeaturesInput,
  removeFeatureInput,
  updateFeatureInput,
} from "@/server/domain/features/schemas";
import { authorizedProcedure, router } from "../init";

/** A model's declared features: proposed from a reference, edited by a data scientist. */
export const featuresRouter = router({
  list: authorizedProcedure("registry:read")
    .input(modelFeaturesInput)
    .query(({ ctx, input }) => listFeatures(ctx, input)),
  applyProposal: authorizedProcedure("models:write")
    .input(applyProposalInput)
    .mutation(({ ctx, input }) => applyFeatureProposal(ctx, input)),
  update: authorizedProcedure("models:write")
    .input(updateFeatureInput)
    .mutation(({ ctx, input }) => updateFeature(ctx, input)),
  remove: authorizedProcedure("models:write")
    .input(removeFeatureInput)
    .mutation(({ ctx, input }) => removeFeature(ctx, input)),
});
