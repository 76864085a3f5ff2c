import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { createUser, hasAnyUser } from "../admin/users";
import { signInWithPassword } from "./signin";
import { THROTTLE } from "./throttle";

const operator = { kind: "operator", name: "test" } as const;
let n = 0;
/** A fresh account per test, so counters from one test never affect another. */
async function person(db: Database["db"], password = "correct-horse-battery") {
  const email = `p${++n}-${Date.now()}@example.com`;
  await createUser({ db, principal: operator }, { email, password, roles: ["viewer"] });
  return { email, password };
}

describe.each(testDatabaseKinds)("sign-in throttling and audit on %s", (kind) => {
  let database: Database;
  let db: Database["db"];
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  it("an empty database has no users (the sign-in page then explains how to create the first admin)", async () => {
    expect(await hasAnyUser(db)).toBe(false);
    await person(db);
    expect(await hasAnyUser(db)).toBe(true);
  });

  it("after 5 wrong passwords for one account even the right one is refused, with the wait, before it is checked", async () => {
    const p = await person(db);
    for (let i = 0; i < THROTTLE.account.points; i++) {
      expect(
        await signInWithPassword(db, { email: p.email, password: "wrong-password!", address: `10.0.0.${i}` }),
      ).toEqual({ ok: false, reason: "invalid" });
    }
    const refused = await signInWithPassword(db, {
      email: p.email.toUpperCase(),
      password: p.password,
      address: "10.9.9.9",
    });
    expect(refused).toMatchObject({ ok: false, reason: "throttled", throttled: { scope: "account" } });
    if (refused.ok || refused.reason !== "throttled") throw new Error("unreachable");
    expect(refused.throttled.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.throttled.retryAfterSeconds).toBeLessThanOrEqual(THROTTLE.account.durationSeconds);
  });

  it("a successful sign-in clears the account's counter; successes never count", async () => {
    const p = await person(db);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < THROTTLE.account.points - 1; i++)
        await signInWithPassword(db, { email: p.email, password: "nope-nope-nope", address: "10.1.0.1" });
      expect(await signInWithPassword(db, { email: p.email, password: p.password, address: "10.1.0.1" })).toMatchObject(
        { ok: true },
      );
    }
  });

  it("one address failing on many accounts is throttled for every account; other addresses are not", async () => {
    const address = `10.2.${n}.1`;
    for (let i = 0; i < THROTTLE.address.points; i++) {
      await signInWithPassword(db, { email: `nobody-${i}@example.com`, password: "guess-guess", address });
    }
    const p = await person(db);
    expect(await signInWithPassword(db, { email: p.email, password: p.password, address })).toMatchObject({
      reason: "throttled",
      throttled: { scope: "address" },
    });
    expect(await signInWithPassword(db, { email: p.email, password: p.password, address: "10.3.0.1" })).toMatchObject({
      ok: true,
    });
  });

  it("unknown and disabled emails fail exactly like a wrong password, and count as failures", async () => {
    const p = await person(db);
    await db.update(users).set({ disabled: true }).where(eq(users.email, p.email));
    expect(await signInWithPassword(db, { email: p.email, password: p.password, address: "10.4.0.1" })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(
      await signInWithPassword(db, { email: "ghost@example.com", password: p.password, address: "10.4.0.1" }),
    ).toEqual({ ok: false, reason: "invalid" });
    for (let i = 0; i < THROTTLE.account.points; i++)
      await signInWithPassword(db, { email: "ghost2@example.com", password: "x", address: `10.5.0.${i}` });
    expect(
      await signInWithPassword(db, { email: "ghost2@example.com", password: "x", address: "10.5.1.1" }),
    ).toMatchObject({ reason: "throttled" });
  });

  it("a password over 72 bytes fails like a wrong one, even when its first 72 bytes are the password", async () => {
    const exact = "a".repeat(72);
    const p = await person(db, exact);
    expect(await signInWithPassword(db, { email: p.email, password: exact, address: "10.6.0.1" })).toMatchObject({
      ok: true,
    });
    expect(
      await signInWithPassword(db, { email: p.email, password: `${exact}-and-more`, address: "10.6.0.1" }),
    ).toEqual({ ok: false, reason: "invalid" });
  });

  it("setting a password over 72 bytes (UTF-8) is refused with a clear message", async () => {
    // 37 × "é" is 37 characters but 74 bytes.
    await expect(
      createUser(
        { db, principal: operator },
        { email: "long@example.com", password: "é".repeat(37), roles: ["viewer"] },
      ),
    ).rejects.toThrow(/at most 72 bytes/);
  });

  it("audits sign-ins and failures with the email tried and the address, never the password", async () => {
    const p = await person(db, "audit-me-please-123");
    await signInWithPassword(db, { email: p.email, password: "wrong-secret-xyz", address: "10.7.0.1" });
    await signInWithPassword(db, { email: p.email, password: p.password, address: "10.7.0.2" });
    await signInWithPassword(db, { email: "stranger@example.com", password: "stranger-secret", address: "10.7.0.3" });
    const [user] = await db.select().from(users).where(eq(users.email, p.email));
    const mine = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, user!.id), like(auditLog.action, "auth.%")))
      .orderBy(asc(auditLog.id));
    expect(mine.map((e) => [e.action, e.actorLabel, (e.after as { address: string }).address])).toEqual([
      ["auth.sign_in_failed", p.email, "10.7.0.1"],
      ["auth.signed_in", p.email, "10.7.0.2"],
    ]);
    const [stranger] = await db.select().from(auditLog).where(eq(auditLog.entityId, "stranger@example.com"));
    expect(stranger).toMatchObject({
      action: "auth.sign_in_failed",
      actorLabel: "anonymous:sign-in",
      actorUserId: null,
      after: { email: "stranger@example.com", address: "10.7.0.3" },
    });
    const all = JSON.stringify(await db.select().from(auditLog));
    for (const secret of ["wrong-secret-xyz", "audit-me-please-123", "stranger-secret"])
      expect(all).not.toContain(secret);
  });
});
