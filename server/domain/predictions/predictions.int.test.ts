import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { modelFeatures, models } from "@/db/schema";
import { POST } from "@/app/api/v1/predictions/route";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeScientist } from "@/server/testing/fixtures";
import { idempotent } from "@/server/http/idempotency";
import { openApiDocument } from "@/server/http/openapi";
import { createApiKey } from "../admin/apiKeys";
import { runMaintenance } from "../maintenance";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { dropExpiredPredictions, ensurePredictionPartitions, predictionPartitions } from "./partitions";

/**
 * The prediction log through its HTTP route, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: what a
 * serving system sees (status, answer) and what the database then holds.
 */
const operator: Principal = { kind: "operator", name: "test" };
const noParams = { params: Promise.resolve({}) };

type Row = Record<string, unknown>;
const row = (i: number, extra: Row = {}): Row => ({
  model: "credit-default",
  version: 1,
  id: `req-${i}`,
  time: "2026-11-30T10:00:00Z",
  features: { income: 52000 + i, region: i % 2 ? "north" : "south" },
  prediction: i % 2,
  confidence: 0.83,
  latencyMs: 4.2,
  arm: "champion",
  ...extra,
});
const jsonBody = (rows: Row[]) => JSON.stringify({ predictions: rows });

describe.each(testDatabaseKinds)("POST /api/v1/predictions on %s", (kind) => {
  let database: Database;
  let key = "";
  let reportsKey = "";
  const post = (body: string, opts: { type?: string; idempotencyKey?: string; auth?: string } = {}) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${opts.auth ?? key}`,
      "content-type": opts.type ?? "application/json",
    };
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
    return POST(new Request("http://test/api/v1/predictions", { method: "POST", headers, body }), noParams);
  };
  const count = async () =>
    Number((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from predictions`)).rows[0]!.n);
  const batchCount = async () =>
    Number(
      (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from prediction_batches`)).rows[0]!.n,
    );

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const ops = { db: database.db, principal: operator };
    const ds = await makeScientist(database.db);
    await createModel(ds, { name: "credit-default", task: "binary_classification", owner: "risk" });
    await registerVersion(ds, "credit-default", {
      artifactUri: "s3://m/1",
      artifactSha256: "a".repeat(64),
      config: {},
    });
    await createModel(ds, { name: "house-price", task: "regression", owner: "homes" });
    await registerVersion(ds, "house-price", { artifactUri: "s3://h/1", artifactSha256: "b".repeat(64), config: {} });
    const [credit] = await database.db
      .select()
      .from(models)
      .where(sql`${models.name} = 'credit-default'`);
    await database.db.insert(modelFeatures).values([
      { modelId: credit!.id, name: "income", kind: "numerical", important: true },
      { modelId: credit!.id, name: "region", kind: "categorical", categories: ["north", "south"] },
    ]);
    key = (await createApiKey(ops, { name: "serving", scopes: ["predictions:write"], ownerEmail: "ds@ratchet.test" }))
      .key;
    reportsKey = (
      await createApiKey(ops, {
        name: "pipeline",
        scopes: ["reports:write", "registry:read"],
        ownerEmail: "ds@ratchet.test",
      })
    ).key;
  });
  afterAll(async () => database?.close());

  it("stores one prediction with every field and answers 201 with clean data quality", async () => {
    const res = await post(jsonBody([row(1, { probabilities: { "0": 0.17, "1": 0.83 }, confidence: undefined })]));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { accepted: number; dataQuality: Record<string, unknown> };
    expect(body.accepted).toBe(1);
    expect(body.dataQuality).toMatchObject({
      missingFeature: 0,
      extraFeature: 0,
      nonFinite: 0,
      wrongType: 0,
      newCategory: 0,
      rowsWithProblems: 0,
      notChecked: {},
    });
    const stored = await database.db.execute<Row>(sql`
      select p.external_id, p.time, p.features, p.prediction_label, p.prediction_number, p.confidence, p.probabilities, p.latency_ms, p.arm, mv.version
      from predictions p join model_versions mv on mv.id = p.model_version_id where p.external_id = 'req-1'`);
    expect(stored.rows).toHaveLength(1);
    const r = stored.rows[0]!;
    expect(r).toMatchObject({
      prediction_label: "1",
      prediction_number: null,
      arm: "champion",
      version: 1,
      features: { income: 52001, region: "north" },
      probabilities: { "0": 0.17, "1": 0.83 },
    });
    expect(new Date(r.time as string).toISOString()).toBe("2026-11-30T10:00:00.000Z");
    expect(Number(r.confidence)).toBeCloseTo(0.83, 5); // the largest class probability, when no confidence is sent
    expect(Number(r.latency_ms)).toBeCloseTo(4.2, 5);
  });

  it("accepts NDJSON with feature problems (Python's bare NaN and Infinity too), stores every row and counts each problem", async () => {
    const before = await count();
    const lines = [
      JSON.stringify(row(10)),
      JSON.stringify(row(11, { features: { region: "north" } })), // income missing
      JSON.stringify(row(12, { features: { income: "52k", region: "east", colour: "red" } })), // wrong type, new category, extra
      '{"model":"credit-default","version":1,"id":"req-13","time":"2026-11-30T10:00:01Z","features":{"income":NaN,"region":"south"},"prediction":0,"confidence":0.6}',
      '{"model":"credit-default","version":1,"id":"req-14","time":"2026-11-30T10:00:02Z","features":{"income":-Infinity,"region":"a \\"NaN\\" string"},"prediction":0}',
      "",
    ];
    const res = await post(lines.join("\n"), { type: "application/x-ndjson" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { accepted: number; dataQuality: Record<string, unknown> };
    expect(body.accepted).toBe(5);
    expect(body.dataQuality).toMatchObject({
      missingFeature: 1,
      extraFeature: 1,
      nonFinite: 2,
      wrongType: 1,
      newCategory: 2,
      rowsWithProblems: 4,
      byFeature: {
        income: { missingFeature: 1, wrongType: 1, nonFinite: 2 },
        region: { newCategory: 2 },
        colour: { extraFeature: 1 },
      },
    });
    expect(await count()).toBe(before + 5);
    const nan = await database.db.execute<{ features: Row }>(
      sql`select features from predictions where external_id = 'req-13'`,
    );
    expect(nan.rows[0]!.features).toEqual({ income: null, region: "south" }); // jsonb cannot hold NaN: null, and counted
    const quality = await database.db.execute<{
      rows: number;
      rows_with_problems: number;
      counts: Record<string, { total: number }>;
    }>(
      sql`select rows, rows_with_problems, counts from prediction_batches order by received_at desc, rows desc limit 1`,
    );
    expect(quality.rows[0]).toMatchObject({ rows: 5, rows_with_problems: 4 });
    expect(quality.rows[0]!.counts.newCategory!.total).toBe(2);
  });

  it("says which checks it could not make for a model that declares no features, and stores regression outputs as numbers", async () => {
    // 1e309 is valid JSON that parses to Infinity.
    const res = await post(
      '{"predictions":[{"model":"house-price","version":1,"id":"h-1","time":"2026-11-30T11:00:00+01:00","features":{"rooms":3,"size":1e309},"prediction":312000.5}]}',
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { dataQuality: { nonFinite: number; notChecked: Record<string, string[]> } };
    expect(body.dataQuality.nonFinite).toBe(1);
    expect(body.dataQuality.notChecked).toEqual({
      "house-price": ["missingFeature", "extraFeature", "wrongType", "newCategory"],
    });
    const stored = await database.db.execute<Row>(
      sql`select prediction_number, prediction_label, arm from predictions where external_id = 'h-1'`,
    );
    expect(stored.rows[0]).toMatchObject({ prediction_number: 312000.5, prediction_label: null, arm: "champion" });
  });

  const refusals: [string, () => string, string, RegExp][] = [
    ["a missing time", () => jsonBody([row(1), row(2), row(3, { time: undefined })]), "predictions[2].time", /./],
    ["a missing id", () => jsonBody([row(1), row(2, { id: undefined })]), "predictions[1].id", /./],
    [
      "a probability outside [0, 1]",
      () => jsonBody([row(1), row(2, { probabilities: { "0": -0.2, "1": 1.2 } })]),
      "predictions[1].probabilities.0",
      /between 0 and 1/,
    ],
    [
      "a confidence of NaN",
      () =>
        `{"predictions":[${JSON.stringify(row(1))},${JSON.stringify(row(2)).replace('"confidence":0.83', '"confidence":NaN')}]}`,
      "predictions[1].confidence",
      /finite/,
    ],
    [
      "an unknown model",
      () => jsonBody([row(1), row(2, { model: "credit-defualt" })]),
      "predictions[1].model",
      /no model is named "credit-defualt"/,
    ],
    [
      "an unknown version",
      () => jsonBody([row(1, { version: 9 })]),
      "predictions[0].version",
      /credit-default has no version 9/,
    ],
    [
      "a class label sent to a regression model",
      () => jsonBody([row(1), { ...row(2), model: "house-price", prediction: "high" }]),
      "predictions[1].prediction",
      /regression/,
    ],
    [
      "a NUL character in a feature (PostgreSQL cannot store it)",
      () => jsonBody([row(1), row(2, { features: { region: "no\u0000rth" } })]),
      "predictions[1].features",
      /NUL/,
    ],
    [
      "a NUL character in a row after the first thousands (PostgreSQL's COPY already has the rows before it)",
      () =>
        jsonBody(
          Array.from({ length: 3_000 }, (_, i) =>
            row(i, { id: `late-${i}`, ...(i === 2_600 ? { features: { region: "no\u0000rth" } } : {}) }),
          ),
        ),
      "predictions[2600].features",
      /NUL/,
    ],
    ["an unknown arm", () => jsonBody([row(1, { arm: "blue" })]), "predictions[0].arm", /./],
    ["an unknown field", () => jsonBody([row(1, { confidnce: 0.3 })]), "predictions[0]", /confidnce/],
    [
      "more than 10,000 rows",
      () => jsonBody(Array.from({ length: 10_001 }, (_, i) => row(i))),
      "predictions",
      /10,000/,
    ],
    ["not JSON", () => '{"predictions":[', "body", /not valid JSON/],
  ];
  for (const [what, body, field, reason] of refusals) {
    it(`refuses the whole batch for ${what}, naming ${field}, and stores nothing`, async () => {
      const [rows, batches] = [await count(), await batchCount()];
      const res = await post(body());
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { error: string; issues: { field: string; reason: string }[] };
      expect(answer.error).toBe("invalid_request");
      const issue = answer.issues.find((i) => i.field === field) ?? answer.issues[0]!;
      expect(issue.field).toBe(field);
      expect(`${issue.reason} ${JSON.stringify(answer)}`).toMatch(reason);
      expect([await count(), await batchCount()]).toEqual([rows, batches]);
    });
  }

  it("refuses an NDJSON batch with an unparseable line, naming the line", async () => {
    const before = await count();
    const res = await post(`${JSON.stringify(row(1))}\n\n{"model":"credit-default",\n`, {
      type: "application/x-ndjson",
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { issues: { field: string }[] };
    expect(answer.issues[0]!.field).toBe("line 3");
    const missing = await post(`${JSON.stringify(row(1))}\n${JSON.stringify(row(2, { time: undefined }))}`, {
      type: "application/x-ndjson",
    });
    expect(((await missing.json()) as { issues: { field: string }[] }).issues[0]!.field).toBe("line 2.time");
    expect(await count()).toBe(before);
  });

  it("stores tabs, newlines, backslashes and quotes in ids, labels and features exactly as sent", async () => {
    const awkward = 'tab\there, line\nbreak, back\\slash \\N, "quoted", carriage\rreturn, ünïcödé ✓';
    const res = await post(
      jsonBody([
        row(1, {
          id: `odd-${awkward}`,
          prediction: awkward,
          features: { region: awkward, nested: { list: [awkward, 1.5e-7, null] } },
        }),
      ]),
    );
    expect(res.status).toBe(201);
    const stored = await database.db.execute<{ prediction_label: string; features: Record<string, unknown> }>(
      sql`select prediction_label, features from predictions where external_id = ${`odd-${awkward}`}`,
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.prediction_label).toBe(awkward);
    expect(stored.rows[0]!.features).toEqual({ region: awkward, nested: { list: [awkward, 1.5e-7, null] } });
  });

  for (const size of [1, 5_461, 10_000]) {
    it(`stores a batch of ${size.toLocaleString("en")} rows in full`, async () => {
      const before = await count();
      const rows = Array.from({ length: size }, (_, i) =>
        row(i, { id: `size-${size}-${i}`, time: new Date(Date.UTC(2026, 10, 30, 12) + i * 1000).toISOString() }),
      );
      const res = await post(jsonBody(rows));
      expect(res.status).toBe(201);
      expect(((await res.json()) as { accepted: number }).accepted).toBe(size);
      expect(await count()).toBe(before + size);
      const ids = await database.db.execute<{ n: number }>(
        sql`select count(distinct external_id)::int as n from predictions where external_id like ${`size-${size}-%`}`,
      );
      expect(Number(ids.rows[0]!.n)).toBe(size);
      // Every column of a row stays with its row (features, times and outputs are passed as separate arrays).
      const mismatched = await database.db.execute<{ n: number }>(sql`
        select count(*)::int as n from predictions where external_id like ${`size-${size}-%`} and (
          (features->>'income')::int - 52000 <> split_part(external_id, '-', 3)::int
          or extract(epoch from "time")::bigint - ${Date.UTC(2026, 10, 30, 12) / 1000} <> split_part(external_id, '-', 3)::int
          or prediction_label <> (split_part(external_id, '-', 3)::int % 2)::text)`);
      expect(Number(mismatched.rows[0]!.n)).toBe(0);
    });
  }

  it("Idempotency-Key: a replay returns the first answer and stores nothing more; another body with the key is 422", async () => {
    const body = jsonBody([
      row(1, { id: "idem-1" }),
      row(2, { id: "idem-2", features: { income: "x", region: "north" } }),
    ]);
    const first = await post(body, { idempotencyKey: "batch-0001" });
    expect(first.status).toBe(201);
    const firstText = await first.text();
    const after = await count();
    const replay = await post(body, { idempotencyKey: "batch-0001" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstText);
    expect(await count()).toBe(after);
    const other = await post(jsonBody([row(3, { id: "idem-3" })]), { idempotencyKey: "batch-0001" });
    expect(other.status).toBe(422);
    expect(((await other.json()) as { message: string }).message).toMatch(/different request/);
    expect(await count()).toBe(after);
    // A malformed key is refused before anything runs.
    const bad = await post("{}", { idempotencyKey: "bad key with spaces" });
    expect(bad.status).toBe(400);
  });

  it("Idempotency-Key: a retry while the first request is still running is 409, and gets the answer once it has finished", async () => {
    const body = jsonBody([row(1, { id: "inflight-1" })]);
    const request = () =>
      new Request("http://test/api/v1/predictions", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "slow-1" },
        body,
      });
    const [apiKey] = (await database.db.execute<{ id: string }>(sql`select id from api_keys where name = 'serving'`))
      .rows;
    const ctx = {
      db: database.db,
      principal: {
        kind: "apiKey",
        id: apiKey!.id,
        name: "serving",
        scopes: ["predictions:write"],
        ownerUserId: "x",
      } as Principal,
    };
    let finish = () => {};
    const gate = new Promise<void>((resolve) => (finish = resolve));
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = idempotent(ctx, request(), { body: new TextEncoder().encode(body) }, async () => {
      started();
      await gate;
      return { status: 201, body: { accepted: 1, note: "from the first request" } };
    });
    await running;
    const during = await post(body, { idempotencyKey: "slow-1" });
    expect(during.status).toBe(409);
    expect(((await during.json()) as { message: string }).message).toMatch(/still being processed/);
    finish();
    expect((await slow).status).toBe(201);
    const later = await post(body, { idempotencyKey: "slow-1" });
    expect(later.status).toBe(201);
    expect(await later.json()).toEqual({ accepted: 1, note: "from the first request" });
  });

  it("Idempotency-Key: a claim left running by a process that died is taken over once its lease has passed", async () => {
    const body = jsonBody([row(1, { id: "orphan-1" })]);
    const hash = (await import("@/server/http/idempotency")).requestHash(
      new Request("http://test/api/v1/predictions", {
        method: "POST",
        headers: { "content-type": "application/json" },
      }),
      new TextEncoder().encode(body),
    );
    const [apiKey] = (await database.db.execute<{ id: string }>(sql`select id from api_keys where name = 'serving'`))
      .rows;
    const insertClaim = (key: string, lease: string) =>
      database.db
        .execute(sql`insert into idempotency_keys (api_key_id, key, request_hash, status, lease_until, expires_at)
        values (${apiKey!.id}, ${key}, ${hash}, 'running', now() + ${lease}::interval, now() + interval '1 day')`);
    await insertClaim("orphan-alive", "1 minute");
    expect((await post(body, { idempotencyKey: "orphan-alive" })).status).toBe(409); // still leased: maybe alive
    await insertClaim("orphan-dead", "-1 minute");
    const res = await post(body, { idempotencyKey: "orphan-dead" });
    expect(res.status).toBe(201);
    expect((await post(body, { idempotencyKey: "orphan-dead" })).headers.get("idempotent-replayed")).toBe("true");
  });

  it("Idempotency-Key: a refused batch frees its key; expired keys are cleaned up by the maintenance run", async () => {
    const bad = await post(jsonBody([row(1, { id: "free-1", time: undefined })]), { idempotencyKey: "fix-me" });
    expect(bad.status).toBe(400);
    const fixed = await post(jsonBody([row(1, { id: "free-1" })]), { idempotencyKey: "fix-me" });
    expect(fixed.status).toBe(201);
    const keys = async () =>
      Number(
        (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from idempotency_keys`)).rows[0]!.n,
      );
    expect(await keys()).toBeGreaterThan(0);
    const in23h = await runMaintenance(database.db, {
      now: new Date(Date.now() + 23 * 3600_000),
      retentionDays: 36500,
    });
    expect(in23h.idempotencyKeysDeleted).toBe(0);
    const in25h = await runMaintenance(database.db, {
      now: new Date(Date.now() + 25 * 3600_000),
      retentionDays: 36500,
    });
    expect(in25h.idempotencyKeysDeleted).toBeGreaterThan(0);
    expect(await keys()).toBe(0);
  });

  it("refuses a key without predictions:write (403) and a request without a key (401), storing nothing", async () => {
    const before = await count();
    const forbidden = await post(jsonBody([row(1)]), { auth: reportsKey });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { message: string }).message).toMatch(/predictions:write/);
    const anonymous = await POST(
      new Request("http://test/api/v1/predictions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: jsonBody([row(1)]),
      }),
      noParams,
    );
    expect(anonymous.status).toBe(401);
    expect(await count()).toBe(before);
  });

  it("is described in the OpenAPI document: JSON and NDJSON bodies, the answer's shape, Idempotency-Key, 422", () => {
    const op = (
      openApiDocument("https://ratchet.test").paths["/api/v1/predictions"] as Record<string, Record<string, unknown>>
    ).post!;
    expect(op["x-required-scope"]).toBe("predictions:write");
    const content = (
      op.requestBody as { content: Record<string, { schema: { properties?: Record<string, unknown> } }> }
    ).content;
    expect(Object.keys(content)).toEqual(["application/json", "application/x-ndjson"]);
    expect(Object.keys(content["application/x-ndjson"]!.schema.properties!)).toEqual(
      expect.arrayContaining(["model", "version", "id", "time", "features", "prediction", "probabilities", "arm"]),
    );
    const responses = op.responses as Record<
      string,
      { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }
    >;
    expect(Object.keys(responses["201"]!.content!["application/json"]!.schema.properties!)).toEqual([
      "accepted",
      "dataQuality",
    ]);
    expect(responses["422"]).toBeDefined();
    expect((op.parameters as { name: string }[]).map((p) => p.name)).toContain("Idempotency-Key");
  });

  it("partitions by day: days created ahead, rows routed to their day, the default partition catches the rest and hands it over", async () => {
    const now = new Date("2031-03-10T08:00:00Z");
    const created = await ensurePredictionPartitions(database.db, { now, daysAhead: 3 });
    expect(created).toBe(5); // yesterday, today and three days ahead
    expect(await ensurePredictionPartitions(database.db, { now, daysAhead: 3 })).toBe(0);
    const parts = await predictionPartitions(database.db);
    expect(parts).toEqual(
      expect.arrayContaining([
        "predictions_default",
        "predictions_p20310309",
        "predictions_p20310310",
        "predictions_p20310313",
      ]),
    );
    expect(parts).not.toContain("predictions_p20310314");

    const res = await post(
      jsonBody([
        row(1, { id: "part-today", time: "2031-03-10T23:59:59Z" }),
        row(2, { id: "part-later", time: "2031-03-20T00:00:00Z" }),
      ]),
    );
    expect(res.status).toBe(201); // no partition for the 20th: the default partition takes it
    const where = async (id: string) =>
      (
        await database.db.execute<{ part: string }>(
          sql`select tableoid::regclass::text as part from predictions where external_id = ${id}`,
        )
      ).rows[0]!.part;
    expect(await where("part-today")).toBe("predictions_p20310310");
    expect(await where("part-later")).toBe("predictions_default");
    // When the 20th's partition is created, its rows move in from the default partition.
    await ensurePredictionPartitions(database.db, { now: new Date("2031-03-19T00:00:00Z"), daysAhead: 1 });
    expect(await where("part-later")).toBe("predictions_p20310320");
  });

  it("retention drops whole days older than the limit and keeps the rest", async () => {
    await ensurePredictionPartitions(database.db, { now: new Date("2031-04-01T12:00:00Z"), daysAhead: 0, daysBack: 2 });
    const res = await post(
      jsonBody([
        row(1, { id: "old-1", time: "2031-03-30T05:00:00Z" }),
        row(2, { id: "old-2", time: "2031-03-30T23:00:00Z" }),
        row(3, { id: "keep-1", time: "2031-03-31T01:00:00Z" }),
        row(4, { id: "keep-2", time: "2031-04-01T01:00:00Z" }),
      ]),
    );
    expect(res.status).toBe(201);
    // 2 days kept on 2031-04-02: the 31st and the 1st stay, the 30th goes (with every day before it).
    const dropped = await dropExpiredPredictions(database.db, {
      now: new Date("2031-04-02T10:00:00Z"),
      retentionDays: 2,
    });
    expect(dropped).toBeGreaterThanOrEqual(1);
    const parts = await predictionPartitions(database.db);
    expect(parts).not.toContain("predictions_p20310330");
    expect(parts).toEqual(expect.arrayContaining(["predictions_p20310331", "predictions_p20310401"]));
    const left = await database.db.execute<{ id: string }>(
      sql`select external_id as id from predictions where external_id in ('old-1','old-2','keep-1','keep-2') order by 1`,
    );
    expect(left.rows.map((r) => r.id)).toEqual(["keep-1", "keep-2"]);
    // Rows before the limit that sat in the default partition (2026 test traffic) are gone too.
    expect(
      Number(
        (
          await database.db.execute<{ n: number }>(
            sql`select count(*)::int as n from predictions_default where "time" < '2031-03-31'`,
          )
        ).rows[0]!.n,
      ),
    ).toBe(0);
  });
});

