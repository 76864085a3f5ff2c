import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { apiKeys, models, modelVersions, releases, users } from "@/db/schema";
import { RELEASE_STATUSES, RELEASE_STRATEGIES } from "@/server/domain/enums";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";

/**
 * A release request as a pipeline sees it: what was asked, by whom, and the decision once there is one.
 * People are named by email; a request made with an API key names the key's owner, who is the requester
 * for four eyes. Only the console (`npx ratchet` on the database) has no email: it is named `cli:NAME`.
 */
export const releaseStatusSchema = z.object({
  id: z.uuid(),
  model: z.string(),
  version: z.number().int(),
  strategy: z.enum(RELEASE_STRATEGIES),
  share: z.number().nullable().describe("Share of traffic for a canary; null for full and shadow"),
  status: z.enum(RELEASE_STATUSES),
  rationale: z.string(),
  requestedBy: z.string().describe("The requesting person's email (the key's owner for a request made with a key)"),
  requestedAt: z.iso.datetime({ offset: true }),
  decision: z
    .object({
      decision: z.enum(["approve", "reject"]),
      by: z.string().describe("The deciding manager's email"),
      at: z.iso.datetime({ offset: true }),
      note: z.string(),
    })
    .nullable()
    .describe("Null while the request is pending"),
});
export type ReleaseStatus = z.infer<typeof releaseStatusSchema>;

export const releaseIdInput = z.object({ id: z.uuid("must be a release id (a UUID)") });

const requester = alias(users, "requester");
const keyOwner = alias(users, "key_owner");
const decider = alias(users, "decider");

/** Reads one release in the API's shape; usable inside a transaction (the request's own answer). */
export async function releaseStatusIn(db: Db | Tx, id: string): Promise<ReleaseStatus | null> {
  const [row] = await db
    .select({
      release: releases,
      model: models.name,
      version: modelVersions.version,
      requesterEmail: sql<string | null>`coalesce(${requester.email}, ${keyOwner.email})`,
      deciderEmail: decider.email,
    })
    .from(releases)
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, releases.toVersionId))
    .leftJoin(requester, eq(requester.id, releases.requestedBy))
    .leftJoin(apiKeys, eq(apiKeys.id, releases.requestedByApiKey))
    .leftJoin(keyOwner, eq(keyOwner.id, apiKeys.ownerUserId))
    .leftJoin(decider, eq(decider.id, releases.decidedBy))
    .where(eq(releases.id, id));
  if (!row) return null;
  const r = row.release;
  const decided = r.status !== "pending" && r.decidedAt;
  return {
    id: r.id,
    model: row.model,
    version: row.version,
    strategy: r.strategy,
    share: r.share,
    status: r.status,
    rationale: r.rationale,
    requestedBy: row.requesterEmail ?? r.requestedByLabel,
    requestedAt: r.requestedAt.toISOString(),
    decision: decided
      ? {
          decision: r.status === "approved" ? "approve" : "reject",
          by: row.deciderEmail ?? r.decidedByLabel ?? "",
          at: r.decidedAt!.toISOString(),
          note: r.decisionNote ?? "",
        }
      : null,
  };
}

/** `GET /api/v1/releases/{id}`: the request's status and decision; anyone who may read the registry. */
export async function releaseStatus(ctx: DomainContext, raw: z.input<typeof releaseIdInput>): Promise<ReleaseStatus> {
  authorize(ctx, "registry:read");
  const { id } = releaseIdInput.parse(raw);
  const found = await releaseStatusIn(ctx.db, id);
  if (!found) throw new NotFoundError("Release");
  return found;
}
