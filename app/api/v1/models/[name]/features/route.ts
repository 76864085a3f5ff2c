import { listFeatures } from "@/server/domain/features/declared";
import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";

/** The model's declared features: what ingestion checks traffic against (kind, importance, known categories). */
export const GET = apiRoute<{ name: string }>("registry:read", async ({ ctx, params }) =>
  json(await listFeatures(ctx, { model: params.name })),
);
