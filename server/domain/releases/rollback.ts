import { and, eq, sql } from "drizzle-orm";
import { models, modelVersions, releases } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { touchModel } from "../registry/activity";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { findModelOrThrow } from "../registry/models";
import { applyStages } from "./apply";
import { loadRollbackTargets } from "./rollback-options";
import { notAFormerChampion } from "./rollback-targets";
import { rollbackInput, type RollbackInput } from "./schemas";

/**
 * One step back: a manager returns the model to a former champion, with a reason. Only versions that have
 * been champion before qualify (they passed the gate and a second person then); the default is the most
 * recent earlier champion that was not itself rolled back from.
 */
export async function rollback(ctx: DomainContext, raw: RollbackInput) {
  const actor = authorize(ctx, "releases:decide");
  const input = rollbackInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${models} where id = ${model.id} for update`);
    const { current, eligible, defaultTarget } = await loadRollbackTargets(tx, model.id);
    if (!current) throw new InvalidInputError("model", `${input.model} has no champion to roll back from`);
    let targetId: string;
    if (input.toVersion !== undefined) {
      if (input.toVersion === current.version)
        throw new InvalidInputError("toVersion", `v${current.version} is already the champion`);
      const [target] = await tx
        .select({ id: modelVersions.id })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.toVersion)));
      if (!target) throw new NotFoundError(`Version ${input.toVersion} of "${input.model}"`);
      if (!eligible.some((t) => t.versionId === target.id))
        throw new InvalidInputError("toVersion", notAFormerChampion(input.toVersion));
      targetId = target.id;
    } else {
      if (!defaultTarget)
        throw new InvalidInputError(
          "toVersion",
          "there is no earlier champion to return to; release a version through a request and a manager's decision",
        );
      targetId = defaultTarget.versionId;
    }
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
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: "release.rolled_back",
      entityType: "release",
      entityId: release!.id,
      before: { champion: current.version },
      after: summary,
    });
    await emitEvent(tx, "release.rolled_back", { releaseId: release!.id, ...summary });
    return { release: release!, from: current.version, to: target!.version };
  });
}
