/**
 * `npm run bench:queue`: the review queue under 50 reviewers at once on a PostgreSQL server. Each reviewer
 * claims the next item (feedback.next's domain function: authorization, the SKIP LOCKED claim, loading the
 * item) and labels it (feedback.submit's), in a loop, until the queue is empty. Reported: claim latency
 * (p50, p95, p99; goal p95 under 20 ms), labels per second, and double assignments (an item handed to two
 * reviewers, or labeled more often than it needs; must be 0). Baseline, in the same run on a fresh queue:
 * one reviewer alone, so the ratio shows what contention costs.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server; a scratch
 * database is created there and dropped at the end. BENCH_REVIEWERS (default 50), BENCH_ITEMS (default
 * 2,000). The pool has one connection per reviewer (as several app instances would have together).
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import { openDatabase, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { createUser } from "@/server/domain/admin/users";
import { nextItem } from "@/server/domain/feedback/claims";
import { submitLabel } from "@/server/domain/feedback/submit";
import { ingestPredictions } from "@/server/domain/predictions/ingest";
import { runReviewIntake } from "@/server/domain/feedback/intake-job";
import { parseJsonBatch } from "@/server/domain/predictions/parse";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import { ensurePredictionPartitions } from "@/server/domain/predictions/partitions";
import { createScratchDatabase } from "./scratch-database";

// A benchmark's own knobs, not the app's configuration: read here like bench:ingest does.
// eslint-disable-next-line no-restricted-properties
const environment = process.env;
const serverUrl = environment.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REVIEWERS = Number(environment.BENCH_REVIEWERS || 50);
const ITEMS = Number(environment.BENCH_ITEMS || 2_000);
const operator: Principal = { kind: "operator", name: "bench" };

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function fillQueue(db: Db, model: string, round: string) {
  for (let start = 0; start < ITEMS; start += 5_000) {
    const predictions = Array.from({ length: Math.min(5_000, ITEMS - start) }, (_, k) => {
      const i = start + k;
      return {
        model,
        version: 1,
        id: `${round}-${i}`,
        time: new Date(Date.now() - i * 1000).toISOString(),
        features: { tenure_months: i % 48, plan: ["basic", "plus", "pro"][i % 3], tickets: i % 5 },
        prediction: i % 2 ? "churns" : "stays",
        confidence: 0.5 + ((i * 7919) % 1000) / 10_000, // all below the 0.6 review threshold
      };
    });
    await ingestPredictions({ db, principal: operator }, parseJsonBatch(JSON.stringify({ predictions })));
    await runReviewIntake(db);
  }
}

async function run(db: Db, model: string, reviewers: Principal[]) {
  const claimMs: number[] = [];
  const holders = new Map<number, string[]>();
  const started = performance.now();
  await Promise.all(
    reviewers.map(async (reviewer) => {
      const ctx = { db, principal: reviewer };
      for (;;) {
        const t0 = performance.now();
        const claim = await nextItem(ctx, { model });
        claimMs.push(performance.now() - t0);
        if (!claim) return;
        const list = holders.get(claim.item.id) ?? [];
        list.push(reviewer.kind === "user" ? reviewer.id : "?");
        holders.set(claim.item.id, list);
        await submitLabel(ctx, { itemId: claim.item.id, label: claim.item.id % 3 ? "stays" : "churns" });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const overLabeled = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from feedback_items i
    where i.model_id = (select id from models where name = ${model})
      and (select count(*) from feedback_labels l where l.item_id = i.id) > i.required_labels`);
  const handedTwice = [...holders.values()].filter((h) => h.length > 1).length;
  claimMs.sort((a, b) => a - b);
  return {
    labels: [...holders.keys()].length,
    seconds,
    p50: quantile(claimMs, 0.5),
    p95: quantile(claimMs, 0.95),
    p99: quantile(claimMs, 0.99),
    doubleAssignments: handedTwice + Number(overLabeled.rows[0]!.n),
  };
}

async function main() {
  const scratch = await createScratchDatabase(serverUrl, "ratchet_bench_queue");
  const url = scratch.url;
  const migrated = await openDatabase({ url: url.toString() });
  await migrated.close();
  const pool = new Pool({ connectionString: url.toString(), max: REVIEWERS + 2 });
  pool.on("error", (error) => console.error("postgres pool:", error.message));
  const db = drizzle(pool, { schema }) as unknown as Db;
  try {
    const ops = { db, principal: operator };
    const scientist = await createUser(ops, {
      email: "ds@bench.test",
      password: "bench password 123",
      roles: ["data_scientist"],
    });
    const ds: Principal = {
      kind: "user",
      id: scientist.id,
      email: scientist.email,
      name: "ds",
      roles: ["data_scientist"],
    };
    const reviewers: Principal[] = [];
    for (let i = 0; i < REVIEWERS; i++) {
      const u = await createUser(ops, {
        email: `r${i}@bench.test`,
        password: "bench password 123",
        roles: ["reviewer"],
      });
      reviewers.push({ kind: "user", id: u.id, email: u.email, name: `r${i}`, roles: ["reviewer"] });
    }
    await ensurePredictionPartitions(db);
    for (const model of ["bench-solo", "bench-crowd"]) {
      await createModel(
        { db, principal: ds },
        { name: model, task: "binary_classification", owner: "bench", labels: ["stays", "churns"] },
      );
      await registerVersion({ db, principal: ds }, model, {
        artifactUri: "s3://b/1",
        artifactSha256: "b".repeat(64),
        config: {},
      });
      await fillQueue(db, model, model);
    }
    await db.execute(sql`analyze`);

    const solo = await run(db, "bench-solo", reviewers.slice(0, 1));
    const crowd = await run(db, "bench-crowd", reviewers);
    const fmt = (r: typeof solo) =>
      `claim p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms; ` +
      `${(r.labels / r.seconds).toFixed(0)} labels/s; ${r.labels} items; double assignments ${r.doubleAssignments}`;
    console.log(`queue of ${ITEMS} items per run, PostgreSQL, load average ${loadavg()[0]!.toFixed(2)}`);
    console.log(`baseline, 1 reviewer:   ${fmt(solo)}`);
    console.log(`${REVIEWERS} reviewers at once: ${fmt(crowd)}`);
    console.log(
      `claim p95 ratio to baseline: ${(crowd.p95 / solo.p95).toFixed(2)}; goal p95 < 20 ms: ${crowd.p95 < 20 ? "met" : "NOT met"}; ` +
        `double assignments: ${crowd.doubleAssignments + solo.doubleAssignments === 0 ? "none" : "FOUND"}`,
    );
    if (crowd.doubleAssignments + solo.doubleAssignments > 0) process.exitCode = 1;
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

await main();
