import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { metricDirections, models, requirements, requirementSets } from "@/db/schema";
import { mayDecideRequirementSet, principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError, FourEyesError, InvalidInputError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { touchModel } from "../registry/activity";
import { positiveInt32 } from "../ints";
import { pageOf, pageParams } from "../pagination";
import { findModelOrThrow } from "../registry/models";
import { diffSets, loosenings, type SetShape } from "./compare";
import { knownDirection } from "./metric-registry";
import { decideSetInput, proposeSetInput, type ProposeSetInput } from "./schemas";

export type RequirementSetRow = typeof requirementSets.$inferSelect & {
  requirements: (typeof requirements.$inferSelect)[];
};

async function withRequirements(
  db: Db | Tx,
  sets: (typeof requirementSets.$inferSelect)[],
): Promise<RequirementSetRow[]> {
  if (sets.length === 0) return [];
  const rows = await db
    .select()
    .from(requirements)
    .where(
      inArray(
        requirements.setId,
        sets.map((s) => s.id),
      ),
    )
    .orderBy(asc(requirements.metric), asc(requirements.slice));
  return sets.map((s) => ({ ...s, requirements: rows.filter((r) => r.setId === s.id) }));
}

/** The set releases are gated on right now (null when the model has none yet). */
export async function activeRequirementSet(db: Db | Tx, modelId: string): Promise<RequirementSetRow | null> {
  const sets = await db
    .select()
    .from(requirementSets)
    .where(and(eq(requirementSets.modelId, modelId), eq(requirementSets.status, "active")));
  return (await withRequirements(db, sets))[0] ?? null;
}

export const shapeOf = (s: RequirementSetRow): SetShape => ({
  primaryMetric: s.primaryMetric,
  requiredReportKinds: s.requiredReportKinds,
  comparisonMargins: s.comparisonMargins,
  minOutcomes: s.minOutcomes,
  minAucClassCount: s.minAucClassCount,
  requirements: s.requirements.map((r) => ({
    metric: r.metric,
    direction: r.direction,
    floor: r.floor,
    target: r.target,
    reportKinds: r.reportKinds,
    slice: r.slice,
  })),
});

/** The model's declared directions of custom metrics (known metrics take theirs from the registry). */
export async function declaredDirections(db: Db | Tx, modelId: string): Promise<Record<string, "higher" | "lower">> {
  const rows = await db.select().from(metricDirections).where(eq(metricDirections.modelId, modelId));
  return Object.fromEntries(rows.map((r) => [r.metric, r.direction]));
}

/** When a set becomes active, it declares the direction of each custom metric it uses (an approved flip updates it). */
async function declareDirections(tx: Tx, modelId: string, set: RequirementSetRow) {
  for (const r of set.requirements) {
    if (knownDirection(r.metric)) continue;
    await tx
      .insert(metricDirections)
      .values({ modelId, metric: r.metric, direction: r.direction, declaredInSetId: set.id })
      .onConflictDoUpdate({
        target: [metricDirections.modelId, metricDirections.metric],
        set: { direction: r.direction, declaredInSetId: set.id, declaredAt: new Date() },
        setWhere: sql`${metricDirections.direction} <> ${r.direction}`,
      });
  }
}

/** "Better when" of a set's primary metric: the registry, a requirement in the set, or the model's declaration. */
function primaryDirectionKnown(
  input: { primaryMetric: string; requirements: { metric: string }[] },
  declared: Record<string, string>,
) {
  return Boolean(
    knownDirection(input.primaryMetric) ||
    declared[input.primaryMetric] ||
    input.requirements.some((r) => r.metric === input.primaryMetric),
  );
}

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
    const declared = await declaredDirections(tx, model.id);
    if (!primaryDirectionKnown(input, declared)) {
      throw new InvalidInputError(
        "primaryMetric",
        `${input.primaryMetric} is a custom metric: add a requirement on it to declare whether higher or lower is better`,
      );
    }
    const loosens = loosenings(current ? shapeOf(current) : null, input, declared);
    const [pending] = await tx
      .select({ id: requirementSets.id })
      .from(requirementSets)
      .where(and(eq(requirementSets.modelId, model.id), eq(requirementSets.status, "pending")));
    if (loosens.length > 0 && pending) {
      throw new ConflictError(
        `${input.model} already has a loosening waiting for a manager; it must be decided first.`,
      );
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
        minOutcomes: input.minOutcomes,
        minAucClassCount: input.minAucClassCount,
        rationale: input.rationale,
        loosens,
        proposedBy: actor.kind === "user" ? actor.id : null,
        proposedByLabel: principalLabel(actor),
      })
      .returning();
    await tx.insert(requirements).values(input.requirements.map((r) => ({ ...r, setId: set!.id })));
    const [created] = await withRequirements(tx, [set!]);
    if (status === "active") await declareDirections(tx, model.id, created!);
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: status === "active" ? "requirements.activated" : "requirements.loosening_proposed",
      entityType: "requirement_set",
      entityId: `${input.model}#${next}`,
      before: current ? shapeOf(current) : null,
      after: { ...shapeOf(created!), status, loosens },
    });
    if (status === "active")
      await emitEvent(tx, "requirement.changed", {
        model: input.model,
        set: next,
        change: current ? "tightened" : "created",
      });
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
    if (set.status !== "pending")
      throw new ConflictError(
        `This requirement set was already ${set.status}${set.decidedAt ? ` at ${set.decidedAt.toISOString()}` : ""}.`,
      );
    const fourEyes = mayDecideRequirementSet(actor, set.proposedBy);
    if (!fourEyes.allowed) throw new FourEyesError(fourEyes.reason);
    const [model] = await tx.select().from(models).where(eq(models.id, set.modelId)).for("update");
    const current = await activeRequirementSet(tx, set.modelId);
    // No stale approvals: what the manager read (the loosening against set X) must still be what happens.
    if (input.approve && (set.basedOnId ?? null) !== (current?.id ?? null)) {
      const [based] = set.basedOnId
        ? await tx
            .select({ version: requirementSets.version })
            .from(requirementSets)
            .where(eq(requirementSets.id, set.basedOnId))
        : [];
      throw new ConflictError(
        `The active requirements changed since this loosening was proposed (proposed against ${based ? `set v${based.version}` : "no set"}, now set v${current?.version ?? "—"} is active). Reject it and ask for a fresh proposal against the active set.`,
      );
    }
    if (input.approve && current)
      await tx.update(requirementSets).set({ status: "superseded" }).where(eq(requirementSets.id, current.id));
    const [decided] = await tx
      .update(requirementSets)
      .set({
        status: input.approve ? "active" : "rejected",
        decidedBy: actor.kind === "user" ? actor.id : null,
        decidedAt: new Date(),
        decisionNote: input.note,
      })
      .where(eq(requirementSets.id, set.id))
      .returning();
    if (input.approve) await declareDirections(tx, set.modelId, (await withRequirements(tx, [decided!]))[0]!);
    await touchModel(tx, set.modelId);
    await appendAudit(tx, actor, {
      action: input.approve ? "requirements.loosening_approved" : "requirements.loosening_rejected",
      entityType: "requirement_set",
      entityId: `${model!.name}#${set.version}`,
      before: { status: "pending", loosens: set.loosens },
      after: { status: decided!.status, note: input.note },
    });
    if (input.approve)
      await emitEvent(tx, "requirement.changed", {
        model: model!.name,
        set: set.version,
        change: "loosened",
        loosens: set.loosens,
      });
    return decided!;
  });
}

