import { ZodError } from "zod";
import {
  BusyError,
  ConflictError,
  IdempotencyKeyReusedError,
  ForbiddenError,
  FourEyesError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
} from "@/server/domain/errors";
import { internalErrorMessage, logInternalError } from "@/server/internal-error";

export interface ApiErrorBody {
  error: string;
  message: string;
  issues?: { field: string; reason: string }[];
  /** Only on a 500: the id the server log has the detail under. */
  errorId?: string;
}

export const json = (body: unknown, status = 200, headers: HeadersInit = {}) =>
  Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });

export const badRequest = (message: string, issues?: ApiErrorBody["issues"]) =>
  json({ error: "invalid_request", message, issues } satisfies ApiErrorBody, 400);

/**
 * The HTTP API's one mapping from domain errors to status codes; unknown errors become a 500 with a
 * generic message and an error id, the detail logged under that id.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({ field: i.path.join(".") || "body", reason: i.message }));
    return badRequest(issues.map((i) => `${i.field}: ${i.reason}`).join("; "), issues);
  }
  if (error instanceof PayloadTooLargeError) {
    return json(
      {
        error: "payload_too_large",
        message: error.message,
        issues: [{ field: error.field, reason: error.reason }],
      } satisfies ApiErrorBody,
      413,
    );
  }
  if (error instanceof BusyError) {
    return json({ error: "busy", message: error.message } satisfies ApiErrorBody, 503, {
      "retry-after": String(error.retryAfterSeconds),
    });
  }
  if (error instanceof InvalidInputError)
    return badRequest(error.message, [{ field: error.field, reason: error.reason }]);
  if (error instanceof UnauthenticatedError) {
    return json({ error: "unauthorized", message: error.message }, 401, { "www-authenticate": "Bearer" });
  }
  if (error instanceof ForbiddenError || error instanceof FourEyesError)
    return json({ error: "forbidden", message: error.message }, 403);
  if (error instanceof NotFoundError) return json({ error: "not_found", message: error.message }, 404);
  if (error instanceof ConflictError) return json({ error: "conflict", message: error.message }, 409);
  if (error instanceof IdempotencyKeyReusedError)
    return json({ error: "idempotency_key_reused", message: error.message }, 422);
  const id = logInternalError("API", error);
  return json({ error: "internal", message: internalErrorMessage(id), errorId: id }, 500);
}
