import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";
import { getChampion } from "@/server/domain/registry/versions";

export const GET = apiRoute<{ name: string }>("registry:read", async ({ ctx, params }) => json(await getChampion(ctx, params.name)));
