/**
 * `npm run bench:ingest`: predictions per second through POST /api/v1/predictions (the route handler,
 * with API-key auth, parsing, validation, data-quality counting and the route's own chunked COPY) into
 * PostgreSQL, against a raw COPY of the same rows into the same table of the same server in the same run.
 * Goal: at least half of COPY's rate.
 *
 * The raw COPY goes through the same protocol hooks as the route's (db/copy-in.ts; COPY FROM STDIN, CSV,
 * one statement for the round). Both paths start from bytes prepared beforehand (the client's JSON bodies, the CSV text),
 * so each figure is what the server side costs. Rows go into today's daily partition.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server; a scratch
 * database is created there and dropped at the end. BENCH_ROWS (default 100,000) rows per round, in
 * batches of 10,000; three rounds of HTTP (one client, one request at a time), the review queue's intake
 * jobs for those rows (which the job worker runs after the answers; timed apart) and COPY (one stream);
 * then, apart from the comparison, the HTTP route with two clients posting at once.
 */
import { loadavg } from "node:os";
import { Client } from "pg";
import { eq, sql } from "drizzle-orm";
import { openDatabase, type Db } from "@/db/client";
import { startCopyIn } from "@/db/copy-in";
import { modelFeatures, models, modelVersions } from "@/db/schema";
import { POST } from "@/app/api/v1/predictions/route";
import { setDatabase } from "@/server/db";
import { runReviewIntake } from "@/server/domain/feedback/intake-job";
import { createApiKey } from "@/server/domain/admin/apiKeys";
import { ensurePredictionPartitions } from "@/server/domain/predictions/partitions";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import type { Principal } from "@/server/authz/policy";
import { benchScientist, createScratchDatabase } from "./scratch-database";

// A benchmark's own knobs, not the app's configuration: read here like bench:responsiveness does.
// eslint-disable-next-line no-restricted-properties
const environment = process.env;
const serverUrl = environment.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const ROWS = Number(environment.BENCH_ROWS || 100_000);
const BATCH = 10_000;
const ROUNDS = 3;
const MODEL = "credit-default";

/**
 * Each timed path starts on a collected heap (npm run bench:ingest passes --expose-gc): the garbage the
 * bench makes preparing a round's bodies or CSV is the bench's, not the path's, and would otherwise be
 * collected during whichever path runs next.
 */
function collectGarbage() {
  (globalThis as { gc?: () => void }).gc?.();
}

