import { listDatasets, listDatasetsInput, registerDataset } from "@/server/domain/registry/datasets";
import { registerDatasetInput } from "@/server/domain/registry/schemas";
import { authorizedProcedure, router } from "../init";

export const datasetsRouter = router({
  list: authorizedProcedure("registry:read")
    .input(listDatasetsInput)
    .query(({ ctx, input }) => listDatasets(ctx, input)),
  register: authorizedProcedure("datasets:write")
    .input(registerDatasetInput)
    .mutation(({ ctx, input }) => registerDataset(ctx, input)),
});
