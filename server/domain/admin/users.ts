import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { ROLES, type Principal } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors";
import { hashPassword, verifyPassword } from "./passwords";

export const role = z.enum(ROLES);
export const createUserInput = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().min(1).max(200).optional(),
  password: z.string().min(10, "use at least 10 characters").max(200),
  roles: z.array(role).min(1, "give the person at least one role"),
});
export const setRolesInput = z.object({ userId: z.uuid(), roles: z.array(role) });
export const setDisabledInput = z.object({ userId: z.uuid(), disabled: z.boolean() });

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  roles: users.roles,
  disabled: users.disabled,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export async function listUsers(ctx: DomainContext) {
  authorize(ctx, "users:manage");
  return ctx.db.select(publicColumns).from(users).orderBy(asc(users.email));
}

export async function createUser(ctx: DomainContext, raw: z.input<typeof createUserInput>) {
  const actor = authorize(ctx, "users:manage");
  const input = createUserInput.parse(raw);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name ?? input.email.split("@")[0]!, passwordHash, roles: [...new Set(input.roles)] })
      .onConflictDoNothing({ target: users.email })
      .returning(publicColumns);
    if (!created) throw new ConflictError(`A user with email ${input.email} already exists.`);
    await appendAudit(tx, actor, { action: "user.created", entityType: "user", entityId: created.id, after: created });
    return created;
  });
}

async function updateUser(
  ctx: DomainContext,
  userId: string,
  action: string,
  change: Partial<{ roles: z.infer<typeof role>[]; disabled: boolean }>,
) {
  const actor = authorize(ctx, "users:manage");
  if (actor.kind === "user" && actor.id === userId && (change.disabled === true || (change.roles && !change.roles.includes("admin")))) {
    // Keeps at least the acting admin able to undo a mistake.
    throw new InvalidInputError(change.disabled ? "disabled" : "roles", "you cannot disable yourself or remove your own admin role");
  }
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select(publicColumns).from(users).where(eq(users.id, userId)).for("update");
    if (!before) throw new NotFoundError("User");
    const [after] = await tx
      .update(users)
      .set({ ...change, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning(publicColumns);
    await appendAudit(tx, actor, { action, entityType: "user", entityId: userId, before, after });
    return after!;
  });
}

export async function setRoles(ctx: DomainContext, raw: z.input<typeof setRolesInput>) {
  const input = setRolesInput.parse(raw);
  return updateUser(ctx, input.userId, "user.roles_changed", { roles: [...new Set(input.roles)] });
}

export async function setDisabled(ctx: DomainContext, raw: z.input<typeof setDisabledInput>) {
  const input = setDisabledInput.parse(raw);
  return updateUser(ctx, input.userId, input.disabled ? "user.disabled" : "user.enabled", { disabled: input.disabled });
}

/** Sign-in check. Returns null for a wrong password, an unknown email or a disabled account alike. */
export async function verifyCredentials(db: Db, email: string, password: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  if (!user || user.disabled) return null;
  return (await verifyPassword(password, user.passwordHash)) ? { id: user.id, email: user.email, name: user.name } : null;
}

/**
 * Loads the person behind a session on every request, so role changes and disabling take effect on
 * the next request rather than when the session token expires.
 */
export async function loadActivePrincipal(db: Db, userId: string): Promise<Principal | null> {
  const [user] = await db.select(publicColumns).from(users).where(eq(users.id, userId));
  if (!user || user.disabled) return null;
  return { kind: "user", id: user.id, email: user.email, name: user.name, roles: user.roles };
}