/** Every set of a model, newest first, with its requirements: the history page. */
export const requirementHistoryPage = pageParams.extend({
  /** The two sets to diff, by version; by default the newest against the one before it. */
  a: positiveInt32().optional(),
  b: positiveInt32().optional(),
});

/**
 * One page of a model's requirement sets, newest first, with the active set and the diff of the two sets
 * asked for (either may lie on another page: they are read on their own, so the diff does not depend on
 * which page the table shows) and every set's version number for the choice of what to compare.
 */
export async function requirementHistory(
  ctx: DomainContext,
  modelName: string,
  raw: z.input<typeof requirementHistoryPage> = {},
) {
  authorize(ctx, "registry:read");
  const input = requirementHistoryPage.parse(raw);
  const model = await findModelOrThrow(ctx, modelName);
  const [rows, versions, active] = await Promise.all([
    ctx.db
      .select()
      .from(requirementSets)
      .where(eq(requirementSets.modelId, model.id))
      .orderBy(desc(requirementSets.version))
      .limit(input.limit + 1)
      .offset(input.offset),
    ctx.db
      .select({ version: requirementSets.version })
      .from(requirementSets)
      .where(eq(requirementSets.modelId, model.id))
      .orderBy(desc(requirementSets.version)),
    activeRequirementSet(ctx.db, model.id),
  ]);
  const { items, page } = pageOf(rows, input);
  const numbers = versions.map((v) => v.version);
  const from = input.a ?? numbers[1];
  const to = input.b ?? numbers[0];
  const compared =
    from !== undefined && to !== undefined && from !== to
      ? await withRequirements(
          ctx.db,
          await ctx.db
            .select()
            .from(requirementSets)
            .where(and(eq(requirementSets.modelId, model.id), inArray(requirementSets.version, [from, to]))),
        )
      : [];
  const setA = compared.find((s) => s.version === from);
  const setB = compared.find((s) => s.version === to);
  return {
    model,
    sets: await withRequirements(ctx.db, items),
    page,
    total: numbers.length,
    versions: numbers,
    active,
    diff: setA && setB ? { from: setA.version, to: setB.version, rows: diffSets(shapeOf(setA), shapeOf(setB)) } : null,
  };
}

