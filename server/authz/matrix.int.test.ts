import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemoData } from "@/server/demo/demo";
import { setDatabase } from "@/server/db";
import { createApiKey, revokeApiKey } from "@/server/domain/admin/apiKeys";
import { API_ROUTES } from "@/server/http/routes";
import { openTestDatabase } from "@/server/testing/databases";
import { appRouter, createCaller } from "@/server/trpc/root";
import { ROLES, SCOPES, type Principal, type Role, type Scope } from "./policy";

/**
 * Every procedure and every HTTP route, against every role, no session, and API keys with and without
 * the scope. The expectations are written out here, independently of the policy, so a change to the
 * policy that opens or closes something shows up as a failing cell. A new procedure or route without
 * an entry fails the completeness checks.
 */
/**
 * Keys that may read the registry: reading is implied by writing versions or reports, and by requesting
 * releases (a pipeline waits for the decision and reads the gate).
 */
const READ_SCOPES: Scope[] = ["registry:read", "versions:write", "reports:write", "releases:request"];
const ALL_ROLES: Role[] = ["viewer", "reviewer", "data_scientist", "manager", "admin"];

const PROCEDURES: Record<string, { roles: Role[]; scopes?: Scope[] }> = {
  "models.overview": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "models.list": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "models.byName": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "models.version": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "models.diff": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "models.versions": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "models.tagModel": { roles: ["data_scientist"], scopes: ["models:write"] },
  "models.tagVersion": { roles: ["data_scientist"], scopes: ["versions:write"] },
  // Archiving is a person's judgement: no key scope grants it.
  "models.setArchived": { roles: ["data_scientist"] },
  "models.create": { roles: ["data_scientist"], scopes: ["models:write"] },
  "models.registerVersion": { roles: ["data_scientist"], scopes: ["versions:write"] },
  "models.updateCard": { roles: ["data_scientist"], scopes: ["models:write"] },
  "models.updateNotes": { roles: ["data_scientist"], scopes: ["versions:write"] },
  "datasets.list": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "datasets.register": { roles: ["data_scientist"], scopes: ["datasets:write"] },
  "reports.list": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "reports.byId": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "reports.upload": { roles: ["data_scientist"], scopes: ["reports:write"] },
  "requirements.history": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "requirements.pending": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "requirements.suggestions": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "requirements.propose": { roles: ["data_scientist"] },
  "requirements.decide": { roles: ["manager"] },
  "releases.inbox": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.byId": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.forModel": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.timeline": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.versionOverrides": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.championAt": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.rollbackTargets": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.gate": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "releases.request": { roles: ["data_scientist"], scopes: ["releases:request"] },
  "releases.decide": { roles: ["manager"] },
  "releases.rollback": { roles: ["manager"] },
  "guidelines.history": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "guidelines.version": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "guidelines.diff": { roles: ALL_ROLES, scopes: READ_SCOPES },
  // Guidelines are written by people: no key scope grants publishing them.
  "guidelines.publish": { roles: ["data_scientist"] },
  "compare.versions": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "compare.metricHistory": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "compare.many": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "monitoring.page": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "audit.list": { roles: ["viewer", "data_scientist", "manager", "admin"] },
  "admin.users": { roles: ["admin"] },
  "admin.createUser": { roles: ["admin"] },
  "admin.setRoles": { roles: ["admin"] },
  "admin.setDisabled": { roles: ["admin"] },
  "admin.forcePasswordReset": { roles: ["admin"] },
  "account.changePassword": { roles: ALL_ROLES },
  "account.mfaStatus": { roles: ALL_ROLES },
  "account.beginMfa": { roles: ALL_ROLES },
  "account.confirmMfa": { roles: ALL_ROLES },
  "account.disableMfa": { roles: ALL_ROLES },
  "admin.keys": { roles: ["admin"] },
  "admin.createKey": { roles: ["admin"] },
  "admin.revokeKey": { roles: ["admin"] },
  "webhooks.list": { roles: ["admin"] },
  "webhooks.create": { roles: ["admin"] },
  "webhooks.setActive": { roles: ["admin"] },
  "webhooks.deliveries": { roles: ["admin"] },
  "referenceData.forVersion": { roles: ALL_ROLES, scopes: READ_SCOPES },
  // Reference data: data scientists and pipelines with the scope; viewers and reviewers only read it.
  "referenceData.upload": { roles: ["data_scientist"], scopes: ["reference:write"] },
  "referenceData.fromWindow": { roles: ["data_scientist"], scopes: ["reference:write"] },
  "features.list": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "features.applyProposal": { roles: ["data_scientist"], scopes: ["models:write"] },
  "features.update": { roles: ["data_scientist"], scopes: ["models:write"] },
  "features.remove": { roles: ["data_scientist"], scopes: ["models:write"] },
  // Running a check is watching a model, a data scientist's job; keys have no scope for it.
  "monitoringChecks.run": { roles: ["data_scientist"] },
  "monitoringChecks.latest": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "alerts.list": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "alerts.counts": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "alerts.rules": { roles: ALL_ROLES, scopes: READ_SCOPES },
  // What is watched is a data scientist's call; answering an alert is theirs or a manager's. No key may.
  "alerts.saveRule": { roles: ["data_scientist"] },
  "alerts.acknowledge": { roles: ["data_scientist", "manager"] },
  "alerts.resolve": { roles: ["data_scientist", "manager"] },
  // Labeling is a person's work: no key scope grants it.
  "feedback.next": { roles: ["reviewer"] },
  "feedback.submit": { roles: ["reviewer"] },
  "feedback.skip": { roles: ["reviewer"] },
  "feedback.release": { roles: ["reviewer"] },
  "feedback.renew": { roles: ["reviewer"] },
  "feedback.progress": { roles: ["reviewer"] },
  "feedback.policy": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "feedback.setPolicy": { roles: ["data_scientist"] },
  "feedback.markGold": { roles: ["data_scientist"] },
  "feedback.conflicts": { roles: ["data_scientist"] },
  "feedback.adjudicate": { roles: ["data_scientist"] },
  "feedback.liveAccuracy": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "feedback.quality": { roles: ALL_ROLES, scopes: READ_SCOPES },
  "feedback.humanBaselines": { roles: ALL_ROLES, scopes: READ_SCOPES },
  // Storing a report, like reports.upload.
  "feedback.recordHumanBaseline": { roles: ["data_scientist"], scopes: ["reports:write"] },
};

