import bcrypt from "bcryptjs";
import { z } from "zod";

// Cost 10 keeps sign-in around 60 ms on these machines while staying above OWASP's minimum for bcrypt.
const COST = 10;
/** bcrypt reads only the first 72 bytes: a longer password would silently match any password sharing them. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 10;

export const passwordBytes = (password: string) => Buffer.byteLength(password, "utf8");
export const fitsBcrypt = (password: string) => passwordBytes(password) <= MAX_PASSWORD_BYTES;

/** Every place a password is set (admin, CLI, change, forced reset) uses this one rule. */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
  .refine(fitsBcrypt, `use at most ${MAX_PASSWORD_BYTES} bytes (UTF-8); longer passwords are cut short by bcrypt`);

export const hashPassword = (password: string) => bcrypt.hash(password, COST);
export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

let dummy: Promise<string> | undefined;
/**
 * Compares against a hash of the same cost when there is no real one (unknown or disabled email, an
 * over-long password), so those answers take as long as a wrong password and do not reveal which it was.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword("ratchet-dummy-password-for-timing");
  await verifyPassword(password.slice(0, MAX_PASSWORD_BYTES), await dummy);
  return false;
}
