/**
 * `npm run bench:monitoring`: how fast is the monitoring page's data (the `monitoring.page` procedure,
 * the one call the page makes) with 10,000,000 predictions stored in PostgreSQL and 50 clients asking at
 * once? Goal: p95 under 200 ms. The figures are compared with a baseline measured in the same run: the
 * same calls from one client at a time.
 *
 * Setup, in a scratch database on BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * dropped at the end: one model with a champion and a shadow challenger; `--rows` predictions over the
 * last 30 days made by generate_series in SQL (daily partitions created first), split 80/20 between the
 * champion and the shadow; a 5,000-row reference; and the windows the jobs would store (every hour, day
 * and week of the 30 days for the champion, days for the shadow), made by the real drift engine from
 * synthetic traffic. Each request asks for one of the three granularities and one of the features, in
 * rotation, through the tRPC caller with a viewer's session (authorization, validation, the freshness
 * check and the page cache included), on the app's own connection pool (10 connections, as one app
 * instance has). The same requests computed afresh every time (no cache) are measured too: what a first
 * view after a window was (re)computed costs.
 *
 *   npm run bench:monitoring [-- --rows 10000000 --clients 50 --requests 20]
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Client } from "pg";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { createUser } from "@/server/domain/admin/users";
import { ensurePredictionPartitions } from "@/server/domain/predictions/partitions";
import { monitoringPageUncached } from "@/server/domain/monitoring/page";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import type { WindowGranularity } from "@/server/domain/monitoring/window-summary";
import { syntheticTraffic } from "@/server/demo/synthetic-traffic";
import { buildWindowSummary, storeReference, storeWindow } from "@/server/demo/window-summaries";
import { createCaller } from "@/server/trpc/root";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "10000000" },
    clients: { type: "string", default: "50" },
    requests: { type: "string", default: "20" },
  },
});
const ROWS = Number(args.rows);
const CLIENTS = Number(args.clients);
const REQUESTS = Number(args.requests);
const GOAL_P95_MS = 200;
const DAYS = 30;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHUNK = 1_000_000;

// A benchmark's own knobs, not the app's configuration: read here like bench:ingest does.
// eslint-disable-next-line no-restricted-properties
const serverUrl = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const operator: Principal = { kind: "operator", name: "bench" };

function quantile(values: number[], f: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? Number.NaN;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  if (!(ROWS >= 1 && CLIENTS >= 1 && REQUESTS >= 1)) throw new Error("--rows, --clients and --requests must be ≥ 1");
  const name = `ratchet_bench_monitoring_${randomBytes(4).toString("hex")}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  const db = database.db;
  try {
    const now = new Date();
    const end = Math.floor(now.getTime() / HOUR) * HOUR;
    const start = end - DAYS * DAY;
    const user = await createUser(
      { db, principal: operator },
      { email: "viewer@bench.test", password: "a long bench password", roles: ["viewer", "data_scientist"] },
    );
    const viewer: Principal = { kind: "user", id: user.id, email: user.email, name: "bench", roles: user.roles };
    const ds = { db, principal: viewer };
    await createModel(ds, { name: "credit-default", task: "binary_classification", owner: "risk", labels: ["0", "1"] });
    for (const v of [1, 2])
      await registerVersion(ds, "credit-default", {
        artifactUri: `s3://bench/${v}`,
        artifactSha256: "d".repeat(64),
        config: {},
      });
    await db.execute(
      sql`update model_versions set stage = case version when 1 then 'champion'::version_stage else 'challenger'::version_stage end`,
    );
    const ids = (await db.execute<{ id: string; version: number }>(sql`select id, version from model_versions`)).rows;
    const v1 = ids.find((r) => Number(r.version) === 1)!.id,
      v2 = ids.find((r) => Number(r.version) === 2)!.id;

    // The prediction log: daily partitions, then rows spread evenly over the 30 days, 1,000,000 per statement.
    await ensurePredictionPartitions(db, { now, daysBack: DAYS + 1 });
    let t0 = performance.now();
    for (let from = 0; from < ROWS; from += CHUNK) {
      const to = Math.min(ROWS, from + CHUNK);
      await db.execute(sql`
        insert into predictions (model_version_id, external_id, time, features, prediction_label, confidence, latency_ms, arm)
        select case when g % 5 = 0 then ${v2}::uuid else ${v1}::uuid end,
               'req-' || (g / 5 * 5)::text,
               to_timestamp(${start / 1000} + (g::float8 / ${ROWS}) * ${DAYS * 86_400}),
               jsonb_build_object('income', 30000 + (g * 7919) % 50000, 'age', 18 + g % 60,
                                  'tenure', g % 40, 'region', (array['north','south','east','west'])[1 + g % 4]),
               (g % 3 = 0)::int::text, 0.5 + (g % 50) / 100.0, 2 + (g % 17) * 0.5,
               case when g % 5 = 0 then 'shadow'::prediction_arm else 'champion'::prediction_arm end
        from generate_series(${from + 1}::bigint, ${to}::bigint) g`);
      process.stdout.write(`\rpredictions: ${to.toLocaleString("en")} of ${ROWS.toLocaleString("en")}`);
    }
    await db.execute(sql`analyze predictions`);
    console.log(
      `\nstored ${ROWS.toLocaleString("en")} predictions in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    // What the window jobs would store: every hour, day and week of the 30 days.
    t0 = performance.now();
    const reference = syntheticTraffic(1, 5_000, 0);
    const referenceId = await storeReference(db, v1, reference.features, reference.outputs);
    const ref = { id: referenceId, features: reference.features, output: reference.outputs };
    let seed = 10,
      windows = 0;
    const plan: [WindowGranularity, number][] = [
      ["hour", HOUR],
      ["day", DAY],
      ["week", 7 * DAY],
    ];
    for (const [granularity, length] of plan) {
      for (let s = start; s + length <= end; s += length) {
        const shift = s > end - 5 * DAY ? 1.5 : 0;
        const t = syntheticTraffic(seed++, 200, shift);
        const window = { granularity, start: new Date(s), end: new Date(s + length), latencies: t.latencies };
        await storeWindow(
          db,
          v1,
          buildWindowSummary({ ...window, reference: ref, current: t.features, outputs: { champion: t.outputs } }),
        );
        if (granularity === "day")
          await storeWindow(
            db,
            v2,
            buildWindowSummary({ ...window, reference: null, current: t.features, outputs: { shadow: t.outputs } }),
          );
        windows++;
      }
    }
    await db.execute(sql`analyze`);
    console.log(`stored ${windows} windows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const api = createCaller({ db, principal: viewer });
    const granularities: WindowGranularity[] = ["day", "hour", "week"];
    const features = ["income", "age", "tenure", "region"];
    let k = 0;
    const inputFor = (i: number) => ({
      model: "credit-default",
      granularity: granularities[i % 3]!,
      feature: features[Math.floor(i / 3) % 4]!,
    });
    const timed =
      (fetch: (input: ReturnType<typeof inputFor>) => Promise<{ feature: { current: unknown } | null }>) =>
      async () => {
        const input = inputFor(k++);
        const began = performance.now();
        const page = await fetch(input);
        if (!page.feature?.current) throw new Error("the page's data came back without the feature's distribution");
        return performance.now() - began;
      };
    // What the page calls: the procedure (authorization, validation, the freshness check and the cache).
    const viaProcedure = timed((input) => api.monitoring.page(input));
    // The same data computed afresh on every request: what a first view after a window was computed costs.
    const cold = timed((input) => monitoringPageUncached({ db, principal: viewer }, input));

    const oneClient = async (request: () => Promise<number>, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(await request());
      return out;
    };
    /** Every client sends its next request as soon as its previous one answered. */
    const manyClients = async (request: () => Promise<number>, n: number) => {
      const out: number[] = [];
      const began = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let i = 0; i < n; i++) out.push(await request());
        }),
      );
      return { latencies: out, perSecond: out.length / ((performance.now() - began) / 1000) };
    };

    await oneClient(viaProcedure, 12); // warm-up: connections, plans, JIT, one cache entry per request kind
    await oneClient(cold, 6);
    const baseline = await oneClient(viaProcedure, REQUESTS * 3);
    const many = await manyClients(viaProcedure, REQUESTS);
    const coldBaseline = await oneClient(cold, REQUESTS * 3);
    const coldMany = await manyClients(cold, Math.max(1, Math.ceil(REQUESTS / 4)));

    const line = (label: string, xs: number[], perSecond?: number) =>
      console.log(
        `  ${label.padEnd(34)} p50 ${ms(quantile(xs, 0.5)).padStart(9)}, p95 ${ms(quantile(xs, 0.95)).padStart(9)} over ${xs.length} requests${perSecond ? `, ${perSecond.toFixed(0)} requests/s` : ""}`,
      );
    const ratio = (xs: number[], base: number[]) =>
      `p50 ×${(quantile(xs, 0.5) / quantile(base, 0.5)).toFixed(2)}, p95 ×${(quantile(xs, 0.95) / quantile(base, 0.95)).toFixed(2)}`;
    const p95 = quantile(many.latencies, 0.95);
    console.log(
      `\nmonitoring.page, ${ROWS.toLocaleString("en")} predictions, ${windows} windows (load average ${loadavg()[0]!.toFixed(2)})`,
    );
    line("baseline, 1 client:", baseline);
    line(`${CLIENTS} clients:`, many.latencies, many.perSecond);
    console.log(`  ratio to the baseline:             ${ratio(many.latencies, baseline)}`);
    line("cold (no cache), 1 client:", coldBaseline);
    line(`cold (no cache), ${CLIENTS} clients:`, coldMany.latencies, coldMany.perSecond);
    console.log(`  cold ratio to the 1-client cold:   ${ratio(coldMany.latencies, coldBaseline)}`);
    console.log(
      `  goal p95 < ${GOAL_P95_MS} ms with ${CLIENTS} clients: ${p95 < GOAL_P95_MS ? "met" : "NOT met"} (${ms(p95)})`,
    );
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
