import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { ANONYMOUS_SIGN_IN, appendAudit, type AnonymousActor } from "../audit";
import { burnPasswordCheck, fitsBcrypt, verifyPassword } from "../admin/passwords";
import { verifySecondFactor } from "./mfa";
import { recordSignInFailure, recordSignInSuccess, throttleStatus, type Throttled } from "./throttle";

export interface SignInAttempt {
  email: string;
  password: string;
  /** TOTP code or recovery code, when the account has a second factor. */
  code?: string | undefined;
  address: string;
}

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string }; sessionsValidAfter: Date | null }
  | { ok: false; reason: "invalid" | "mfa_required" | "mfa_invalid" }
  | { ok: false; reason: "throttled"; throttled: Throttled };

const normalizeEmail = (email: string) => email.trim().toLowerCase().slice(0, 254);

async function lookUp(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const known = user && !user.disabled ? user : null;
  const actor = known
    ? { kind: "user" as const, id: known.id, email: known.email, name: known.name, roles: known.roles }
    : ANONYMOUS_SIGN_IN;
  return { known, actor };
}

const auditFor =
  (db: Db, email: string, address: string) =>
  (actor: Principal | AnonymousActor, action: string, entityId: string, after: Record<string, unknown>) =>
    db.transaction((tx) =>
      appendAudit(tx, actor, { action, entityType: "user", entityId, after: { email, address, ...after } }),
    );

/**
 * The throttle check alone, audited when it refuses: the sign-in itself and the credentials endpoint
 * (which answers 429 before next-auth runs) both use it.
 */
export async function refuseIfThrottled(db: Db, rawEmail: string, address: string): Promise<Throttled | null> {
  const email = normalizeEmail(rawEmail);
  const throttled = await throttleStatus(db, email, address);
  if (throttled) {
    const { known, actor } = await lookUp(db, email);
    await auditFor(db, email, address)(actor, "auth.sign_in_throttled", known?.id ?? email, { scope: throttled.scope });
  }
  return throttled;
}

/**
 * The whole sign-in check: throttle first (a throttled attempt never reaches a password comparison), then
 * the password (unknown and disabled emails and over-long passwords cost the same bcrypt time as a wrong
 * one), then the second factor. Failures count against the account and the address; every outcome but
 * "second factor needed" is audited with the email tried and the address, never the password.
 */
export async function signInWithPassword(db: Db, attempt: SignInAttempt): Promise<SignInResult> {
  const email = normalizeEmail(attempt.email);
  const throttled = await refuseIfThrottled(db, email, attempt.address);
  if (throttled) return { ok: false, reason: "throttled", throttled };

  const { known, actor } = await lookUp(db, email);
  const audit = auditFor(db, email, attempt.address);

  const passwordOk =
    known && fitsBcrypt(attempt.password)
      ? await verifyPassword(attempt.password, known.passwordHash)
      : await burnPasswordCheck(attempt.password);
  if (!known || !passwordOk) {
    await recordSignInFailure(db, email, attempt.address);
    await audit(actor, "auth.sign_in_failed", known?.id ?? email, { reason: "password" });
    return { ok: false, reason: "invalid" };
  }

  if (known.mfaEnabledAt && known.mfaSecret) {
    if (!attempt.code?.trim()) return { ok: false, reason: "mfa_required" };
    if (!(await verifySecondFactor(db, known.id, known.mfaSecret, attempt.code))) {
      await recordSignInFailure(db, email, attempt.address);
      await audit(actor, "auth.sign_in_failed", known.id, { reason: "second_factor" });
      return { ok: false, reason: "mfa_invalid" };
    }
  }

  await recordSignInSuccess(db, email);
  await audit(actor, "auth.signed_in", known.id, { secondFactor: Boolean(known.mfaEnabledAt) });
  return {
    ok: true,
    user: { id: known.id, email: known.email, name: known.name },
    sessionsValidAfter: known.sessionsValidAfter,
  };
}
