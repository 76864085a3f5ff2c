import { and, desc, eq, gte, inArray, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { auditLog } from "@/db/schema";
import { can, GOVERNANCE_AUDIT_ENTITY_TYPES, principalLabel, type Principal } from "@/server/authz/policy";
import { authorize, type DomainContext } from "./context";
import { storyTime } from "./story-clock";

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Someone not (yet) known: a sign-in attempt for an email that matches no active account. */
export interface AnonymousActor {
  kind: "anonymous";
  label: string;
}
export const ANONYMOUS_SIGN_IN: AnonymousActor = { kind: "anonymous", label: "anonymous:sign-in" };

/** Appends an audit entry inside the caller's transaction, so the change and its record commit together. */
export async function appendAudit(tx: Tx, actor: Principal | AnonymousActor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: actor.kind === "user" ? actor.id : null,
    actorApiKeyId: actor.kind === "apiKey" ? actor.id : null,
    actorLabel: actor.kind === "anonymous" ? actor.label : principalLabel(actor),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    // The demo's story date when it replays the past (story-clock.ts); otherwise the database's now().
    at: storyTime(),
  });
}

export const listAuditInput = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  actor: z.string().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Keyset pagination: entries with id below this. */
  before: z.coerce.number().int().positive().optional(),
  /** Page by position instead (the web table's page numbers); bounded like every list. */
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAuditInput = z.input<typeof listAuditInput>;

/** Entries the principal may read: all for `audit:read_security`, else only the governance record. */
export async function listAudit(ctx: DomainContext, raw: ListAuditInput) {
  const actor = authorize(ctx, "audit:read");
  const input = listAuditInput.parse(raw);
  const where: SQL[] = [];
  if (!can(actor, "audit:read_security")) where.push(inArray(auditLog.entityType, [...GOVERNANCE_AUDIT_ENTITY_TYPES]));
  if (input.entityType) where.push(eq(auditLog.entityType, input.entityType));
  if (input.entityId) where.push(eq(auditLog.entityId, input.entityId));
  if (input.action) where.push(eq(auditLog.action, input.action));
  if (input.actor) where.push(eq(auditLog.actorLabel, input.actor));
  if (input.from) where.push(gte(auditLog.at, input.from));
  if (input.to) where.push(lte(auditLog.at, input.to));
  if (input.before) where.push(lt(auditLog.id, input.before));
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1)
    .offset(input.offset);
  const page = rows.slice(0, input.limit);
  const hasMore = rows.length > input.limit;
  return { entries: page, hasMore, nextBefore: hasMore ? (page.at(-1)?.id ?? null) : null };
}
