import type { NewJob } from "@/server/domain/jobs/queue";

/** The job kind of one delivery (one event to one endpoint) on the app's jobs queue. */
export const WEBHOOK_DELIVERY_JOB = "webhook.deliver";

/** The job that sends a delivery when it is due; one queued job per delivery at most. */
export const deliveryJob = (deliveryId: string, runAt?: Date): NewJob => ({
  kind: WEBHOOK_DELIVERY_JOB,
  payload: { deliveryId },
  dedupKey: `webhook:${deliveryId}`,
  runAt,
});
