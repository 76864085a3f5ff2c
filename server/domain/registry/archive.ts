import { and, eq, sql } from "drizzle-orm";
import { models, modelVersions, releases } from "@/db/schema";
import { appendAudit } from "../audit";
import { touchModel } from "./activity";
import { authorize, type DomainContext } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { emitEvent } from "../events";
import { archiveVersionInput, type ArchiveVersionInput } from "./list-schemas";
import { findModelOrThrow } from "./models";

/**
 * Archives a version (retired from view: hidden from lists by default, never deleted) or brings it back.
 * A version that serves traffic (champion, challenger) or waits for a release decision cannot be archived:
 * hiding it would hide what production runs or what a manager is about to decide on.
 */
export async function setVersionArchived(ctx: DomainContext, raw: ArchiveVersionInput) {
  const actor = authorize(ctx, "versions:archive");
  const input = archiveVersionInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const label = `${model.name} v${input.version}`;
  return ctx.db.transaction(async (tx) => {
    // The model row is the lock decisions and rollbacks take (stage changes), the version row the one a
    // release request takes: neither can slip in between these checks and the update.
    await tx.execute(sql`select id from ${models} where id = ${model.id} for update`);
    const [version] = await tx
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)))
      .for("update");
    if (!version) throw new NotFoundError(`Version ${input.version} of "${model.name}"`);
    if (input.archived === (version.archivedAt !== null)) {
      throw new ConflictError(`${label} is ${input.archived ? "already archived" : "not archived"}.`);
    }
    if (input.archived) {
      if (version.stage === "champion" || version.stage === "challenger") {
        throw new ConflictError(
          `${label} is the ${version.stage}: it serves traffic and cannot be archived. Release or roll back another version first.`,
        );
      }
      const [pending] = await tx
        .select({ id: releases.id })
        .from(releases)
        .where(and(eq(releases.toVersionId, version.id), eq(releases.status, "pending")));
      if (pending)
        throw new ConflictError(
          `${label} has a pending release request: it cannot be archived until a manager decides it.`,
        );
    }
    const archivedAt = input.archived ? new Date() : null;
    await tx.update(modelVersions).set({ archivedAt }).where(eq(modelVersions.id, version.id));
    await touchModel(tx, model.id);
    await appendAudit(tx, actor, {
      action: input.archived ? "version.archived" : "version.unarchived",
      entityType: "model_version",
      entityId: `${model.name}@${input.version}`,
      before: { archivedAt: version.archivedAt },
      after: { archivedAt },
    });
    await emitEvent(tx, input.archived ? "version.archived" : "version.unarchived", {
      model: model.name,
      version: input.version,
    });
    return { version: input.version, archivedAt };
  });
}
