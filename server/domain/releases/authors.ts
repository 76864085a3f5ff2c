import { eq, inArray, or } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { apiKeys, evaluationReports, type modelVersions, type releases } from "@/db/schema";
import {
  mayDecideRelease,
  type Decision,
  type MadeBy,
  type Principal,
  type ReleaseAuthorship,
} from "@/server/authz/policy";
import { FourEyesError } from "../errors";

type Release = typeof releases.$inferSelect;
type Version = typeof modelVersions.$inferSelect;

/** The person something was made by: directly, or as the owner of the key that made it. */
async function personOf(db: Db | Tx, userId: string | null, apiKeyId: string | null): Promise<MadeBy | null> {
  if (userId) return { userId, viaKey: null };
  if (!apiKeyId) return null;
  const [key] = await db
    .select({ owner: apiKeys.ownerUserId, name: apiKeys.name })
    .from(apiKeys)
    .where(eq(apiKeys.id, apiKeyId));
  return key?.owner ? { userId: key.owner, viaKey: key.name } : null;
}

/**
 * Who made what a release decision rests on (read from the database; the rule itself is
 * mayDecideRelease in the policy): the requester, the version's author, and the authors of the reports
 * frozen with the request and of the version's reports now, which an override would approve on.
 */
export async function releaseAuthorship(db: Db | Tx, release: Release, version: Version): Promise<ReleaseAuthorship> {
  const frozen = ((release.evidence as { reports?: { id: string }[] } | null)?.reports ?? []).map((r) => r.id);
  const reports = await db
    .select({
      kind: evaluationReports.kind,
      userId: evaluationReports.createdByUserId,
      keyOwner: apiKeys.ownerUserId,
      keyName: apiKeys.name,
    })
    .from(evaluationReports)
    .leftJoin(apiKeys, eq(apiKeys.id, evaluationReports.createdByApiKeyId))
    .where(
      or(
        eq(evaluationReports.modelVersionId, version.id),
        frozen.length ? inArray(evaluationReports.id, frozen) : undefined,
      ),
    );
  return {
    requester: await personOf(db, release.requestedBy, release.requestedByApiKey),
    versionAuthor: await personOf(db, version.authorUserId, version.authorApiKeyId),
    reportAuthors: reports.flatMap((r) =>
      r.userId
        ? [{ userId: r.userId, viaKey: null, reportKind: r.kind }]
        : r.keyOwner
          ? [{ userId: r.keyOwner, viaKey: r.keyName, reportKind: r.kind }]
          : [],
    ),
  };
}

/** The policy's four-eyes answer for this principal on this release. */
export async function releaseDecisionFor(
  db: Db | Tx,
  actor: Principal | null,
  release: Release,
  version: Version,
): Promise<Decision> {
  return mayDecideRelease(actor, await releaseAuthorship(db, release, version));
}

/** Refuses (FourEyesError, 403) when the policy says this principal may not decide this release. */
export async function assertNotAnAuthor(tx: Tx, actor: Principal, release: Release, version: Version): Promise<void> {
  const decision = await releaseDecisionFor(tx, actor, release, version);
  if (!decision.allowed) throw new FourEyesError(decision.reason);
}
