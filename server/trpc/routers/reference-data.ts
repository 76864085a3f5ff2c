import { getReferenceView } from "@/server/domain/references/queries";
import { uploadReferenceInput, versionRef, windowReferenceInput } from "@/server/domain/references/schemas";
import { referenceAnswer, uploadReference } from "@/server/domain/references/upload";
import { setWindowReference } from "@/server/domain/references/window";
import { authorizedProcedure, router } from "../init";

/** A model version's reference data: what drift is measured against. */
export const referenceDataRouter = router({
  forVersion: authorizedProcedure("registry:read")
    .input(versionRef)
    .query(({ ctx, input }) => getReferenceView(ctx, input)),
  // The web upload: a CSV or JSON file's text (the tRPC route allows it a bigger body; the API takes 32 MB).
  upload: authorizedProcedure("reference:write")
    .input(uploadReferenceInput)
    .mutation(async ({ ctx, input }) => referenceAnswer(input.model, input.version, await uploadReference(ctx, input))),
  fromWindow: authorizedProcedure("reference:write")
    .input(windowReferenceInput)
    .mutation(async ({ ctx, input }) =>
      referenceAnswer(input.model, input.version, await setWindowReference(ctx, input)),
    ),
});
