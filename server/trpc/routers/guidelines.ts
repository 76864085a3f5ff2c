import { z } from "zod";
import {
  guidelineDiff,
  guidelineHistory,
  guidelineVersion,
  publishGuidelines,
} from "@/server/domain/guidelines/guidelines";
import { guidelineDiffInput, guidelineVersionInput, publishGuidelinesInput } from "@/server/domain/guidelines/schemas";
import { modelName } from "@/server/domain/registry/schemas";
import { authorizedProcedure, router } from "../init";

export const guidelinesRouter = router({
  history: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName }))
    .query(({ ctx, input }) => guidelineHistory(ctx, input.model)),
  version: authorizedProcedure("registry:read")
    .input(guidelineVersionInput)
    .query(({ ctx, input }) => guidelineVersion(ctx, input)),
  diff: authorizedProcedure("registry:read")
    .input(guidelineDiffInput)
    .query(({ ctx, input }) => guidelineDiff(ctx, input)),
  publish: authorizedProcedure("guidelines:write")
    .input(publishGuidelinesInput)
    .mutation(({ ctx, input }) => publishGuidelines(ctx, input)),
});
