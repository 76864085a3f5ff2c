import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";
import { releaseStatus } from "@/server/domain/releases/status";

/** A release request's status (pending, approved, rejected) and, once decided, who decided, when and why. */
export const GET = apiRoute<{ id: string }>("registry:read", async ({ ctx, params }) =>
  json(await releaseStatus(ctx, { id: params.id })),
);
