import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { models, modelVersions, releases } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { findModelOrThrow } from "../registry/models";
import { applyStages } from "./apply";
import { rollbackInput, type RollbackInput } from "./schemas";

/** One step back: a manager returns the model to the previous champion (or a chosen version), with a reason. */
export async function rollback(ctx: DomainContext, raw: RollbackInput) {
  const actor = authorize(ctx, "releases:decide");
  const input = rollbackInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${models} where id = ${model.id} for update`);
    const [current] = await tx.select().from(modelVersions).where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.stage, "champion")));
    if (!current) throw new InvalidInputError("model", `${input.model} has no champion to roll back from`);
    let targetId: string | null = null;
    if (input.toVersion !== undefined) {
      const [target] = await tx.select().from(modelVersions).where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.toVersion)));
      if (!target) throw new NotFoundError(`Version ${input.toVersion} of "${input.model}"`);
      targetId = target.id;
    } else {
      // Champion history, newest first: the entry after the current champion's is who served before it.
      const history = await tx
        .select({ to: releases.toVersionId })
        .from(releases)
        .where(and(eq(releases.modelId, model.id), eq(releases.status, "approved"), eq(releases.strategy, "full"), isNotNull(releases.effectiveAt)))
        .orderBy(desc(releases.effectiveAt))
        .limit(50);
      targetId = history.find((h) => h.to !== current.id)?.to ?? null;
      if (!targetId) throw new InvalidInputError("toVersion", "there is no previous champion on record; choose the version to return to");
    }
    if (targetId === current.id) throw new InvalidInputError("toVersion", `v${current.version} is already the champion`);
    await applyStages(tx, model.id, targetId, "full");
    const [target] = await tx.select().from(modelVersions).where(eq(modelVersions.id, targetId));
    const now = new Date();
    const [release] = await tx
      .insert(releases)
      .values({
        modelId: model.id,
        kind: "rollback",
        fromVersionId: current.id,
        toVersionId: targetId,
        strategy: "full",
        status: "approved",
        rationale: input.reason,
        requestedBy: actor.kind === "user" ? actor.id : null,
        requestedByLabel: principalLabel(actor),
        requestedAt: now,
        decidedBy: actor.kind === "user" ? actor.id : null,
        decidedByLabel: principalLabel(actor),
        decidedAt: now,
        decisionNote: input.reason,
        effectiveAt: now,
      })
      .returning();
    const summary = { model: input.model, from: current.version, to: target!.version, reason: input.reason };
    await appendAudit(tx, actor, { action: "release.rolled_back", entityType: "release", entityId: release!.id, before: { champion: current.version }, after: summary });
    await emitEvent(tx, "release.rolled_back", { releaseId: release!.id, ...summary });
    return { release: release!, from: current.version, to: target!.version };
  });
}
