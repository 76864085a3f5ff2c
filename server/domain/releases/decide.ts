import { eq, sql } from "drizzle-orm";
import { models, modelVersions, releases } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { touchModel } from "../registry/activity";
import { authorize, type DomainContext } from "../context";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { evaluateGate, prepareGateStatistics } from "../gate/evaluate";
import { applyStages } from "./apply";
import { assertNotAnAuthor } from "./authors";
import { decideReleaseInput, type DecideReleaseInput } from "./schemas";

/**
 * A manager approves or rejects a pending request. Enforced here, for every role including admin:
 * four eyes (not the requester, not the version's author), a passing gate or an explicit override with a
 * justification, and unchanged evidence since the request (or an override). One decision wins.
 */
export async function decideRelease(ctx: DomainContext, raw: DecideReleaseInput) {
  const actor = authorize(ctx, "releases:decide");
  const input = decideReleaseInput.parse(raw);
  // The gate's paired tests run (or are found cached) here, before the transaction locks the release
  // and the model; inside it the gate only reads them (cachedOnly).
  const [pending] = await ctx.db
    .select({ modelId: releases.modelId, toVersionId: releases.toVersionId })
    .from(releases)
    .where(eq(releases.id, input.releaseId));
  if (pending) await prepareGateStatistics(ctx.db, pending.modelId, pending.toVersionId);
  return ctx.db.transaction(async (tx) => {
    const [release] = await tx.select().from(releases).where(eq(releases.id, input.releaseId)).for("update");
    if (!release) throw new NotFoundError("Release request");
    if (release.status !== "pending") {
      throw new ConflictError(
        `This request was already ${release.status} by ${release.decidedByLabel ?? "someone else"}; reload to see the decision.`,
      );
    }
    const [model] = await tx.select().from(models).where(eq(models.id, release.modelId));
    await tx.execute(sql`select id from ${models} where id = ${release.modelId} for update`);
    const [version] = await tx.select().from(modelVersions).where(eq(modelVersions.id, release.toVersionId));
    await assertNotAnAuthor(tx, actor, release, version!);
    const { gate, evidenceHash } = await evaluateGate(tx, model!, version!, { cachedOnly: true });
    const approve = input.decision === "approve";
    if (approve && !input.override) {
      if (evidenceHash !== release.evidenceHash) {
        throw new ConflictError(
          "The evidence changed since the request (reports, requirements, artifact or champion). Ask for a fresh request, or approve as an override with a justification.",
        );
      }
      if (gate.status !== "pass") {
        throw new InvalidInputError(
          "override",
          `the gate does not pass (${gate.status}); approve only as an explicit override with a written justification`,
        );
      }
    }
    if (approve) await applyStages(tx, release.modelId, release.toVersionId, release.strategy);
    const now = new Date();
    const [decided] = await tx
      .update(releases)
      .set({
        status: approve ? "approved" : "rejected",
        decidedBy: actor.kind === "user" ? actor.id : null,
        decidedByLabel: principalLabel(actor),
        decidedAt: now,
        decisionNote: input.note,
        gateAtDecision: gate,
        override: approve && input.override,
        overrideJustification: approve && input.override ? input.justification!.trim() : null,
        effectiveAt: approve ? now : null,
      })
      .where(eq(releases.id, release.id))
      .returning();
    const summary = {
      model: model!.name,
      version: version!.version,
      strategy: release.strategy,
      share: release.share,
      gate: gate.status,
      override: decided!.override,
    };
    await touchModel(tx, release.modelId);
    await appendAudit(tx, actor, {
      action: approve ? "release.approved" : "release.rejected",
      entityType: "release",
      entityId: release.id,
      before: { status: "pending" },
      after: { ...summary, note: input.note, justification: decided!.overrideJustification },
    });
    await emitEvent(tx, approve ? "release.approved" : "release.rejected", { releaseId: release.id, ...summary });
    return decided!;
  });
}
