import { and, asc, eq, inArray, lte } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Db, Tx } from "@/db/client";
import { alertEmails, type alertRules, type alerts } from "@/db/schema";
import { env } from "@/server/env";
import { afterFailure } from "../webhooks/deliver";

/**
 * Alert email through a small outbox: the transaction that opens or resolves an alert writes the mail
 * (`alert_emails`), and a worker sends it after commit with a lease and retries (the webhooks' schedule:
 * 30 s doubling, 8 attempts). No SMTP conversation ever runs inside a request or a transaction.
 */
type Alert = typeof alerts.$inferSelect;
type Rule = typeof alertRules.$inferSelect;

const LEASE_MS = 60_000;
const SEND_TIMEOUT_MS = 15_000;

/** Mail is written only when an SMTP server is configured; otherwise nothing would ever send it. */
export function alertEmailConfigured(): boolean {
  return Boolean(env().RATCHET_SMTP_URL);
}

export function composeAlertEmail(alert: Alert, rule: Rule, model: string, transition: "opened" | "resolved") {
  const link = `/models/${model}/alerts`;
  const subject = `[Ratchet] ${transition === "opened" ? alert.severity.toUpperCase() : "Resolved"}: ${model}: ${alert.title}`;
  const lines = [
    transition === "opened"
      ? `An alert opened on ${model} (${alert.severity}).`
      : `An alert on ${model} was resolved by ${alert.resolvedByLabel === "auto" ? "Ratchet: the condition cleared" : alert.resolvedByLabel}.`,
    "",
    `Alert: ${alert.title}`,
    `Rule: ${rule.name} (${rule.kind.replaceAll("_", " ")})`,
    `Subject: ${alert.subject}`,
    ...(alert.resolveNote && transition === "resolved" ? [`Note: ${alert.resolveNote}`] : []),
    `Evidence: ${JSON.stringify(alert.evidence)}`,
    "",
    `In Ratchet: ${env().AUTH_URL ? new URL(link, env().AUTH_URL).toString() : link}`,
  ];
  return { subject, body: lines.join("\n") };
}

export async function enqueueAlertEmail(
  tx: Tx,
  alert: Alert,
  rule: Rule,
  model: string,
  transition: "opened" | "resolved",
): Promise<void> {
  if (rule.emailRecipients.length === 0 || !alertEmailConfigured()) return;
  const { subject, body } = composeAlertEmail(alert, rule, model, transition);
  await tx.insert(alertEmails).values({ alertId: alert.id, recipients: rule.emailRecipients, subject, body });
}

export interface SendResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** Leases due mails (SKIP LOCKED: instances claim side by side), so none is sent twice while one is in flight. */
async function claimDue(db: Db, now: Date, limit: number) {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(alertEmails)
      .where(and(eq(alertEmails.status, "pending"), lte(alertEmails.nextAttemptAt, now)))
      .orderBy(asc(alertEmails.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length > 0)
      await tx
        .update(alertEmails)
        .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
        .where(
          inArray(
            alertEmails.id,
            due.map((d) => d.id),
          ),
        );
    return due;
  });
}

export interface SendOptions {
  smtpUrl?: string;
  from?: string;
  now?: Date;
  limit?: number;
}

/** Sends the due alert emails, outside any transaction; each outcome is written on its own. */
export async function sendDueAlertEmails(db: Db, options: SendOptions = {}): Promise<SendResult> {
  const smtpUrl = options.smtpUrl ?? env().RATCHET_SMTP_URL;
  const result: SendResult = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  if (!smtpUrl) return result;
  const now = options.now ?? new Date();
  const due = await claimDue(db, now, options.limit ?? 20);
  result.claimed = due.length;
  if (due.length === 0) return result;
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  const from = options.from ?? env().RATCHET_ALERT_EMAIL_FROM;
  try {
    for (const mail of due) {
      const attempts = mail.attempts + 1;
      try {
        await transport.sendMail({ from, to: mail.recipients, subject: mail.subject, text: mail.body });
        await db
          .update(alertEmails)
          .set({ status: "sent", attempts, sentAt: new Date(), lastError: null })
          .where(eq(alertEmails.id, mail.id));
        result.sent++;
      } catch (error) {
        const next = afterFailure(attempts, now);
        const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
        await db
          .update(alertEmails)
          .set(
            next.status === "failed"
              ? { status: "failed", attempts, lastError }
              : { attempts, lastError, nextAttemptAt: next.nextAttemptAt },
          )
          .where(eq(alertEmails.id, mail.id));
        if (next.status === "failed") result.failed++;
        else result.retrying++;
      }
    }
  } finally {
    transport.close();
  }
  return result;
}
