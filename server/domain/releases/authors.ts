import { eq, inArray, or } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiKeys, evaluationReports, type modelVersions, type releases } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { FourEyesError } from "../errors";

type Release = typeof releases.$inferSelect;
type Version = typeof modelVersions.$inferSelect;

/** The person something was made by: directly, or as the owner of the key that made it. */
async function personOf(tx: Tx, userId: string | null, apiKeyId: string | null): Promise<{ userId: string; viaKey: string | null } | null> {
  if (userId) return { userId, viaKey: null };
  if (!apiKeyId) return null;
  const [key] = await tx.select({ owner: apiKeys.ownerUserId, name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, apiKeyId));
  return key?.owner ? { userId: key.owner, viaKey: key.name } : null;
}

const through = (viaKey: string | null) => (viaKey ? ` through your API key "${viaKey}"` : "");

/**
 * Four eyes, through keys too: the person deciding may not be the requester, the version's author, or the
 * author of any report the decision rests on (the reports frozen with the request, and the version's reports
 * now, which an override would approve on) — whether they did it themselves or through a key they own.
 */
export async function assertNotAnAuthor(tx: Tx, actor: Principal, release: Release, version: Version): Promise<void> {
  const me = actor.kind === "user" ? actor.id : actor.kind === "apiKey" ? actor.ownerUserId : null;
  if (!me) return; // the operator at the console is nobody's second pair of eyes, and makes nothing here
  const requester = await personOf(tx, release.requestedBy, release.requestedByApiKey);
  if (requester?.userId === me) {
    throw new FourEyesError(`You requested this release${through(requester.viaKey)}; another manager must decide it (four eyes).`);
  }
  const author = await personOf(tx, version.authorUserId, version.authorApiKeyId);
  if (author?.userId === me) {
    throw new FourEyesError(`You registered this version${through(author.viaKey)}; another manager must decide its release (four eyes).`);
  }
  const frozen = ((release.evidence as { reports?: { id: string }[] } | null)?.reports ?? []).map((r) => r.id);
  const reports = await tx
    .select({ id: evaluationReports.id, kind: evaluationReports.kind, userId: evaluationReports.createdByUserId, keyOwner: apiKeys.ownerUserId, keyName: apiKeys.name })
    .from(evaluationReports)
    .leftJoin(apiKeys, eq(apiKeys.id, evaluationReports.createdByApiKeyId))
    .where(or(eq(evaluationReports.modelVersionId, version.id), frozen.length ? inArray(evaluationReports.id, frozen) : undefined));
  const mine = reports.find((r) => r.userId === me || r.keyOwner === me);
  if (mine) {
    const via = mine.userId === me ? null : mine.keyName;
    throw new FourEyesError(`You uploaded the ${mine.kind} report this release rests on${through(via)}; another manager must decide it (four eyes).`);
  }
}
