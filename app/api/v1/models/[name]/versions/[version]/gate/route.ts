import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";
import { gateVerdict } from "@/server/domain/gate/verdict";

/** The gate as it stands now for a version: the same checks as its page, each passed, failed or short of evidence. */
export const GET = apiRoute<{ name: string; version: string }>("registry:read", async ({ ctx, params }) =>
  json(await gateVerdict(ctx, { model: params.name, version: params.version })),
);
