import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { emitEvent } from "../events";
import { deliverDue, startDeliveryWorker } from "./deliver";
import { createEndpoint } from "./endpoints";
import { verifySignature } from "./signing";
import { startReceiver } from "./test-receiver";

// The test receiver listens on 127.0.0.1: opt in to private targets, as an internal installation would.
process.env.RATCHET_WEBHOOK_ALLOW_PRIVATE = "on";

const admin: Principal = { kind: "operator", name: "test-admin" };
const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";

describe.each(testDatabaseKinds)("webhook delivery durability on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => database?.close());
  afterEach(async () => {
    await database.db.update(webhookEndpoints).set({ active: false }).where(eq(webhookEndpoints.active, true));
  });

  it("a failed delivery survives a restart: the next process sends it from the database alone", async () => {
    const receiver = await startReceiver((n) => (n === 1 ? 503 : 200));
    // PGlite: a real restart of an on-disk database. PostgreSQL: a second, independent connection pool,
    // as a restarted (or another) instance would open.
    const dir = kind === "pglite" ? mkdtempSync(path.join(tmpdir(), "ratchet-webhooks-")) : "";
    const first: Database = kind === "pglite" ? await openDatabase({ dataDir: path.join(dir, "pglite") }) : database;
    let second: Database | undefined;
    try {
      const endpoint = await createEndpoint(
        { db: first.db, principal: admin },
        { url: receiver.url, events: ["release.approved"] },
      );
      await first.db.transaction((tx) => emitEvent(tx, "release.approved", { model: "credit-default", version: 6 }));
      expect(await deliverDue(first.db)).toMatchObject({ retrying: 1 });

      second = await reopen(first);
      const later = new Date(Date.now() + 60_000);
      expect(await deliverDue(second.db, { now: later })).toMatchObject({ claimed: 1, delivered: 1 });
      const [row] = await second.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpoint.id));
      expect(row).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });
      expect(receiver.received).toHaveLength(2);
      expect(
        verifySignature(
          endpoint.secret,
          receiver.received[1]!.headers["ratchet-signature"] as string,
          receiver.received[1]!.body,
        ),
      ).toBe(true);
    } finally {
      await receiver.close();
      if (kind === "pglite") {
        await (second ?? first).close();
        rmSync(dir, { recursive: true, force: true });
      } else {
        await second?.close();
      }
    }

    async function reopen(previous: Database): Promise<Database> {
      if (kind === "pglite") {
        await previous.close();
        return openDatabase({ dataDir: path.join(dir, "pglite") });
      }
      const { rows } = await previous.db.execute<{ name: string }>(sql`select current_database() as name`);
      const url = new URL(serverUrl);
      url.pathname = `/${rows[0]!.name}`;
      return openDatabase({ url: url.toString() });
    }
  });

  it("concurrent deliverDue calls send each delivery exactly once", async () => {
    // A slow receiver keeps claims overlapping, so a missing lock would show up as a double send.
    const receiver = await startReceiver(() => new Promise((resolve) => setTimeout(() => resolve(200), 30)));
    try {
      const endpoint = await createEndpoint(
        { db: database.db, principal: admin },
        { url: receiver.url, events: ["version.created"] },
      );
      const events = 40;
      for (let i = 0; i < events; i++) {
        await database.db.transaction((tx) => emitEvent(tx, "version.created", { model: "race", version: i + 1 }));
      }
      const runs = await Promise.all(Array.from({ length: 8 }, () => deliverDue(database.db, { limit: 5 })));
      let delivered = runs.reduce((n, r) => n + r.delivered, 0);
      for (let r = await deliverDue(database.db); r.claimed > 0; r = await deliverDue(database.db))
        delivered += r.delivered;

      expect(delivered).toBe(events);
      const ids = receiver.received.map((r) => r.headers["ratchet-delivery"]);
      expect(ids).toHaveLength(events);
      expect(new Set(ids).size).toBe(events);
      const rows = await database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpoint.id));
      expect(rows.every((r) => r.status === "delivered" && r.attempts === 1)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it("the background worker sends on its own, never overlaps ticks, and logs (not throws) errors", async () => {
    const receiver = await startReceiver();
    const stop = startDeliveryWorker(async () => database, { intervalMs: 50 });
    try {
      expect(startDeliveryWorker(async () => database)).toBe(stop); // one worker per process
      await createEndpoint({ db: database.db, principal: admin }, { url: receiver.url, events: ["release.rejected"] });
      await database.db.transaction((tx) => emitEvent(tx, "release.rejected", { model: "churn", version: 5 }));
      await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    } finally {
      stop();
      await receiver.close();
    }

    // A tick slower than the interval: the next ticks are skipped, not stacked.
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let inFlight = 0;
    let maxInFlight = 0;
    const slowBrokenDb = async (): Promise<Database> => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 100));
      inFlight--;
      throw new Error("database unavailable");
    };
    const stopBroken = startDeliveryWorker(slowBrokenDb, { intervalMs: 10 });
    try {
      await expect.poll(() => errors.mock.calls.length, { timeout: 5_000 }).toBeGreaterThan(2);
      expect(errors.mock.calls[0]).toEqual(["webhook delivery worker:", "database unavailable"]);
      expect(maxInFlight).toBe(1);
    } finally {
      stopBroken();
      await expect.poll(() => inFlight).toBe(0); // a tick already running finishes (and logs) after stop
      errors.mockRestore();
    }
  });
});
