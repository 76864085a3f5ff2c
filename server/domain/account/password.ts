import { eq } from "drizzle-orm";
import type { z } from "zod";
import { users } from "@/db/schema";
import { appendAudit } from "../audit";
import type { DomainContext } from "../context";
import { InvalidInputError } from "../errors";
import { fitsBcrypt, hashPassword, verifyPassword } from "../admin/passwords";
import { selfOf } from "./self";
import { recordSignInFailure, recordSignInSuccess, throttleMessage, throttleStatus } from "./throttle";

import { changePasswordInput } from "./schemas";

export { changePasswordInput } from "./schemas";

/**
 * A signed-in person replaces their password (the current one is required, and guesses at it count
 * against the same per-account throttle as sign-in). All their sessions end, this one included: they
 * sign in again with the new password. Also how a forced reset is completed.
 */
export async function changePassword(ctx: DomainContext, raw: z.input<typeof changePasswordInput>) {
  const me = selfOf(ctx);
  const input = changePasswordInput.parse(raw);
  const throttled = await throttleStatus(ctx.db, me.email, null);
  if (throttled) {
    throw new InvalidInputError("currentPassword", throttleMessage(throttled));
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.id, me.id));
  const currentOk =
    fitsBcrypt(input.currentPassword) && (await verifyPassword(input.currentPassword, user!.passwordHash));
  if (!currentOk) {
    await recordSignInFailure(ctx.db, me.email, null);
    throw new InvalidInputError("currentPassword", "is not your current password");
  }
  if (await verifyPassword(input.newPassword, user!.passwordHash)) {
    throw new InvalidInputError("newPassword", "choose a password different from the current one");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await recordSignInSuccess(ctx.db, me.email);
  const now = new Date();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        passwordHash,
        passwordChangedAt: now,
        passwordResetRequired: false,
        sessionsValidAfter: now,
        updatedAt: now,
      })
      .where(eq(users.id, me.id));
    await appendAudit(tx, me, {
      action: "user.password_changed",
      entityType: "user",
      entityId: me.id,
      before: { passwordResetRequired: user!.passwordResetRequired },
      after: { passwordChangedAt: now, passwordResetRequired: false },
    });
  });
}
