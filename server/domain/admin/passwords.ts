import bcrypt from "bcryptjs";
import { MAX_PASSWORD_BYTES } from "./schemas";

// Cost 10 keeps sign-in around 60 ms on these machines while staying above OWASP's minimum for bcrypt.
const COST = 10;

// The password rules live with the other admin schemas, which the browser's forms load too.
export { fitsBcrypt, MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, newPassword, passwordBytes } from "./schemas";

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
