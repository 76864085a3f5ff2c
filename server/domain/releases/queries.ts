import { and, asc, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
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

export const modelTimelineInput = pageParams.extend({ model: z.string() });

type TimelineEvent = { kind: TimelineEntry["type"]; id: string };

/**
 * A model's history, newest first, a page at a time: every release request, decision and rollback and
 * every requirement change. The events are ordered and paged in SQL (one UNION over the two tables), and
 * only the page's releases and requirement sets are then read. The champion's reigns for the chart are
 * their own query: they span the whole history, whatever page is shown.
 */
export async function modelTimeline(ctx: DomainContext, raw: z.input<typeof modelTimelineInput>) {
  authorize(ctx, "registry:read");
  const p = modelTimelineInput.parse(raw);
  const model = await findModelOrThrow(ctx, p.model);
  const { rows: events } = await ctx.db.execute<TimelineEvent>(sql`
    select kind, id from (
      select 'rollback' as kind, id, effective_at as at from ${releases}
        where model_id = ${model.id} and kind = 'rollback' and effective_at is not null
      union all
      select 'request', id, requested_at from ${releases} where model_id = ${model.id} and kind = 'promote'
      union all
      select 'release', id, decided_at from ${releases}
        where model_id = ${model.id} and kind = 'promote' and decided_at is not null
      union all
      select 'requirements', id, coalesce(decided_at, proposed_at) from ${requirementSets} where model_id = ${model.id}
    ) e
    order by at desc, kind, id
    limit ${p.limit + 1} offset ${p.offset}`);
  const { items, page } = pageOf(events, p);
  const releaseIds = [...new Set(items.filter((e) => e.kind !== "requirements").map((e) => e.id))];
  const setIds = items.filter((e) => e.kind === "requirements").map((e) => e.id);
  const [rels, sets, reigns] = await Promise.all([
    releaseIds.length ? baseQuery(ctx).where(inArray(releases.id, releaseIds)) : Promise.resolve([]),
    setIds.length
      ? ctx.db.select().from(requirementSets).where(inArray(requirementSets.id, setIds))
      : Promise.resolve([]),
    championReigns(ctx, model.id),
  ]);
  const releaseById = new Map(rels.map((r) => [r.release.id, r]));
  const setById = new Map(sets.map((s) => [s.id, s]));
  const entries = items.flatMap((e): TimelineEntry[] => {
    if (e.kind === "requirements") {
      const set = setById.get(e.id);
      return set ? [requirementEntry(model.name, set)] : [];
    }
    const row = releaseById.get(e.id);
    return row ? [releaseEntry(e.kind, row)] : [];
  });
  return { model, entries, reigns, page };
}

/** Every full release that took effect (promotions and rollbacks), oldest first: who was champion when. */
async function championReigns(ctx: DomainContext, modelId: string) {
  const rows = await baseQuery(ctx)
    .where(
      and(
        eq(releases.modelId, modelId),
        eq(releases.status, "approved"),
        eq(releases.strategy, "full"),
        isNotNull(releases.effectiveAt),
      ),
    )
    .orderBy(asc(releases.effectiveAt));
  return rows.map(({ release: r, toVersion }) => ({ version: toVersion, from: r.effectiveAt! }));
}

type ReleaseRow = Awaited<ReturnType<ReturnType<typeof baseQuery>["execute"]>>[number];

function releaseEntry(kind: Exclude<TimelineEntry["type"], "requirements">, row: ReleaseRow): TimelineEntry {
  const { release: r, toVersion, fromVersion } = row;
  const share = r.share ? ` ${Math.round(r.share * 100)} %` : "";
  const href = `/releases/${r.id}`;
  if (kind === "rollback") {
    const detail = `${r.decidedByLabel}: ${r.rationale}`;
    return { at: r.effectiveAt!, type: "rollback", title: `Rolled back v${fromVersion} → v${toVersion}`, detail, href };
  }
  if (kind === "request") {
    const title = `v${toVersion} requested (${r.strategy}${share})`;
    return { at: r.requestedAt, type: "request", title, detail: `${r.requestedByLabel}: ${r.rationale}`, href };
  }
  const verb = r.status === "approved" ? (r.override ? "approved as override" : "approved") : "rejected";
  return {
    at: r.decidedAt!,
    type: "release",
    title: `v${toVersion} ${verb} (${r.strategy}${share})`,
    detail: `${r.decidedByLabel}: ${r.decisionNote ?? ""}`,
    href,
    version: toVersion,
    overrideJustification: r.override ? r.overrideJustification : null,
  };
}

function requirementEntry(modelName: string, s: typeof requirementSets.$inferSelect): TimelineEntry {
  const what =
    s.status === "pending"
      ? "loosening proposed"
      : s.status === "rejected"
        ? "loosening rejected"
        : s.loosens.length
          ? "loosened (approved)"
          : "activated";
  return {
    at: s.decidedAt ?? s.proposedAt,
    type: "requirements",
    title: `Requirements v${s.version} ${what}`,
    detail: `${s.proposedByLabel}: ${s.rationale}`,
    href: `/models/${modelName}/requirements`,
  };
}

export const versionOverridesInput = z.object({ model: z.string(), version: z.number().int().positive() });

/** The approvals of one version that overrode a failing gate, with their justification, newest first. */
export async function versionOverrides(ctx: DomainContext, raw: z.input<typeof versionOverridesInput>) {
  authorize(ctx, "registry:read");
  const p = versionOverridesInput.parse(raw);
  const model = await findModelOrThrow(ctx, p.model);
  const rows = await baseQuery(ctx)
    .where(
      and(
        eq(releases.modelId, model.id),
        eq(toV.version, p.version),
        eq(releases.status, "approved"),
        eq(releases.override, true),
      ),
    )
    .orderBy(desc(releases.decidedAt));
  return rows.map(({ release: r }) => ({
    at: r.decidedAt!,
    href: `/releases/${r.id}`,
    overrideJustification: r.overrideJustification ?? "",
  }));
}
