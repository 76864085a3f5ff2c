import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { modelVersions } from "@/db/schema";
import { seedDemoData } from "@/server/demo/demo";
import { setDatabase } from "@/server/db";
import { createApiKey } from "@/server/domain/admin/apiKeys";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import * as champion from "@/app/api/v1/models/[name]/champion/route";
import * as versions from "@/app/api/v1/models/[name]/versions/route";
import * as datasets from "@/app/api/v1/datasets/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import * as health from "@/app/api/health/route";

const sha = "c".repeat(64);

describe.each(testDatabaseKinds)("HTTP API on %s", (kind) => {
  let database: Database;
  let key: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemoData(database.db);
    setDatabase(database);
    key = (
      await createApiKey(
        { db: database.db, principal: { kind: "operator", name: "t" } },
        { name: "pipeline", scopes: ["versions:write", "datasets:write"], ownerEmail: "scientist@ratchet.dev" },
      )
    ).key;
  });
  afterAll(async () => database?.close());

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    new Request(`http://test${url}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const params = (name: string) => ({ params: Promise.resolve({ name }) });

  it("registers a version and serves the champion with its config", async () => {
    const res = await versions.POST(
      post("/api/v1/models/house-price/versions", {
        artifactUri: "s3://h/4",
        artifactSha256: sha,
        config: { alpha: 1 },
      }),
      params("house-price"),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/v1/models/house-price/versions/4");
    const c = await champion.GET(
      new Request("http://test/x", { headers: { authorization: `Bearer ${key}` } }),
      params("house-price"),
    );
    const body = (await c.json()) as { champion: { version: number; config: Record<string, unknown> } };
    expect(body.champion.version).toBe(2);
    expect(body.champion.config).toHaveProperty("coefficients");
  });

  it("answers who was champion at a given time, and refuses a time it cannot read", async () => {
    const get = (q: string) =>
      champion.GET(
        new Request(`http://test/x${q}`, { headers: { authorization: `Bearer ${key}` } }),
        params("house-price"),
      );
    expect(await (await get("?at=2000-01-01T00:00:00Z")).json()).toMatchObject({ version: null });
    expect(await (await get(`?at=${encodeURIComponent(new Date().toISOString())}`)).json()).toMatchObject({
      version: 2,
    });
    const bad = await get("?at=yesterday-ish");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe("at");
  });

  it("answers bad input with 400 naming the field and the reason, and stores nothing", async () => {
    const before = await database.db.$count(modelVersions);
    const res = await versions.POST(
      post("/api/v1/models/churn/versions", { artifactUri: "s3://c", artifactSha256: "xyz", config: [] }),
      params("churn"),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { field: string; reason: string }[] };
    expect(body.issues.map((i) => i.field).sort()).toEqual(["artifactSha256", "config"]);
    expect(body.issues.find((i) => i.field === "artifactSha256")?.reason).toMatch(/64 lower-case hex/);
    const badJson = await versions.POST(post("/api/v1/models/churn/versions", "{not json"), params("churn"));
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe("body");
    const formPost = await versions.POST(
      post("/api/v1/models/churn/versions", "a=b", { "content-type": "application/x-www-form-urlencoded" }),
      params("churn"),
    );
    expect(formPost.status).toBe(400);
    expect(await database.db.$count(modelVersions)).toBe(before);
  });

  it("answers an unknown model with 404", async () => {
    const res = await versions.POST(
      post("/api/v1/models/nope/versions", { artifactUri: "s3://c", artifactSha256: sha, config: {} }),
      params("nope"),
    );
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/Model "nope" was not found/);
  });

  it("records datasets idempotently: 201 then 200 for the same content", async () => {
    const body = {
      name: "weekly-scores",
      role: "live",
      periodStart: "2026-11-01",
      periodEnd: "2026-11-07",
      rowCount: 1200,
      hash: "sha256:feedbeef",
      uri: "s3://d/w",
    };
    expect((await datasets.POST(post("/api/v1/datasets", body), params(""))).status).toBe(201);
    expect((await datasets.POST(post("/api/v1/datasets", body), params(""))).status).toBe(200);
    const reversed = await datasets.POST(post("/api/v1/datasets", { ...body, periodStart: "2026-12-01" }), params(""));
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe("periodEnd");
  });

  it("serves an OpenAPI document generated from the same schemas", async () => {
    const doc = (await openapi.GET(new Request("http://ratchet.internal:8080/api/v1/openapi.json")).json()) as {
      servers: { url: string }[];
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
      >;
    };
    const schema = doc.paths["/api/v1/models/{name}/versions"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(schema?.required).toEqual(expect.arrayContaining(["artifactUri", "artifactSha256", "config"]));
    // A client generated from the document calls the instance it was read from.
    expect(doc.servers).toEqual([expect.objectContaining({ url: "http://ratchet.internal:8080" })]);
  });

  it("refuses tRPC mutations that are not JSON (CSRF) and caps batches", async () => {
    const form = await trpcRoute.POST(
      new Request("http://test/api/trpc/models.create", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "name=x",
      }),
    );
    expect(form.status).toBe(415);
    const text = await trpcRoute.POST(
      new Request("http://test/api/trpc/models.create", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "{}",
      }),
    );
    expect(text.status).toBe(415);
    const paths = Array.from({ length: 11 }, () => "models.list").join(",");
    const batch = await trpcRoute.GET(new Request(`http://test/api/trpc/${paths}?batch=1&input={}`));
    expect(batch.status).toBeGreaterThanOrEqual(400);
  });

  it("reports the database kind and that migrations are current", async () => {
    const body = (await (await health.GET()).json()) as { database: string; migrations: { current: boolean } };
    expect(body).toMatchObject({ database: kind, migrations: { current: true } });
  });
});
