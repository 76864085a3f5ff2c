import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { SCOPES, type Principal, type Scope } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { pageOf, pageParams } from "../pagination";
import { InvalidInputError, NotFoundError, UnauthenticatedError } from "../errors";

import { createKeyInput, revokeKeyInput } from "./schemas";

export { createKeyInput, revokeKeyInput } from "./schemas";
export const listKeysInput = pageParams.prefault({});

const KEY_PREFIX = "rk_";
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** Creates a key and returns it in clear exactly once; only its hash is stored. */
export async function createApiKey(ctx: DomainContext, raw: z.input<typeof createKeyInput>) {
  const actor = authorize(ctx, "keys:manage");
  const input = createKeyInput.parse(raw);
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  return ctx.db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ id: users.id, email: users.email, disabled: users.disabled })
      .from(users)
      .where(input.ownerUserId ? eq(users.id, input.ownerUserId) : eq(users.email, input.ownerEmail!));
    const ownerField = input.ownerUserId ? "ownerUserId" : "ownerEmail";
    if (!owner)
      throw new InvalidInputError(
        ownerField,
        `no user ${input.ownerEmail ?? input.ownerUserId}; a key must belong to an existing person`,
      );
    if (owner.disabled)
      throw new InvalidInputError(ownerField, `${owner.email} is disabled; a key must belong to an active person`);
    const [created] = await tx
      .insert(apiKeys)
      .values({
        name: input.name,
        prefix: key.slice(0, 10),
        hash: hashKey(key),
        scopes: [...new Set(input.scopes)],
        createdBy: actor.kind === "user" ? actor.id : null,
        ownerUserId: owner.id,
      })
      .returning({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
      });
    if (!created) throw new Error("insert returned no row");
    const summary = { ...created, owner: owner.email };
    await appendAudit(tx, actor, {
      action: "api_key.created",
      entityType: "api_key",
      entityId: created.id,
      after: summary,
    });
    return { ...summary, key };
  });
}

const creators = alias(users, "creators");

/** Keys, newest first, a page at a time. */
export async function listApiKeys(ctx: DomainContext, raw?: z.input<typeof listKeysInput>) {
  authorize(ctx, "keys:manage");
  const p = listKeysInput.parse(raw);
  const rows = await ctx.db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      createdBy: creators.email,
      owner: users.email,
      ownerDisabled: users.disabled,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .leftJoin(creators, eq(creators.id, apiKeys.createdBy))
    .leftJoin(users, eq(users.id, apiKeys.ownerUserId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(p.limit + 1)
    .offset(p.offset);
  const { items, page } = pageOf(rows, p);
  return { keys: items, page };
}

export async function revokeApiKey(ctx: DomainContext, raw: z.input<typeof revokeKeyInput>) {
  const actor = authorize(ctx, "keys:manage");
  const { id } = revokeKeyInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.id, id));
    if (!before) throw new NotFoundError("API key");
    if (before.revokedAt) return before; // revoking twice is a no-op, not an error
    const [after] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, id))
      .returning({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt });
    await appendAudit(tx, actor, { action: "api_key.revoked", entityType: "api_key", entityId: id, before, after });
    return after!;
  });
}

/**
 * Resolves a bearer key to a principal acting for its owner, or null if it is unknown or revoked. A key
 * whose owner is disabled (or gone) is refused with its own message: a key must not outlive its person.
 * Records when it was last used.
 */
export async function authenticateApiKey(db: Db, key: string): Promise<Principal | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scopes: apiKeys.scopes,
      ownerUserId: users.id,
      ownerDisabled: users.disabled,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.ownerUserId))
    .where(and(eq(apiKeys.hash, hashKey(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  if (!row.ownerUserId || row.ownerDisabled) {
    throw new UnauthenticatedError(
      `The API key "${row.name}" belongs to a person who is disabled or no longer exists, so it no longer works. An admin can create a key for an active owner.`,
    );
  }
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(apiKeys.id, row.id));
  const scopes = row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
  return { kind: "apiKey", id: row.id, name: row.name, scopes, ownerUserId: row.ownerUserId };
}
