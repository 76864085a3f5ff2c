import type { Db } from "@/db/client";
import type { Env } from "@/server/env";
import { MAINTENANCE_JOB, maintenanceJobHandler, queueMaintenanceNow } from "../maintenance";
import { evaluateAlertsForWindow } from "../alerts/window";
import { FEEDBACK_INTAKE_JOB, feedbackIntakeJobHandler } from "../feedback/intake-job";
import { LIVE_ACCURACY_JOB, liveAccuracyJobHandler } from "../feedback-accuracy/alert-job";
import { afterWindowComputed, type WindowHook } from "../monitoring/hooks";
import { CHECK_JOB, checkJobHandler, WINDOW_JOB, windowJobHandler } from "../monitoring/window-jobs";
import { WEBHOOK_DELIVERY_JOB } from "../webhooks/delivery-job";
import { webhookDeliveryHandler } from "../webhooks/deliver";
import type { JobHandlers } from "./runner";
import { startJobWorker } from "./worker";

/** Every stored window is judged by the model's alert rules (idempotent: alerts are deduplicated). */
export const judgeWindowByAlertRules: WindowHook = async (db, window) => {
  await evaluateAlertsForWindow(db, { modelVersionId: window.modelVersionId, summary: window.summary });
};

/** The handlers this instance runs, as its environment allows: every kind of job the app has. */
export function appJobHandlers(e: Env): JobHandlers {
  const handlers: JobHandlers = {};
  if (e.RATCHET_WEBHOOK_WORKER === "on") handlers[WEBHOOK_DELIVERY_JOB] = webhookDeliveryHandler();
  if (e.RATCHET_MONITORING_WORKER === "on") {
    afterWindowComputed(judgeWindowByAlertRules);
    handlers[WINDOW_JOB] = windowJobHandler({
      exactUpTo: e.RATCHET_MONITORING_EXACT_ROWS,
      lateMs: e.RATCHET_MONITORING_LATE_MS,
    });
    handlers[CHECK_JOB] = checkJobHandler;
    // The review queue's intake from the prediction log follows the log's other derived work.
    handlers[FEEDBACK_INTAKE_JOB] = feedbackIntakeJobHandler;
    handlers[LIVE_ACCURACY_JOB] = liveAccuracyJobHandler;
  }
  if (e.RATCHET_MAINTENANCE_WORKER === "on")
    handlers[MAINTENANCE_JOB] = maintenanceJobHandler({ retentionDays: e.RATCHET_PREDICTION_RETENTION_DAYS });
  return handlers;
}

/**
 * The one job worker of an app instance (started from instrumentation.ts): webhook delivery, monitoring
 * windows and checks, upkeep. Every instance on a shared PostgreSQL runs one; claims keep each job to one.
 */
export function startAppJobWorker(getDb: () => Promise<{ db: Db }>, e: Env): () => void {
  const handlers = appJobHandlers(e);
  return startJobWorker(getDb, {
    name: "job worker",
    handlers,
    // RATCHET_WEBHOOK_INTERVAL_MS predates the shared worker and is still honoured: the smaller one wins.
    intervalMs: Math.min(e.RATCHET_JOBS_INTERVAL_MS, e.RATCHET_WEBHOOK_INTERVAL_MS),
    onStart: handlers[MAINTENANCE_JOB] ? (db) => queueMaintenanceNow(db) : undefined,
  });
}
