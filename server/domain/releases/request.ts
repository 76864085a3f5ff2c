import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { modelVersions, releases } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { touchModel } from "../registry/activity";
import { authorize, type DomainContext } from "../context";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { evaluateGate, prepareGateStatistics } from "../gate/evaluate";
import { findModelOrThrow } from "../registry/models";
import { requestReleaseInput, type RequestReleaseInput } from "./schemas";

type Release = typeof releases.$inferSelect;

export interface RequestReleaseOptions {
  /**
   * Runs last inside the request's transaction, so what it writes (the API's idempotency record of the
   * answer) commits together with the request or not at all.
   */
  inTransaction?: (tx: Tx, release: Release) => Promise<void>;
}

/** A data scientist asks for a release; the gate and the evidence are frozen with the request. */
export async function requestRelease(ctx: DomainContext, raw: RequestReleaseInput, opts: RequestReleaseOptions = {}) {
  const actor = authorize(ctx, "releases:request");
  const input = requestReleaseInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  // The gate's paired tests run (or are found cached) here, before the transaction takes any lock.
  const [target] = await ctx.db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)));
  if (target) await prepareGateStatistics(ctx.db, model.id, target.id);
  return ctx.db.transaction(async (tx) => {
    // Locked: archiving takes the same row lock, so a version is never archived while a request for it lands.
    const [version] = await tx
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)))
      .for("update");
    if (!version) throw new NotFoundError(`Version ${input.version} of "${input.model}"`);
    if (version.archivedAt)
      throw new ConflictError(
        `v${input.version} of ${input.model} is archived: bring it back before requesting a release.`,
      );
    if (version.stage === "champion")
      throw new InvalidInputError("version", `v${input.version} is already the champion`);
    const [champion] = await tx
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.stage, "champion")));
    const { gate, evidence, evidenceHash, requirementSetId } = await evaluateGate(tx, model, version, {
      cachedOnly: true,
    });
    const [release] = await tx
      .insert(releases)
      .values({
        modelId: model.id,
        kind: "promote",
        fromVersionId: champion?.id ?? null,
        toVersionId: version.id,
        strategy: input.strategy,
        share: input.share ?? null,
        status: "pending",
        rationale: input.rationale,
        requestedBy: actor.kind === "user" ? actor.id : null,
        requestedByApiKey: actor.kind === "apiKey" ? actor.id : null,
        requestedByLabel: principalLabel(actor),
        requirementSetId,
        gateAtRequest: gate,
        evidence,
        evidenceHash,
      })
      .onConflictDoNothing()
      .returning();
    if (!release) throw new ConflictError(`v${input.version} of ${input.model} already has a pending release request.`);
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: "release.requested",
      entityType: "release",
      entityId: release.id,
      after: {
        model: input.model,
        version: input.version,
        strategy: input.strategy,
        share: input.share ?? null,
        gate: gate.status,
      },
    });
    await emitEvent(tx, "release.requested", {
      releaseId: release.id,
      model: input.model,
      version: input.version,
      strategy: input.strategy,
      share: input.share ?? null,
      gate: gate.status,
    });
    await opts.inTransaction?.(tx, release);
    return release;
  });
}