const ROUTE_SCOPES: Record<string, Scope[]> = {
  "GET /api/v1/models": READ_SCOPES,
  "POST /api/v1/models": ["models:write"],
  "GET /api/v1/models/{name}": READ_SCOPES,
  "GET /api/v1/models/{name}/champion": READ_SCOPES,
  "POST /api/v1/models/{name}/versions": ["versions:write"],
  "POST /api/v1/datasets": ["datasets:write"],
  "POST /api/v1/reports": ["reports:write"],
  "POST /api/v1/predictions": ["predictions:write"],
  "GET /api/v1/models/{name}/features": READ_SCOPES,
  "POST /api/v1/models/{name}/versions/{version}/reference": ["reference:write"],
  "POST /api/v1/releases": ["releases:request"],
  "GET /api/v1/releases/{id}": READ_SCOPES,
  "GET /api/v1/models/{name}/versions/{version}/gate": READ_SCOPES,
  // Labeled data (with reviewers' pseudonyms) only for keys made for it: no other scope reads it.
  "GET /api/v1/models/{name}/feedback/export": ["feedback:read"],
};

const userOf = (role: Role): Principal => ({
  kind: "user",
  id: "00000000-0000-4000-8000-000000000000",
  email: `${role}@t`,
  name: role,
  roles: [role],
});
const keyOf = (scope: Scope): Principal => ({
  kind: "apiKey",
  id: "00000000-0000-4000-8000-000000000001",
  name: scope,
  scopes: [scope],
  ownerUserId: "00000000-0000-4000-8000-000000000000",
});

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "allowed";
  } catch (e) {
    if (e instanceof TRPCError && (e.code === "FORBIDDEN" || e.code === "UNAUTHORIZED")) return e.code;
    return "allowed"; // got past authorization: failed later on the (deliberately empty) input
  }
}

