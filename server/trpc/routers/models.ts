import { z } from "zod";
import { positiveInt32 } from "@/server/domain/ints";
import { overviewFor } from "@/server/domain/overview/overview";
import { createModel, getModel, listModels } from "@/server/domain/registry/models";
import { updateModelCard, updateVersionNotes } from "@/server/domain/registry/documents";
import {
  createModelInput,
  listModelsInput,
  modelName,
  registerVersionInput,
  updateModelCardInput,
  updateVersionNotesInput,
} from "@/server/domain/registry/schemas";
import { diffVersions, getVersion, registerVersion } from "@/server/domain/registry/versions";
import { setVersionArchived } from "@/server/domain/registry/archive";
import {
  archiveVersionInput,
  listVersionsInput,
  modelTagsInput,
  versionTagsInput,
} from "@/server/domain/registry/list-schemas";
import { changeModelTags, changeVersionTags } from "@/server/domain/registry/tags";
import { listVersions } from "@/server/domain/registry/version-list";
import { authorizedProcedure, router } from "../init";

const versionNumber = positiveInt32();

export const modelsRouter = router({
  /** The landing page: what needs the signed-in person now, and every model's champion. */
  overview: authorizedProcedure("registry:read").query(({ ctx }) => overviewFor(ctx)),
  list: authorizedProcedure("registry:read")
    .input(listModelsInput)
    .query(({ ctx, input }) => listModels(ctx, input)),
  byName: authorizedProcedure("registry:read")
    .input(z.object({ name: modelName }))
    .query(({ ctx, input }) => getModel(ctx, input.name)),
  create: authorizedProcedure("models:write")
    .input(createModelInput)
    .mutation(({ ctx, input }) => createModel(ctx, input)),
  registerVersion: authorizedProcedure("versions:write")
    .input(registerVersionInput.extend({ model: modelName }))
    .mutation(({ ctx, input: { model, ...version } }) => registerVersion(ctx, model, version)),
  /** The model card (Markdown): whoever may register models edits it. */
  updateCard: authorizedProcedure("models:write")
    .input(updateModelCardInput)
    .mutation(({ ctx, input }) => updateModelCard(ctx, input)),
  /** A version's notes (Markdown): whoever may register versions edits them. */
  updateNotes: authorizedProcedure("versions:write")
    .input(updateVersionNotesInput)
    .mutation(({ ctx, input }) => updateVersionNotes(ctx, input)),
  version: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName, version: versionNumber }))
    .query(({ ctx, input }) => getVersion(ctx, input.model, input.version)),
  versions: authorizedProcedure("registry:read")
    .input(listVersionsInput)
    .query(({ ctx, input }) => listVersions(ctx, input)),
  tagModel: authorizedProcedure("models:write")
    .input(modelTagsInput)
    .mutation(({ ctx, input }) => changeModelTags(ctx, input)),
  tagVersion: authorizedProcedure("versions:write")
    .input(versionTagsInput)
    .mutation(({ ctx, input }) => changeVersionTags(ctx, input)),
  setArchived: authorizedProcedure("versions:archive")
    .input(archiveVersionInput)
    .mutation(({ ctx, input }) => setVersionArchived(ctx, input)),
  diff: authorizedProcedure("registry:read")
    .input(z.object({ model: modelName, from: versionNumber, to: versionNumber }))
    .query(({ ctx, input }) => diffVersions(ctx, input.model, input.from, input.to)),
});
