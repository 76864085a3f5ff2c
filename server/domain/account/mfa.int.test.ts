import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { userRecoveryCodes, users } from "@/db/schema";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { loadActivePrincipal } from "../admin/users";
import { beginMfaEnrollment, confirmMfaEnrollment, disableMfa, mfaStatus } from "./mfa";
import { signInWithPassword } from "./signin";
import { THROTTLE } from "./throttle";

const address = "127.0.0.1";

describe.each(testDatabaseKinds)("TOTP second factor on %s", (kind) => {
  let database: Database;
  let db: Database["db"];
  let n = 0;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  /** A person who enabled the second factor; returns the secret as their app holds it and their recovery codes. */
  async function enrolled() {
    const email = `m${++n}@example.com`;
    const me = await makeUser(db, email, ["viewer"]);
    const ctx = { db, principal: me };
    const { secret, qrDataUrl, uri } = await beginMfaEnrollment(ctx);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(uri).toContain(`secret=${secret}`);
    const { recoveryCodes } = await confirmMfaEnrollment(ctx, { code: await generate({ secret }) });
    return { email, me, ctx, secret, recoveryCodes };
  }

  it("enabling needs a valid code first; the secret is stored encrypted", async () => {
    const me = await makeUser(db, "enrol@example.com", ["viewer"]);
    const ctx = { db, principal: me };
    const { secret } = await beginMfaEnrollment(ctx);
    await expect(
      confirmMfaEnrollment(ctx, { code: "000000" === (await generate({ secret })) ? "111111" : "000000" }),
    ).rejects.toThrow(/code: that code is not valid/);
    expect((await mfaStatus(ctx)).enabledAt).toBeNull();
    const [row] = await db.select().from(users).where(eq(users.email, "enrol@example.com"));
    expect(row!.mfaSecret).toMatch(/^enc:v1:/);
    expect(row!.mfaSecret).not.toContain(secret);
    const { recoveryCodes } = await confirmMfaEnrollment(ctx, { code: await generate({ secret }) });
    expect(recoveryCodes).toHaveLength(10);
    expect(await mfaStatus(ctx)).toMatchObject({ recoveryCodesLeft: 10 });
    const stored = await db.select().from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, row!.id));
    expect(stored.map((r) => r.codeHash)).not.toContain(recoveryCodes[0]);
  });

  it("sign-in then asks for the code, accepts a current one and refuses a wrong one as a throttled failure", async () => {
    const { email, secret } = await enrolled();
    expect(await signInWithPassword(db, { email, password: "password-1234", address })).toEqual({
      ok: false,
      reason: "mfa_required",
    });
    expect(
      await signInWithPassword(db, { email, password: "password-1234", code: await generate({ secret }), address }),
    ).toMatchObject({ ok: true });
    for (let i = 0; i < THROTTLE.account.points; i++) {
      expect(await signInWithPassword(db, { email, password: "password-1234", code: "12345x", address })).toEqual({
        ok: false,
        reason: "mfa_invalid",
      });
    }
    expect(
      await signInWithPassword(db, { email, password: "password-1234", code: await generate({ secret }), address }),
    ).toMatchObject({ reason: "throttled" });
  });

  it("a TOTP code signs in once: the same code again is refused", async () => {
    const { email, secret } = await enrolled();
    const code = await generate({ secret });
    expect(await signInWithPassword(db, { email, password: "password-1234", code, address })).toMatchObject({
      ok: true,
    });
    expect(await signInWithPassword(db, { email, password: "password-1234", code, address })).toEqual({
      ok: false,
      reason: "mfa_invalid",
    });
  });

  it("a recovery code signs in once, and never again", async () => {
    const { email, recoveryCodes } = await enrolled();
    const code = recoveryCodes[3]!;
    expect(
      await signInWithPassword(db, { email, password: "password-1234", code: code.toUpperCase(), address }),
    ).toMatchObject({ ok: true });
    expect(await signInWithPassword(db, { email, password: "password-1234", code, address })).toEqual({
      ok: false,
      reason: "mfa_invalid",
    });
    expect(
      await signInWithPassword(db, { email, password: "password-1234", code: recoveryCodes[4]!, address }),
    ).toMatchObject({ ok: true });
  });

  it("two sign-ins racing with the same recovery code: only one gets in", async () => {
    const { email, recoveryCodes } = await enrolled();
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        signInWithPassword(db, { email, password: "password-1234", code: recoveryCodes[0]!, address }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("turning it off needs the password; afterwards sign-in needs no code", async () => {
    const { email, ctx } = await enrolled();
    await expect(disableMfa(ctx, { password: "wrong-password" })).rejects.toThrow(/not your current password/);
    await disableMfa(ctx, { password: "password-1234" });
    expect(await signInWithPassword(db, { email, password: "password-1234", address })).toMatchObject({ ok: true });
  });

  it("without RATCHET_REQUIRE_MFA a manager without a second factor has no pending step", async () => {
    const manager = await makeUser(db, "mgr@example.com", ["manager"]);
    expect(await loadActivePrincipal(db, manager.kind === "user" ? manager.id : "", Date.now())).not.toHaveProperty(
      "pending",
    );
  });
});
