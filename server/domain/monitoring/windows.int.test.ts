import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { jobs, modelFeatures, monitoringWindows, predictionReferences, referenceRows } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { driftDataset, histogramCounts, sturgesEdges } from "@/server/stats/drift";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeScientist, type Actor } from "@/server/testing/fixtures";
import { postPredictions } from "@/server/testing/predictions";
import { createApiKey } from "../admin/apiKeys";
import { runDueJobs } from "../jobs/runner";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { latestMonitoringCheck, runMonitoringCheck } from "./checks";
import { computeWindow } from "./compute-window";
import { afterWindowComputed, type ComputedWindow } from "./hooks";
import { windowStart } from "./window-bounds";
import { CHECK_JOB, checkJobHandler, WINDOW_JOB, windowJobHandler } from "./window-jobs";
import type { WindowSummary } from "./window-summary";

/**
 * Monitoring windows over rows that went in through the prediction API, on PGlite and (with
 * TEST_DATABASE_URL) PostgreSQL: every aggregate is recomputed here, in plain TypeScript, from the rows
 * this test sent, and must equal what the window job stored.
 */
const operator: Principal = { kind: "operator", name: "test" };

interface SentRow {
  id: string;
  time: string;
  features: Record<string, unknown>;
  prediction: number;
  latencyMs?: number;
  arm: "champion" | "challenger";
}

