import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { POST } from "@/app/api/v1/models/[name]/versions/[version]/reference/route";
import { GET as getFeatures } from "@/app/api/v1/models/[name]/features/route";
import type { Principal, Role } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { openApiDocument } from "@/server/http/openapi";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { createApiKey } from "../admin/apiKeys";
import type { DomainContext } from "../context";
import { ingestPredictions } from "../predictions/ingest";
import { parseJsonBatch } from "../predictions/parse";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { REFERENCE_MAX_ROWS } from "./schemas";

/**
 * Reference data through the HTTP API and tRPC, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: what
 * a pipeline or a data scientist sees, and what the database holds afterwards, refused input included.
 */
const operator: Principal = { kind: "operator", name: "test" };
type Answer = {
  reference: { id: string; rowCount: number; source: string; columns: { name: string; type: string | null }[] };
  changed: boolean;
  replaced: string | null;
  proposal: { features: { name: string; kind: string; status: string; categories: string[] | null }[] };
  issues?: { field: string; reason: string }[];
};

const CSV = [
  "income,region,tenure,prediction,target",
  "52000,north,3,1,1",
  '48000,"south, coast",10,0,0',
  ",north,7,0,1",
  "61000.5,east,,1,1",
].join("\n");

describe.each(testDatabaseKinds)("reference data on %s", (kind) => {
  let database: Database;
  let scientist: DomainContext;
  const people: Partial<Record<Role, Principal>> = {};
  let key = "";
  let readKey = "";

  const post = (model: string, version: number | string, body: string, type = "text/csv", auth = key) =>
    POST(
      new Request(`http://test/api/v1/models/${model}/versions/${version}/reference?fileName=sample.csv`, {
        method: "POST",
        headers: { authorization: `Bearer ${auth}`, "content-type": type },
        body,
      }),
      { params: Promise.resolve({ name: model, version: String(version) }) },
    );
  const answer = async (res: Response) => (await res.json()) as Answer;
  const n = async (query: ReturnType<typeof sql>) =>
    Number((await database.db.execute<{ n: number }>(query)).rows[0]!.n);
  const state = async () => ({
    references: await n(sql`select count(*)::int as n from prediction_references`),
    current: await n(sql`select count(*)::int as n from prediction_references where replaced_at is null`),
    rows: await n(sql`select count(*)::int as n from reference_rows`),
    audit: await n(sql`select count(*)::int as n from audit_log where action = 'reference.set'`),
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const ops = { db: database.db, principal: operator };
    for (const role of ["data_scientist", "viewer", "reviewer", "manager"] as Role[]) {
      people[role] = await makeUser(database.db, `${role}@ref.test`, [role]);
    }
    scientist = { db: database.db, principal: people.data_scientist! };
    await createModel(scientist, { name: "credit", task: "binary_classification", owner: "risk" });
    for (const v of [1, 2])
      await registerVersion(scientist, "credit", {
        artifactUri: `s3://c/${v}`,
        artifactSha256: "a".repeat(64),
        config: {},
      });
    await createModel(scientist, { name: "homes", task: "regression", owner: "pricing" });
    await registerVersion(scientist, "homes", { artifactUri: "s3://h/1", artifactSha256: "b".repeat(64), config: {} });
    const keyFor = async (scopes: ("reference:write" | "registry:read")[]) =>
      (await createApiKey(ops, { name: scopes.join("+"), scopes, ownerEmail: "data_scientist@ref.test" })).key;
    key = await keyFor(["reference:write"]);
    readKey = await keyFor(["registry:read"]);
  }, 120_000);
  afterAll(async () => database?.close());

  it("stores a CSV sample as the version's reference, profiles it and proposes its features", async () => {
    const res = await post("credit", 1, CSV);
    expect(res.status).toBe(201);
    const body = await answer(res);
    expect(body).toMatchObject({ changed: true, replaced: null, reference: { rowCount: 4, source: "upload" } });
    expect(body.proposal.features).toEqual([
      expect.objectContaining({ name: "income", kind: "numerical", status: "new", categories: null }),
      expect.objectContaining({ name: "region", kind: "categorical", categories: ["east", "north", "south, coast"] }),
      expect.objectContaining({ name: "tenure", kind: "numerical" }),
    ]);
    const rows = await database.db.execute<Record<string, unknown>>(sql`
      select rr.row_index, rr.features, rr.prediction_label, rr.prediction_number, rr.target, pr.file_name
      from reference_rows rr join prediction_references pr on pr.id = rr.reference_id order by rr.row_index`);
    expect(rows.rows).toEqual([
      {
        row_index: 0,
        features: { income: 52000, region: "north", tenure: 3 },
        prediction_label: "1",
        prediction_number: null,
        target: "1",
        file_name: "sample.csv",
      },
      expect.objectContaining({ row_index: 1, features: { income: 48000, region: "south, coast", tenure: 10 } }),
      expect.objectContaining({ row_index: 2, features: { income: null, region: "north", tenure: 7 } }),
      expect.objectContaining({ row_index: 3, features: { income: 61000.5, region: "east", tenure: null } }),
    ]);
    const audit = await database.db.execute<{ actor_label: string; entity_id: string }>(
      sql`select actor_label, entity_id from audit_log where action = 'reference.set'`,
    );
    expect(audit.rows).toEqual([{ actor_label: "key:reference:write", entity_id: "credit@1" }]);
    expect(await n(sql`select count(*)::int as n from outbox_events where type = 'reference.changed'`)).toBe(1);
  });

  it("changes nothing when the same sample comes again, in either format (idempotent)", async () => {
    const before = await state();
    const again = await post("credit", 1, CSV);
    expect(again.status).toBe(200);
    expect(await answer(again)).toMatchObject({ changed: false, replaced: null });
    const asJson = JSON.stringify([
      { income: 52000, region: "north", tenure: 3, prediction: 1, target: 1 },
      { income: 48000, region: "south, coast", tenure: 10, prediction: 0, target: 0 },
      { income: null, region: "north", tenure: 7, prediction: 0, target: 1 },
      { income: 61000.5, region: "east", tenure: null, prediction: 1, target: 1 },
    ]);
    expect((await post("credit", 1, asJson, "application/json")).status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it("replaces the reference with another sample: the old one is marked replaced and keeps its rows", async () => {
    const before = await state();
    const first = await database.db.execute<{ id: string }>(
      sql`select id from prediction_references where replaced_at is null`,
    );
    const res = await post(
      "credit",
      1,
      JSON.stringify({
        rows: [
          { income: 50000, region: "west", prediction: "1" },
          { income: 70000, region: "west" },
        ],
      }),
      "application/json",
    );
    expect(res.status).toBe(201);
    const body = await answer(res);
    expect(body.replaced).toBe(first.rows[0]!.id);
    expect(await state()).toEqual({
      references: before.references + 1,
      current: 1,
      rows: before.rows + 2,
      audit: before.audit + 1,
    });
    const old = await database.db.execute<{ replaced_at: string | null }>(
      sql`select replaced_at from prediction_references where id = ${first.rows[0]!.id}`,
    );
    expect(old.rows[0]!.replaced_at).not.toBeNull();
    const view = await createCaller(scientist).referenceData.forVersion({ model: "credit", version: 1 });
    expect(view.current?.id).toBe(body.reference.id);
    expect(view.previous.map((p) => p.id)).toEqual([first.rows[0]!.id]);
    expect(view.proposal?.features.map((f) => f.name)).toEqual(["income", "region"]);
  });

  it("refuses bad input with 400 naming row and field, and stores nothing", async () => {
    const before = await state();
    const refused = async (res: Response, status: number, field: string) => {
      expect(res.status, field).toBe(status);
      expect((await answer(res)).issues?.[0]?.field).toBe(field);
    };
    await refused(await post("credit", 1, '[{"a":1},{"a":2},{"a":{"b":1}}]', "application/json"), 400, "rows[2].a");
    await refused(await post("credit", 1, "a,b\n1,2\n3\n"), 400, "line 3");
    await refused(await post("credit", 1, "a,prediction\n1,0\n2,0.5\n"), 400, "row 2.prediction");
    await refused(await post("homes", 1, "rooms,prediction\n3,250000\n4,high\n"), 400, "row 2.prediction");
    await refused(await post("credit", 1, "{oops", "application/json"), 400, "body");
    await refused(await post("credit", 1, "a\n1\n", "text/plain"), 400, "body");
    await refused(await post("credit", 1, "x\n" + "1\n".repeat(REFERENCE_MAX_ROWS + 1)), 413, "body");
    expect((await post("credit", 9, CSV)).status).toBe(404);
    expect((await post("nope", 1, CSV)).status).toBe(404);
    expect(await state()).toEqual(before);
  });

  it("refuses people and keys without the permission, and stores nothing", async () => {
    const before = await state();
    expect((await post("credit", 2, CSV, "text/csv", readKey)).status).toBe(403);
    for (const role of ["viewer", "reviewer", "manager"] as Role[]) {
      const caller = createCaller({ db: database.db, principal: people[role]! });
      const refusal = await caller.referenceData
        .upload({ model: "credit", version: 2, format: "csv", content: CSV })
        .catch((e: unknown) => e);
      expect(refusal, role).toBeInstanceOf(TRPCError);
      expect((refusal as TRPCError).code, role).toBe("FORBIDDEN");
      // Reading is everyone's.
      expect(await caller.referenceData.forVersion({ model: "credit", version: 1 })).toHaveProperty("current");
    }
    expect(await state()).toEqual(before);
  });

  it("takes a window of the version's own traffic in SQL, and profiles it as it would the same rows uploaded", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      model: "credit",
      version: 2,
      id: `r${i}`,
      time: new Date(Date.UTC(2026, 10, 20, i)).toISOString(),
      features: { income: 40000 + i * 1000, region: ["north", "south", "east"][i % 3], flag: i % 2 === 0 },
      prediction: i % 2,
      confidence: 0.7,
    }));
    await ingestPredictions(
      { db: database.db, principal: operator },
      parseJsonBatch(JSON.stringify({ predictions: rows })),
    );
    const caller = createCaller(scientist);
    const window = { from: "2026-11-20T05:00:00Z", to: "2026-11-20T15:00:00Z" };
    const fromWindow = await caller.referenceData.fromWindow({ model: "credit", version: 2, window });
    expect(fromWindow).toMatchObject({ changed: true, reference: { source: "window", rowCount: 10 } });
    const stored = await database.db.execute<{
      row_index: number;
      features: { income: number };
      prediction_label: string;
    }>(
      sql`select row_index, features, prediction_label from reference_rows where reference_id = ${fromWindow.reference.id} order by row_index`,
    );
    expect(stored.rows.map((r) => r.features.income)).toEqual(rows.slice(5, 15).map((r) => r.features.income));
    expect(stored.rows.map((r) => r.prediction_label)).toEqual(rows.slice(5, 15).map((r) => String(r.prediction)));

    // The same window again: nothing new.
    expect(await caller.referenceData.fromWindow({ model: "credit", version: 2, window })).toMatchObject({
      changed: false,
    });
    // The same rows uploaded: the SQL profile and the engine's (detectColumnType) agree.
    const uploaded = await caller.referenceData.upload({
      model: "credit",
      version: 2,
      format: "json",
      content: JSON.stringify(rows.slice(5, 15).map((r) => r.features)),
    });
    const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(uploaded.reference.columns)).toEqual(byName(fromWindow.reference.columns));
    expect(byName(fromWindow.reference.columns)).toEqual([
      { name: "flag", type: "categorical", missing: 0, categories: ["false", "true"], distinct: 2 },
      { name: "income", type: "numerical", missing: 0, categories: null, distinct: null },
      { name: "region", type: "categorical", missing: 0, categories: ["east", "north", "south"], distinct: 3 },
    ]);

    const empty = await caller.referenceData
      .fromWindow({ model: "credit", version: 2, window: { from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z" } })
      .catch((e: unknown) => e);
    expect((empty as TRPCError).message).toMatch(/has no predictions between/);
  });

  it(`refuses a window of more than ${REFERENCE_MAX_ROWS.toLocaleString("en")} predictions, and stores nothing`, async () => {
    await database.db.execute(sql`
      insert into predictions (model_version_id, external_id, "time", features, prediction_label)
      select mv.id, 'bulk-' || g, timestamptz '2026-10-01T00:00:00Z' + g * interval '1 second', '{"x": 1}'::jsonb, '1'
      from model_versions mv join models m on m.id = mv.model_id, generate_series(1, ${REFERENCE_MAX_ROWS + 1}) g
      where m.name = 'credit' and mv.version = 2`);
    const before = await state();
    const res = await post(
      "credit",
      2,
      JSON.stringify({ window: { from: "2026-10-01T00:00:00Z", to: "2026-10-03T00:00:00Z" } }),
      "application/json",
    );
    expect(res.status).toBe(400);
    expect((await answer(res)).issues?.[0]).toMatchObject({
      field: "window",
      reason: expect.stringMatching(/shorter window/),
    });
    expect(await state()).toEqual(before);
  }, 120_000);

  it("declares the proposed features, lets a data scientist mark one important, audited, and serves them to keys", async () => {
    const caller = createCaller(scientist);
    await post("credit", 1, CSV);
    const applied = await caller.features.applyProposal({ model: "credit", version: 1 });
    expect(applied.features.map((f) => [f.name, f.kind, f.important])).toEqual([
      ["income", "numerical", false],
      ["region", "categorical", false],
      ["tenure", "numerical", false],
    ]);
    expect(applied.features.find((f) => f.name === "region")?.categories).toEqual(["east", "north", "south, coast"]);
    await caller.features.update({ model: "credit", name: "income", kind: "numerical", important: true });
    // Applying again changes nothing and keeps the importance a person set.
    expect((await caller.features.applyProposal({ model: "credit", version: 1 })).changed).toBe(0);
    const res = await getFeatures(
      new Request("http://test/api/v1/models/credit/features", { headers: { authorization: `Bearer ${readKey}` } }),
      { params: Promise.resolve({ name: "credit" }) },
    );
    const body = (await res.json()) as { features: { name: string; important: boolean }[] };
    expect(body.features.filter((f) => f.important).map((f) => f.name)).toEqual(["income"]);
    const audit = await database.db.execute<{ action: string; entity_id: string; after: { important?: boolean } }>(
      sql`select action, entity_id, after from audit_log where action like 'feature%' order by id`,
    );
    expect(audit.rows.map((r) => [r.action, r.entity_id])).toEqual([
      ["features.declared", "credit"],
      ["feature.updated", "credit"],
    ]);
    expect(audit.rows[1]!.after.important).toBe(true);
    const viewer = createCaller({ db: database.db, principal: people.viewer! });
    const refusal = await viewer.features
      .update({ model: "credit", name: "income", kind: "numerical", important: false })
      .catch((e: unknown) => e);
    expect((refusal as TRPCError).code).toBe("FORBIDDEN");
  });

  it("is described in the OpenAPI document: CSV or JSON, and the scope it needs", () => {
    const doc = openApiDocument("http://localhost:3000") as {
      paths: Record<string, Record<string, { "x-required-scope": string; requestBody: { content: object } }>>;
    };
    const route = doc.paths["/api/v1/models/{name}/versions/{version}/reference"]!.post!;
    expect(route["x-required-scope"]).toBe("reference:write");
    expect(Object.keys(route.requestBody.content).sort()).toEqual(["application/json", "text/csv"]);
    expect(doc.paths["/api/v1/models/{name}/features"]!.get!["x-required-scope"]).toBe("registry:read");
  });
});
