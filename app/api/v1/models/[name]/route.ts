import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";
import { getModel } from "@/server/domain/registry/models";

export const GET = apiRoute<{ name: string }>("registry:read", async ({ ctx, params }) =>
  json(await getModel(ctx, params.name)),
);
