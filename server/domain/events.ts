import { and, arrayContains, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { outboxEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { EventType } from "./event-types";
import { enqueueJobs } from "./jobs/queue";
import { deliveryJob } from "./webhooks/delivery-job";

export { EVENT_TYPES, type EventType } from "./event-types";

/**
 * Records an event in the outbox inside the caller's transaction, with one pending delivery (and its job) per
 * subscribed endpoint. If the change rolls back, so does the event; once committed it survives restarts
 * and the delivery worker (server/domain/webhooks) sends it.
 */
export async function emitEvent(tx: Tx, type: EventType, payload: Record<string, unknown>): Promise<void> {
  const [event] = await tx.insert(outboxEvents).values({ type, payload }).returning({ id: outboxEvents.id });
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.active, true), arrayContains(webhookEndpoints.events, [type])));
  if (endpoints.length > 0) {
    const deliveries = await tx
      .insert(webhookDeliveries)
      .values(endpoints.map((e) => ({ eventId: event!.id, endpointId: e.id })))
      .returning({ id: webhookDeliveries.id });
    await enqueueJobs(
      tx,
      deliveries.map((d) => deliveryJob(d.id)),
    );
  }
}
