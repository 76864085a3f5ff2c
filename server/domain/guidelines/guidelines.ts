import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { labelingGuidelines, models } from "@/db/schema";
import { principalLabel } from "@/server/authz/policy";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { touchModel } from "../registry/activity";
import { storyTime } from "../story-clock";
import { lineDiff } from "./line-diff";
import {
  guidelineDiffInput,
  guidelineVersionInput,
  publishGuidelinesInput,
  type PublishGuidelinesInput,
} from "./schemas";

/**
 * A model's labeling guidelines: versioned Markdown reviewers read beside each item. Publishing appends a
 * version (the table refuses updates), audited; reading needs only `registry:read`, so reviewers and
 * viewers see them.
 */

async function modelId(tx: Tx | Db, name: string, lock = false): Promise<string> {
  const query = tx.select({ id: models.id }).from(models).where(eq(models.name, name));
  const [model] = lock ? await query.for("update") : await query;
  if (!model) throw new NotFoundError(`Model "${name}"`);
  return model.id;
}

export async function publishGuidelines(ctx: DomainContext, raw: PublishGuidelinesInput) {
  const actor = authorize(ctx, "guidelines:write");
  const input = publishGuidelinesInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    // The model row lock serializes publications of one model, so versions are 1, 2, 3 without gaps.
    const id = await modelId(tx, input.model, true);
    const [latest] = await tx
      .select({ version: labelingGuidelines.version, markdown: labelingGuidelines.markdown })
      .from(labelingGuidelines)
      .where(eq(labelingGuidelines.modelId, id))
      .orderBy(desc(labelingGuidelines.version))
      .limit(1);
    const current = latest?.version ?? 0;
    if (input.basedOnVersion !== current) {
      throw new ConflictError(
        current === 0
          ? `The guidelines of ${input.model} have no version ${input.basedOnVersion}; reload the page.`
          : `Version ${current} of the guidelines of ${input.model} was published while you edited version ` +
              `${input.basedOnVersion}; reload to see it, then apply your changes to it.`,
      );
    }
    if (latest && latest.markdown === input.markdown) {
      return { model: input.model, version: current, changed: false };
    }
    const [created] = await tx
      .insert(labelingGuidelines)
      .values({
        modelId: id,
        version: current + 1,
        markdown: input.markdown,
        changeNote: input.changeNote,
        authorUserId: actor.kind === "user" ? actor.id : null,
        author: principalLabel(actor),
        // The demo's story date when it replays the past; the table is append-only, so it cannot be stamped later.
        createdAt: storyTime(),
      })
      .returning({ version: labelingGuidelines.version, createdAt: labelingGuidelines.createdAt });
    if (!created) throw new Error("insert returned no row");
    await touchModel(tx, id);
    await appendAudit(tx, actor, {
      action: "guidelines.published",
      entityType: "labeling_guideline",
      entityId: `${input.model}@${created.version}`,
      before: latest ? { version: latest.version } : null,
      after: { version: created.version, changeNote: input.changeNote, markdown: input.markdown },
    });
    return { model: input.model, version: created.version, changed: true };
  });
}

/** Every version of a model's guidelines, newest first, without the texts. */
export async function guidelineHistory(ctx: DomainContext, model: string) {
  authorize(ctx, "registry:read");
  const id = await modelId(ctx.db, model);
  const versions = await ctx.db
    .select({
      version: labelingGuidelines.version,
      author: labelingGuidelines.author,
      changeNote: labelingGuidelines.changeNote,
      createdAt: labelingGuidelines.createdAt,
      characters: sql<number>`char_length(${labelingGuidelines.markdown})::int`,
    })
    .from(labelingGuidelines)
    .where(eq(labelingGuidelines.modelId, id))
    .orderBy(desc(labelingGuidelines.version));
  return { model, versions };
}

/** One version (the latest by default); null when the model has no guidelines yet. */
export async function guidelineVersion(ctx: DomainContext, raw: { model: string; version?: number }) {
  authorize(ctx, "registry:read");
  const input = guidelineVersionInput.parse(raw);
  const id = await modelId(ctx.db, input.model);
  const [row] = await ctx.db
    .select({
      version: labelingGuidelines.version,
      markdown: labelingGuidelines.markdown,
      author: labelingGuidelines.author,
      changeNote: labelingGuidelines.changeNote,
      createdAt: labelingGuidelines.createdAt,
    })
    .from(labelingGuidelines)
    .where(
      and(
        eq(labelingGuidelines.modelId, id),
        input.version ? eq(labelingGuidelines.version, input.version) : undefined,
      ),
    )
    .orderBy(desc(labelingGuidelines.version))
    .limit(1);
  if (!row && input.version) throw new NotFoundError(`Version ${input.version} of the guidelines of "${input.model}"`);
  return row ?? null;
}

/** Line changes from version `from` to version `to`. */
export async function guidelineDiff(ctx: DomainContext, raw: { model: string; from: number; to: number }) {
  authorize(ctx, "registry:read");
  const input = guidelineDiffInput.parse(raw);
  const id = await modelId(ctx.db, input.model);
  const rows = await ctx.db
    .select({ version: labelingGuidelines.version, markdown: labelingGuidelines.markdown })
    .from(labelingGuidelines)
    .where(and(eq(labelingGuidelines.modelId, id), sql`${labelingGuidelines.version} in (${input.from}, ${input.to})`))
    .orderBy(asc(labelingGuidelines.version));
  const text = (v: number) => {
    const row = rows.find((r) => r.version === v);
    if (!row) throw new NotFoundError(`Version ${v} of the guidelines of "${input.model}"`);
    return row.markdown;
  };
  const changes = lineDiff(text(input.from), text(input.to));
  return {
    model: input.model,
    from: input.from,
    to: input.to,
    changes,
    added: changes.filter((c) => c.kind === "added").length,
    removed: changes.filter((c) => c.kind === "removed").length,
  };
}
