import { z } from "zod";

/**
 * What the sign-in form sends. Over-long passwords are not cut here: they reach the check and fail like a
 * wrong password (same time). The browser's form validates with this schema too (no server imports).
 */
export const signInInput = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1000),
  code: z.string().trim().max(40).optional(),
});
export type SignInInput = z.input<typeof signInInput>;
