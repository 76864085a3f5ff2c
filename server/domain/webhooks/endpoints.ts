import { queuePendingDeliveries } from "./deliver";
import { randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { outboxEvents, users, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { encryptSecret } from "@/server/crypto";
import { InvalidInputError, NotFoundError } from "../errors";
import { EVENT_TYPES } from "../events";
import { pageOf, pageParams } from "../pagination";
import { networkPolicyFromEnv, refusedTargetReason } from "./network";

import { createEndpointInput, setEndpointActiveInput } from "./schemas";

export { createEndpointInput, setEndpointActiveInput } from "./schemas";
export const listDeliveriesInput = pageParams
  .extend({ endpointId: z.uuid().optional() })
  // prefault (not default) so an omitted input still gets the limit's default.
  .prefault({});

const SECRET_PREFIX = "whsec_";

/** What an admin sees of an endpoint: everything but the secret. */
const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  events: webhookEndpoints.events,
  active: webhookEndpoints.active,
  createdAt: webhookEndpoints.createdAt,
};

/**
 * Registers an endpoint and returns its signing secret in clear exactly once. The secret is stored
 * encrypted (the server needs it to sign) and never listed again. The audit log names only the host: a
 * chat webhook's URL is itself a secret, and viewers of the log must not learn it.
 */
export async function createEndpoint(ctx: DomainContext, raw: z.input<typeof createEndpointInput>) {
  const actor = authorize(ctx, "webhooks:manage");
  const input = createEndpointInput.parse(raw);
  const refused = await refusedTargetReason(input.url, networkPolicyFromEnv());
  if (refused) throw new InvalidInputError("url", refused);
  const secret = SECRET_PREFIX + randomBytes(32).toString("base64url");
  const events = EVENT_TYPES.filter((t) => input.events.includes(t)); // de-duplicated, in a stable order
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(webhookEndpoints)
      .values({
        url: input.url,
        secret: encryptSecret(secret),
        events,
        createdBy: actor.kind === "user" ? actor.id : null,
      })
      .returning(endpointColumns);
    if (!created) throw new Error("insert returned no row");
    const { url, ...rest } = created;
    await appendAudit(tx, actor, {
      action: "webhook.created",
      entityType: "webhook_endpoint",
      entityId: created.id,
      after: { ...rest, host: new URL(url).host },
    });
    return { ...created, secret };
  });
}

export async function listEndpoints(ctx: DomainContext) {
  authorize(ctx, "webhooks:manage");
  return ctx.db
    .select({ ...endpointColumns, createdBy: users.email })
    .from(webhookEndpoints)
    .leftJoin(users, eq(users.id, webhookEndpoints.createdBy))
    .orderBy(desc(webhookEndpoints.createdAt));
}

/** Pausing an endpoint keeps its pending deliveries; the worker sends them once it is active again. */
export async function setEndpointActive(ctx: DomainContext, raw: z.input<typeof setEndpointActiveInput>) {
  const actor = authorize(ctx, "webhooks:manage");
  const { id, active } = setEndpointActiveInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select(endpointColumns)
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, id))
      .for("update");
    if (!before) throw new NotFoundError("Webhook endpoint");
    if (before.active === active) return before; // no change, no audit entry
    const [after] = await tx
      .update(webhookEndpoints)
      .set({ active })
      .where(eq(webhookEndpoints.id, id))
      .returning(endpointColumns);
    if (active) await queuePendingDeliveries(tx, id);
    await appendAudit(tx, actor, {
      action: active ? "webhook.activated" : "webhook.deactivated",
      entityType: "webhook_endpoint",
      entityId: id,
      before: { active: before.active },
      after: { active },
    });
    return after!;
  });
}

/** The delivery log, newest first, a page at a time. */
export async function listDeliveries(ctx: DomainContext, raw?: z.input<typeof listDeliveriesInput>) {
  authorize(ctx, "webhooks:manage");
  const input = listDeliveriesInput.parse(raw);
  const rows = await ctx.db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      eventType: outboxEvents.type,
      endpointId: webhookDeliveries.endpointId,
      endpointUrl: webhookEndpoints.url,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, webhookDeliveries.eventId))
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(input.endpointId ? eq(webhookDeliveries.endpointId, input.endpointId) : undefined)
    .orderBy(desc(webhookDeliveries.eventId), desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(input.limit + 1)
    .offset(input.offset);
  const { items, page } = pageOf(rows, input);
  return { deliveries: items, page };
}
