import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { appendAudit } from "../audit";

/**
 * Signing out ends all of the person's sessions, on every device: a copied session cookie is worthless
 * afterwards, since sessions are checked against "sessions valid after" on every request.
 */
export async function signOutEverywhere(db: Db, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const now = new Date();
    const [user] = await tx.update(users).set({ sessionsValidAfter: now }).where(eq(users.id, userId)).returning();
    if (!user) return;
    const actor = { kind: "user" as const, id: user.id, email: user.email, name: user.name, roles: user.roles };
    await appendAudit(tx, actor, {
      action: "auth.signed_out",
      entityType: "user",
      entityId: user.id,
      after: { sessionsValidAfter: now },
    });
  });
}

/**
 * When a new session counts as signed in (ms): now, but always after the person's "sessions valid after"
 * time, so a sign-in in the same millisecond as a sign-out elsewhere is not refused as an old session.
 */
export const sessionStart = (sessionsValidAfter: Date | null, now = Date.now()) =>
  Math.max(now, (sessionsValidAfter?.getTime() ?? 0) + 1);
