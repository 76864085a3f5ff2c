import { and, desc, eq } from "drizzle-orm";
import { models, modelVersions, predictionReferences, users } from "@/db/schema";
import { authorize, type DomainContext } from "@/server/domain/context";
import { NotFoundError } from "@/server/domain/errors";
import { declaredFeatures } from "@/server/domain/features/declared";
import { proposeFeatures } from "@/server/domain/features/propose";
import { versionRef, type VersionRef } from "./schemas";

/** How many earlier (replaced) references the version page lists. */
const HISTORY = 10;

/**
 * A version's reference data as its page shows it: the current reference with its column profile, the
 * ones it replaced, and the feature proposal made from it against what the model declares now.
 */
export async function getReferenceView(ctx: DomainContext, raw: VersionRef) {
  authorize(ctx, "registry:read");
  const input = versionRef.parse(raw);
  const [version] = await ctx.db
    .select({ id: modelVersions.id, modelId: models.id })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, input.model), eq(modelVersions.version, input.version)));
  if (!version) throw new NotFoundError(`Version ${input.version} of "${input.model}"`);
  const references = await ctx.db
    .select({
      id: predictionReferences.id,
      source: predictionReferences.source,
      fileName: predictionReferences.fileName,
      windowFrom: predictionReferences.windowFrom,
      windowTo: predictionReferences.windowTo,
      rowCount: predictionReferences.rowCount,
      profile: predictionReferences.profile,
      createdAt: predictionReferences.createdAt,
      replacedAt: predictionReferences.replacedAt,
      createdBy: users.email,
    })
    .from(predictionReferences)
    .leftJoin(users, eq(users.id, predictionReferences.createdBy))
    .where(eq(predictionReferences.modelVersionId, version.id))
    .orderBy(desc(predictionReferences.createdAt))
    .limit(HISTORY + 1);
  const current = references.find((r) => r.replacedAt === null) ?? null;
  const declared = await declaredFeatures(ctx.db, version.modelId);
  return {
    model: input.model,
    version: input.version,
    current,
    previous: references.filter((r) => r.replacedAt !== null).map(({ profile: _, ...r }) => r),
    declaredCount: declared.length,
    proposal: current?.profile ? proposeFeatures(current.profile, current.rowCount, declared) : null,
  };
}
