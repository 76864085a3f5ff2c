import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { feedbackItems, models, modelVersions } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { env } from "@/server/env";
import { authorize, type DomainContext } from "../context";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import { findModelOrThrow } from "../registry/models";
import { storyRandom } from "../story-clock";
import { itemInput, nextInput, type NextInput } from "./schemas";

/** Labels name a person: the console operator and API keys cannot hold claims. */
export function reviewerId(actor: Principal): string {
  if (actor.kind !== "user") throw new ForbiddenError("feedback:label", "Only a signed-in reviewer labels items.");
  return actor.id;
}

const leaseInterval = () => sql.raw(`interval '${env().RATCHET_REVIEW_LEASE_MINUTES} minutes'`);

export interface ReviewItem {
  id: number;
  model: string;
  task: "binary_classification" | "multiclass_classification" | "regression";
  /** The model's classes, offered as label buttons (empty for regression). */
  labels: string[];
  version: number;
  externalId: string;
  predictedAt: Date;
  features: Record<string, unknown>;
  /** Withheld (null) when the item hides the model's answer from reviewers. */
  prediction: string | number | null;
  confidence: number | null;
  probabilities: Record<string, number> | null;
  showModelAnswer: boolean;
  reason: "disagreement" | "low_confidence" | "random" | "gold";
  disagreement: { version: number; prediction: string | number; confidence: number | null } | null;
}

export interface Claim {
  item: ReviewItem;
  leaseExpiresAt: Date;
}

async function loadItem(tx: Tx | DomainContext["db"], id: number): Promise<ReviewItem> {
  const [row] = await tx
    .select({
      item: feedbackItems,
      model: models.name,
      task: models.task,
      labels: models.labels,
      version: modelVersions.version,
    })
    .from(feedbackItems)
    .innerJoin(models, eq(models.id, feedbackItems.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, feedbackItems.modelVersionId))
    .where(eq(feedbackItems.id, id));
  if (!row) throw new NotFoundError(`Review item ${id}`);
  const i = row.item;
  const shown = i.showModelAnswer;
  return {
    id: i.id,
    model: row.model,
    task: row.task,
    labels: row.labels,
    version: row.version,
    externalId: i.externalId,
    predictedAt: i.predictedAt,
    features: i.features,
    // Hidden on the server, not only in the page: the point is to measure labels made without the suggestion.
    prediction: shown ? (i.predictionLabel ?? i.predictionNumber) : null,
    confidence: shown ? i.confidence : null,
    probabilities: shown ? i.probabilities : null,
    showModelAnswer: shown,
    // A gold item must look like any other: its reason would give it away.
    reason: i.reason === "gold" ? "random" : i.reason,
    disagreement: shown ? i.disagreement : null,
  };
}

const isUniqueViolation = (e: unknown): boolean => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === "23505" || err?.cause?.code === "23505";
};

type ClaimRow = { item_id: string | number; lease_expires_at: Date | string };

/**
 * Claims the next item for the signed-in reviewer (optionally for one model), or returns null when nothing
 * is left for them. A claim the reviewer still holds (a reload, a second tab) comes back first, renewed;
 * `exclude` names the items the page already has, so it can load the next one ahead.
 *
 * A claim is one UPDATE of a free or expired reviewer slot picked with FOR UPDATE SKIP LOCKED: concurrent
 * reviewers skip each other's rows instead of waiting, and a row someone else took since this statement's
 * snapshot is re-checked and passed over. Items the reviewer labeled, holds, or skipped are never offered.
 * With the policy's gold share, a gold item (known label) the reviewer has not seen is served instead.
 */
export async function nextItem(ctx: DomainContext, raw?: NextInput): Promise<Claim | null> {
  const me = reviewerId(authorize(ctx, "feedback:label"));
  const input = nextInput.parse(raw ?? {});
  const modelFilter = input.model ? sql`and i.model_id = (select id from models where name = ${input.model})` : sql``;
  const exclude = `{${input.exclude.join(",")}}`;

  // One statement (atomic on its own, one round trip): the claim the reviewer holds, else a gold item at
  // the policy's share, else a free slot; the item comes back with it.
  // Luck decides whether this claim serves a gold item, and which one: the demo's story supplies its own
  // seeded draws (story-clock.ts), so it is the same on every install.
  const goldDraw = storyRandom() ?? Math.random();
  const goldOrderSeed = Math.floor((storyRandom() ?? Math.random()) * 2_147_483_647);
  const claimStatement = sql`
    with held as (
      update feedback_claims c set lease_expires_at = now() + ${leaseInterval()}
      where c.id = (
        select c2.id from feedback_claims c2 join feedback_items i on i.id = c2.item_id
        where c2.reviewer_id = ${me} and c2.state = 'claimed' and not (c2.item_id = any(${exclude}::bigint[]))
          ${modelFilter}
        order by c2.claimed_at, c2.id limit 1)
      returning c.item_id, c.lease_expires_at
    ),
    gold as (
      insert into feedback_claims (item_id, state, reviewer_id, claimed_at, lease_expires_at)
      select i.id, 'claimed', ${me}, now(), now() + ${leaseInterval()}
      from feedback_items i
      join lateral (
        select p.gold_share from feedback_policies p where p.model_id = i.model_id order by p.version desc limit 1
      ) p on true
      where not exists (select 1 from held)
        and i.reason = 'gold' and ${goldDraw} < p.gold_share ${modelFilter}
        and not exists (select 1 from feedback_claims c where c.item_id = i.id and c.reviewer_id = ${me})
        and not exists (select 1 from feedback_skips s where s.item_id = i.id and s.reviewer_id = ${me})
      order by hashint8extended(i.id, ${goldOrderSeed}) limit 1
      on conflict (item_id, reviewer_id) where reviewer_id is not null do nothing
      returning item_id, lease_expires_at
    ),
    candidate as (
      select c.id from feedback_items i
      join feedback_claims c on c.item_id = i.id
      where not exists (select 1 from held) and not exists (select 1 from gold)
        and i.status = 'open' and i.reason <> 'gold' ${modelFilter}
        and (c.state = 'open' or (c.state = 'claimed' and c.lease_expires_at < now()))
        and not exists (select 1 from feedback_claims mine where mine.item_id = i.id and mine.reviewer_id = ${me})
        and not exists (select 1 from feedback_skips s where s.item_id = i.id and s.reviewer_id = ${me})
      order by i.priority, i.id
      limit 1
      for update of c skip locked
    ),
    slot as (
      update feedback_claims c
      set state = 'claimed', reviewer_id = ${me}, claimed_at = now(), lease_expires_at = now() + ${leaseInterval()},
        -- The reviewer whose lease ran out is told, if they submit late, that the item passed on.
        taken_from = case when c.state = 'claimed' then c.reviewer_id end
      from candidate where c.id = candidate.id
      returning c.item_id, c.lease_expires_at
    )
    select item_id, lease_expires_at from held
    union all select item_id, lease_expires_at from gold
    union all select item_id, lease_expires_at from slot`;

  for (let attempt = 0; ; attempt++) {
    try {
      const claimed = (await ctx.db.execute<ClaimRow>(claimStatement)).rows[0];
      if (!claimed) {
        if (input.model) await findModelOrThrow(ctx, input.model); // an unknown model is an error, not an empty queue
        return null;
      }
      return {
        item: await loadItem(ctx.db, Number(claimed.item_id)),
        leaseExpiresAt: new Date(claimed.lease_expires_at),
      };
    } catch (e) {
      // The same reviewer claiming in two tabs at once: the database lets one slot per item win; try again.
      if (isUniqueViolation(e) && attempt < 3) continue;
      throw e;
    }
  }
}

