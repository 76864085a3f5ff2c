import { z } from "zod";
import { positiveInt32 } from "@/server/domain/ints";
import { decideRelease } from "@/server/domain/releases/decide";
import {
  championAt,
  championAtInput,
  getRelease,
  modelReleases,
  modelReleasesInput,
  modelTimeline,
  modelTimelineInput,
  versionOverrides,
  versionOverridesInput,
  pendingReleases,
  releasePageInput,
} from "@/server/domain/releases/queries";
import { requestRelease } from "@/server/domain/releases/request";
import { rollback } from "@/server/domain/releases/rollback";
import { rollbackOptions } from "@/server/domain/releases/rollback-options";
import { decideReleaseInput, requestReleaseInput, rollbackInput } from "@/server/domain/releases/schemas";
import { previewGate } from "@/server/domain/gate/preview";
import { modelName } from "@/server/domain/registry/schemas";
import { authorizedProcedure, router } from "../init";

export const releasesRouter = router({
  inbox: authorizedProcedure("registry:read")
    .input(releasePageInput)
    .query(({ ctx, input }) => pendingReleases(ctx, input)),
  byId: authorizedProcedure("registry:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getRelease(ctx, input.id)),
  forModel: authorizedProcedure("registry:read")
    .input(modelReleasesInput.extend({ model: modelName }))
    .query(({ ctx, input }) => modelReleases(ctx, input)),
  timeline: authorizedProcedure("registry:read")
    .input(modelTimelineInput.extend({ model: modelName }))
    .query(({ ctx, input }) => modelTimeline(ctx, input)),
  versionOverrides: authorizedProcedure("registry:read")
    .input(versionOverridesInput.extend({ model: modelName }))
    .query(({ ctx, input }) => versionOverrides(ctx, input)),
  rollbackTargets: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName }))
    .query(({ ctx, input }) => rollbackOptions(ctx, input.model)),
  championAt: authorizedProcedure("registry:read")
    .input(championAtInput)
    .query(({ ctx, input }) => championAt(ctx, input)),
  gate: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName, version: positiveInt32() }))
    .query(({ ctx, input }) => previewGate(ctx, input.model, input.version)),
  request: authorizedProcedure("releases:request")
    .input(requestReleaseInput)
    .mutation(({ ctx, input }) => requestRelease(ctx, input)),
  decide: authorizedProcedure("releases:decide")
    .input(decideReleaseInput)
    .mutation(({ ctx, input }) => decideRelease(ctx, input)),
  rollback: authorizedProcedure("releases:decide")
    .input(rollbackInput)
    .mutation(({ ctx, input }) => rollback(ctx, input)),
});
