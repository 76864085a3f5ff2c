import { and, eq } from "drizzle-orm";
import { modelVersions } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";
import { findModelOrThrow } from "../registry/models";
import { evaluateGate } from "./evaluate";

/** The gate as it stands now for a version, before anyone requests a release. */
export async function previewGate(ctx: DomainContext, modelName: string, version: number) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const [v] = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, version)));
  if (!v) throw new NotFoundError(`Version ${version} of "${modelName}"`);
  const { gate, evidence } = await evaluateGate(ctx.db, model, v);
  return { model: model.name, version, stage: v.stage, gate, evidence };
}
