import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { decryptSecret, encryptSecret, isEncryptedSecret } from "@/server/crypto";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { InvalidInputError } from "../errors";
import { emitEvent } from "../events";
import { deliverDue } from "./deliver";
import { createEndpoint } from "./endpoints";
import { verifySignature } from "./signing";
import { startReceiver } from "./test-receiver";

/**
 * Webhooks go only to public addresses, by default. The receiver here listens on 127.0.0.1, so every
 * delivery to it must be refused unless private targets are allowed explicitly.
 */
const admin: Principal = { kind: "operator", name: "test-admin" };
const publicOnly = { allowPrivate: false, allowHttp: true };
const internal = { allowPrivate: true, allowHttp: true };

describe.each(testDatabaseKinds)("webhooks to public addresses only, on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => database?.close());
  const ctx = {
    get db() {
      return database.db;
    },
    principal: admin,
  };
  const emit = (n: number) =>
    database.db.transaction((tx) => emitEvent(tx, "version.created", { model: "churn", version: n }));
  /** Registers an endpoint as a row (creation refuses these URLs; delivery must refuse them too). */
  const endpointAt = async (url: string) => {
    const [row] = await database.db
      .insert(webhookEndpoints)
      .values({ url, secret: "whsec_plain-legacy-secret", events: ["version.created"] })
      .returning();
    return row!;
  };

  it("refuses loopback, private, metadata and IPv6 loopback targets, and names resolving to them, at delivery", async () => {
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    try {
      const targets = [
        receiver.url,
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        `http://[::1]:${port}/hook`,
        `http://localhost:${port}/hook`,
      ];
      const endpoints = await Promise.all(targets.map(endpointAt));
      await emit(1);
      expect(await deliverDue(database.db, { network: publicOnly })).toMatchObject({
        claimed: targets.length,
        delivered: 0,
        failed: targets.length,
      });
      expect(receiver.received).toHaveLength(0);
      for (const [i, e] of endpoints.entries()) {
        const [d] = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, e.id));
        expect(d, targets[i]).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null });
        expect(d!.lastError, targets[i]).toMatch(/public addresses/);
      }
      const [viaDns] = await database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpoints[4]!.id));
      expect(viaDns!.lastError).toMatch(/localhost resolves to 127\.0\.0\.1 is a loopback address/);
    } finally {
      await receiver.close();
    }
  });

  it("refuses http in production unless allowed, and refuses private URLs at registration", async () => {
    const e = await endpointAt("http://hooks.example.com/x");
    await database.db.update(webhookEndpoints).set({ active: false }).where(eq(webhookEndpoints.active, true));
    await database.db.update(webhookEndpoints).set({ active: true }).where(eq(webhookEndpoints.id, e.id));
    await emit(2);
    expect(await deliverDue(database.db, { network: { allowPrivate: false, allowHttp: false } })).toMatchObject({
      failed: 1,
    });
    const [d] = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, e.id));
    expect(d!.lastError).toMatch(/http:\/\/ is refused in production/);
    await database.db.update(webhookEndpoints).set({ active: false }).where(eq(webhookEndpoints.id, e.id));

    for (const url of [
      "http://127.0.0.1:9/x",
      "http://10.1.2.3/x",
      "http://169.254.169.254/",
      "http://[::1]/x",
      "http://localhost:9/x",
    ]) {
      await expect(createEndpoint(ctx, { url, events: ["version.created"] }), url).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    }
  });

  it("stores signing secrets encrypted and audits the host only", async () => {
    const created = await createEndpoint(ctx, {
      url: "https://hooks.example.com/services/T000/B000/s3cr3t",
      events: ["version.created"],
    });
    const [stored] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id));
    expect(isEncryptedSecret(stored!.secret)).toBe(true);
    expect(decryptSecret(stored!.secret)).toBe(created.secret);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.entityId, created.id));
    expect(JSON.stringify(audit)).not.toContain("s3cr3t");
    expect(audit[0]!.after).toMatchObject({ host: "hooks.example.com" });
    await database.db.update(webhookEndpoints).set({ active: false }).where(eq(webhookEndpoints.id, created.id));
  });

  it("with private targets allowed: signs with the decrypted secret, encrypts old plain ones, follows no redirect, keeps a snippet", async () => {
    const ok = await startReceiver();
    const redirecting = await startReceiver(() => 302);
    try {
      await database.db.update(webhookEndpoints).set({ active: false }).where(eq(webhookEndpoints.active, true));
      const legacy = await endpointAt(ok.url); // a row from before encryption at rest: plain secret
      const [current] = await database.db
        .insert(webhookEndpoints)
        .values({ url: ok.url, secret: encryptSecret("whsec_current"), events: ["version.created"] })
        .returning();
      const moved = await endpointAt(redirecting.url);
      await emit(3);
      expect(await deliverDue(database.db, { network: internal })).toMatchObject({ delivered: 2, retrying: 1 });
      expect(ok.received).toHaveLength(2);
      for (const r of ok.received) {
        const header = r.headers["ratchet-signature"] as string;
        expect(
          verifySignature("whsec_plain-legacy-secret", header, r.body) ||
            verifySignature("whsec_current", header, r.body),
        ).toBe(true);
      }
      const [legacyNow] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, legacy.id));
      expect(decryptSecret(legacyNow!.secret)).toBe("whsec_plain-legacy-secret"); // encrypted on first use
      expect(current).toBeDefined();
      const [d] = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, moved.id));
      expect(d).toMatchObject({ status: "pending", lastStatusCode: 302 });
      expect(d!.lastError).toMatch(/redirects are not followed/);
      expect(redirecting.received).toHaveLength(1);
    } finally {
      await ok.close();
      await redirecting.close();
    }
  });
});
