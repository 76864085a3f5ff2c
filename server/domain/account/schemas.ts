import { z } from "zod";
import { newPassword } from "../admin/schemas";

/** Input schemas of a person's own account verbs; the browser's forms validate with these too (no database imports). */
export const changePasswordInput = z.object({ currentPassword: z.string().min(1).max(1000), newPassword });
export const confirmMfaInput = z.object({ code: z.string().min(1).max(20) });
export const disableMfaInput = z.object({ password: z.string().min(1).max(1000) });
