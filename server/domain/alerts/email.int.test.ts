import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { alertEmails, modelVersions } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { resolveAlert } from "./lifecycle";
import { sendDueAlertEmails } from "./email";
import { saveAlertRule } from "./rules";
import { sampleWindowSummary } from "./sample-window";
import { evaluateAlertsForWindow } from "./window";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free port; `refuseNext` makes it answer the next message with a temporary failure. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { refuseNext: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        if (state.refuseNext > 0) {
          state.refuseNext--;
          const error = Object.assign(new Error("mailbox busy, try later"), { responseCode: 451 });
          return callback(error);
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { server, received, state, url: `smtp://127.0.0.1:${port}` };
}

// One server for the file: the settings are read once per process, so every database kind mails the same one.
let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  smtp = await startSmtp();
  // Before anything reads the settings: with an SMTP server configured, alert transitions write mail.
  process.env.RATCHET_SMTP_URL = smtp.url;
  process.env.RATCHET_ALERT_EMAIL_FROM = "Ratchet alerts <alerts@ratchet.test>";
});
afterAll(() => new Promise<void>((resolve) => smtp?.server.close(() => resolve())));

describe.each(testDatabaseKinds)("alert email on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  let championId: string;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const reference = { score: Array.from({ length: 200 }, (_, i) => i % 50) };
  const window = (day: number, shift: number) =>
    sampleWindowSummary({
      windowStart: new Date(Date.UTC(2026, 10, day)),
      reference,
      current: { score: reference.score.map((x) => x + shift) },
    });

  beforeAll(async () => {
    smtp.received.length = 0;
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    await createModel(as(scientist), { name: "churn", task: "binary_classification", owner: "growth" });
    const v = await registerVersion(as(scientist), "churn", {
      artifactUri: "s3://m/1",
      artifactSha256: "e".repeat(64),
      config: {},
    });
    // Champion by hand: this test is about mail, not about releases.
    await database.db.update(modelVersions).set({ stage: "champion" }).where(eq(modelVersions.id, v.id));
    championId = v.id;
  });
  afterAll(async () => database?.close());

  it("writes the mail with the alert's change and sends it after commit, retrying a refused attempt", async () => {
    await saveAlertRule(as(scientist), {
      model: "churn",
      name: "Score drift",
      severity: "critical",
      params: { kind: "feature_drift", features: "all" },
      emailRecipients: ["oncall@test.dev", "Lead@Test.dev"],
    });
    const { opened } = await evaluateAlertsForWindow(database.db, {
      modelVersionId: championId,
      summary: window(20, 30),
    });
    expect(opened).toHaveLength(1);
    // Committed with the alert, not yet sent: no SMTP conversation ran inside the transaction.
    const [queued] = await database.db.select().from(alertEmails);
    expect(queued).toMatchObject({ status: "pending", attempts: 0, recipients: ["oncall@test.dev", "lead@test.dev"] });
    expect(smtp.received).toHaveLength(0);

    smtp.state.refuseNext = 1;
    const now = new Date();
    expect(await sendDueAlertEmails(database.db, { now })).toMatchObject({ claimed: 1, sent: 0, retrying: 1 });
    const [retry] = await database.db.select().from(alertEmails);
    expect(retry).toMatchObject({ status: "pending", attempts: 1 });
    expect(retry!.lastError).toMatch(/try later/);
    expect(retry!.nextAttemptAt.getTime()).toBe(now.getTime() + 30_000);
    // Not due yet: nothing is claimed.
    expect(await sendDueAlertEmails(database.db, { now: new Date(now.getTime() + 10_000) })).toMatchObject({
      claimed: 0,
    });

    expect(await sendDueAlertEmails(database.db, { now: new Date(now.getTime() + 31_000) })).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.from).toBe("alerts@ratchet.test");
    expect(mail.to).toEqual(["oncall@test.dev", "lead@test.dev"]);
    expect(mail.raw).toMatch(/Subject: \[Ratchet\] CRITICAL: churn: Score drift: drift in score/);
    expect(mail.raw).toMatch(/\/models\/churn\/alerts/);
    const [sent] = await database.db.select().from(alertEmails);
    expect(sent).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    // Sent once: another run finds nothing to send.
    expect(await sendDueAlertEmails(database.db, { now: new Date(now.getTime() + 120_000) })).toMatchObject({
      claimed: 0,
    });
  });

  it("mails the resolution too, naming who resolved it and their note", async () => {
    const [open] = await database.db
      .execute<{ id: string }>(`select id from alerts where status = 'open'`)
      .then((r) => r.rows);
    await resolveAlert(as(scientist), { alertId: open!.id, note: "retrained on the new scale" });
    expect(await sendDueAlertEmails(database.db)).toMatchObject({ sent: 1 });
    const mail = smtp.received.at(-1)!;
    expect(mail.raw).toMatch(/Subject: \[Ratchet\] Resolved: churn: Score drift/);
    expect(mail.raw).toMatch(/resolved by scientist@test.dev/);
    expect(mail.raw).toMatch(/Note: retrained on the new scale/);
  });

  it("writes no mail for a rule without recipients", async () => {
    await saveAlertRule(as(scientist), {
      model: "churn",
      name: "Dataset drift, no mail",
      severity: "warning",
      params: { kind: "dataset_drift" },
    });
    const before = (await database.db.select().from(alertEmails)).length;
    const { opened } = await evaluateAlertsForWindow(database.db, {
      modelVersionId: championId,
      summary: window(21, 30),
    });
    // The recipients' rule reopened on score (one mail); the silent rule opened too (none).
    expect(opened).toHaveLength(2);
    expect((await database.db.select().from(alertEmails)).length).toBe(before + 1);
  });
});
