import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { models, requirements, requirementSets } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError, FourEyesError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { findModelOrThrow } from "../registry/models";
import { loosenings, type SetShape } from "./compare";
import { decideSetInput, proposeSetInput, type ProposeSetInput } from "./schemas";

export type RequirementSetRow = typeof requirementSets.$inferSelect & { requirements: (typeof requirements.$inferSelect)[] };

async function withRequirements(db: Db | Tx, sets: (typeof requirementSets.$inferSelect)[]): Promise<RequirementSetRow[]> {
  if (sets.length === 0) return [];
  const rows = await db
    .select()
    .from(requirements)
    .where(inArray(requirements.setId, sets.map((s) => s.id)))
    .orderBy(asc(requirements.metric), asc(requirements.slice));
  return sets.map((s) => ({ ...s, requirements: rows.filter((r) => r.setId === s.id) }));
}

/** The set releases are gated on right now (null when the model has none yet). */
export async function activeRequirementSet(db: Db | Tx, modelId: string): Promise<RequirementSetRow | null> {
  const sets = await db.select().from(requirementSets).where(and(eq(requirementSets.modelId, modelId), eq(requirementSets.status, "active")));
  return (await withRequirements(db, sets))[0] ?? null;
}

export const shapeOf = (s: RequirementSetRow): SetShape => ({
  primaryMetric: s.primaryMetric,
  requiredReportKinds: s.requiredReportKinds,
  comparisonMargins: s.comparisonMargins,
  requirements: s.requirements.map((r) => ({ metric: r.metric, direction: r.direction, floor: r.floor, target: r.target, reportKinds: r.reportKinds, slice: r.slice })),
});

/**
 * Proposes a new requirement set. A pure tightening (or the first set) takes effect at once; anything
 * looser waits, as `pending`, for a manager who is not the proposer. Never loosened silently.
 */
export async function proposeRequirementSet(ctx: DomainContext, raw: ProposeSetInput) {
  const actor = authorize(ctx, "requirements:propose");
  const input = proposeSetInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${models} where id = ${model.id} for update`);
    const current = await activeRequirementSet(tx, model.id);
    const loosens = loosenings(current ? shapeOf(current) : null, input);
    const [pending] = await tx.select({ id: requirementSets.id }).from(requirementSets).where(and(eq(requirementSets.modelId, model.id), eq(requirementSets.status, "pending")));
    if (loosens.length > 0 && pending) {
      throw new ConflictError(`${input.model} already has a loosening waiting for a manager; it must be decided first.`);
    }
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${requirementSets.version}), 0)::int + 1` })
      .from(requirementSets)
      .where(eq(requirementSets.modelId, model.id));
    const status = loosens.length > 0 ? "pending" : "active";
    if (status === "active" && current) {
      await tx.update(requirementSets).set({ status: "superseded" }).where(eq(requirementSets.id, current.id));
    }
    const [set] = await tx
      .insert(requirementSets)
      .values({
        modelId: model.id,
        version: next,
        status,
        basedOnId: current?.id ?? null,
        requiredReportKinds: input.requiredReportKinds,
        primaryMetric: input.primaryMetric,
        comparisonMargins: input.comparisonMargins,
        rationale: input.rationale,
        loosens,
        proposedBy: actor.kind === "user" ? actor.id : null,
        proposedByLabel: principalLabel(actor),
      })
      .returning();
    await tx.insert(requirements).values(input.requirements.map((r) => ({ ...r, setId: set!.id })));
    const [created] = await withRequirements(tx, [set!]);
    await appendAudit(tx, actor, {
      action: status === "active" ? "requirements.activated" : "requirements.loosening_proposed",
      entityType: "requirement_set",
      entityId: `${input.model}#${next}`,
      before: current ? shapeOf(current) : null,
      after: { ...shapeOf(created!), status, loosens },
    });
    if (status === "active") await emitEvent(tx, "requirement.changed", { model: input.model, set: next, change: current ? "tightened" : "created" });
    return created!;
  });
}

/** A manager approves or rejects a pending loosening. The proposer can never decide their own. */
export async function decideRequirementSet(ctx: DomainContext, raw: { setId: string; approve: boolean; note: string }) {
  const actor = authorize(ctx, "requirements:decide");
  const input = decideSetInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [set] = await tx.select().from(requirementSets).where(eq(requirementSets.id, input.setId)).for("update");
    if (!set) throw new NotFoundError("Requirement set");
    if (set.status !== "pending") throw new ConflictError(`This requirement set was already ${set.status}${set.decidedAt ? ` at ${set.decidedAt.toISOString()}` : ""}.`);
    if (actor.kind === "user" && actor.id === set.proposedBy) {
      throw new FourEyesError("You proposed this loosening; another manager must decide it (four eyes).");
    }
    const [model] = await tx.select().from(models).where(eq(models.id, set.modelId)).for("update");
    const current = await activeRequirementSet(tx, set.modelId);
    if (input.approve && current) await tx.update(requirementSets).set({ status: "superseded" }).where(eq(requirementSets.id, current.id));
    const [decided] = await tx
      .update(requirementSets)
      .set({ status: input.approve ? "active" : "rejected", decidedBy: actor.kind === "user" ? actor.id : null, decidedAt: new Date(), decisionNote: input.note })
      .where(eq(requirementSets.id, set.id))
      .returning();
    await appendAudit(tx, actor, {
      action: input.approve ? "requirements.loosening_approved" : "requirements.loosening_rejected",
      entityType: "requirement_set",
      entityId: `${model!.name}#${set.version}`,
      before: { status: "pending", loosens: set.loosens },
      after: { status: decided!.status, note: input.note },
    });
    if (input.approve) await emitEvent(tx, "requirement.changed", { model: model!.name, set: set.version, change: "loosened", loosens: set.loosens });
    return decided!;
  });
}

/** Every set of a model, newest first, with its requirements: the history page. */
export async function requirementHistory(ctx: DomainContext, modelName: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const sets = await ctx.db.select().from(requirementSets).where(eq(requirementSets.modelId, model.id)).orderBy(desc(requirementSets.version));
  return { model, sets: await withRequirements(ctx.db, sets) };
}

/** Pending loosenings across all models, for the managers' inbox. */
export async function pendingRequirementSets(ctx: DomainContext) {
  authorize(ctx, "registry:read");
  const sets = await ctx.db
    .select({ set: requirementSets, model: models.name })
    .from(requirementSets)
    .innerJoin(models, eq(models.id, requirementSets.modelId))
    .where(eq(requirementSets.status, "pending"))
    .orderBy(asc(requirementSets.proposedAt));
  const full = await withRequirements(ctx.db, sets.map((s) => s.set));
  return full.map((s, i) => ({ ...s, model: sets[i]!.model }));
}
