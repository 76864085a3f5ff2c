import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { can, pendingStepMessage, type Permission } from "@/server/authz/policy";
import type { DomainContext } from "@/server/domain/context";
import {
  ConflictError, FourEyesError, type DomainError, ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError,
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
    errorFormatter({ shape, error }) {
      return { ...shape, data: { ...shape.data, stack: undefined, fieldErrors: fieldErrorsOf(error.cause) } };
    },
  });

const CODES: [new (...args: never[]) => DomainError, TRPC_ERROR_CODE_KEY][] = [
  [UnauthenticatedError, "UNAUTHORIZED"],
  [ForbiddenError, "FORBIDDEN"],
  [FourEyesError, "FORBIDDEN"],
  [NotFoundError, "NOT_FOUND"],
  [ConflictError, "CONFLICT"],
  [InvalidInputError, "BAD_REQUEST"],
];

/** Turns typed domain errors (and zod errors from domain parsing) into tRPC codes. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof ZodError) {
      throw new TRPCError({ code: "BAD_REQUEST", message: z.prettifyError(cause), cause });
    }
    const match = CODES.find(([type]) => cause instanceof type);
    if (match && cause) throw new TRPCError({ code: match[1], message: cause.message, cause });
  }
  return result;
});

const requirePermission = t.middleware(({ ctx, meta, next }) => {
  if (!meta?.permission) throw new TRPCError({ code: "FORBIDDEN", message: "This procedure declares no permission." });
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: new UnauthenticatedError().message });
  if (!can(ctx.principal, meta.permission)) {
    throw new TRPCError({ code: "FORBIDDEN", message: new ForbiddenError(meta.permission, pendingStepMessage(ctx.principal)).message });
  }
  return next({ ctx: { db: ctx.db, principal: ctx.principal } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The only way to build a procedure: authorization runs before input is parsed. */
export const authorizedProcedure = (permission: Permission) =>
  t.procedure.meta({ permission }).use(mapDomainErrors).use(requirePermission);