/**
 * With the README's least-privilege setup (migrations as the owner, the app as a role that only reads and
 * writes rows), the app role still keeps the partitions: the functions run as their owner. PostgreSQL only.
 */
const serverUrl = process.env.TEST_DATABASE_URL || "";
describe.skipIf(!serverUrl)("prediction partitions under a least-privileged app role", () => {
  const suffix = randomBytes(4).toString("hex");
  const dbName = `ratchet_pp_${suffix}`;
  const role = `ratchet_pred_${suffix}`;
  const urlFor = (user: string | null) => {
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    if (user) {
      url.username = user;
      url.password = "app-password";
    }
    return url.toString();
  };
  const admin = async (statements: string[], url = serverUrl) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
  };
  let app: Database | undefined;
  beforeAll(async () => {
    await admin([`create database ${dbName}`, `create role ${role} login password 'app-password'`]);
    await (await openDatabase({ url: urlFor(null) })).close();
    await admin(
      [
        `grant connect on database ${dbName} to ${role}`,
        `grant usage on schema public to ${role}`,
        `grant select, insert, update, delete on all tables in schema public to ${role}`,
        `grant usage, select on all sequences in schema public to ${role}`,
      ],
      urlFor(null),
    );
    app = await openDatabase({ url: urlFor(role), migrationUrl: urlFor(null) });
  });
  afterAll(async () => {
    await app?.close();
    await admin([`drop database if exists ${dbName} with (force)`, `drop role if exists ${role}`]);
  });

  it("creates partitions ahead and drops old ones as the app role, which cannot create tables itself", async () => {
    const db = app!.db;
    expect((await db.execute<{ u: string }>(sql`select current_user as u`)).rows[0]!.u).toBe(role);
    const refused = await db
      .execute(
        sql`create table predictions_p20300101 partition of predictions for values from ('2030-01-01') to ('2030-01-02')`,
      )
      .then(
        () => "allowed",
        () => "refused",
      );
    expect(refused).toBe("refused");
    expect(await ensurePredictionPartitions(db, { now: new Date("2030-06-10T00:00:00Z"), daysAhead: 2 })).toBe(4);
    expect(await dropExpiredPredictions(db, { now: new Date("2030-06-12T00:00:00Z"), retentionDays: 1 })).toBe(2);
    expect((await predictionPartitions(db)).sort()).toEqual([
      "predictions_default",
      "predictions_p20300611",
      "predictions_p20300612",
    ]);
  });
});
