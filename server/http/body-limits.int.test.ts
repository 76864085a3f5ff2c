import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db/client";
import { evaluationReports, modelVersions } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { createApiKey } from "@/server/domain/admin/apiKeys";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import { ingestionsInProgress } from "@/server/http/ingestion-slots";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeScientist } from "@/server/testing/fixtures";
import * as versions from "@/app/api/v1/models/[name]/versions/route";
import * as reports from "@/app/api/v1/reports/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { NextRequest } from "next/server";

const sha = "e".repeat(64);
const operator: Principal = { kind: "operator", name: "test" };
const params = (name: string) => ({ params: Promise.resolve({ name }) });
const encoder = new TextEncoder();

/** A chunked body (no Content-Length) of `chunks` pieces; counts how many were pulled. */
function chunked(first: string, filler: string, chunks: number) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      controller.enqueue(encoder.encode(sent === 0 ? first : filler));
      sent++;
    },
  });
  return { stream, pulled: () => sent };
}

/** A body that sends its first part, then waits until `finish` is called: an upload still in progress. */
function held(text: string) {
  let finish = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(text));
      finish = () => controller.close();
    },
  });
  return { stream, finish: () => finish() };
}

describe.each(testDatabaseKinds)("body limits and ingestion bounds on %s", (kind) => {
  let database: Database;
  let key: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const scientist = await makeScientist(database.db);
    await createModel(scientist, { name: "churn", task: "binary_classification", owner: "test" });
    await registerVersion(scientist, "churn", { artifactUri: "s3://c/1", artifactSha256: sha, config: {} });
    key = (
      await createApiKey(
        { db: database.db, principal: operator },
        { name: "pipeline", scopes: ["versions:write", "reports:write"], ownerEmail: "ds@ratchet.test" },
      )
    ).key;
  });
  afterAll(async () => database?.close());

  const request = (url: string, body: BodyInit, type = "application/json", headers: Record<string, string> = {}) =>
    new Request(`http://test${url}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": type, ...headers },
      body,
      duplex: "half",
    } as RequestInit);
  type ErrorBody = { error: string; message: string; issues: { field: string; reason: string }[] };

  it("refuses a chunked JSON body over 1 MB without Content-Length with 413, storing nothing", async () => {
    const before = await database.db.$count(modelVersions);
    // A valid-looking version whose config string never ends: 2 MB in 64 KB pieces.
    const body = chunked(
      `{"artifactUri":"s3://c/2","artifactSha256":"${sha}","config":{"blob":"`,
      "x".repeat(65_536),
      32,
    );
    const res = await versions.POST(request("/api/v1/models/churn/versions", body.stream), params("churn"));
    expect(res.status).toBe(413);
    const json = (await res.json()) as ErrorBody;
    expect(json).toMatchObject({
      error: "payload_too_large",
      issues: [{ field: "body", reason: expect.stringMatching(/larger than 1 MB/) }],
    });
    expect(body.pulled()).toBeLessThan(32); // stopped reading once over the limit
    expect(await database.db.$count(modelVersions)).toBe(before);
  });

  it("refuses an honest Content-Length over the limit before reading the body", async () => {
    const body = chunked("{", " ", 4);
    const res = await versions.POST(
      request("/api/v1/models/churn/versions", body.stream, "application/json", {
        "content-length": String(5 * 1024 * 1024),
      }),
      params("churn"),
    );
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(1); // a stream may pre-pull one piece; nothing was consumed
  });

  it("refuses a JSON report over 64 MB while reading, and suggests NDJSON", async () => {
    const before = await database.db.$count(evaluationReports);
    const body = chunked(
      `{"model":"churn","version":1,"kind":"holdout","sampleSize":1,"metrics":{"accuracy":0.5},"pad":"`,
      "x".repeat(1024 * 1024),
      70,
    );
    const res = await reports.POST(request("/api/v1/reports", body.stream), params(""));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).issues[0]?.reason).toMatch(/64 MB.*ndjson/i);
    expect(await database.db.$count(evaluationReports)).toBe(before);
  });

  it("refuses an NDJSON line over the cap naming the line, storing nothing", async () => {
    const before = await database.db.$count(evaluationReports);
    const header = JSON.stringify({ model: "churn", version: 1, kind: "holdout", sampleSize: 3 });
    const body = chunked(`${header}\n{"id":"a","label":1,"prediction":1}\n{"id":"`, "y".repeat(65_536), 40);
    const res = await reports.POST(request("/api/v1/reports", body.stream, "application/x-ndjson"), params(""));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).issues[0]).toEqual({
      field: "line 3",
      reason: expect.stringMatching(/longer than 1,048,576 characters/),
    });
    expect(await database.db.$count(evaluationReports)).toBe(before);
  });

  it("refuses an outcome id over 128 characters with 400", async () => {
    const header = JSON.stringify({ model: "churn", version: 1, kind: "holdout", sampleSize: 2 });
    const lines = [
      header,
      JSON.stringify({ id: "a", label: 1, prediction: 1 }),
      JSON.stringify({ id: "i".repeat(129), label: 0, prediction: 0 }),
    ];
    const res = await reports.POST(request("/api/v1/reports", lines.join("\n"), "application/x-ndjson"), params(""));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).issues[0]).toEqual({
      field: "line 3",
      reason: expect.stringMatching(/id: .*128 characters/),
    });
    const asJson = await reports.POST(
      request(
        "/api/v1/reports",
        JSON.stringify({
          model: "churn",
          version: 1,
          kind: "holdout",
          sampleSize: 1,
          outcomes: [{ id: "i".repeat(129), label: 0, prediction: 0 }],
        }),
      ),
      params(""),
    );
    expect(asJson.status).toBe(400);
    expect(((await asJson.json()) as ErrorBody).issues[0]?.field).toBe("outcomes.0.id");
  });

  it("refuses a config nested deeper than 32 levels or larger than 256 KB with 400", async () => {
    const before = await database.db.$count(modelVersions);
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    const res = await versions.POST(
      request(
        "/api/v1/models/churn/versions",
        JSON.stringify({ artifactUri: "s3://c/3", artifactSha256: sha, config: deep }),
      ),
      params("churn"),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).issues).toEqual([
      { field: "config", reason: expect.stringMatching(/nested more than 32 levels/) },
    ]);
    const big = await versions.POST(
      request(
        "/api/v1/models/churn/versions",
        JSON.stringify({
          artifactUri: "s3://c/3",
          artifactSha256: sha,
          config: {},
          hyperparameters: { grid: "g".repeat(300_000) },
        }),
      ),
      params("churn"),
    );
    expect(big.status).toBe(400);
    expect(((await big.json()) as ErrorBody).issues[0]).toMatchObject({
      field: "hyperparameters",
      reason: expect.stringMatching(/at most 256 KB/),
    });
    expect(await database.db.$count(modelVersions)).toBe(before);
  });

  it("answers a third concurrent ingestion with 503 and Retry-After, then takes reports again", async () => {
    const header = JSON.stringify({ model: "churn", version: 1, kind: "holdout", sampleSize: 2 });
    const first = held(`${header}\n{"id":"a","label":1,"prediction":1}\n`);
    const second = held(`${header}\n{"id":"b","label":1,"prediction":1}\n`);
    const running = [
      reports.POST(request("/api/v1/reports", first.stream, "application/x-ndjson"), params("")),
      reports.POST(request("/api/v1/reports", second.stream, "application/x-ndjson"), params("")),
    ];
    await vi.waitFor(() => expect(ingestionsInProgress()).toBe(2), { timeout: 30_000 });
    const third = await reports.POST(
      request(
        "/api/v1/reports",
        JSON.stringify({ model: "churn", version: 1, kind: "holdout", sampleSize: 5, metrics: { accuracy: 0.5 } }),
      ),
      params(""),
    );
    expect(third.status).toBe(503);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await third.json()) as ErrorBody).message).toMatch(/limit is 2/);

    first.finish();
    second.finish();
    const done = await Promise.all(running);
    // Each held upload ends after one outcome while announcing two: refused, but the slots are free again.
    expect(done.map((r) => r.status).every((s) => s < 500)).toBe(true);
    expect(ingestionsInProgress()).toBe(0);
    const after = await reports.POST(
      request(
        "/api/v1/reports",
        JSON.stringify({ model: "churn", version: 1, kind: "holdout", sampleSize: 5, metrics: { accuracy: 0.5 } }),
      ),
      params(""),
    );
    expect(after.status).toBe(201);
  });

  it("caps tRPC request bodies at 1 MB", async () => {
    const body = chunked(`{"json":{"name":"`, "z".repeat(65_536), 32);
    const res = await trpcRoute.POST(
      new Request("http://test/api/trpc/models.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body.stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThan(32);
  });

  it("caps sign-in requests at 64 KB before Auth.js reads them", async () => {
    const body = chunked("email=a%40b.c&password=", "p".repeat(16_384), 16);
    const res = await authRoute.POST(
      new NextRequest("http://test/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.stream,
        duplex: "half",
      } as ConstructorParameters<typeof NextRequest>[1]),
    );
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThan(16);
  });
});