/** A deterministic generator, so the rows (and a failure) are the same on every run. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  return lo + 1 < s.length ? s[lo]! + (s[lo + 1]! - s[lo]!) * (pos - lo) : s[lo]!;
}

describe.each(testDatabaseKinds)("monitoring windows on %s", (kind) => {
  let database: Database;
  let key = "";
  let versionId = "";
  let modelId = "";
  let ds: Actor;
  const post = (rows: (SentRow & { model?: string })[]) =>
    postPredictions(
      key,
      rows.map((r) => ({ model: "churn", version: 1, ...r })),
    );

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const ops = { db: database.db, principal: operator };
    ds = await makeScientist(database.db);
    const model = await createModel(ds, { name: "churn", task: "binary_classification", owner: "growth" });
    modelId = model.id;
    const version = await registerVersion(ds, "churn", {
      artifactUri: "s3://c/1",
      artifactSha256: "c".repeat(64),
      config: {},
    });
    versionId = version.id;
    await database.db.insert(modelFeatures).values([
      { modelId, name: "tenure", kind: "numerical", important: true },
      { modelId, name: "plan", kind: "categorical" },
    ]);
    key = (await createApiKey(ops, { name: "serving", scopes: ["predictions:write"], ownerEmail: "ds@ratchet.test" }))
      .key;
  });
  afterAll(async () => database?.close());

  async function addReference(rows: { tenure: number; plan: string; prediction: string }[]) {
    const [ref] = await database.db
      .insert(predictionReferences)
      .values({ modelVersionId: versionId, source: "upload", fileName: "train.csv", rowCount: rows.length })
      .returning();
    await database.db.insert(referenceRows).values(
      rows.map((r, i) => ({
        referenceId: ref!.id,
        rowIndex: i,
        features: { tenure: r.tenure, plan: r.plan },
        predictionLabel: r.prediction,
      })),
    );
    return ref!;
  }

  const reference = Array.from({ length: 400 }, (_, i) => ({
    tenure: (i * 37) % 60,
    plan: ["basic", "pro", "team"][i % 3]!,
    prediction: String(i % 4 === 0 ? 1 : 0),
  }));

  it("a window's aggregates and drift equal those computed independently from the same rows", async () => {
    const ref = await addReference(reference);
    const rand = lcg(7);
    const start = new Date("2026-11-20T10:00:00Z");
    const rows: SentRow[] = Array.from({ length: 700 }, (_, i) => {
      const tenure = Math.round(rand() * 80) - 5; // wider than the reference: some fall below and above
      const features: Record<string, unknown> =
        i % 50 === 0
          ? { plan: "basic" }
          : i % 77 === 0
            ? { tenure: "long", plan: null }
            : { tenure, plan: ["basic", "pro", "team", "free"][i % 4] };
      return {
        id: `r-${i}`,
        // Rows of the hour before and after too: they must not count.
        time: new Date(start.getTime() + (i - 50) * 6_000).toISOString(),
        features,
        prediction: rand() < 0.3 ? 1 : 0,
        ...(i % 9 === 0 ? {} : { latencyMs: Math.round(rand() * 4000) / 100 }),
        arm: i % 5 === 0 ? "challenger" : "champion",
      };
    });
    expect((await post(rows)).status).toBe(201);

    const { summary } = await computeWindow(database.db, { versionId, granularity: "hour", start });
    const end = start.getTime() + 3_600_000;
    const inside = rows.filter((r) => Date.parse(r.time) >= start.getTime() && Date.parse(r.time) < end);
    expect(inside.length).toBeGreaterThan(500);
    expect(inside.length).toBeLessThan(rows.length);

    expect(summary).toMatchObject({
      granularity: "hour",
      windowStart: "2026-11-20T10:00:00.000Z",
      windowEnd: "2026-11-20T11:00:00.000Z",
      rowCount: inside.length,
      final: true,
      rowsPerArm: {
        champion: inside.filter((r) => r.arm === "champion").length,
        challenger: inside.filter((r) => r.arm === "challenger").length,
      },
    });
    // Latency is stored as a 4-byte real: compare with the values as stored.
    const latencies = inside.filter((r) => r.latencyMs !== undefined).map((r) => Math.fround(r.latencyMs!));
    expect(summary.latency.measured).toBe(latencies.length);
    expect(summary.latency.p50).toBeCloseTo(percentileCont(latencies, 0.5)!, 9);
    expect(summary.latency.p95).toBeCloseTo(percentileCont(latencies, 0.95)!, 9);

    for (const arm of ["champion", "challenger"] as const) {
      const counts: Record<string, number> = {};
      for (const r of inside.filter((x) => x.arm === arm))
        counts[String(r.prediction)] = (counts[String(r.prediction)] ?? 0) + 1;
      expect(summary.output[arm]).toEqual({ kind: "categorical", counts, missing: 0 });
    }

    const plans: Record<string, number> = {};
    let planMissing = 0;
    for (const r of inside) {
      const p = r.features.plan;
      if (typeof p === "string") plans[p] = (plans[p] ?? 0) + 1;
      else planMissing++;
    }
    expect(summary.features.plan).toEqual({ kind: "categorical", counts: plans, missing: planMissing });

    // Tenure binned on the reference's Sturges edges; values outside them counted apart.
    const refTenure = reference.map((r) => r.tenure);
    const edges = Array.from(sturgesEdges(Math.min(...refTenure), Math.max(...refTenure), refTenure.length));
    const tenures = inside.map((r) => r.features.tenure).filter((t): t is number => typeof t === "number");
    expect(summary.features.tenure).toEqual({
      kind: "numerical",
      edges,
      counts: Array.from(histogramCounts(Float64Array.from(tenures), Float64Array.from(edges))),
      below: tenures.filter((t) => t < edges[0]!).length,
      above: tenures.filter((t) => t > edges.at(-1)!).length,
      missing: inside.length - tenures.length,
      min: Math.min(...tenures),
      max: Math.max(...tenures),
    });

    // Drift: the engine on every row of both sides (below the exact limit), typed as declared.
    const expected = driftDataset(
      { tenure: refTenure, plan: reference.map((r) => r.plan) },
      {
        tenure: inside.map((r) =>
          typeof r.features.tenure === "number" || typeof r.features.tenure === "string" ? r.features.tenure : null,
        ),
        plan: inside.map((r) => (typeof r.features.plan === "string" ? r.features.plan : null)),
      },
      { only: ["plan", "tenure"], columns: { tenure: { type: "numerical" }, plan: { type: "categorical" } } },
    );
    expect(summary.drift).toMatchObject({ referenceId: ref.id, exactUpTo: 100_000, sampled: false });
    expect(summary.drift!.dataset).toEqual(expected);
    expect(summary.drift!.dataset.columns.find((c) => c.column === "plan")!.newCategories).toEqual(["free"]);
    expect(summary.drift!.output).toMatchObject({ column: "prediction", type: "categorical", method: "ztest" });
    expect(summary.drift!.quality.map((q) => q.column)).toEqual(["plan", "tenure"]);

    // Stored once; computing again replaces it (same row, same summary).
    const again = await computeWindow(database.db, { versionId, granularity: "hour", start });
    expect(again.summary).toEqual(summary);
    const stored = await database.db
      .select()
      .from(monitoringWindows)
      .where(eq(monitoringWindows.modelVersionId, versionId));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      rowCount: inside.length,
      referenceId: ref.id,
      summary: JSON.parse(JSON.stringify(summary)),
    });
  });

  it("above the exact limit, KS/Wasserstein run on a seeded sample of that size, the same one each time", async () => {
    const start = new Date("2026-11-20T10:00:00Z");
    const a = await computeWindow(database.db, { versionId, granularity: "hour", start }, { exactUpTo: 120 });
    const b = await computeWindow(database.db, { versionId, granularity: "hour", start }, { exactUpTo: 120 });
    expect(a.summary.drift).toMatchObject({ exactUpTo: 120, sampled: true });
    const tenure = a.summary.drift!.dataset.columns.find((c) => c.column === "tenure")!;
    expect(tenure.sampleSize.reference).toBeLessThanOrEqual(120);
    expect(tenure.sampleSize.current).toBeLessThanOrEqual(120);
    expect(tenure.sampleSize.current).toBeGreaterThan(100); // a few sampled rows have no tenure
    expect(b.summary.drift).toEqual(a.summary.drift);
    // Counts are never sampled.
    expect(a.summary.rowCount).toBeGreaterThan(500);
  });

  it("ingesting marks the windows dirty; the window job computes them and calls the registered hook", async () => {
    const seen: ComputedWindow[] = [];
    const unregister = afterWindowComputed(async (_db, w) => void seen.push(w));
    try {
      const now = new Date();
      const rows: SentRow[] = Array.from({ length: 30 }, (_, i) => ({
        id: `live-${i}`,
        time: new Date(now.getTime() - 1_000 * i).toISOString(),
        features: { tenure: i, plan: "pro" },
        prediction: i % 2,
        latencyMs: 3,
        arm: "champion",
      }));
      expect((await post(rows)).status).toBe(201);
      expect((await post(rows.map((r) => ({ ...r, id: `${r.id}-again` })))).status).toBe(201);
      const queued = await database.db.select().from(jobs).where(eq(jobs.kind, WINDOW_JOB));
      const hours = new Set(rows.map((r) => windowStart("hour", new Date(r.time)).toISOString()));
      // Per window: one recomputation soon (the second batch joined it) and one final computation after it closes.
      expect(queued.filter((j) => j.payload.granularity === "hour")).toHaveLength(hours.size * 2);
      expect(queued.every((j) => j.status === "queued" && j.runAt.getTime() > now.getTime())).toBe(true);

      const handlers = { [WINDOW_JOB]: windowJobHandler() };
      expect((await runDueJobs(database.db, { handlers, now })).claimed).toBe(0); // not before the delay
      const run = await runDueJobs(database.db, { handlers, now: new Date(now.getTime() + 11_000) });
      const windowCount = (["hour", "day", "week"] as const)
        .map((g) => new Set(rows.map((r) => windowStart(g, new Date(r.time)).toISOString())).size)
        .reduce((a, b) => a + b, 0);
      // Each open window once; the final computations wait for their windows to close.
      expect(run).toEqual({ claimed: windowCount, outcomes: { done: windowCount } });

      const windows = await database.db
        .select()
        .from(monitoringWindows)
        .where(eq(monitoringWindows.modelVersionId, versionId));
      for (const g of ["hour", "day", "week"] as const) {
        for (const s of new Set(rows.map((r) => windowStart(g, new Date(r.time)).toISOString()))) {
          const w = windows.find((x) => x.granularity === g && x.windowStart.toISOString() === s);
          const n = rows.filter((r) => windowStart(g, new Date(r.time)).toISOString() === s).length * 2;
          expect(w, `${g} ${s}`).toBeDefined();
          // Day and week windows also hold the older test rows when they fall in them.
          if (g === "hour") expect(w!.rowCount).toBe(n);
          else expect(w!.rowCount).toBeGreaterThanOrEqual(n);
          expect((w!.summary as WindowSummary).final).toBe(false);
          expect(seen.some((h) => h.windowId === w!.id && h.summary.rowCount === w!.rowCount)).toBe(true);
        }
      }
    } finally {
      unregister();
    }
  });

  it("a data scientist runs a check now and watches it go from queued to done", async () => {
    const started = await runMonitoringCheck(ds, { model: "churn" });
    expect(started.queued).toBe(true);
    expect(await runMonitoringCheck(ds, { model: "churn" })).toEqual({ id: started.id, queued: false });
    expect(await latestMonitoringCheck(ds, { model: "churn" })).toMatchObject({
      id: started.id,
      state: "queued",
      windowsDone: 0,
      windowsTotal: null,
      requestedBy: "ds",
    });
    const handlers = { [CHECK_JOB]: checkJobHandler, [WINDOW_JOB]: windowJobHandler() };
    // A second ahead, as below: jobs are due at the database's now(), in microseconds.
    const soon = () => new Date(Date.now() + 1_000);
    await runDueJobs(database.db, { handlers, kinds: [CHECK_JOB], now: soon() });
    const queuedChildren = await latestMonitoringCheck(ds, { model: "churn" });
    // The last day's rows of the previous test: their hour(s), day(s) and week(s).
    expect(queuedChildren).toMatchObject({ state: "running", windowsDone: 0 });
    expect(queuedChildren!.windowsTotal).toBeGreaterThanOrEqual(3);
    while ((await runDueJobs(database.db, { handlers, now: soon() })).claimed > 0);
    expect(await latestMonitoringCheck(ds, { model: "churn" })).toMatchObject({
      state: "done",
      windowsDone: queuedChildren!.windowsTotal,
      windowsFailed: 0,
    });
    await expect(
      runMonitoringCheck(
        { db: database.db, principal: { ...ds.principal, roles: ["viewer"] } as Principal },
        { model: "churn" },
      ),
    ).rejects.toThrow();
    await expect(runMonitoringCheck(ds, { model: "nope" })).rejects.toThrow(/not found/);
  });

  it("a check of a model without recent traffic finishes at once with nothing to do", async () => {
    await createModel(ds, { name: "quiet", task: "regression", owner: "growth" });
    const checkJobs = async () =>
      Number(
        (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where kind = ${CHECK_JOB}`))
          .rows[0]!.n,
      );
    const before = await checkJobs();
    await runMonitoringCheck(ds, { model: "quiet" });
    // A second ahead: the job is due at the database's now() (microseconds), and a JavaScript Date taken in
    // the same millisecond can be just before it.
    await runDueJobs(database.db, {
      handlers: { [CHECK_JOB]: checkJobHandler },
      kinds: [CHECK_JOB],
      now: new Date(Date.now() + 1_000),
    });
    expect(await latestMonitoringCheck(ds, { model: "quiet" })).toMatchObject({
      state: "done",
      windowsDone: 0,
      windowsTotal: 0,
    });
    // One job for this check (whatever other tests queued before it), and it did not queue windows.
    expect(await checkJobs()).toBe(before + 1);
  });
});
