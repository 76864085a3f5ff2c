import { json } from "@/server/http/errors";
import { readJsonBody } from "@/server/http/body";
import { apiRoute } from "@/server/http/handler";
import { createModel, listModels } from "@/server/domain/registry/models";
import { createModelInput, listModelsInput } from "@/server/domain/registry/schemas";

export const GET = apiRoute("registry:read", async ({ req, ctx }) => {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listModels(ctx, listModelsInput.parse(query)));
});

export const POST = apiRoute("models:write", async ({ req, ctx }) => {
  const model = await createModel(ctx, createModelInput.parse(await readJsonBody(req)));
  return json(model, 201, { location: `/api/v1/models/${model.name}` });
});
