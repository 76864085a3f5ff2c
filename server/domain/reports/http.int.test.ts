import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { evaluationReports } from "@/db/schema";
import { POST } from "@/app/api/v1/reports/route";
import { GET as schemaJson } from "@/app/api/v1/reports/schema.json/route";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { createRng } from "@/server/stats";
import { openTestDatabase } from "@/server/testing/databases";
import { makeScientist } from "@/server/testing/fixtures";
import { createApiKey } from "../admin/apiKeys";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { CHUNK_ROWS, readOutcomeChunks, readOutcomes } from "./outcomes";

/**
 * The HTTP route end to end, on PGlite only: the million-row NDJSON report would double CI time on a
 * second database without telling us more (the storage path is covered on both in reports.int.test).
 */
const ROWS = 1_000_000;
const operator: Principal = { kind: "operator", name: "test" };
const noParams = { params: Promise.resolve({}) };

/** NDJSON generated as it is read, like a pipeline streaming from disk: the body never exists whole. */
function ndjsonBody(header: Record<string, unknown>, rows: number, linesPerChunk = 2000): ReadableStream<Uint8Array> {
  const rng = createRng(42);
  const encoder = new TextEncoder();
  let i = -1;
  return new ReadableStream({
    async pull(controller) {
      // Yield to timers between chunks, as a network read would (and so the RSS sampler gets to run).
      await new Promise((resolve) => setImmediate(resolve));
      if (i >= rows) return controller.close();
      const lines: string[] = [];
      if (i < 0) {
        lines.push(JSON.stringify(header));
        i = 0;
      }
      for (const end = Math.min(rows, i + linesPerChunk); i < end; i++) {
        const label = rng.nextDouble() < 0.3 ? 1 : 0;
        const score = Math.round(Math.min(1, Math.max(0, 0.3 * label + 0.7 * rng.nextDouble())) * 1e6) / 1e6;
        lines.push(`{"id":"ex-${i}","label":${label},"prediction":${score >= 0.5 ? 1 : 0},"score":${score}}`);
      }
      controller.enqueue(encoder.encode(lines.join("\n") + "\n"));
    },
  });
}

describe("POST /api/v1/reports (pglite)", () => {
  let database: Database;
  let key = "";
  const post = (body: BodyInit, type: string) =>
    POST(
      new Request("http://test/api/v1/reports", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": type },
        body,
        duplex: "half",
      } as RequestInit),
      noParams,
    );

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    setDatabase(database);
    const ops = { db: database.db, principal: operator };
    const scientist = await makeScientist(database.db);
    await createModel(scientist, { name: "big", task: "binary_classification", owner: "test" });
    await registerVersion(scientist, "big", { artifactUri: "s3://big/1", artifactSha256: "d".repeat(64), config: {} });
    key = (await createApiKey(ops, { name: "pipeline", scopes: ["reports:write"], ownerEmail: "ds@ratchet.test" })).key;
  });
  afterAll(async () => database?.close());

  it(`ingests a ${ROWS.toLocaleString("en")}-row NDJSON report streamed through the route`, async () => {
    const header = { model: "big", version: 1, kind: "holdout", sampleSize: ROWS, metrics: { latency_p95_ms: 12 } };
    const rssBefore = process.memoryUsage().rss;
    const maxRssBefore = process.resourceUsage().maxRSS * 1024;
    let sampledPeak = rssBefore;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
    }, 25);
    const started = performance.now();
    const res = await post(ndjsonBody(header, ROWS), "application/x-ndjson");
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
    // maxRSS is the process's high-water mark (kB), which also sees the synchronous bootstrap phase.
    console.log(
      `1M-row NDJSON report: ${seconds.toFixed(1)} s; RSS before ${mb(rssBefore)}, sampled peak while streaming ${mb(sampledPeak)}, ` +
        `process max RSS ${mb(maxRssBefore)} before → ${mb(process.resourceUsage().maxRSS * 1024)} after`,
    );
    const body = (await res.json()) as {
      created: boolean;
      report: { id: string; outcomeCount: number; metrics: Record<string, { value: number; ci?: number[] }> };
    };
    expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(201);
    expect(body.report.outcomeCount).toBe(ROWS);
    for (const m of ["accuracy", "precision", "recall", "f1", "auc", "log_loss", "brier"])
      expect(body.report.metrics[m]?.ci, m).toHaveLength(2);
    expect(await readOutcomeChunks(database.db, body.report.id)).toHaveLength(ROWS / CHUNK_ROWS);
    const back = await readOutcomes(database.db, body.report.id);
    expect(back.ids.length).toBe(ROWS);
    expect([back.ids[0], back.ids[ROWS - 1]]).toEqual(["ex-0", `ex-${ROWS - 1}`]);
  }, 600_000);

  it("answers 201 for a new JSON report and 200 with the same report for a repeat", async () => {
    const report = JSON.stringify({
      model: "big",
      version: 1,
      kind: "online",
      sampleSize: 50,
      metrics: { accuracy: 0.8 },
    });
    const first = await post(report, "application/json");
    expect(first.status).toBe(201);
    const { report: created } = (await first.json()) as { report: { id: string } };
    expect(first.headers.get("location")).toBe(`/reports/${created.id}`);
    const again = await post(report, "application/json");
    expect(again.status).toBe(200);
    expect(((await again.json()) as { report: { id: string } }).report.id).toBe(created.id);
  });

  it("refuses a bad NDJSON line with its number, and bad bodies, storing nothing", async () => {
    const before = await database.db.$count(evaluationReports);
    const header = JSON.stringify({ model: "big", version: 1, kind: "holdout", sampleSize: 2 });
    const bad = await post(
      `${header}\n{"id":"a","label":1,"prediction":1}\n{"id":"b","label":1,"prediction":"yes"}\n`,
      "application/x-ndjson",
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      issues: [{ field: "line 3", reason: expect.stringMatching(/^prediction: /) }],
    });
    const nan = await post(
      '{"model":"big","version":1,"kind":"holdout","sampleSize":2,"metrics":{"auc":NaN}}',
      "application/json",
    );
    expect(nan.status).toBe(400);
    expect(((await nan.json()) as { message: string }).message).toMatch(/not valid JSON/);
    const other = await post(
      JSON.stringify({ model: "big", version: 2, kind: "holdout", sampleSize: 2, metrics: { auc: 0.7 } }),
      "application/json",
    );
    expect(await other.json()).toMatchObject({
      issues: [{ field: "version", reason: expect.stringContaining("big has no version 2") }],
    });
    expect((await post("accuracy=0.9", "text/plain")).status).toBe(400);
    expect(await database.db.$count(evaluationReports)).toBe(before);
  });

  it("publishes the report format as a JSON Schema", async () => {
    const schema = (await schemaJson().json()) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe("Ratchet evaluation report");
    expect(schema.properties).toHaveProperty("outcomes");
  });
});
