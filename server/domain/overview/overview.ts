import { and, asc, desc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { models, modelVersions, releases, requirementSets } from "@/db/schema";
import { can, mayDecideRequirementSet } from "@/server/authz/policy";
import { authorize, type DomainContext } from "../context";
import type { GateResult } from "../gate/gate";
import { releaseDecisionFor } from "../releases/authors";

/** How many rows each panel shows; the full lists are one click away (models, releases). */
const PANEL_LIMIT = 50;

type GateStatus = GateResult["status"];
const gateStatusOf = (g: unknown): GateStatus | null =>
  g && typeof g === "object" && "status" in g ? (g as GateResult).status : null;

/**
 * The landing page: what needs this person now. Managers see the decisions waiting for them (and which
 * of them four eyes keeps from them), data scientists their versions that are not yet in production with
 * the state of their latest request, everyone every model's champion, its age and the latest gate.
 */
export async function overviewFor(ctx: DomainContext) {
  const principal = authorize(ctx, "registry:read");
  const me = principal.kind === "user" ? principal.id : null;
  const toV = alias(modelVersions, "to_version");

  // Latest release request per model, and per version: the gate status people last saw.
  const latestPerModel = ctx.db
    .selectDistinctOn([releases.modelId], {
      modelId: releases.modelId,
      status: releases.status,
      kind: releases.kind,
      version: toV.version,
      gateAtRequest: releases.gateAtRequest,
      gateAtDecision: releases.gateAtDecision,
      requestedAt: releases.requestedAt,
    })
    .from(releases)
    .innerJoin(toV, eq(toV.id, releases.toVersionId))
    .where(eq(releases.kind, "promote"))
    .orderBy(releases.modelId, desc(releases.requestedAt))
    .as("latest_request");
  // When the current champion took office: its most recent effective full release or rollback.
  const championSince = ctx.db
    .select({ versionId: releases.toVersionId, since: sql<Date>`max(${releases.effectiveAt})`.as("since") })
    .from(releases)
    .where(and(eq(releases.status, "approved"), eq(releases.strategy, "full"), isNotNull(releases.effectiveAt)))
    .groupBy(releases.toVersionId)
    .as("champion_since");
  const champion = alias(modelVersions, "champion");

  const modelRows = await ctx.db
    .select({
      name: models.name,
      task: models.task,
      lastActivityAt: models.lastActivityAt,
      championVersion: champion.version,
      championSince: championSince.since,
      championCreatedAt: champion.createdAt,
      latestRequestVersion: latestPerModel.version,
      latestRequestStatus: latestPerModel.status,
      latestGateAtRequest: latestPerModel.gateAtRequest,
      latestGateAtDecision: latestPerModel.gateAtDecision,
      latestRequestedAt: latestPerModel.requestedAt,
    })
    .from(models)
    .leftJoin(champion, and(eq(champion.modelId, models.id), eq(champion.stage, "champion")))
    .leftJoin(championSince, eq(championSince.versionId, champion.id))
    .leftJoin(latestPerModel, eq(latestPerModel.modelId, models.id))
    .orderBy(desc(models.lastActivityAt), asc(models.name))
    .limit(PANEL_LIMIT);

  const modelsPanel = modelRows.map((m) => ({
    name: m.name,
    task: m.task,
    lastActivityAt: m.lastActivityAt,
    champion:
      m.championVersion === null
        ? null
        : { version: m.championVersion, since: m.championSince ? new Date(m.championSince) : m.championCreatedAt },
    latestRequest:
      m.latestRequestVersion === null
        ? null
        : {
            version: m.latestRequestVersion,
            status: m.latestRequestStatus!,
            // The gate as the decider saw it, else as it stood at the request.
            gate: gateStatusOf(m.latestGateAtDecision) ?? gateStatusOf(m.latestGateAtRequest),
            requestedAt: m.latestRequestedAt!,
          },
  }));

  let decisions = null;
  if (can(principal, "releases:decide")) {
    const pending = await ctx.db
      .select({ release: releases, version: toV, model: models.name })
      .from(releases)
      .innerJoin(models, eq(models.id, releases.modelId))
      .innerJoin(toV, eq(toV.id, releases.toVersionId))
      .where(eq(releases.status, "pending"))
      .orderBy(asc(releases.requestedAt))
      .limit(PANEL_LIMIT);
    // The policy's four-eyes rule the decision enforces (requester, author, report author; directly or through
    // a key they own), asked here only to tell the manager which ones another person must decide.
    const blocked = new Set<string>();
    for (const { release, version } of pending) {
      if (!(await releaseDecisionFor(ctx.db, principal, release, version)).allowed) blocked.add(release.id);
    }
    const loosenings = await ctx.db
      .select({
        id: requirementSets.id,
        model: models.name,
        version: requirementSets.version,
        proposedBy: requirementSets.proposedBy,
        proposedByLabel: requirementSets.proposedByLabel,
        proposedAt: requirementSets.proposedAt,
        loosens: requirementSets.loosens,
      })
      .from(requirementSets)
      .innerJoin(models, eq(models.id, requirementSets.modelId))
      .where(eq(requirementSets.status, "pending"))
      .orderBy(asc(requirementSets.proposedAt))
      .limit(PANEL_LIMIT);
    decisions = {
      releases: pending.map(({ release: r, version, model }) => ({
        id: r.id,
        model,
        version: version.version,
        strategy: r.strategy,
        share: r.share,
        requestedByLabel: r.requestedByLabel,
        requestedAt: r.requestedAt,
        gate: gateStatusOf(r.gateAtRequest),
        // Shown, not enforced, here: the decision itself re-checks four eyes on the server.
        blockedForMe: blocked.has(r.id),
      })),
      loosenings: loosenings.map((s) => ({
        ...s,
        blockedForMe: !mayDecideRequirementSet(principal, s.proposedBy).allowed,
      })),
    };
  }

  let candidates = null;
  if (can(principal, "releases:request")) {
    const rows = await ctx.db
      .select({
        model: models.name,
        version: modelVersions.version,
        stage: modelVersions.stage,
        createdAt: modelVersions.createdAt,
        versionId: modelVersions.id,
        authorUserId: modelVersions.authorUserId,
      })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(ne(modelVersions.stage, "champion"), ne(modelVersions.stage, "retired")))
      .orderBy(desc(modelVersions.createdAt))
      .limit(PANEL_LIMIT);
    const requests = rows.length
      ? await ctx.db
          .selectDistinctOn([releases.toVersionId], {
            versionId: releases.toVersionId,
            status: releases.status,
            gateAtRequest: releases.gateAtRequest,
            gateAtDecision: releases.gateAtDecision,
            id: releases.id,
          })
          .from(releases)
          .where(
            inArray(
              releases.toVersionId,
              rows.map((r) => r.versionId),
            ),
          )
          .orderBy(releases.toVersionId, desc(releases.requestedAt))
      : [];
    candidates = rows.map((v) => {
      const request = requests.find((r) => r.versionId === v.versionId);
      return {
        model: v.model,
        version: v.version,
        stage: v.stage,
        createdAt: v.createdAt,
        mine: me !== null && v.authorUserId === me,
        request: request
          ? {
              id: request.id,
              status: request.status,
              gate: gateStatusOf(request.gateAtDecision) ?? gateStatusOf(request.gateAtRequest),
            }
          : null,
      };
    });
  }

  return { models: modelsPanel, decisions, candidates };
}
export type Overview = Awaited<ReturnType<typeof overviewFor>>;
