import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";
import { getChampion } from "@/server/domain/registry/versions";
import { championAt } from "@/server/domain/releases/queries";

/** The champion now (with config, challenger, strategy and share), or with `?at=ISO-time` who was champion then. */
export const GET = apiRoute<{ name: string }>("registry:read", async ({ req, ctx, params }) => {
  const at = new URL(req.url).searchParams.get("at");
  return json(at === null ? await getChampion(ctx, params.name) : await championAt(ctx, { model: params.name, at }));
});
