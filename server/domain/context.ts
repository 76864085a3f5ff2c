import type { Db } from "@/db/client";
import { can, pendingStepMessage, type Permission, type Principal } from "@/server/authz/policy";
import { ForbiddenError, UnauthenticatedError } from "./errors";

/** What every domain function receives: the database and who is asking (null when nobody signed in). */
export interface DomainContext {
  db: Db;
  principal: Principal | null;
}

/** Throws unless the principal holds the permission. Domain functions call this first. */
export function authorize(ctx: DomainContext, permission: Permission): Principal {
  if (!ctx.principal) throw new UnauthenticatedError();
  if (!can(ctx.principal, permission)) throw new ForbiddenError(permission, pendingStepMessage(ctx.principal));
  return ctx.principal;
}