describe("authorization matrix", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    await seedDemoData(database.db);
    setDatabase(database);
  }, 300_000); // the whole demo (monitoring windows included) on a busy machine
  afterAll(async () => database?.close());

  it("has an entry for every tRPC procedure, and every procedure declares the permission", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures).toEqual(Object.keys(PROCEDURES).sort());
    for (const [name, proc] of Object.entries(appRouter._def.procedures)) {
      expect(
        (proc as unknown as { _def: { meta?: { permission?: string } } })._def.meta?.permission,
        name,
      ).toBeTruthy();
    }
  });

  const principals: [string, Principal | null][] = [
    ["no session", null],
    ...ROLES.map((r): [string, Principal] => [`role ${r}`, userOf(r)]),
    ...SCOPES.map((s): [string, Principal] => [`key ${s}`, keyOf(s)]),
  ];

  for (const [name, expected] of Object.entries(PROCEDURES)) {
    it(`${name}: allowed exactly for ${expected.roles.join(", ")}${expected.scopes ? ` and keys with ${expected.scopes.join(" or ")}` : ""}`, async () => {
      const [group, proc] = name.split(".") as [string, string];
      for (const [label, principal] of principals) {
        const caller = createCaller({ db: database.db, principal }) as unknown as Record<
          string,
          Record<string, (i: unknown) => Promise<unknown>>
        >;
        const result = await outcome(caller[group]![proc]!(undefined));
        const allowed =
          principal?.kind === "user"
            ? expected.roles.includes(principal.roles[0]!)
            : principal?.kind === "apiKey"
              ? (expected.scopes ?? []).includes(principal.scopes[0]!)
              : false;
        expect(result, `${name} as ${label}`).toBe(allowed ? "allowed" : principal ? "FORBIDDEN" : "UNAUTHORIZED");
      }
    });
  }

  it("a person with a pending step (forced password reset, required second factor) may only use their own account", async () => {
    for (const pending of ["password_reset", "mfa_enrollment"] as const) {
      const principal: Principal = {
        kind: "user",
        id: "00000000-0000-4000-8000-000000000000",
        email: "p@t",
        name: "p",
        roles: [...ALL_ROLES],
        pending,
      };
      const caller = createCaller({ db: database.db, principal }) as unknown as Record<
        string,
        Record<string, (i: unknown) => Promise<unknown>>
      >;
      for (const name of Object.keys(PROCEDURES)) {
        const [group, proc] = name.split(".") as [string, string];
        let refusal: TRPCError | null = null;
        await caller[group]![proc]!(undefined).catch((e: unknown) => {
          if (e instanceof TRPCError && e.code === "FORBIDDEN") refusal = e;
        });
        if (group === "account") expect(refusal, `${name} with ${pending}`).toBeNull();
        else
          expect((refusal as TRPCError | null)?.message, `${name} with ${pending}`).toMatch(
            pending === "password_reset" ? /choose a new one/ : /enable it on your account page/,
          );
      }
    }
  });

  it("audit: viewers read the governance record; entries about users, keys and webhooks are for admins", async () => {
    const op: Principal = { kind: "operator", name: "test" };
    await createApiKey(
      { db: database.db, principal: op },
      { name: "audited", scopes: ["registry:read"], ownerEmail: "scientist@ratchet.dev" },
    );
    const typesFor = async (p: Principal) => {
      const caller = createCaller({ db: database.db, principal: p });
      const { entries } = await caller.audit.list({ limit: 200 });
      const keyEntries = await caller.audit.list({ entityType: "api_key" });
      return { types: new Set(entries.map((e) => e.entityType)), keyEntries: keyEntries.entries.length };
    };
    for (const role of ["viewer", "data_scientist", "manager"] as Role[]) {
      const seen = await typesFor(userOf(role));
      expect(
        [...seen.types].filter((t) => ["user", "api_key", "webhook_endpoint"].includes(t)),
        role,
      ).toEqual([]);
      expect(seen.types.size, role).toBeGreaterThan(0);
      expect(seen.keyEntries, role).toBe(0);
    }
    expect((await typesFor(userOf("admin"))).keyEntries).toBeGreaterThan(0);
  });

  it("has an entry for every HTTP route file and method under app/api/v1", async () => {
    const root = path.join(process.cwd(), "app", "api", "v1");
    const found: string[] = [];
    const walk = async (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) await walk(full);
        else if (entry === "route.ts") {
          const mod = (await import(full)) as Record<string, unknown>;
          const urlPath =
            "/" +
            path
              .relative(path.join(process.cwd(), "app"), dir)
              .replace(/\[(\w+)\]/g, "{$1}")
              .split(path.sep)
              .join("/");
          for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"])
            if (mod[method]) found.push(`${method} /api/${urlPath.slice(5)}`);
        }
      }
    };
    await walk(root);
    const publicRoutes = ["GET /api/v1/openapi.json", "GET /api/v1/reports/schema.json"];
    expect(found.sort()).toEqual([...Object.keys(ROUTE_SCOPES), ...publicRoutes].sort());
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(ROUTE_SCOPES).sort());
  });

  it("HTTP routes: 401 without a key or with a revoked one, 403 without the scope, through with it", async () => {
    const operator: Principal = { kind: "operator", name: "test" };
    const keys = Object.fromEntries(
      await Promise.all(
        SCOPES.map(
          async (s) =>
            [
              s,
              (
                await createApiKey(
                  { db: database.db, principal: operator },
                  { name: `k-${s}`, scopes: [s], ownerEmail: "scientist@ratchet.dev" },
                )
              ).key,
            ] as const,
        ),
      ),
    ) as Record<Scope, string>;
    const revoked = await createApiKey(
      { db: database.db, principal: operator },
      { name: "revoked", scopes: [...SCOPES], ownerEmail: "scientist@ratchet.dev" },
    );
    await revokeApiKey({ db: database.db, principal: operator }, { id: revoked.id });
    const { rows } = await database.db.execute<{ id: string }>(sql`select id from releases limit 1`);
    const releaseId = rows[0]!.id;

    for (const [route, scopes] of Object.entries(ROUTE_SCOPES)) {
      const [method, template] = route.split(" ") as [string, string];
      // Real names and ids, so a key that gets through meets a 200 or a 400, never a 404.
      const pathParams = { name: "churn", version: "3", id: releaseId };
      const urlPath = template.replace(/\{(\w+)\}/g, (_, p: keyof typeof pathParams) => pathParams[p]);
      const file = path.join(process.cwd(), "app", template.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      const handler = (
        (await import(file)) as Record<
          string,
          (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>
        >
      )[method]!;
      const call = async (key?: string) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (key) headers.authorization = `Bearer ${key}`;
        const req = new Request(`http://test${urlPath}`, {
          method,
          headers,
          body: method === "POST" ? "{}" : undefined,
        });
        return (await handler(req, { params: Promise.resolve(pathParams) })).status;
      };
      expect(await call(), `${route} without key`).toBe(401);
      expect(await call(revoked.key), `${route} revoked key`).toBe(401);
      expect(await call("rk_made-up"), `${route} unknown key`).toBe(401);
      for (const s of SCOPES) {
        const status = await call(keys[s]);
        const allowed = scopes.includes(s);
        if (allowed) expect([200, 201, 400], `${route} with ${s}`).toContain(status);
        else expect(status, `${route} with ${s}`).toBe(403);
      }
    }
    // Using a key is recorded.
    const used = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from api_keys where last_used_at is not null`,
    );
    expect(Number(used.rows[0]?.n)).toBeGreaterThan(0);
  });
});
