/**
 * `npm run bench:sustained [-- --minutes 1 --rates 2000,4000,8000,11600,16000 --workers 1]`: predictions
 * posted at a steady rate through POST /api/v1/predictions into PostgreSQL while monitoring window jobs
 * run in separate worker processes (as other app instances would), one step per rate. Prints, per step,
 * the rate reached, how stale the hour, day and week windows got, and the highest rate at which every
 * window stayed current. Goal: 11,600 rows/s (a billion rows a day). Baseline, measured in the same run:
 * the route's rate with no window jobs running at all (a burst at full speed).
 *
 * "Current": at every sample (each second) after the first `bound` seconds, each window's stored row
 * count includes every row posted more than `bound` = debounce + 15 s before. Each step uses a fresh model
 * version, so a step's windows hold that step's rows only: at a steady rate a window grows with the
 * step's length, and so does the cost of recomputing it (see the README for what longer runs show).
 *
 * BENCH_DATABASE_URL, else DATABASE_URL, else TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * names a server; a scratch database is created there and dropped at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { modelFeatures, models, predictionReferences, referenceRows } from "@/db/schema";
import { POST } from "@/app/api/v1/predictions/route";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { createApiKey } from "@/server/domain/admin/apiKeys";
import { windowStart } from "@/server/domain/monitoring/window-bounds";
import { ensurePredictionPartitions } from "@/server/domain/predictions/partitions";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import { benchScientist, createScratchDatabase } from "./scratch-database";

// A benchmark's own knobs, not the app's configuration: read here like bench:ingest does.
// eslint-disable-next-line no-restricted-properties
const environment = process.env;
const serverUrl =
  environment.BENCH_DATABASE_URL ||
  environment.DATABASE_URL ||
  environment.TEST_DATABASE_URL ||
  "postgres://postgres@127.0.0.1:5432/postgres";
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const MINUTES = Number(arg("minutes") ?? 1);
const RATES = (arg("rates") ?? "2000,4000,8000,11600,16000").split(",").map(Number);
const WORKERS = Number(arg("workers") ?? 1);
const DEBOUNCE_MS = 5_000;
const BOUND_MS = DEBOUNCE_MS + 15_000;
const GOAL = 11_600;
/** Rows per request: a serving fleet batches its log; at 11,600 rows/s this is ~6 requests a second. */
const BATCH = 2_000;
const REFERENCE_ROWS = 20_000;
// Ingest marks windows dirty with this delay (read by the app's env() on first use).
environment.RATCHET_MONITORING_DEBOUNCE_MS = String(DEBOUNCE_MS);

const REGIONS = ["north", "south", "east", "west"];
const PLANS = ["basic", "plus", "pro"];
const features = (i: number, shift = 0) => ({
  income: 20_000 + ((i * 31) % 90_000) + shift,
  age: 18 + (i % 60),
  debt_ratio: ((i * 13) % 100) / 100,
  tenure_months: i % 120,
  region: REGIONS[i % 4],
  plan: PLANS[i % 3],
});

const fmt = (n: number) => Math.round(n).toLocaleString("en");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Batch {
  at: number;
  n: number;
  windows: string[];
}