/**
 * What a manager deciding a pending loosening must see: the difference against the set active NOW (not the
 * one it was proposed against), what it loosens now, and whether it is stale (the active set changed since).
 */
async function reviewOf(db: Db | Tx, pending: RequirementSetRow) {
  const active = await activeRequirementSet(db, pending.modelId);
  const declared = await declaredDirections(db, pending.modelId);
  const stale = (pending.basedOnId ?? null) !== (active?.id ?? null);
  return {
    ...pending,
    stale,
    activeVersion: active?.version ?? null,
    loosensNow: loosenings(active ? shapeOf(active) : null, shapeOf(pending), declared),
    diffNow: active ? diffSets(shapeOf(active), shapeOf(pending)) : [],
  };
}
export type PendingReview = Awaited<ReturnType<typeof reviewOf>>;

/** The pending loosening of one model with its review against the active set, or null. */
export async function pendingLoosening(ctx: DomainContext, modelName: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const sets = await ctx.db
    .select()
    .from(requirementSets)
    .where(and(eq(requirementSets.modelId, model.id), eq(requirementSets.status, "pending")));
  const [pending] = await withRequirements(ctx.db, sets);
  return pending ? reviewOf(ctx.db, pending) : null;
}

/** Pending loosenings across all models, for the managers' inbox, each reviewed against the active set. */
export async function pendingRequirementSets(ctx: DomainContext) {
  authorize(ctx, "registry:read");
  const sets = await ctx.db
    .select({ set: requirementSets, model: models.name })
    .from(requirementSets)
    .innerJoin(models, eq(models.id, requirementSets.modelId))
    .where(eq(requirementSets.status, "pending"))
    .orderBy(asc(requirementSets.proposedAt));
  const full = await withRequirements(
    ctx.db,
    sets.map((s) => s.set),
  );
  const out = [];
  for (const [i, s] of full.entries()) out.push({ ...(await reviewOf(ctx.db, s)), model: sets[i]!.model });
  return out;
}
