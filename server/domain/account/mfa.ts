import { and, eq, isNull, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { RateLimiterDrizzle } from "rate-limiter-flexible";
import type { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { rateLimits, userRecoveryCodes, users } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/server/crypto";
import { env } from "@/server/env";
import { appendAudit } from "../audit";
import type { DomainContext } from "../context";
import { ConflictError, InvalidInputError } from "../errors";
import { verifyPassword } from "../admin/passwords";
import { selfOf } from "./self";
import {
  checkTotp,
  hashRecoveryCode,
  looksLikeTotp,
  newRecoveryCodes,
  newTotpSecret,
  totpTimeStep,
  totpUri,
} from "./totp";

import { confirmMfaInput, disableMfaInput } from "./schemas";

export { confirmMfaInput, disableMfaInput } from "./schemas";

const mfaRequiredFor = (roles: readonly string[]) =>
  env().RATCHET_REQUIRE_MFA === "managers" && roles.some((r) => r === "manager" || r === "admin");

async function loadSelf(db: Db | Tx, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user!;
}

export async function mfaStatus(ctx: DomainContext) {
  const me = selfOf(ctx);
  const user = await loadSelf(ctx.db, me.id);
  const [left] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.userId, me.id), isNull(userRecoveryCodes.usedAt)));
  return { enabledAt: user.mfaEnabledAt, recoveryCodesLeft: left?.n ?? 0, required: mfaRequiredFor(user.roles) };
}

/** Starts enrollment: a new secret, kept encrypted until a code from the person's app confirms it. */
export async function beginMfaEnrollment(ctx: DomainContext) {
  const me = selfOf(ctx);
  const user = await loadSelf(ctx.db, me.id);
  if (user.mfaEnabledAt)
    throw new ConflictError("A second factor is already enabled; disable it first to set up a new one.");
  const secret = newTotpSecret();
  await ctx.db
    .update(users)
    .set({ mfaSecret: encryptSecret(secret) })
    .where(eq(users.id, me.id));
  const uri = totpUri(secret, user.email);
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
}

/** Enables the second factor once a code proves the app has the secret; returns the recovery codes, once. */
export async function confirmMfaEnrollment(ctx: DomainContext, raw: z.input<typeof confirmMfaInput>) {
  const me = selfOf(ctx);
  const input = confirmMfaInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, me.id)).for("update");
    if (user!.mfaEnabledAt) throw new ConflictError("A second factor is already enabled.");
    if (!user!.mfaSecret) throw new InvalidInputError("code", "start setting up the second factor first");
    if (!(await checkTotp(decryptSecret(user!.mfaSecret), input.code))) {
      throw new InvalidInputError(
        "code",
        "that code is not valid: enter the current code from your app (check the phone's clock)",
      );
    }
    const enabledAt = new Date();
    await tx.update(users).set({ mfaEnabledAt: enabledAt, updatedAt: enabledAt }).where(eq(users.id, me.id));
    const recoveryCodes = await replaceRecoveryCodes(tx, me.id);
    await appendAudit(tx, me, {
      action: "user.mfa_enabled",
      entityType: "user",
      entityId: me.id,
      after: { mfaEnabledAt: enabledAt },
    });
    return { recoveryCodes };
  });
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
  await tx.insert(userRecoveryCodes).values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
  return codes;
}

/** Turning the second factor off needs the password, and is refused where the server requires it. */
export async function disableMfa(ctx: DomainContext, raw: z.input<typeof disableMfaInput>) {
  const me = selfOf(ctx);
  const input = disableMfaInput.parse(raw);
  const user = await loadSelf(ctx.db, me.id);
  if (mfaRequiredFor(user.roles))
    throw new InvalidInputError("password", "your role requires a second factor (RATCHET_REQUIRE_MFA)");
  if (!(await verifyPassword(input.password, user.passwordHash)))
    throw new InvalidInputError("password", "is not your current password");
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ mfaSecret: null, mfaEnabledAt: null, updatedAt: new Date() })
      .where(eq(users.id, me.id));
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, me.id));
    await appendAudit(tx, me, {
      action: "user.mfa_disabled",
      entityType: "user",
      entityId: me.id,
      before: { mfaEnabledAt: user.mfaEnabledAt },
    });
  });
}

/**
 * The second step of a sign-in: a current TOTP code, or one of the recovery codes, which is used up in the
 * same statement that accepts it (so two concurrent sign-ins cannot both spend it).
 */
export async function verifySecondFactor(
  db: Db,
  userId: string,
  encryptedSecret: string,
  code: string,
): Promise<boolean> {
  if (looksLikeTotp(code)) {
    const step = await totpTimeStep(decryptSecret(encryptedSecret), code);
    return step !== null && (await firstUseOfTotpStep(db, userId, step));
  }
  const used = await db
    .update(userRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(userRecoveryCodes.userId, userId),
        eq(userRecoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(userRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: userRecoveryCodes.id });
  return used.length > 0;
}

const usedSteps = new WeakMap<Db, RateLimiterDrizzle>();
/**
 * A TOTP code signs in once: a second sign-in with the same code (someone who watched it being typed)
 * is refused. One point per user and time step in the shared rate_limits store, kept past the window.
 */
async function firstUseOfTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  let limiter = usedSteps.get(db);
  if (!limiter) {
    limiter = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: "totp-used",
      points: 1,
      duration: 5 * 60,
    });
    usedSteps.set(db, limiter);
  }
  return limiter.consume(`${userId}:${step}`).then(
    () => true,
    () => false,
  );
}
