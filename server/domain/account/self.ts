import type { Principal } from "@/server/authz/policy";
import { authorize, type DomainContext } from "../context";
import { ForbiddenError } from "../errors";

/** The signed-in person acting on their own account; keys and the console have no account. */
export function selfOf(ctx: DomainContext): Extract<Principal, { kind: "user" }> {
  const principal = authorize(ctx, "account:self");
  if (principal.kind !== "user") throw new ForbiddenError("account:self");
  return principal;
}