async function countQueued(db: Db): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_items`);
  return Number(r.rows[0]!.n);
}

const REGIONS = ["north", "south", "east", "west"];
const PLANS = ["basic", "plus", "pro"];

function makeRows(round: number, tag: string) {
  const day = new Date();
  day.setUTCHours(0, 0, 0, 0);
  return Array.from({ length: ROWS }, (_, i) => {
    const p = ((i * 7919) % 1000) / 1000;
    return {
      id: `${tag}-${round}-${i}`,
      time: new Date(day.getTime() + ((i * 997) % 86_400_000)).toISOString(),
      features: {
        income: 20_000 + ((i * 31) % 90_000),
        age: 18 + (i % 60),
        debt_ratio: ((i * 13) % 100) / 100,
        tenure_months: i % 120,
        open_accounts: i % 12,
        late_payments: i % 5,
        region: REGIONS[i % 4],
        plan: PLANS[i % 3],
        channel: i % 2 ? "web" : "branch",
        segment: `s${i % 7}`,
      },
      prediction: p >= 0.5 ? 1 : 0,
      confidence: Math.max(p, 1 - p),
      latencyMs: 2 + (i % 40) / 10,
    };
  });
}

async function main() {
  const scratch = await createScratchDatabase(serverUrl, "ratchet_bench");
  const url = scratch.url;
  const database = await openDatabase({ url: url.toString() });
  setDatabase(database);
  const copyClient = new Client({ connectionString: url.toString() });
  await copyClient.connect();
  try {
    const ops = { db: database.db, principal: { kind: "operator", name: "bench" } as Principal };
    const ds = await benchScientist(database.db);
    // The default review threshold (0.6): the queue's intake takes the rows' low-confidence fifth.
    await createModel(ds, { name: MODEL, task: "binary_classification", owner: "bench" });
    await registerVersion(ds, MODEL, { artifactUri: "s3://b/1", artifactSha256: "c".repeat(64), config: {} });
    const [model] = await database.db.select().from(models).where(eq(models.name, MODEL));
    const [version] = await database.db.select().from(modelVersions).where(eq(modelVersions.modelId, model!.id));
    await database.db.insert(modelFeatures).values([
      ...["income", "age", "debt_ratio", "tenure_months", "open_accounts", "late_payments"].map((n) => ({
        modelId: model!.id,
        name: n,
        kind: "numerical" as const,
      })),
      { modelId: model!.id, name: "region", kind: "categorical" as const, categories: REGIONS },
      { modelId: model!.id, name: "plan", kind: "categorical" as const, categories: PLANS },
      { modelId: model!.id, name: "channel", kind: "categorical" as const, categories: ["web", "branch"] },
      { modelId: model!.id, name: "segment", kind: "categorical" as const, categories: null },
    ]);
    await ensurePredictionPartitions(database.db);
    const key = (
      await createApiKey(ops, { name: "bench", scopes: ["predictions:write"], ownerEmail: "bench@ratchet.test" })
    ).key;

    /** `clients` requests in flight at once, as several serving instances would post. */
    const httpRound = async (round: number, clients = 1) => {
      const rows = makeRows(round, "http");
      const bodies: string[] = [];
      for (let i = 0; i < rows.length; i += BATCH) {
        bodies.push(
          JSON.stringify({
            predictions: rows.slice(i, i + BATCH).map((r) => ({ model: MODEL, version: 1, arm: "champion", ...r })),
          }),
        );
      }
      collectGarbage();
      const started = performance.now();
      let next = 0;
      const client = async () => {
        while (next < bodies.length) {
          const body = bodies[next++]!;
          const res = await POST(
            new Request("http://bench/api/v1/predictions", {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body,
            }),
            { params: Promise.resolve({}) },
          );
          if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        }
      };
      await Promise.all(Array.from({ length: clients }, client));
      return { seconds: (performance.now() - started) / 1000, bytes: bodies.reduce((n, b) => n + b.length, 0) };
    };

    const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const copyRound = async (round: number) => {
      const rows = makeRows(round, "copy");
      const chunks: Buffer[] = [];
      for (let i = 0; i < rows.length; i += BATCH) {
        chunks.push(
          Buffer.from(
            rows
              .slice(i, i + BATCH)
              .map((r) =>
                [
                  version!.id,
                  csvField(r.id),
                  r.time,
                  csvField(JSON.stringify(r.features)),
                  String(r.prediction),
                  r.confidence,
                  r.latencyMs,
                  "champion",
                ].join(","),
              )
              .join("\n") + "\n",
          ),
        );
      }
      collectGarbage();
      const started = performance.now();
      const copy = startCopyIn(
        copyClient,
        "COPY predictions (model_version_id, external_id, time, features, prediction_label, confidence, latency_ms, arm) FROM STDIN (FORMAT csv)",
      );
      for (const chunk of chunks) copy.write(chunk);
      copy.end();
      await copy.finished;
      return { seconds: (performance.now() - started) / 1000 };
    };

    // Warm-up: JIT, prepared plans, the partition's first pages.
    const warm = makeRows(99, "warm").slice(0, 1000);
    await POST(
      new Request("http://bench/api/v1/predictions", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ predictions: warm.map((r) => ({ model: MODEL, version: 1, ...r })) }),
      }),
      { params: Promise.resolve({}) },
    );

    const fmt = (n: number) => Math.round(n).toLocaleString("en");
    const queuedBefore = await countQueued(database.db);
    const results: { http: number; copy: number; withIntake: number }[] = [];
    // Paired rounds, each path right after the other: this machine's speed drifts by a quarter within a
    // minute (other tenants), so the ratio within a round is the figure; the median round is reported.
    for (let round = 0; round < ROUNDS; round++) {
      const http = await httpRound(round);
      // The review queue's intake runs after the answers, in the job worker: timed apart, right after.
      const intakeStarted = performance.now();
      await runReviewIntake(database.db);
      const intakeSeconds = (performance.now() - intakeStarted) / 1000;
      const copy = await copyRound(round);
      const r = {
        http: ROWS / http.seconds,
        copy: ROWS / copy.seconds,
        withIntake: ROWS / (http.seconds + intakeSeconds),
      };
      results.push(r);
      console.log(
        `round ${round + 1}: HTTP route ${fmt(r.http)} rows/s (${http.seconds.toFixed(2)} s, ${(http.bytes / 1048576).toFixed(1)} MB of JSON) · ` +
          `COPY ${fmt(r.copy)} rows/s (${copy.seconds.toFixed(2)} s) · ratio ${(r.http / r.copy).toFixed(2)} · ` +
          `then the queue's intake jobs ${intakeSeconds.toFixed(2)} s (route and intake back to back ${(r.withIntake / r.copy).toFixed(2)})`,
      );
    }
    const queuedShare = ((await countQueued(database.db)) - queuedBefore) / (ROUNDS * ROWS);
    // Not the comparison (COPY above is one stream): what two serving instances posting at once reach,
    // the request's parsing then overlapping the other request's INSERT.
    const concurrent = await httpRound(ROUNDS, 2);
    console.log(
      `2 clients at once: HTTP route ${fmt(ROWS / concurrent.seconds)} rows/s (${concurrent.seconds.toFixed(2)} s)`,
    );
    const stored = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from predictions`);
    const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(results.map((r) => r.http / r.copy));
    console.log(
      `\n${fmt(ROWS)} rows per path per round, batches of ${fmt(BATCH)}, ${Number(stored.rows[0]!.n).toLocaleString("en")} rows stored in all.\n` +
        `The review queue's intake took ${(queuedShare * 100).toFixed(1)} % of the route's rows (default review threshold 0.6; ` +
        `the rows' confidences spread evenly over 0.5–1).\n` +
        `median round: HTTP route at ${ratio.toFixed(2)} of COPY's rate (goal ≥ 0.5: ${ratio >= 0.5 ? "met" : "NOT met"}); ` +
        `the route and then its queue intake jobs, back to back, ${median(results.map((r) => r.withIntake / r.copy)).toFixed(2)} ` +
        `(the job worker runs them after the answers, beside the next requests). Load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" / ")}.`,
    );
  } finally {
    await copyClient.end();
    await database.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
