import { and, asc, desc, eq, isNotNull, lte } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { models, modelVersions, releases, requirementSets } from "@/db/schema";
import type { Decision } from "@/server/authz/policy";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";
import type { GateResult } from "../gate/gate";
import { pageOf, pageParams } from "../pagination";
import { findModelOrThrow } from "../registry/models";
import { releaseDecisionFor } from "./authors";

const toV = alias(modelVersions, "to_version");
const fromV = alias(modelVersions, "from_version");

const releaseColumns = {
  release: releases,
  model: models.name,
  toVersion: toV.version,
  fromVersion: fromV.version,
  toAuthorUserId: toV.authorUserId,
};

function shape(row: {
  release: typeof releases.$inferSelect;
  model: string;
  toVersion: number;
  fromVersion: number | null;
  toAuthorUserId: string | null;
}) {
  return {
    ...row.release,
    model: row.model,
    toVersion: row.toVersion,
    fromVersion: row.fromVersion,
    toAuthorUserId: row.toAuthorUserId,
    gateAtRequest: row.release.gateAtRequest as GateResult | null,
    gateAtDecision: row.release.gateAtDecision as GateResult | null,
  };
}
export type ReleaseView = ReturnType<typeof shape>;

function baseQuery(ctx: DomainContext) {
  return ctx.db
    .select(releaseColumns)
    .from(releases)
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(toV, eq(toV.id, releases.toVersionId))
    .leftJoin(fromV, eq(fromV.id, releases.fromVersionId));
}

export const releasePageInput = pageParams.prefault({});
export const modelReleasesInput = pageParams.extend({ model: z.string() });

/** The managers' inbox: pending requests, oldest first, a page at a time. */
export async function pendingReleases(ctx: DomainContext, raw?: z.input<typeof releasePageInput>) {
  authorize(ctx, "registry:read");
  const p = releasePageInput.parse(raw);
  const rows = await baseQuery(ctx)
    .where(eq(releases.status, "pending"))
    .orderBy(asc(releases.requestedAt), asc(releases.id))
    .limit(p.limit + 1)
    .offset(p.offset);
  const { items, page } = pageOf(rows.map(shape), p);
  return { releases: items, page };
}

/**
 * One release, and for a pending one whether the asking principal may decide it (the policy's four-eyes
 * predicate, with its reason), so the page offers "approve" only to whom the server would let approve.
 */
export async function getRelease(ctx: DomainContext, id: string) {
  authorize(ctx, "registry:read");
  const [row] = await baseQuery(ctx).where(eq(releases.id, id));
  if (!row) throw new NotFoundError("Release");
  let decisionForMe: Decision | null = null;
  if (row.release.status === "pending") {
    const [version] = await ctx.db.select().from(modelVersions).where(eq(modelVersions.id, row.release.toVersionId));
    decisionForMe = await releaseDecisionFor(ctx.db, ctx.principal, row.release, version!);
  }
  return { ...shape(row), decisionForMe };
}

/** A model's releases, newest first, a page at a time. */
export async function modelReleases(ctx: DomainContext, raw: z.input<typeof modelReleasesInput>) {
  authorize(ctx, "registry:read");
  const p = modelReleasesInput.parse(raw);
  const model = await findModelOrThrow(ctx, p.model);
  const rows = await baseQuery(ctx)
    .where(eq(releases.modelId, model.id))
    .orderBy(desc(releases.requestedAt), desc(releases.id))
    .limit(p.limit + 1)
    .offset(p.offset);
  const { items, page } = pageOf(rows.map(shape), p);
  return { releases: items, page };
}

export const championAtInput = z.object({
  model: z.string(),
  at: z.coerce.date({ error: "must be a date and time, e.g. 2026-11-01T12:00:00Z" }),
});

/** Who was champion at time T: the last full release (promotion or rollback) that took effect by then. */
export async function championAt(ctx: DomainContext, raw: z.input<typeof championAtInput>) {
  authorize(ctx, "registry:read");
  const input = championAtInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const [row] = await baseQuery(ctx)
    .where(
      and(
        eq(releases.modelId, model.id),
        eq(releases.status, "approved"),
        eq(releases.strategy, "full"),
        isNotNull(releases.effectiveAt),
        lte(releases.effectiveAt, input.at),
      ),
    )
    .orderBy(desc(releases.effectiveAt))
    .limit(1);
  return {
    model: model.name,
    at: input.at,
    version: row?.toVersion ?? null,
    since: row?.release.effectiveAt ?? null,
    releaseId: row?.release.id ?? null,
  };
}

export interface TimelineEntry {
  at: Date;
  type: "release" | "rollback" | "requirements" | "request";
  title: string;
  detail: string;
  href: string | null;
  /** The version a release entry is about (none for requirement changes). */
  version?: number;
  /** A decision that overrode a failing gate carries its justification, shown wherever the release appears. */
  overrideJustification?: string | null;
}

/** Every release decision and requirement change of a model, plus the champion's reign as intervals for the chart. */
export async function modelTimeline(ctx: DomainContext, modelName: string) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, modelName);
  const [rels, sets] = await Promise.all([
    baseQuery(ctx).where(eq(releases.modelId, model.id)).orderBy(asc(releases.requestedAt)),
    ctx.db
      .select()
      .from(requirementSets)
      .where(eq(requirementSets.modelId, model.id))
      .orderBy(asc(requirementSets.proposedAt)),
  ]);
  const entries: TimelineEntry[] = [];
  for (const { release: r, toVersion, fromVersion } of rels) {
    const share = r.share ? ` ${Math.round(r.share * 100)} %` : "";
    if (r.kind === "rollback") {
      entries.push({
        at: r.effectiveAt!,
        type: "rollback",
        title: `Rolled back v${fromVersion} → v${toVersion}`,
        detail: `${r.decidedByLabel}: ${r.rationale}`,
        href: `/releases/${r.id}`,
      });
      continue;
    }
    entries.push({
      at: r.requestedAt,
      type: "request",
      title: `v${toVersion} requested (${r.strategy}${share})`,
      detail: `${r.requestedByLabel}: ${r.rationale}`,
      href: `/releases/${r.id}`,
    });
    if (r.decidedAt) {
      const verb = r.status === "approved" ? (r.override ? "approved as override" : "approved") : "rejected";
      entries.push({
        at: r.decidedAt,
        type: "release",
        title: `v${toVersion} ${verb} (${r.strategy}${share})`,
        detail: `${r.decidedByLabel}: ${r.decisionNote ?? ""}`,
        href: `/releases/${r.id}`,
        version: toVersion,
        overrideJustification: r.override ? r.overrideJustification : null,
      });
    }
  }
  for (const s of sets) {
    const at = s.decidedAt ?? s.proposedAt;
    const what =
      s.status === "pending"
        ? "loosening proposed"
        : s.status === "rejected"
          ? "loosening rejected"
          : s.loosens.length
            ? "loosened (approved)"
            : "activated";
    entries.push({
      at,
      type: "requirements",
      title: `Requirements v${s.version} ${what}`,
      detail: `${s.proposedByLabel}: ${s.rationale}`,
      href: `/models/${model.name}/requirements`,
    });
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  const reigns = rels
    .filter(({ release: r }) => r.status === "approved" && r.strategy === "full" && r.effectiveAt)
    .map(({ release: r, toVersion }) => ({ version: toVersion, from: r.effectiveAt! }))
    .sort((a, b) => a.from.getTime() - b.from.getTime());
  return { model, entries: entries.reverse(), reigns };
}
