import { createHash, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";

/**
 * TOTP (RFC 6238: 30-second steps, 6 digits, SHA-1, as every authenticator app expects) and recovery codes.
 * Pure functions: the database side lives in mfa.ts.
 */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side: a code typed just as it rolls over, or a phone clock a little off, still works. */
export const TOTP_TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

export const newTotpSecret = () => generateSecret();

export const totpUri = (secret: string, account: string) => generateURI({ issuer: "Ratchet", label: account, secret });

const normalizeTotp = (code: string) => code.replace(/\s+/g, "");
export const looksLikeTotp = (code: string) => /^\d{6}$/.test(normalizeTotp(code));

/**
 * The time step `code` belongs to if it is valid for `secret` at `epochSeconds` (now by default), within one
 * step either side; null if not valid. The step lets the caller refuse the same code a second time.
 */
export async function totpTimeStep(
  secret: string,
  code: string,
  epochSeconds = Math.floor(Date.now() / 1000),
): Promise<number | null> {
  const token = normalizeTotp(code);
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({ secret, token, epoch: epochSeconds, epochTolerance: TOTP_TOLERANCE_SECONDS });
  return result.valid ? Math.floor(epochSeconds / TOTP_PERIOD_SECONDS) + result.delta : null;
}

export const checkTotp = async (secret: string, code: string, epochSeconds?: number) =>
  (await totpTimeStep(secret, code, epochSeconds)) !== null;

export const RECOVERY_CODE_COUNT = 10;

/** 80 random bits each, shown once as `xxxxx-xxxxx-xxxxx-xxxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => randomBytes(10).toString("hex").match(/.{5}/g)!.join("-"));
}

/**
 * Recovery codes are random with 80 bits, so a fast hash is enough (nothing to guess from a dictionary) and
 * a code can be found by its hash in one query; dashes, spaces and case are ignored as people retype them.
 */
export function hashRecoveryCode(code: string): string {
  return createHash("sha256")
    .update(code.toLowerCase().replace(/[^0-9a-f]/g, ""))
    .digest("hex");
}
