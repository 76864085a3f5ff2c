import { cache } from "react";
import type { Principal } from "@/server/authz/policy";
import { auth } from "@/server/auth";
import { getDatabase } from "@/server/db";
import { loadActivePrincipal } from "@/server/domain/admin/users";
import type { DomainContext } from "@/server/domain/context";

/**
 * The signed-in person for this request, read fresh from the database: null if signed out, disabled, or
 * if the session began before the person's sessions were ended (sign-out, password or role change).
 * Read once per request: the layout and the page both ask, and React's `cache` makes that one lookup
 * (outside a server render, e.g. in a route handler, it simply runs each time).
 */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const { db } = await getDatabase();
  return loadActivePrincipal(db, userId, (session as { signedInAt?: number }).signedInAt ?? 0);
});

export async function requestContext(): Promise<DomainContext> {
  const [{ db }, principal] = await Promise.all([getDatabase(), currentPrincipal()]);
  return { db, principal };
}
