import { z } from "zod";
import { modelName } from "@/server/domain/registry/schemas";
import { decideSetInput, proposeSetInput } from "@/server/domain/requirements/schemas";
import {
  decideRequirementSet,
  pendingRequirementSets,
  proposeRequirementSet,
  requirementHistory,
  requirementHistoryPage,
} from "@/server/domain/requirements/sets";
import { tighteningSuggestions } from "@/server/domain/requirements/suggestions";
import { authorizedProcedure, router } from "../init";

export const requirementsRouter = router({
  history: authorizedProcedure("registry:read")
    .input(requirementHistoryPage.partial().extend({ model: modelName }))
    .query(({ ctx, input: { model, ...page } }) => requirementHistory(ctx, model, page)),
  pending: authorizedProcedure("registry:read").query(({ ctx }) => pendingRequirementSets(ctx)),
  suggestions: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName }))
    .query(({ ctx, input }) => tighteningSuggestions(ctx, input.model)),
  propose: authorizedProcedure("requirements:propose")
    .input(proposeSetInput)
    .mutation(({ ctx, input }) => proposeRequirementSet(ctx, input)),
  decide: authorizedProcedure("requirements:decide")
    .input(decideSetInput)
    .mutation(({ ctx, input }) => decideRequirementSet(ctx, input)),
});
