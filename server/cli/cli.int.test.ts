import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { acquireEmbeddedLock } from "@/db/lock";
import { auditLog } from "@/db/schema";
import { authenticateApiKey } from "@/server/domain/admin/apiKeys";
import { signInWithPassword } from "@/server/domain/account/signin";

/** The operator's command line, run as a person would: a separate process on the embedded folder. */
const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "ratchet-cli-")), "pglite");
function ratchet(...args: string[]) {
  const r = spawnSync(process.execPath, ["server/cli/bin.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, PGLITE_DIR: dataDir, DATABASE_URL: "", RATCHET_DEMO_DATA: "off" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npx ratchet", () => {
  it("adds a user and creates an API key, printing the key alone on the last line", async () => {
    const user = ratchet(
      "user",
      "add",
      "--email",
      "ops@example.com",
      "--password",
      "a long passphrase",
      "--roles",
      "manager,reviewer",
    );
    expect(user.err).toBe("");
    expect(user.code).toBe(0);
    const key = ratchet(
      "key",
      "create",
      "--name",
      "nightly-training",
      "--scopes",
      "registry:read,versions:write",
      "--owner",
      "OPS@example.com",
    );
    expect(key.code).toBe(0);
    const last = key.out.trim().split("\n").at(-1)!;
    expect(last).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);

    const { db, close } = await openDatabase({ dataDir });
    try {
      const signedIn = await signInWithPassword(db, {
        email: "ops@example.com",
        password: "a long passphrase",
        address: "127.0.0.1",
      });
      expect(signedIn).toMatchObject({ ok: true, user: { email: "ops@example.com" } });
      const ops = signedIn.ok ? signedIn.user : null;
      expect(await authenticateApiKey(db, last)).toMatchObject({
        kind: "apiKey",
        name: "nightly-training",
        scopes: ["registry:read", "versions:write"],
        ownerUserId: ops!.id,
      });
    } finally {
      await close();
    }
  }, 120_000);

  it("refuses a password over 72 bytes, which bcrypt would silently cut short", () => {
    const long = ratchet(
      "user",
      "add",
      "--email",
      "long@example.com",
      "--password",
      "é".repeat(37),
      "--roles",
      "viewer",
    );
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/--password: use at most 72 bytes/);
  }, 60_000);

  it("audit verify: OK with the count, or names the first broken entry and exits 1", async () => {
    const counted = await openDatabase({ dataDir });
    const entries = await counted.db.$count(auditLog); // user.created, api_key.created, the sign-in above
    await counted.close();
    expect(entries).toBeGreaterThanOrEqual(2);
    const ok = ratchet("audit", "verify");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`OK: the audit chain of ${entries} entries is intact`);
    const head = /Head: (\d+:[0-9a-f]{64})/.exec(ok.out)?.[1];
    expect(head).toBeDefined();
    const checked = ratchet("audit", "verify", "--checkpoint", head!);
    expect(checked.code).toBe(0);
    expect(checked.out).toContain("still holds checkpoint");
    expect(ratchet("audit", "verify", "--checkpoint", "12").code).toBe(2);
    const { db, close } = await openDatabase({ dataDir });
    try {
      await db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
        await tx.execute(sql`update audit_log set actor_label = 'someone-else' where action = 'user.created'`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
      });
    } finally {
      await close();
    }
    const broken = ratchet("audit", "verify");
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(
      /BROKEN at entry \d+ \(user\.created, \d{4}-\d\d-\d\dT[^)]*\): its content does not match its hash/,
    );
  }, 120_000);

  it("refuses bad input with exit code 2 and a message naming the option", () => {
    const bad = ratchet(
      "user",
      "add",
      "--email",
      "x@example.com",
      "--password",
      "a long passphrase",
      "--roles",
      "wizard",
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--roles\.0/);
    const dup = ratchet(
      "user",
      "add",
      "--email",
      "ops@example.com",
      "--password",
      "a long passphrase",
      "--roles",
      "viewer",
    );
    expect(dup.code).toBe(2);
    expect(dup.err).toMatch(/already exists/);
    const ownerless = ratchet("key", "create", "--name", "x", "--scopes", "registry:read");
    expect(ownerless.code).toBe(2);
    expect(ownerless.err).toMatch(/--owner is required/);
    const stranger = ratchet(
      "key",
      "create",
      "--name",
      "x",
      "--scopes",
      "registry:read",
      "--owner",
      "nobody@example.com",
    );
    expect(stranger.code).toBe(2);
    expect(stranger.err).toMatch(/no user nobody@example\.com/);
  }, 120_000);

  it("refuses to open the embedded folder while another process holds it", () => {
    const release = acquireEmbeddedLock(dataDir);
    try {
      const r = ratchet("key", "create", "--name", "x", "--scopes", "registry:read", "--owner", "ops@example.com");
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/in use by process \d+/);
    } finally {
      release();
    }
  }, 120_000);
});
