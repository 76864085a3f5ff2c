import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { predictions } from "@/db/schema";
import { setDatabase } from "@/server/db";
import { decideRelease } from "@/server/domain/releases/decide";
import { requestRelease } from "@/server/domain/releases/request";
import { startApiServer, type ApiServer } from "@/server/testing/api-server";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { PIPELINE_MODEL as MODEL, pipelineKey, seedPipelineModel } from "@/server/testing/pipeline-fixtures";
import { RatchetServing, score } from "@/examples/serving/ratchet-serving";

/** The serving example in examples/ works against the real API: it is documentation people copy. */
describe.each(testDatabaseKinds)("examples/serving on %s", (kind) => {
  let database: Database;
  let server: ApiServer;
  let key: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const people = await seedPipelineModel(database.db);
    for (const [version, strategy, share] of [
      [1, "full", undefined],
      [4, "canary", 0.25],
    ] as const) {
      const r = await requestRelease(
        { db: database.db, principal: people.scientist },
        { model: MODEL, version, strategy, share, rationale: "serve it in the example test" },
      );
      await decideRelease(
        { db: database.db, principal: people.manager },
        { releaseId: r.id, decision: "approve", note: "fine" },
      );
    }
    key = (await pipelineKey(database.db, "scientist@pipe.dev", ["registry:read", "predictions:write"])).key;
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it("serves the champion, sends the canary its share of requests, and logs every prediction", async () => {
    const serving = new RatchetServing({ url: server.url, apiKey: key, model: MODEL, batchSize: 50 });
    await serving.start();
    const arms = { champion: 0, canary: 0 };
    for (let i = 0; i < 200; i++) {
      const id = `req-${i}`;
      const { arm, version } = serving.route(id);
      expect(serving.route(id).version.version, "a request id always lands on the same side").toBe(version.version);
      expect(version.version).toBe(arm === "canary" ? 4 : 1);
      arms[arm]++;
      const p = score({ intercept: -1, coefficients: { x: 2 } }, { x: i / 200 });
      serving.log(version.version, arm, { id, features: { x: i / 200 }, prediction: p >= 0.5 ? 1 : 0, confidence: p });
    }
    await serving.stop();
    expect(arms.canary).toBeGreaterThan(25);
    expect(arms.canary).toBeLessThan(75);
    expect(serving.dropped).toBe(0);
    expect(await database.db.$count(predictions)).toBe(200);
  });

  it("keeps serving and never throws while Ratchet is unreachable; the overflow is counted", async () => {
    const serving = new RatchetServing({ url: server.url, apiKey: key, model: MODEL, maxBuffered: 10 });
    await serving.start();
    (serving as unknown as { opts: { url: string } }).opts.url = "http://127.0.0.1:9"; // nothing listens there
    for (let i = 0; i < 25; i++) serving.log(1, "champion", { id: `down-${i}`, features: {}, prediction: 0 });
    await serving.flush();
    expect(serving.route("any").version.version).toBe(1);
    expect(serving.dropped).toBe(15);
    // Back up: what was kept is delivered.
    (serving as unknown as { opts: { url: string } }).opts.url = server.url;
    const before = await database.db.$count(predictions);
    await serving.stop();
    expect(await database.db.$count(predictions)).toBe(before + 10);
  });
});