async function main() {
  const scratch = await createScratchDatabase(serverUrl, "ratchet_bench");
  const url = scratch.url;
  const database = await openDatabase({ url: url.toString() });
  setDatabase(database);
  const workers: ChildProcess[] = [];
  try {
    const ops = { db: database.db, principal: { kind: "operator", name: "bench" } as Principal };
    const ds = await benchScientist(database.db);
    await createModel(ds, { name: "credit-default", task: "binary_classification", owner: "bench" });
    const [model] = await database.db.select().from(models);
    await database.db.insert(modelFeatures).values([
      ...["income", "age", "debt_ratio", "tenure_months"].map((n) => ({
        modelId: model!.id,
        name: n,
        kind: "numerical" as const,
      })),
      { modelId: model!.id, name: "region", kind: "categorical" as const, categories: REGIONS },
      { modelId: model!.id, name: "plan", kind: "categorical" as const, categories: PLANS },
    ]);
    await ensurePredictionPartitions(database.db);
    const key = (
      await createApiKey(ops, { name: "bench", scopes: ["predictions:write"], ownerEmail: "bench@ratchet.test" })
    ).key;

    /** A fresh version with a reference of REFERENCE_ROWS rows, so drift runs in every window. */
    let versionNumber = 0;
    const newVersion = async () => {
      versionNumber++;
      const v = await registerVersion(ds, "credit-default", {
        artifactUri: `s3://b/${versionNumber}`,
        artifactSha256: "c".repeat(64),
        config: {},
      });
      const [ref] = await database.db
        .insert(predictionReferences)
        .values({ modelVersionId: v.id, source: "upload", fileName: "train.csv", rowCount: REFERENCE_ROWS })
        .returning();
      for (let i = 0; i < REFERENCE_ROWS; i += 5_000)
        await database.db.insert(referenceRows).values(
          Array.from({ length: 5_000 }, (_, k) => ({
            referenceId: ref!.id,
            rowIndex: i + k,
            features: features(i + k),
            predictionLabel: String((i + k) % 2),
          })),
        );
      return v;
    };
    const body = (version: number, from: number, n: number) =>
      JSON.stringify({
        predictions: Array.from({ length: n }, (_, k) => {
          const i = from + k;
          return {
            model: "credit-default",
            version,
            id: `b-${version}-${i}`,
            time: new Date().toISOString(),
            features: features(i * 7, 3_000),
            prediction: i % 3 === 0 ? 1 : 0,
            confidence: 0.7,
            latencyMs: 2 + (i % 40) / 10,
            arm: i % 10 === 0 ? "challenger" : "champion",
          };
        }),
      });
    const postBatch = async (payload: string) => {
      const res = await POST(
        new Request("http://bench/api/v1/predictions", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: payload,
        }),
        { params: Promise.resolve({}) },
      );
      if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    };

    // Baseline: the route at full speed, no window jobs running (their queue is simply not worked).
    const base = await newVersion();
    const baselineRows = 40_000;
    const t0 = performance.now();
    for (let i = 0; i < baselineRows; i += BATCH) await postBatch(body(base.version, i, BATCH));
    const baseline = baselineRows / ((performance.now() - t0) / 1000);
    await database.db.execute(sql`delete from jobs`);
    console.log(`baseline: the route alone, no window jobs: ${fmt(baseline)} rows/s`);

    for (let w = 0; w < WORKERS; w++) {
      // Its own process group, so stopping it stops tsx's node child too.
      const child = spawn("node_modules/.bin/tsx", ["server/bench/sustained-worker.ts", url.toString()], {
        stdio: ["ignore", "inherit", "inherit"],
        env: environment,
        detached: true,
      });
      workers.push(child);
    }

    const results: { rate: number; reached: number; current: boolean; worst: Record<string, number> }[] = [];
    for (const rate of RATES) {
      const version = await newVersion();
      const stepMs = MINUTES * 60_000;
      const batches: Batch[] = [];
      const started = Date.now();
      let sent = 0;
      let posting = true;
      const poster = (async () => {
        // Steady rate: each batch leaves at its scheduled time; a late batch is sent at once (no catch-up burst beyond that).
        while (Date.now() - started < stepMs) {
          const due = started + (sent / rate) * 1000;
          if (due > Date.now()) await sleep(due - Date.now());
          const now = new Date();
          const windows = (["hour", "day", "week"] as const).map((g) => `${g}:${windowStart(g, now).toISOString()}`);
          await postBatch(body(version.version, sent, BATCH));
          batches.push({ at: Date.now(), n: BATCH, windows });
          sent += BATCH;
        }
        posting = false;
      })();

      // Each second: how far behind each window is (rows posted before now - bound not yet in it).
      const worst: Record<string, number> = { hour: 0, day: 0, week: 0 };
      let current = true;
      while (posting || Date.now() - started < stepMs + BOUND_MS) {
        await sleep(1_000);
        const now = Date.now();
        if (now - started < BOUND_MS) continue;
        const stored = await database.db.execute<{ g: string; s: string; n: number }>(sql`
          select granularity as g, to_char(window_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as s, row_count as n
          from monitoring_windows where model_version_id = ${version.id}::uuid`);
        const have = new Map(stored.rows.map((r) => [`${r.g}:${r.s}`, Number(r.n)]));
        const owed = new Map<string, number>();
        for (const b of batches)
          if (b.at <= now - BOUND_MS) for (const k of b.windows) owed.set(k, (owed.get(k) ?? 0) + b.n);
        for (const [k, n] of owed) {
          const g = k.split(":")[0]!;
          const behind = n - (have.get(k) ?? 0);
          if (behind > 0) {
            current = false;
            worst[g] = Math.max(worst[g]!, behind);
          }
        }
      }
      await poster;
      const queue = await database.db.execute<{ status: string; n: number; error: string | null }>(
        sql`select status, count(*)::int as n, max(last_error) as error from jobs group by status order by status`,
      );
      console.log(`  jobs: ${queue.rows.map((r) => `${r.status} ${r.n}${r.error ? ` (${r.error})` : ""}`).join(", ")}`);
      const reached = sent / ((batches.at(-1)!.at - started) / 1000);
      const sustained = reached >= 0.95 * rate;
      const ok = current && sustained;
      results.push({ rate, reached, current: ok, worst });
      console.log(
        `${fmt(rate)} rows/s for ${MINUTES} min: reached ${fmt(reached)} rows/s${sustained ? "" : " (ingest could not keep the rate)"} · ` +
          `windows ${current ? "current" : `behind (most rows missing after ${BOUND_MS / 1000} s: hour ${fmt(worst.hour!)}, day ${fmt(worst.day!)}, week ${fmt(worst.week!)})`} · ` +
          `load ${loadavg()[0]!.toFixed(1)}`,
      );
      if (!ok) break;
    }
    const best = Math.max(0, ...results.filter((r) => r.current).map((r) => r.rate));
    console.log(
      `\nhighest rate with every window current (within ${BOUND_MS / 1000} s): ${fmt(best)} rows/s · ` +
        `${(best / GOAL).toFixed(2)} of the goal (${fmt(GOAL)}) · ${(best / baseline).toFixed(2)} of the route's rate without window jobs (${fmt(baseline)}) · ` +
        `${WORKERS} worker process(es), steps of ${MINUTES} min, batches of ${fmt(BATCH)}, reference ${fmt(REFERENCE_ROWS)} rows.`,
    );
  } finally {
    for (const w of workers) if (w.pid) process.kill(-w.pid, "SIGTERM");
    await sleep(1_000);
    await database.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
