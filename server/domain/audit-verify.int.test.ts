import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { appendAudit } from "./audit";
import { parseCheckpoint, verifyAuditChain } from "./audit-verify";
import { ForbiddenError } from "./errors";

const operator: Principal = { kind: "operator", name: "test" };

describe.each(testDatabaseKinds)("audit chain verification on %s", (kind) => {
  let database: Database;
  const ctx = () => ({ db: database.db, principal: operator });
  const ids = async () =>
    (await database.db.execute<{ id: number }>(sql`select id from audit_log order by id`)).rows.map((r) =>
      Number(r.id),
    );
  /** As the superuser would: pause the append-only trigger, change the row, resume it. */
  const asSuperuser = (statement: ReturnType<typeof sql>) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
      await tx.execute(statement);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
    });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    for (let i = 1; i <= 6; i++) {
      await database.db.transaction((tx) =>
        appendAudit(tx, operator, { action: "model.created", entityType: "model", entityId: `m${i}`, after: { i } }),
      );
    }
  });
  afterAll(async () => database?.close());

  it("reports an intact chain with its length; only security readers may run it", async () => {
    expect(await verifyAuditChain(ctx())).toMatchObject({ ok: true, count: 6, head: { id: (await ids())[5] } });
    const viewer: Principal = {
      kind: "user",
      id: "00000000-0000-4000-8000-000000000000",
      email: "v@t",
      name: "v",
      roles: ["viewer"],
    };
    await expect(verifyAuditChain({ db: database.db, principal: viewer })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("names an edited entry", async () => {
    const [, , third] = await ids();
    const [original] = (
      await database.db.execute<{ after: string }>(sql`select after::text as after from audit_log where id = ${third}`)
    ).rows;
    await asSuperuser(sql`update audit_log set after = '{"i": 99}'::jsonb where id = ${third}`);
    const verdict = await verifyAuditChain(ctx());
    expect(verdict).toMatchObject({
      ok: false,
      count: 2,
      broken: { id: third, action: "model.created", reason: expect.stringMatching(/altered/) },
    });
    await asSuperuser(sql`update audit_log set after = ${original!.after}::jsonb where id = ${third}`);
    expect(await verifyAuditChain(ctx())).toMatchObject({ ok: true, count: 6 });
  });

  it("catches a log cut back from the end, given the checkpoint an earlier run printed", async () => {
    const before = await verifyAuditChain(ctx());
    if (!before.ok || !before.head) throw new Error("expected an intact chain with a head");
    const checkpoint = before.head;
    expect(parseCheckpoint(`${checkpoint.id}:${checkpoint.hash}`)).toEqual(checkpoint);
    expect(await verifyAuditChain(ctx(), checkpoint)).toMatchObject({ ok: true, count: 6 });

    // Deleting the newest entries leaves a shorter chain that is valid on its own...
    const all = await ids();
    await asSuperuser(sql`delete from audit_log where id >= ${all[4]!}`);
    expect(await verifyAuditChain(ctx())).toMatchObject({ ok: true, count: 4 });
    // ...but not against the checkpoint,
    expect(await verifyAuditChain(ctx(), checkpoint)).toMatchObject({
      ok: false,
      count: 4,
      broken: { id: checkpoint.id, reason: expect.stringMatching(/checkpoint entry is gone/) },
    });
    // nor when entries are appended again to replace the deleted ones (same position, different hash).
    for (let i = 5; i <= 6; i++) {
      await database.db.transaction((tx) =>
        appendAudit(tx, operator, { action: "model.created", entityType: "model", entityId: `x${i}`, after: { i } }),
      );
    }
    const rewritten = await verifyAuditChain(ctx(), { id: (await ids())[5]!, hash: checkpoint.hash });
    expect(rewritten).toMatchObject({ ok: false, broken: { reason: expect.stringMatching(/not the checkpoint's/) } });
    expect(parseCheckpoint("12:nothex")).toBeNull();
  });

  it("detects an entry deleted in the middle, naming the entry after the gap", async () => {
    const [, , , fourth, fifth] = await ids();
    await asSuperuser(sql`delete from audit_log where id = ${fourth}`);
    const verdict = await verifyAuditChain(ctx());
    expect(verdict).toMatchObject({
      ok: false,
      count: 3,
      broken: { id: fifth, reason: expect.stringMatching(/deleted or altered/) },
    });
  });
});

/**
 * Least privilege: migrations run as the owner (MIGRATION_DATABASE_URL), the app as a role that may only
 * INSERT and SELECT on audit_log, exactly as the README's SQL sets it up. PostgreSQL only.
 */
const serverUrl = process.env.TEST_DATABASE_URL || "";
describe.skipIf(!serverUrl)("least-privileged app role on postgres", () => {
  const suffix = randomBytes(4).toString("hex");
  const dbName = `ratchet_lp_${suffix}`;
  const role = `ratchet_app_${suffix}`;
  const urlFor = (user: string | null) => {
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    if (user) url.username = user;
    return url.toString();
  };
  let app: Database | undefined;

  async function admin(statements: string[], url = serverUrl) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await admin([`create database ${dbName}`, `create role ${role} login password 'app-password'`]);
    const owner = await openDatabase({ url: urlFor(null) }); // migrations as the owner
    await owner.close();
    // The README's grants, verbatim in spirit: everything the app needs, and on audit_log only INSERT/SELECT.
    await admin(
      [
        `grant connect on database ${dbName} to ${role}`,
        `grant usage on schema public to ${role}`,
        `grant select, insert, update, delete on all tables in schema public to ${role}`,
        `revoke update, delete, truncate on audit_log from ${role}`,
        `grant usage, select on all sequences in schema public to ${role}`,
      ],
      urlFor(null),
    );
    const appUrl = new URL(urlFor(role));
    appUrl.password = "app-password";
    app = await openDatabase({ url: appUrl.toString(), migrationUrl: urlFor(null) });
  });
  afterAll(async () => {
    await app?.close();
    await admin([`drop database if exists ${dbName} with (force)`, `drop role if exists ${role}`]);
  });

  it("appends and reads audit entries, chained, but cannot update or delete them", async () => {
    const db = app!.db;
    await db.transaction((tx) =>
      appendAudit(tx, operator, { action: "model.created", entityType: "model", entityId: "lp", after: { ok: true } }),
    );
    expect(await verifyAuditChain({ db, principal: operator })).toMatchObject({ ok: true });
    const who = await db.execute<{ u: string }>(sql`select current_user as u`);
    expect(who.rows[0]!.u).toBe(role);
    // drizzle wraps the driver's error; the database's own words are in its cause.
    const refusal = (q: Promise<unknown>) =>
      q.then(
        () => "allowed",
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
    expect(await refusal(db.execute(sql`update audit_log set action = 'x'`))).toMatch(
      /permission denied for table audit_log/,
    );
    expect(await refusal(db.execute(sql`delete from audit_log`))).toMatch(/permission denied for table audit_log/);
    expect(await refusal(db.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`))).toMatch(
      /must be owner/,
    );
  });
});
