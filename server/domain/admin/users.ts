import { and, asc, eq, ilike, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { type PendingStep, type Principal, type Role } from "@/server/authz/policy";
import { env } from "@/server/env";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError, FourEyesError, InvalidInputError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { pageOf, pageParams } from "../pagination";
import { hashPassword } from "./passwords";
import { createUserInput, forcePasswordResetInput, setDisabledInput, setRolesInput } from "./schemas";

export { createUserInput, forcePasswordResetInput, role, setDisabledInput, setRolesInput } from "./schemas";

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  roles: users.roles,
  disabled: users.disabled,
  passwordResetRequired: users.passwordResetRequired,
  mfaEnabledAt: users.mfaEnabledAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export const listUsersInput = pageParams
  .extend({
    /** Part of an email or name. */
    search: z.string().trim().max(254).default(""),
    /** Only people who can act (e.g. to own an API key). */
    activeOnly: z.boolean().default(false),
  })
  .prefault({});

/** People by email, a page at a time. */
export async function listUsers(ctx: DomainContext, raw: z.input<typeof listUsersInput> = {}) {
  authorize(ctx, "users:manage");
  const input = listUsersInput.parse(raw);
  const term = input.search.replace(/[%_\\]/g, (c) => `\\${c}`);
  const where = and(
    term ? or(ilike(users.email, `%${term}%`), ilike(users.name, `%${term}%`)) : undefined,
    input.activeOnly ? eq(users.disabled, false) : undefined,
  );
  const rows = await ctx.db
    .select(publicColumns)
    .from(users)
    .where(where)
    .orderBy(asc(users.email))
    .limit(input.limit + 1)
    .offset(input.offset);
  const { items, page } = pageOf(rows, input);
  return { users: items, page };
}

export async function createUser(ctx: DomainContext, raw: z.input<typeof createUserInput>) {
  const actor = authorize(ctx, "users:manage");
  const input = createUserInput.parse(raw);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({
        email: input.email,
        name: input.name ?? input.email.split("@")[0]!,
        passwordHash,
        roles: [...new Set(input.roles)],
      })
      .onConflictDoNothing({ target: users.email })
      .returning(publicColumns);
    if (!created) throw new ConflictError(`A user with email ${input.email} already exists.`);
    await appendAudit(tx, actor, { action: "user.created", entityType: "user", entityId: created.id, after: created });
    return created;
  });
}

type Change = Partial<{ roles: Role[]; disabled: boolean; passwordHash: string; passwordResetRequired: boolean }>;

/** One locked read-change-audit of a user; `endSessions` signs the person out everywhere. */
async function updateUser(ctx: DomainContext, userId: string, action: string, change: Change, endSessions: boolean) {
  const actor = authorize(ctx, "users:manage");
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select(publicColumns).from(users).where(eq(users.id, userId)).for("update");
    if (!before) throw new NotFoundError("User");
    const now = new Date();
    const [after] = await tx
      .update(users)
      .set({ ...change, updatedAt: now, ...(endSessions ? { sessionsValidAfter: now } : {}) })
      .where(eq(users.id, userId))
      .returning(publicColumns);
    await appendAudit(tx, actor, { action, entityType: "user", entityId: userId, before, after });
    if (action === "user.roles_changed") {
      await emitEvent(tx, "user.roles_changed", {
        userId,
        email: after!.email,
        before: before.roles,
        after: after!.roles,
        changedBy: actor.kind === "user" ? actor.email : null,
      });
    }
    return after!;
  });
}

const isSelf = (ctx: DomainContext, userId: string) => ctx.principal?.kind === "user" && ctx.principal.id === userId;

/** Roles change only through a second person: nobody, admins included, can change their own. */
export async function setRoles(ctx: DomainContext, raw: z.input<typeof setRolesInput>) {
  authorize(ctx, "users:manage");
  const input = setRolesInput.parse(raw);
  if (isSelf(ctx, input.userId)) throw new FourEyesError("You cannot change your own roles: another admin must do it.");
  // A role change ends the person's sessions, so what they can do is decided again at their next sign-in.
  return updateUser(ctx, input.userId, "user.roles_changed", { roles: [...new Set(input.roles)] }, true);
}

export async function setDisabled(ctx: DomainContext, raw: z.input<typeof setDisabledInput>) {
  authorize(ctx, "users:manage");
  const input = setDisabledInput.parse(raw);
  if (input.disabled && isSelf(ctx, input.userId)) {
    // Keeps at least the acting admin able to undo a mistake.
    throw new InvalidInputError("disabled", "you cannot disable yourself");
  }
  return updateUser(
    ctx,
    input.userId,
    input.disabled ? "user.disabled" : "user.enabled",
    { disabled: input.disabled },
    input.disabled,
  );
}

/** An admin sets a temporary password; the person must choose their own at the next sign-in. */
export async function forcePasswordReset(ctx: DomainContext, raw: z.input<typeof forcePasswordResetInput>) {
  authorize(ctx, "users:manage");
  const input = forcePasswordResetInput.parse(raw);
  if (isSelf(ctx, input.userId)) throw new InvalidInputError("userId", "change your own password on your account page");
  const passwordHash = await hashPassword(input.temporaryPassword);
  return updateUser(
    ctx,
    input.userId,
    "user.password_reset_forced",
    { passwordHash, passwordResetRequired: true },
    true,
  );
}

/** Ends every session of a person (sign-out everywhere): tokens issued up to now are refused. */
export async function endSessions(db: Db, userId: string, at = new Date()): Promise<void> {
  await db.update(users).set({ sessionsValidAfter: at }).where(eq(users.id, userId));
}

function pendingStep(user: {
  roles: readonly Role[];
  passwordResetRequired: boolean;
  mfaEnabledAt: Date | null;
}): PendingStep | undefined {
  if (user.passwordResetRequired) return "password_reset";
  const mustHaveMfa =
    env().RATCHET_REQUIRE_MFA === "managers" && user.roles.some((r) => r === "manager" || r === "admin");
  return mustHaveMfa && !user.mfaEnabledAt ? "mfa_enrollment" : undefined;
}

/**
 * Loads the person behind a session on every request, so role changes and disabling take effect on
 * the next request rather than when the session token expires. `signedInAt` is when the session's
 * sign-in happened (ms): a session from before the person's "sessions valid after" time is refused.
 */
export async function loadActivePrincipal(db: Db, userId: string, signedInAt: number): Promise<Principal | null> {
  const [user] = await db
    .select({ ...publicColumns, sessionsValidAfter: users.sessionsValidAfter })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.disabled) return null;
  if (user.sessionsValidAfter && signedInAt <= user.sessionsValidAfter.getTime()) return null;
  const pending = pendingStep(user);
  return {
    kind: "user",
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    ...(pending ? { pending } : {}),
  };
}

/** For the sign-in page of a fresh install: with no users at all, it explains how to create the first admin. */
export async function hasAnyUser(db: Db): Promise<boolean> {
  const [any] = await db.select({ id: users.id }).from(users).limit(1);
  return Boolean(any);
}
