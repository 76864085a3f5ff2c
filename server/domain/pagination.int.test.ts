import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { createApiKey, listApiKeys } from "./admin/apiKeys";
import { listUsers, setDisabled } from "./admin/users";
import { emitEvent } from "./events";
import { createModel } from "./registry/models";
import { registerVersion } from "./registry/versions";
import { pendingReleases } from "./releases/queries";
import { requestRelease } from "./releases/request";
import { listDeliveries } from "./webhooks/endpoints";

/** Lists are read a bounded page at a time; consecutive pages neither overlap nor skip. */
describe.each(testDatabaseKinds)("pagination on %s", (kind) => {
  let database: Database;
  let admin: Principal, scientist: Principal;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    admin = await makeUser(database.db, "admin@test.dev", ["admin"]);
    scientist = await makeUser(database.db, "ds@test.dev", ["data_scientist"]);
  });
  afterAll(async () => database?.close());

  it("users: pages by email that neither overlap nor skip; search and active-only filters", async () => {
    for (let i = 0; i < 4; i++) await makeUser(database.db, `page-user-${i}@test.dev`, ["viewer"]);
    const ctx = as(admin);
    const all = (await listUsers(ctx, { limit: 200 })).users.map((u) => u.email);
    expect(all).toEqual([...all].sort());
    const seen: string[] = [];
    for (let offset = 0; ; offset += 2) {
      const { users, page } = await listUsers(ctx, { limit: 2, offset });
      seen.push(...users.map((u) => u.email));
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(all);
    expect((await listUsers(ctx, { search: "page-user" })).users).toHaveLength(4);
    expect((await listUsers(ctx, { search: "%" })).users).toHaveLength(0); // a wildcard is a character, not "everything"
    const target = (await listUsers(ctx, { search: "page-user-0" })).users[0]!;
    await setDisabled(ctx, { userId: target.id, disabled: true });
    expect((await listUsers(ctx, { search: "page-user", activeOnly: true })).users.map((u) => u.email)).not.toContain(
      target.email,
    );
  });

  it("API keys: pages of two, then the rest", async () => {
    for (let i = 0; i < 5; i++)
      await createApiKey(as(admin), { name: `k${i}`, scopes: ["registry:read"], ownerEmail: "ds@test.dev" });
    const first = await listApiKeys(as(admin), { limit: 2 });
    const second = await listApiKeys(as(admin), { limit: 2, offset: 2 });
    const last = await listApiKeys(as(admin), { limit: 2, offset: 4 });
    expect(first.keys).toHaveLength(2);
    expect(first.page).toEqual({ offset: 0, limit: 2, hasMore: true });
    expect(second.keys).toHaveLength(2);
    expect(last).toMatchObject({ page: { hasMore: false } });
    expect(last.keys).toHaveLength(1);
    const all = [...ids(first.keys), ...ids(second.keys), ...ids(last.keys)];
    expect(new Set(all).size).toBe(5);
    await expect(listApiKeys(as(admin), { limit: 10_000 })).rejects.toThrow(); // bounded
    expect((await listApiKeys(as(admin))).page.limit).toBe(50);
  });

  it("pending release requests: a second page exists and does not overlap the first", async () => {
    await createModel(as(scientist), { name: "paged", task: "binary_classification", owner: "t" });
    for (let v = 1; v <= 3; v++) {
      await registerVersion(as(scientist), "paged", {
        artifactUri: `s3://p/${v}`,
        artifactSha256: "a".repeat(64),
        config: {},
      });
      await requestRelease(as(scientist), {
        model: "paged",
        version: v,
        strategy: "shadow",
        rationale: "shadow it for a week",
      });
    }
    const first = await pendingReleases(as(scientist), { limit: 2 });
    const second = await pendingReleases(as(scientist), { limit: 2, offset: 2 });
    expect(first.page.hasMore).toBe(true);
    expect(second.releases.map((r) => r.toVersion)).toEqual([3]);
    expect(first.releases.map((r) => r.toVersion)).toEqual([1, 2]); // oldest first
  });

  it("webhook deliveries: pages of the log", async () => {
    await database.db
      .insert(webhookEndpoints)
      .values({ url: "https://hooks.example.com/x", secret: "whsec_x", events: ["version.created"] });
    for (let n = 0; n < 3; n++)
      await database.db.transaction((tx) => emitEvent(tx, "version.created", { model: "paged", version: n }));
    const first = await listDeliveries(as(admin), { limit: 2 });
    const second = await listDeliveries(as(admin), { limit: 2, offset: 2 });
    expect(first.page.hasMore).toBe(true);
    expect(second.page.hasMore).toBe(false);
    expect(new Set([...ids(first.deliveries), ...ids(second.deliveries)]).size).toBe(
      first.deliveries.length + second.deliveries.length,
    );
    expect(first.deliveries.length + second.deliveries.length).toBeGreaterThanOrEqual(3);
  });
});
