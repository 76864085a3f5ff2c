import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, outboxEvents, users } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { forcePasswordReset, loadActivePrincipal, setDisabled, setRoles } from "../admin/users";
import { FourEyesError } from "../errors";
import { makeUser } from "@/server/testing/fixtures";
import { changePassword } from "./password";
import { sessionStart, signOutEverywhere } from "./session";
import { signInWithPassword } from "./signin";

/**
 * A session token carries who signed in and when (the jwt callback stores sessionStart(...) from the
 * sign-in); loadActivePrincipal is what every request runs on it. These tests hold a token's values
 * across an event and check that the old token is refused afterwards while a fresh sign-in works.
 */
describe.each(testDatabaseKinds)(
  "sessions end on sign-out, password change, disabling and role change on %s",
  (kind) => {
    let database: Database;
    let db: Database["db"];
    let admin: Principal;
    let n = 0;
    beforeAll(async () => {
      database = await openTestDatabase(kind);
      db = database.db;
      admin = await makeUser(db, "admin@example.com", ["admin"]);
    });
    afterAll(async () => database?.close());

    /** Signs in as a fresh person and returns the values their session token would hold. */
    async function signedIn() {
      const email = `s${++n}@example.com`;
      const me = await makeUser(db, email, ["viewer"]);
      const result = await signInWithPassword(db, { email, password: "password-1234", address: "127.0.0.1" });
      if (!result.ok) throw new Error("sign-in failed");
      return { me, email, token: { userId: result.user.id, signedInAt: sessionStart(result.sessionsValidAfter) } };
    }
    const load = (t: { userId: string; signedInAt: number }) => loadActivePrincipal(db, t.userId, t.signedInAt);
    async function signInAgain(email: string, password = "password-1234") {
      const result = await signInWithPassword(db, { email, password, address: "127.0.0.1" });
      if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
      return { userId: result.user.id, signedInAt: sessionStart(result.sessionsValidAfter) };
    }

    it("signing out refuses the old token everywhere; a new sign-in works at once", async () => {
      const { email, token } = await signedIn();
      expect(await load(token)).toMatchObject({ kind: "user", email });
      await signOutEverywhere(db, token.userId);
      expect(await load(token)).toBeNull();
      expect(await load(await signInAgain(email))).toMatchObject({ email });
      const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "auth.signed_out"));
      expect(entry).toMatchObject({ actorLabel: "s1@example.com", entityId: token.userId });
    });

    it("a password change refuses the old token, is audited and the new password signs in", async () => {
      const { me, email, token } = await signedIn();
      await changePassword(
        { db, principal: me },
        { currentPassword: "password-1234", newPassword: "a-new-password-5678" },
      );
      expect(await load(token)).toBeNull();
      expect(await load(await signInAgain(email, "a-new-password-5678"))).toMatchObject({ email });
      const entries = await db.select().from(auditLog).where(eq(auditLog.entityId, token.userId));
      expect(entries.map((e) => e.action)).toContain("user.password_changed");
    });

    it("the current password is required, and the new one must fit bcrypt", async () => {
      const { me } = await signedIn();
      await expect(
        changePassword({ db, principal: me }, { currentPassword: "not-it-at-all", newPassword: "a-new-password-5678" }),
      ).rejects.toThrow(/currentPassword: is not your current password/);
      await expect(
        changePassword({ db, principal: me }, { currentPassword: "password-1234", newPassword: "ü".repeat(40) }),
      ).rejects.toThrow(/at most 72 bytes/);
      await expect(
        changePassword({ db, principal: me }, { currentPassword: "password-1234", newPassword: "short" }),
      ).rejects.toThrow(/at least 10/);
    });

    it("disabling refuses the old token, and enabling again does not revive it", async () => {
      const { token, email } = await signedIn();
      await setDisabled({ db, principal: admin }, { userId: token.userId, disabled: true });
      expect(await load(token)).toBeNull();
      await setDisabled({ db, principal: admin }, { userId: token.userId, disabled: false });
      expect(await load(token)).toBeNull();
      expect(await load(await signInAgain(email))).toMatchObject({ email });
    });

    it("a role change refuses the old token; the next sign-in carries the new roles", async () => {
      const { token, email } = await signedIn();
      await setRoles({ db, principal: admin }, { userId: token.userId, roles: ["data_scientist"] });
      expect(await load(token)).toBeNull();
      expect(await load(await signInAgain(email))).toMatchObject({ roles: ["data_scientist"] });
    });

    it("a forced reset ends sessions; the temporary password signs in to a session that may only change the password", async () => {
      const { me, token, email } = await signedIn();
      await forcePasswordReset(
        { db, principal: admin },
        { userId: me.kind === "user" ? me.id : "", temporaryPassword: "temporary-pass-1" },
      );
      expect(await load(token)).toBeNull();
      const restricted = await load(await signInAgain(email, "temporary-pass-1"));
      expect(restricted).toMatchObject({ pending: "password_reset" });
      await changePassword(
        { db, principal: restricted! },
        { currentPassword: "temporary-pass-1", newPassword: "my-own-password-1" },
      );
      const free = await load(await signInAgain(email, "my-own-password-1"));
      expect(free).toMatchObject({ email });
      expect(free).not.toHaveProperty("pending");
    });
  },
);

describe.each(testDatabaseKinds)("role changes on %s", (kind) => {
  let database: Database;
  let db: Database["db"];
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  it("nobody can change their own roles, admins included, whether adding or removing", async () => {
    const admin = await makeUser(db, "self@example.com", ["admin"]);
    if (admin.kind !== "user") throw new Error("unreachable");
    await expect(setRoles({ db, principal: admin }, { userId: admin.id, roles: ["admin", "manager"] })).rejects.toThrow(
      FourEyesError,
    );
    await expect(setRoles({ db, principal: admin }, { userId: admin.id, roles: ["viewer"] })).rejects.toThrow(
      /cannot change your own roles/,
    );
    const [row] = await db.select().from(users).where(eq(users.id, admin.id));
    expect(row!.roles).toEqual(["admin"]);
  });

  it("every role change is audited with before and after, and announced as user.roles_changed", async () => {
    const admin = await makeUser(db, "boss@example.com", ["admin"]);
    const target = await makeUser(db, "worker@example.com", ["viewer"]);
    if (target.kind !== "user") throw new Error("unreachable");
    await setRoles({ db, principal: admin }, { userId: target.id, roles: ["viewer", "manager"] });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, "user.roles_changed"));
    expect(entry).toMatchObject({
      actorLabel: "boss@example.com",
      entityId: target.id,
      before: { roles: ["viewer"] },
      after: { roles: ["viewer", "manager"] },
    });
    const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.type, "user.roles_changed"));
    expect(event!.payload).toMatchObject({
      userId: target.id,
      email: "worker@example.com",
      before: ["viewer"],
      after: ["viewer", "manager"],
      changedBy: "boss@example.com",
    });
  });
});
