import { getDatabase } from "@/server/db";
import { authenticateApiKey } from "@/server/domain/admin/apiKeys";
import type { Permission } from "@/server/authz/policy";
import { authorize, type DomainContext } from "@/server/domain/context";
import { UnauthenticatedError } from "@/server/domain/errors";
import { errorResponse } from "./errors";
import "@/server/validation/messages"; // plain-language validation messages for every API route

type Params = Record<string, string>;
type Handler<P extends Params> = (args: { req: Request; ctx: DomainContext; params: P }) => Promise<Response>;

/**
 * Wraps an /api/v1 route: resolves the bearer API key to a principal, checks the route's permission with
 * the same policy as the web (the domain functions check again), and maps every error to one JSON shape.
 */
export function apiRoute<P extends Params>(permission: Permission, handler: Handler<P>) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const { db } = await getDatabase();
      const header = req.headers.get("authorization") ?? "";
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match?.[1] ? await authenticateApiKey(db, match[1]) : null;
      if (!principal) {
        throw new UnauthenticatedError(
          match ? "The API key is unknown or revoked." : "Send an API key as `Authorization: Bearer <key>`.",
        );
      }
      const ctx = { db, principal };
      authorize(ctx, permission); // before the body is even read: a key without the scope learns nothing
      return await handler({ req, ctx, params: await route.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
