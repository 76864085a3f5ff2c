import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { can, pendingStepMessage, type Permission } from "@/server/authz/policy";
import { summarizeIssues } from "@/server/validation/messages";
import type { DomainContext } from "@/server/domain/context";
import { internalErrorMessage, logInternalError } from "@/server/internal-error";
import {
  BusyError,
  ConflictError,
  FourEyesError,
  type DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
} from "@/server/domain/errors";

/**
 * The one tRPC setup: context, error formatting and the procedure builder. Every procedure declares the
 * permission it needs; a procedure without one is refused (deny by default).
 */
export interface Meta {
  permission: Permission;
}

function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof ZodError) {
    const out: Record<string, string[]> = {};
    for (const issue of cause.issues) (out[issue.path.join(".") || "input"] ??= []).push(issue.message);
    return out;
  }
  if (cause instanceof InvalidInputError) return { [cause.field]: [cause.reason] };
  return null;
}

const t = initTRPC
  .context<DomainContext>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error, path }) {
      let message = shape.message;
      // Procedures already replaced their unexpected errors (see mapDomainErrors); this catches the rest,
      // such as a failure while creating the context.
      if (error.code === "INTERNAL_SERVER_ERROR" && !(error instanceof InternalError)) {
        message = internalErrorMessage(logInternalError(`tRPC ${path ?? "?"}`, error.cause ?? error));
      }
      return { ...shape, message, data: { ...shape.data, stack: undefined, fieldErrors: fieldErrorsOf(error.cause) } };
    },
  });

const CODES: [new (...args: never[]) => DomainError, TRPC_ERROR_CODE_KEY][] = [
  [UnauthenticatedError, "UNAUTHORIZED"],
  [ForbiddenError, "FORBIDDEN"],
  [FourEyesError, "FORBIDDEN"],
  [NotFoundError, "NOT_FOUND"],
  [ConflictError, "CONFLICT"],
  // Before InvalidInputError, of which it is a kind: the first match wins.
  [PayloadTooLargeError, "PAYLOAD_TOO_LARGE"],
  [InvalidInputError, "BAD_REQUEST"],
  [BusyError, "SERVICE_UNAVAILABLE"],
];

/**
 * An unexpected error already logged under its id; its message is the generic one. `digest` carries the
 * same id: when a server component's call fails, Next keeps an error's own digest (instead of hashing one)
 * and hands it to app/error.tsx, so the page shows the id the log has.
 */
export class InternalError extends TRPCError {
  readonly digest: string;
  constructor(path: string, cause: unknown) {
    const id = logInternalError(`tRPC ${path}`, cause);
    super({ code: "INTERNAL_SERVER_ERROR", message: internalErrorMessage(id) });
    this.digest = id;
  }
}

/**
 * Turns typed domain errors (and zod errors from domain parsing) into tRPC codes, and anything else
 * into a generic message with an error id (server-side callers see the same as the browser).
 */
const mapDomainErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof ZodError) {
      throw new TRPCError({ code: "BAD_REQUEST", message: summarizeIssues(cause), cause });
    }
    const match = CODES.find(([type]) => cause instanceof type);
    if (match && cause) throw new TRPCError({ code: match[1], message: cause.message, cause });
    if (result.error.code === "INTERNAL_SERVER_ERROR" && !(result.error instanceof InternalError)) {
      throw new InternalError(path, cause ?? result.error);
    }
  }
  return result;
});

const requirePermission = t.middleware(({ ctx, meta, next }) => {
  if (!meta?.permission) throw new TRPCError({ code: "FORBIDDEN", message: "This procedure declares no permission." });
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: new UnauthenticatedError().message });
  if (!can(ctx.principal, meta.permission)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: new ForbiddenError(meta.permission, pendingStepMessage(ctx.principal)).message,
    });
  }
  return next({ ctx: { db: ctx.db, principal: ctx.principal } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The only way to build a procedure: authorization runs before input is parsed. */
export const authorizedProcedure = (permission: Permission) =>
  t.procedure.meta({ permission }).use(mapDomainErrors).use(requirePermission);
