import { z } from "zod";
import { ROLES, SCOPES } from "@/server/authz/policy";

/**
 * Input schemas of the admin verbs, apart from the verbs so the browser's forms validate with the very
 * same rules (this module imports neither the database nor node built-ins).
 */

/** bcrypt reads only the first 72 bytes: a longer password would silently match any password sharing them. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 10;

export const passwordBytes = (password: string) => new TextEncoder().encode(password).length;
export const fitsBcrypt = (password: string) => passwordBytes(password) <= MAX_PASSWORD_BYTES;

/** Every place a password is set (admin, CLI, change, forced reset) uses this one rule. */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
  .refine(fitsBcrypt, `use at most ${MAX_PASSWORD_BYTES} bytes (UTF-8); longer passwords are cut short by bcrypt`);

/** An email address as people and keys are named by: at most 254 characters (RFC 5321's path limit), stored lower-case. */
export const emailAddress = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());

export const role = z.enum(ROLES);
export const createUserInput = z.object({
  email: emailAddress,
  name: z.string().min(1).max(200).optional(),
  password: newPassword,
  roles: z.array(role).min(1, "give the person at least one role"),
});
export const setRolesInput = z.object({ userId: z.uuid(), roles: z.array(role) });
export const setDisabledInput = z.object({ userId: z.uuid(), disabled: z.boolean() });
export const forcePasswordResetInput = z.object({ userId: z.uuid(), temporaryPassword: newPassword });

export const createKeyInput = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(z.enum(SCOPES)).min(1, "give the key at least one scope"),
    /** The person the key acts for (by email or id): what it does counts as theirs for four eyes. */
    ownerEmail: emailAddress.optional(),
    ownerUserId: z.uuid().optional(),
  })
  .refine((i) => i.ownerEmail || i.ownerUserId, { path: ["ownerEmail"], message: "name the person who owns the key" });
export const revokeKeyInput = z.object({ id: z.uuid() });
