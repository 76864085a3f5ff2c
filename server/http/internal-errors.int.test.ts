import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Database } from "@/db/client";
import { modelVersions } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { createApiKey } from "@/server/domain/admin/apiKeys";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import { healthResponse } from "@/server/health";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeScientist } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import * as versions from "@/app/api/v1/models/[name]/versions/route";
import * as reports from "@/app/api/v1/reports/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";

const sha = "c".repeat(64);
const operator: Principal = { kind: "operator", name: "test" };
const params = (name: string) => ({ params: Promise.resolve({ name }) });
const SQL_OR_STACK = /select|insert|integer|out of range|pglite|pool|\bat\s+\S+\s*\(|\.ts:\d+/i;

describe.each(testDatabaseKinds)("unexpected errors and out-of-range integers on %s", (kind) => {
  let database: Database;
  let closed: Database;
  let key: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const scientist = await makeScientist(database.db);
    await createModel(scientist, { name: "churn", task: "binary_classification", owner: "test" });
    await registerVersion(scientist, "churn", { artifactUri: "s3://c/1", artifactSha256: sha, config: {} });
    key = (
      await createApiKey(
        { db: database.db, principal: operator },
        { name: "pipeline", scopes: ["versions:write", "reports:write"], ownerEmail: "ds@ratchet.test" },
      )
    ).key;
    // A database closed before the call: every query fails with the driver's own error text.
    closed = await openTestDatabase(kind);
    await closed.close();
  });
  afterAll(async () => database?.close());

  const post = (url: string, body: unknown) =>
    new Request(`http://test${url}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("answers a version number beyond int32 with 400 naming the field, through the HTTP API", async () => {
    setDatabase(database);
    const before = await database.db.$count(modelVersions);
    const res = await versions.POST(
      post("/api/v1/models/churn/versions", {
        artifactUri: "s3://c/9",
        artifactSha256: sha,
        config: {},
        parentVersion: 3_000_000_000,
      }),
      params("churn"),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { field: string; reason: string }[] };
    expect(body.issues).toEqual([{ field: "parentVersion", reason: expect.stringMatching(/at most 2,147,483,647/) }]);
    expect(await database.db.$count(modelVersions)).toBe(before);

    const report = await reports.POST(
      post("/api/v1/reports", {
        model: "churn",
        version: 3_000_000_000,
        kind: "holdout",
        sampleSize: 10,
        metrics: { accuracy: 0.9 },
      }),
      params(""),
    );
    expect(report.status).toBe(400);
    expect(((await report.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe("version");
  });

  it("answers a version number beyond int32 with BAD_REQUEST naming the field, through a tRPC caller", async () => {
    const api = createCaller({ db: database.db, principal: operator });
    const error = await api.models.version({ model: "churn", version: 3_000_000_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(/version/);
    const negative = await api.releases
      .rollback({ model: "churn", toVersion: -1, reason: "a reason long enough" })
      .catch((e: unknown) => e);
    expect((negative as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("gives the API client a generic message with an error id, and logs the detail under that id", async () => {
    setDatabase(closed);
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const res = await versions.POST(
        post("/api/v1/models/churn/versions", { artifactUri: "s3://c/9", artifactSha256: sha, config: {} }),
        params("churn"),
      );
      expect(res.status).toBe(500);
      const text = await res.text();
      const body = JSON.parse(text) as { error: string; message: string; errorId: string };
      expect(body.message).toMatch(/^Something went wrong on our side \(error id [0-9a-f]{8}\)/);
      expect(body.message).toContain(body.errorId);
      expect(text).not.toMatch(SQL_OR_STACK);
      expect(String(log.mock.calls[0]?.[0])).toContain(body.errorId);
      expect(log.mock.calls[0]?.[1]).toBeInstanceOf(Error);
    } finally {
      log.mockRestore();
      setDatabase(database);
    }
  });

  it("gives tRPC callers and the tRPC route a generic message with an error id", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const error = (await createCaller({ db: closed.db, principal: operator })
        .models.list({})
        .catch((e: unknown) => e)) as TRPCError;
      expect(error.code).toBe("INTERNAL_SERVER_ERROR");
      expect(error.message).toMatch(/^Something went wrong on our side \(error id ([0-9a-f]{8})\)/);
      expect(error.message).not.toMatch(SQL_OR_STACK);
      const id = /error id ([0-9a-f]{8})/.exec(error.message)?.[1] ?? "none";
      expect(log.mock.calls.some((call) => String(call[0]).includes(id) && call[1] instanceof Error)).toBe(true);
      // A server component's failed call reaches app/error.tsx with this digest: the page shows the logged id.
      expect((error as TRPCError & { digest?: string }).digest).toBe(id);

      setDatabase(closed);
      const res = await trpcRoute.GET(
        new Request(`http://test/api/trpc/models.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`),
      );
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).toMatch(/Something went wrong on our side \(error id [0-9a-f]{8}\)/);
      expect(text).not.toMatch(SQL_OR_STACK);
    } finally {
      log.mockRestore();
      setDatabase(database);
    }
  });

  it("never puts raw error text in /api/health", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const res = await healthResponse(() => Promise.resolve(closed));
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: "error", message: expect.stringMatching(/error id [0-9a-f]{8}/) });
      expect(text).not.toMatch(SQL_OR_STACK);
      const failingOpen = await healthResponse(() =>
        Promise.reject(new Error("connect ECONNREFUSED postgres://admin:hunter2@db:5432")),
      );
      expect(await failingOpen.text()).not.toMatch(/hunter2|ECONNREFUSED/);
    } finally {
      log.mockRestore();
    }
  });
});
