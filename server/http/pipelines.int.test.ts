import { randomUUID } from "node:crypto";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { releases } from "@/db/schema";
import { setDatabase } from "@/server/db";
import { FourEyesError } from "@/server/domain/errors";
import { previewGate } from "@/server/domain/gate/preview";
import { decideRelease } from "@/server/domain/releases/decide";
import { getRelease } from "@/server/domain/releases/queries";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { startApiServer, type ApiServer } from "@/server/testing/api-server";
import {
  PIPELINE_MODEL as MODEL,
  pipelineKey,
  seedPipelineModel,
  type PipelinePeople,
} from "@/server/testing/pipeline-fixtures";
import * as releasesRoute from "@/app/api/v1/releases/route";
import * as releaseRoute from "@/app/api/v1/releases/[id]/route";
import * as gateRoute from "@/app/api/v1/models/[name]/versions/[version]/gate/route";
import type { paths } from "./api-types.generated";

/** What a pipeline does through the API: read the gate, request a release, wait for its decision. */
describe.each(testDatabaseKinds)("pipeline API on %s", (kind) => {
  let database: Database;
  let people: PipelinePeople;
  /** Owned by the data scientist: requests made with it are theirs. */
  let scientistKey: string;
  /** Owned by a manager: they may request with it, and then may not approve. */
  let managerKey: string;
  let readKey: string;
  let versionsKey: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    people = await seedPipelineModel(database.db);
    scientistKey = (await pipelineKey(database.db, "scientist@pipe.dev", ["releases:request"])).key;
    managerKey = (await pipelineKey(database.db, "manager@pipe.dev", ["releases:request"])).key;
    readKey = (await pipelineKey(database.db, "scientist@pipe.dev", ["registry:read"])).key;
    versionsKey = (await pipelineKey(database.db, "scientist@pipe.dev", ["versions:write", "reports:write"])).key;
  });
  afterAll(async () => database?.close());

  const as = (p: keyof PipelinePeople) => ({ db: database.db, principal: people[p] });
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const postRelease = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    releasesRoute.POST(
      new Request("http://test/api/v1/releases", {
        method: "POST",
        headers: { ...auth(key), "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
      { params: Promise.resolve({}) },
    );
  const getReleaseById = (key: string, id: string) =>
    releaseRoute.GET(new Request(`http://test/api/v1/releases/${id}`, { headers: auth(key) }), {
      params: Promise.resolve({ id }),
    });
  const getGate = (key: string, name: string, v: string) =>
    gateRoute.GET(new Request(`http://test/api/v1/models/${name}/versions/${v}/gate`, { headers: auth(key) }), {
      params: Promise.resolve({ name, version: v }),
    });
  const releaseCount = async () => database.db.$count(releases);

  it("serves the gate with the page's checks: pass, fail, insufficient", async () => {
    const expected = { 1: "pass", 2: "fail", 3: "insufficient" } as const;
    for (const [v, status] of Object.entries(expected)) {
      const res = await getGate(readKey, MODEL, v);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; checks: Record<string, unknown>[] };
      expect(body).toMatchObject({ model: MODEL, version: Number(v), status });
      const page = await previewGate(as("manager"), MODEL, Number(v));
      expect(body.checks).toEqual(
        page.gate.checks.map(({ id, name, status: s, summary }) => ({ id, name, status: s, summary })),
      );
    }
    const missing = await getGate(readKey, MODEL, "99");
    expect(missing.status).toBe(404);
    const bad = await getGate(readKey, MODEL, "latest");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe("version");
  });

  it("requests a release as the key's owner (201), and answers its status until a manager decides", async () => {
    const before = Date.now();
    const res = await postRelease(scientistKey, {
      model: MODEL,
      version: 1,
      strategy: "canary",
      share: 0.1,
      rationale: "better AUC on the holdout, canary first",
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown> & { id: string; requestedAt: string };
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      model: MODEL,
      version: 1,
      strategy: "canary",
      share: 0.1,
      status: "pending",
      rationale: "better AUC on the holdout, canary first",
      requestedBy: "scientist@pipe.dev",
      requestedAt: expect.any(String),
      decision: null,
    });
    expect(Date.parse(created.requestedAt)).toBeGreaterThanOrEqual(before - 1000);
    const read = await getReleaseById(readKey, created.id);
    expect(await read.json()).toEqual(created);

    // The scientist (the key's owner) requested: a manager who made none of it may decide.
    expect((await getRelease(as("manager"), created.id)).decisionForMe).toEqual({ allowed: true });
    await decideRelease(as("manager"), { releaseId: created.id, decision: "approve", note: "canary is fine" });
    const decided = (await (await getReleaseById(scientistKey, created.id)).json()) as Record<string, unknown>;
    expect(decided).toMatchObject({
      status: "approved",
      decision: { decision: "approve", by: "manager@pipe.dev", at: expect.any(String), note: "canary is fine" },
    });
  });

  it("keeps the key's owner from approving what their key requested; another manager decides", async () => {
    const res = await postRelease(managerKey, {
      model: MODEL,
      version: 4,
      strategy: "shadow",
      rationale: "shadow it next to the canary for a week",
    });
    expect(res.status).toBe(201);
    const { id, requestedBy } = (await res.json()) as { id: string; requestedBy: string };
    expect(requestedBy).toBe("manager@pipe.dev");
    await expect(
      decideRelease(as("manager"), { releaseId: id, decision: "approve", note: "my own" }),
    ).rejects.toBeInstanceOf(FourEyesError);
    expect((await getRelease(as("manager"), id)).decisionForMe).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/requested this release through your API key/),
    });
    await decideRelease(as("manager2"), { releaseId: id, decision: "reject", note: "not this week" });
    expect(await (await getReleaseById(readKey, id)).json()).toMatchObject({
      status: "rejected",
      decision: { decision: "reject", by: "manager2@pipe.dev", note: "not this week" },
    });
  });

  it("refuses bad requests with field reasons and stores nothing (400, 404, 409)", async () => {
    const before = await releaseCount();
    const noShare = await postRelease(scientistKey, {
      model: MODEL,
      version: 2,
      strategy: "canary",
      rationale: "x",
    });
    expect(noShare.status).toBe(400);
    const fields = ((await noShare.json()) as { issues: { field: string; reason: string }[] }).issues.map(
      (i) => i.field,
    );
    expect(fields.sort()).toEqual(["rationale", "share"]);
    expect((await postRelease(scientistKey, "{not json")).status).toBe(400);
    const unknown = await postRelease(scientistKey, {
      model: MODEL,
      version: 99,
      strategy: "full",
      rationale: "there is no such version",
    });
    expect(unknown.status).toBe(404);
    const first = await postRelease(scientistKey, {
      model: MODEL,
      version: 2,
      strategy: "full",
      rationale: "ship it although the gate fails",
    });
    expect(first.status).toBe(201);
    const second = await postRelease(scientistKey, {
      model: MODEL,
      version: 2,
      strategy: "full",
      rationale: "ship it although the gate fails",
    });
    expect(second.status).toBe(409);
    expect(await releaseCount()).toBe(before + 1);
    expect((await getReleaseById(readKey, "not-a-uuid")).status).toBe(400);
    expect((await getReleaseById(readKey, randomUUID())).status).toBe(404);
  });

  it("honours Idempotency-Key: a retry gets the first answer and requests nothing more; another body is a 422", async () => {
    const key = randomUUID();
    const body = { model: MODEL, version: 3, strategy: "full", rationale: "retried after a lost answer" };
    const before = await releaseCount();
    const first = await postRelease(scientistKey, body, { "idempotency-key": key });
    expect(first.status).toBe(201);
    const retry = await postRelease(scientistKey, body, { "idempotency-key": key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(await first.json());
    expect(await releaseCount()).toBe(before + 1);
    const other = await postRelease(
      scientistKey,
      { ...body, rationale: "something else entirely" },
      {
        "idempotency-key": key,
      },
    );
    expect(other.status).toBe(422);
  });

  it("refuses keys without the scope: registry:read may not request, versions:write may not either", async () => {
    const before = await releaseCount();
    const body = { model: MODEL, version: 3, strategy: "shadow", rationale: "a key without the scope" };
    expect((await postRelease(readKey, body)).status).toBe(403);
    expect((await postRelease(versionsKey, body)).status).toBe(403);
    expect((await postRelease("rk_unknown", body)).status).toBe(401);
    expect(await releaseCount()).toBe(before);
    // A pipeline that requests may also read the gate and wait for the decision.
    expect((await getGate(scientistKey, MODEL, "1")).status).toBe(200);
  });

  describe("through a client generated from the OpenAPI document", () => {
    let server: ApiServer;
    beforeAll(async () => {
      server = await startApiServer();
    });
    afterAll(async () => server?.close());

    it("reads the document, the gate, requests a release and reads its decision", async () => {
      const client = createClient<paths>({ baseUrl: server.url, headers: auth(scientistKey) });
      const gate = await client.GET("/api/v1/models/{name}/versions/{version}/gate", {
        params: { path: { name: MODEL, version: "4" } },
      });
      expect(gate.response.status).toBe(200);
      expect(gate.data?.status).toBe("pass");
      expect(gate.data?.checks.map((c) => c.id)).toContain("requirements");

      const requested = await client.POST("/api/v1/releases", {
        body: { model: MODEL, version: 4, strategy: "full", rationale: "requested through the typed client" },
        params: { header: { "Idempotency-Key": randomUUID() } },
      });
      expect(requested.error).toBeUndefined();
      expect(requested.data).toMatchObject({ version: 4, status: "pending", requestedBy: "scientist@pipe.dev" });
      await decideRelease(as("manager2"), { releaseId: requested.data!.id, decision: "approve", note: "go ahead" });
      const status = await client.GET("/api/v1/releases/{id}", { params: { path: { id: requested.data!.id } } });
      expect(status.data?.decision).toMatchObject({ decision: "approve", by: "manager2@pipe.dev" });

      const refused = await client.POST("/api/v1/releases", {
        body: { model: MODEL, version: 4, strategy: "canary", rationale: "a canary without its share" },
      });
      expect(refused.response.status).toBe(400);
      expect(refused.error?.issues?.map((i) => i.field)).toContain("share");

      const doc = await fetch(`${server.url}/api/v1/openapi.json`);
      expect(((await doc.json()) as { servers: { url: string }[] }).servers[0]?.url).toBe(server.url);
    });
  });
});
