import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { loadActivePrincipal } from "../admin/users";
import { beginMfaEnrollment, confirmMfaEnrollment, disableMfa } from "./mfa";

// Each test file runs in its own module context: env() reads this before its first use.
process.env.RATCHET_REQUIRE_MFA = "managers";

describe.each(testDatabaseKinds)("RATCHET_REQUIRE_MFA=managers on %s", (kind) => {
  let database: Database;
  let db: Database["db"];
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  it("managers and admins must enroll before anything else; others are not asked", async () => {
    const manager = await makeUser(db, "manager@example.com", ["manager"]);
    const admin = await makeUser(db, "admin@example.com", ["admin"]);
    const viewer = await makeUser(db, "viewer@example.com", ["viewer"]);
    const load = (p: typeof manager) => loadActivePrincipal(db, p.kind === "user" ? p.id : "", Date.now());
    expect(await load(manager)).toMatchObject({ pending: "mfa_enrollment" });
    expect(await load(admin)).toMatchObject({ pending: "mfa_enrollment" });
    expect(await load(viewer)).not.toHaveProperty("pending");

    const restricted = await load(manager);
    const api = createCaller({ db, principal: restricted });
    await expect(api.releases.inbox()).rejects.toThrow(/requires a second factor: enable it on your account page/);
    await expect(api.account.mfaStatus()).resolves.toMatchObject({ required: true, enabledAt: null });

    const ctx = { db, principal: restricted };
    const { secret } = await beginMfaEnrollment(ctx);
    await confirmMfaEnrollment(ctx, { code: await generate({ secret }) });
    const enrolled = await load(manager);
    expect(enrolled).not.toHaveProperty("pending");
    await expect(disableMfa({ db, principal: enrolled }, { password: "password-1234" })).rejects.toThrow(
      /requires a second factor/,
    );
  });
});