/**
 * The reviewer's claim on an item, locked; refused with the reason when they do not hold it: never claimed,
 * already labeled, or the lease ran out and another reviewer took the item.
 */
export async function heldClaimOrRefuse(tx: Tx, me: string, id: number) {
  const rows = await tx.execute<{ id: string | number; state: string; claimed_at: Date | string }>(sql`
    select id, state, claimed_at from feedback_claims where item_id = ${id} and reviewer_id = ${me} for update`);
  const claim = rows.rows[0];
  if (claim?.state === "claimed") return { id: Number(claim.id), claimedAt: new Date(claim.claimed_at) };
  if (claim?.state === "labeled")
    throw new ConflictError(`You already labeled item ${id}; a reviewer labels an item only once.`);
  const [item] = await tx.select({ id: feedbackItems.id }).from(feedbackItems).where(eq(feedbackItems.id, id));
  if (!item) throw new NotFoundError(`Review item ${id}`);
  const passed = await tx.execute(
    sql`select 1 from feedback_claims where item_id = ${id} and taken_from = ${me} and reviewer_id <> ${me} limit 1`,
  );
  if (passed.rows.length > 0)
    throw new ConflictError(
      `Your lease on item ${id} expired and the item passed to another reviewer; nothing was saved. Take the next item.`,
    );
  throw new ConflictError(`You do not hold item ${id}: take it from the queue first; nothing was saved.`);
}

/** Frees the reviewer's slot of an item (a gold item's per-reviewer slot is removed instead). */
async function freeSlot(tx: Tx, claimId: number, id: number) {
  const [item] = await tx.select({ reason: feedbackItems.reason }).from(feedbackItems).where(eq(feedbackItems.id, id));
  if (item?.reason === "gold") await tx.execute(sql`delete from feedback_claims where id = ${claimId}`);
  else
    await tx.execute(sql`
      update feedback_claims set state = 'open', reviewer_id = null, claimed_at = null, lease_expires_at = null, taken_from = null
      where id = ${claimId}`);
}

/** Gives an item back and says "not for me": it goes to another reviewer, never again to this one. */
export async function skipItem(ctx: DomainContext, raw: unknown) {
  const me = reviewerId(authorize(ctx, "feedback:label"));
  const { itemId } = itemInput.parse(raw);
  await ctx.db.transaction(async (tx) => {
    const claim = await heldClaimOrRefuse(tx, me, itemId);
    await freeSlot(tx, claim.id, itemId);
    await tx.execute(
      sql`insert into feedback_skips (item_id, reviewer_id) values (${itemId}, ${me}) on conflict do nothing`,
    );
  });
  return { itemId, skipped: true };
}

/** Gives an item back to the queue (e.g. leaving the page); it may come back to this reviewer later. */
export async function releaseItem(ctx: DomainContext, raw: unknown) {
  const me = reviewerId(authorize(ctx, "feedback:label"));
  const { itemId } = itemInput.parse(raw);
  await ctx.db.transaction(async (tx) => {
    const claim = await heldClaimOrRefuse(tx, me, itemId);
    await freeSlot(tx, claim.id, itemId);
  });
  return { itemId, released: true };
}

/** Extends the lease while the reviewer works on the item; refused when it already passed to someone else. */
export async function renewClaim(ctx: DomainContext, raw: unknown) {
  const me = reviewerId(authorize(ctx, "feedback:label"));
  const { itemId } = itemInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const claim = await heldClaimOrRefuse(tx, me, itemId);
    const rows = await tx.execute<{ lease_expires_at: Date | string }>(sql`
      update feedback_claims set lease_expires_at = now() + ${leaseInterval()} where id = ${claim.id}
      returning lease_expires_at`);
    return { itemId, leaseExpiresAt: new Date(rows.rows[0]!.lease_expires_at) };
  });
}
