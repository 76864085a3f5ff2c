import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { SCOPES, type Principal, type Scope } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";

export const createKeyInput = z.object({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1, "give the key at least one scope"),
});
export const revokeKeyInput = z.object({ id: z.uuid() });

const KEY_PREFIX = "rk_";
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** Creates a key and returns it in clear exactly once; only its hash is stored. */
export async function createApiKey(ctx: DomainContext, raw: z.input<typeof createKeyInput>) {
  const actor = authorize(ctx, "keys:manage");
  const input = createKeyInput.parse(raw);
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiKeys)
      .values({
        name: input.name,
        prefix: key.slice(0, 10),
        hash: hashKey(key),
        scopes: [...new Set(input.scopes)],
        createdBy: actor.kind === "user" ? actor.id : null,
      })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes, createdAt: apiKeys.createdAt });
    if (!created) throw new Error("insert returned no row");
    await appendAudit(tx, actor, { action: "api_key.created", entityType: "api_key", entityId: created.id, after: created });
    return { ...created, key };
  });
}

export async function listApiKeys(ctx: DomainContext) {
  authorize(ctx, "keys:manage");
  return ctx.db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      createdBy: users.email,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(ctx: DomainContext, raw: z.input<typeof revokeKeyInput>) {
  const actor = authorize(ctx, "keys:manage");
  const { id } = revokeKeyInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, id));
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

/** Resolves a bearer key to a principal, or null if it is unknown or revoked. Records when it was last used. */
export async function authenticateApiKey(db: Db, key: string): Promise<Principal | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const [row] = await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.hash, hashKey(key)), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes });
  if (!row) return null;
  const scopes = row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
  return { kind: "apiKey", id: row.id, name: row.name, scopes };
}
