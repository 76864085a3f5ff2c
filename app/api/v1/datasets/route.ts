import { json } from "@/server/http/errors";
import { readJsonBody } from "@/server/http/body";
import { apiRoute } from "@/server/http/handler";
import { registerDataset } from "@/server/domain/registry/datasets";
import { registerDatasetInput } from "@/server/domain/registry/schemas";

/** 201 when a new dataset version was recorded, 200 when the same content was posted again (idempotent). */
export const POST = apiRoute("datasets:write", async ({ req, ctx }) => {
  const { dataset, created } = await registerDataset(ctx, registerDatasetInput.parse(await readJsonBody(req)));
  return json(dataset, created ? 201 : 200);
});
