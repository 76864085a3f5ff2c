import "server-only";
import { forbidden, notFound, redirect, unauthorized } from "next/navigation";
import { can, type Permission } from "@/server/authz/policy";
import { requestContext } from "@/server/request";
import { createCaller } from "./root";

/**
 * For server components: the tRPC caller for this request, after checking that the signed-in person
 * holds the permission the page needs (Next then renders app/forbidden.tsx or redirects to sign in).
 */
export async function pageCaller(permission: Permission) {
  const ctx = await requestContext();
  if (!ctx.principal) unauthorized();
  if (ctx.principal.kind === "user" && ctx.principal.pending) redirect("/setup");
  if (!can(ctx.principal, permission)) forbidden();
  // An unknown model, version, report or release in the URL is the Not-found page, not a server error.
  const api = createCaller(ctx, {
    onError: ({ error }) => {
      if (error.code === "NOT_FOUND") notFound();
    },
  });
  return { api, principal: ctx.principal, can: (p: Permission) => can(ctx.principal, p) };
}
