import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Database } from "@/db/client";
import { auditLog, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { ForbiddenError, NotFoundError } from "../errors";
import { emitEvent, type EventType } from "../events";
import { deliverDue, MAX_ATTEMPTS } from "./deliver";
import { createEndpoint, listDeliveries, listEndpoints, setEndpointActive } from "./endpoints";
import { verifySignature } from "./signing";
import { startReceiver } from "./test-receiver";

// The test receiver listens on 127.0.0.1: opt in to private targets, as an internal installation would.
process.env.RATCHET_WEBHOOK_ALLOW_PRIVATE = "on";

const admin: Principal = { kind: "operator", name: "test-admin" };
const scientist: Principal = {
  kind: "user",
  id: "00000000-0000-4000-8000-000000000000",
  email: "s@t",
  name: "S",
  roles: ["data_scientist"],
};
const seconds = (from: Date, s: number) => new Date(from.getTime() + s * 1000);

describe.each(testDatabaseKinds)("webhooks on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => database?.close());
  // Each test owns its endpoints: pausing the others keeps their receivers (closed by then) out of the counts.
  afterEach(async () => {
    await database.db.update(webhookEndpoints).set({ active: false }).where(eq(webhookEndpoints.active, true));
  });
  const ctx = (principal: Principal = admin) => ({ db: database.db, principal });
  const emit = (type: EventType, data: Record<string, unknown>) =>
    database.db.transaction((tx) => emitEvent(tx, type, data));
  const deliveryOf = async (endpointId: string) => {
    const [row] = await database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpointId));
    return row!;
  };

  it("registers endpoints: admins only, validated, secret shown once and never listed or audited", async () => {
    await expect(
      createEndpoint(ctx(scientist), { url: "https://x.test/h", events: ["version.created"] }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createEndpoint(ctx(), { url: "ftp://x.test/h", events: ["version.created"] })).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(createEndpoint(ctx(), { url: "https://x.test/h", events: [] })).rejects.toBeInstanceOf(ZodError);
    await expect(
      createEndpoint(ctx(), { url: "https://x.test/h", events: ["model.deleted" as EventType] }),
    ).rejects.toBeInstanceOf(ZodError);

    const created = await createEndpoint(ctx(), {
      url: "https://x.test/h",
      events: ["release.approved", "version.created", "release.approved"],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.events).toEqual(["version.created", "release.approved"]);
    const listed = (await listEndpoints(ctx())).find((e) => e.id === created.id);
    expect(listed).toMatchObject({ url: "https://x.test/h", active: true });
    expect(listed).not.toHaveProperty("secret");
    expect(JSON.stringify(await listEndpoints(ctx()))).not.toContain(created.secret);

    await setEndpointActive(ctx(), { id: created.id, active: false });
    await setEndpointActive(ctx(), { id: created.id, active: false }); // no change: no second entry
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.entityId, created.id));
    expect(audit.map((a) => a.action)).toEqual(["webhook.created", "webhook.deactivated"]);
    expect(JSON.stringify(audit)).not.toContain(created.secret);
    await expect(
      setEndpointActive(ctx(), { id: "00000000-0000-4000-8000-00000000ffff", active: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(listDeliveries(ctx(scientist))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("delivers a committed event once, signed; a rolled-back or unsubscribed event never", async () => {
    const receiver = await startReceiver();
    try {
      const endpoint = await createEndpoint(ctx(), { url: receiver.url, events: ["version.created"] });
      await emit("version.created", { model: "churn", version: 7 });
      await expect(
        database.db.transaction(async (tx) => {
          await emitEvent(tx, "version.created", { model: "rolled-back", version: 8 });
          throw new Error("the change failed");
        }),
      ).rejects.toThrow("the change failed");
      await emit("release.approved", { model: "churn", version: 7 });

      expect(await deliverDue(database.db)).toEqual({ claimed: 1, delivered: 1, retrying: 0, failed: 0 });
      expect(receiver.received).toHaveLength(1);
      const [req] = receiver.received;
      const body = JSON.parse(req!.body) as { id: number; type: string; createdAt: string; data: unknown };
      expect(body).toMatchObject({ type: "version.created", data: { model: "churn", version: 7 } });
      expect(typeof body.id).toBe("number");
      expect(new Date(body.createdAt).getTime()).not.toBeNaN();
      expect(req!.headers["ratchet-event"]).toBe("version.created");
      expect(req!.headers["content-type"]).toBe("application/json");
      expect(verifySignature(endpoint.secret, req!.headers["ratchet-signature"] as string, req!.body)).toBe(true);
      expect(verifySignature("whsec_wrong", req!.headers["ratchet-signature"] as string, req!.body)).toBe(false);

      const { deliveries: log } = await listDeliveries(ctx(), { endpointId: endpoint.id });
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        id: req!.headers["ratchet-delivery"],
        eventType: "version.created",
        endpointUrl: receiver.url,
        status: "delivered",
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
      });
      expect(log[0]!.deliveredAt).toBeInstanceOf(Date);

      expect((await deliverDue(database.db)).claimed).toBe(0); // delivered means done
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("retries a 500 with backoff, resending the same event, then records the success", async () => {
    const receiver = await startReceiver((n) => (n === 1 ? 500 : 200));
    try {
      const endpoint = await createEndpoint(ctx(), { url: receiver.url, events: ["release.requested"] });
      await emit("release.requested", { model: "churn", version: 3 });
      const t0 = new Date();
      expect(await deliverDue(database.db, { now: t0 })).toMatchObject({ claimed: 1, retrying: 1 });
      expect(await deliveryOf(endpoint.id)).toMatchObject({
        status: "pending",
        attempts: 1,
        lastStatusCode: 500,
        lastError: "HTTP 500: ok",
        nextAttemptAt: seconds(t0, 30),
      });

      expect((await deliverDue(database.db, { now: seconds(t0, 29) })).claimed).toBe(0); // not due yet
      expect(await deliverDue(database.db, { now: seconds(t0, 31) })).toMatchObject({ claimed: 1, delivered: 1 });
      expect(await deliveryOf(endpoint.id)).toMatchObject({
        status: "delivered",
        attempts: 2,
        lastStatusCode: 200,
        lastError: null,
      });
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
      expect(receiver.received[1]!.headers["ratchet-delivery"]).toBe(receiver.received[0]!.headers["ratchet-delivery"]);
    } finally {
      await receiver.close();
    }
  });

  it(`records timeouts and refused connections, and gives up after ${MAX_ATTEMPTS} attempts`, async () => {
    const receiver = await startReceiver(() => "hang");
    const endpoint = await createEndpoint(ctx(), { url: receiver.url, events: ["release.rolled_back"] });
    await emit("release.rolled_back", { model: "churn", from: 4, to: 3 });
    let now = new Date();
    expect(await deliverDue(database.db, { now, timeoutMs: 200 })).toMatchObject({ retrying: 1 });
    expect(await deliveryOf(endpoint.id)).toMatchObject({
      attempts: 1,
      lastStatusCode: null,
      lastError: "no response within 0.2 s",
    });

    await receiver.close();
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      now = seconds(now, 2 * 3600);
      const result = await deliverDue(database.db, { now });
      expect(result).toMatchObject(attempt === MAX_ATTEMPTS ? { failed: 1 } : { retrying: 1 });
    }
    const row = await deliveryOf(endpoint.id);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastStatusCode: null });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    expect((await deliverDue(database.db, { now: seconds(now, 24 * 3600) })).claimed).toBe(0);
  });

  it("holds deliveries of a paused endpoint until it is resumed; events while paused are not queued", async () => {
    const receiver = await startReceiver();
    try {
      const endpoint = await createEndpoint(ctx(), { url: receiver.url, events: ["requirement.changed"] });
      await emit("requirement.changed", { set: "credit", n: 1 });
      await setEndpointActive(ctx(), { id: endpoint.id, active: false });
      await emit("requirement.changed", { set: "credit", n: 2 });
      expect((await deliverDue(database.db)).claimed).toBe(0);

      await setEndpointActive(ctx(), { id: endpoint.id, active: true });
      expect(await deliverDue(database.db)).toMatchObject({ claimed: 1, delivered: 1 });
      expect(receiver.received.map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n)).toEqual([1]);
    } finally {
      await receiver.close();
    }
  });
});
