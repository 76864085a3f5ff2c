-- Webhook delivery moved onto the jobs queue: every delivery still pending when this runs gets its job,
-- due when the delivery was due, so nothing queued before the upgrade is lost.
INSERT INTO "jobs" ("kind", "payload", "dedup_key", "run_at", "attempts", "max_attempts")
SELECT 'webhook.deliver', jsonb_build_object('deliveryId', d."id"), 'webhook:' || d."id", d."next_attempt_at", 0, 5
FROM "webhook_deliveries" d
WHERE d."status" = 'pending';
