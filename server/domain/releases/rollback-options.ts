import { and, eq, isNotNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { modelVersions, releases } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { findModelOrThrow } from "../registry/models";
import { rollbackTargets, type RollbackTargets } from "./rollback-targets";

/**
 * The versions a rollback of this model may return to, read from its release history. The rollback verb
 * (inside its locked transaction) and the timeline's form both use this, so the form offers exactly what
 * the server accepts.
 */
export async function loadRollbackTargets(
  db: Db | Tx,
  modelId: string,
): Promise<RollbackTargets & { current: { id: string; version: number } | null }> {
  const [current] = await db
    .select({ id: modelVersions.id, version: modelVersions.version })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.stage, "champion")));
  const changes = await db
    .select({
      kind: releases.kind,
      fromVersionId: releases.fromVersionId,
      toVersionId: releases.toVersionId,
      toVersion: modelVersions.version,
      effectiveAt: releases.effectiveAt,
    })
    .from(releases)
    .innerJoin(modelVersions, eq(modelVersions.id, releases.toVersionId))
    .where(
      and(
        eq(releases.modelId, modelId),
        eq(releases.status, "approved"),
        eq(releases.strategy, "full"),
        isNotNull(releases.effectiveAt),
      ),
    );
  const targets = rollbackTargets(
    changes.map((c) => ({ ...c, effectiveAt: c.effectiveAt! })),
    current?.id ?? null,
  );
  return { ...targets, current: current ?? null };
}

/** For the timeline page: the current champion, the versions a rollback may return to and the default. */
export async function rollbackOptions(ctx: DomainContext, modelName: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const { current, eligible, defaultTarget } = await loadRollbackTargets(ctx.db, model.id);
  return {
    champion: current?.version ?? null,
    eligible: eligible.map((t) => ({
      version: t.version,
      lastChampionAt: t.lastChampionAt,
      rolledBackFrom: t.rolledBackFrom,
    })),
    defaultVersion: defaultTarget?.version ?? null,
  };
}
