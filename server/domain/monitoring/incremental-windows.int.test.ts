import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import {
  modelFeatures,
  modelVersions,
  monitoringWindows,
  predictionReferences,
  referenceRows,
  windowPartials,
  windowSamples,
} from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { setDatabase } from "@/server/db";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeScientist } from "@/server/testing/fixtures";
import { partialsStoredSince, postPredictions } from "@/server/testing/predictions";
import { createApiKey } from "../admin/apiKeys";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { computeWindow, DEFAULT_LATE_MS, summaryFromLog } from "./compute-window";
import { NO_SAMPLE } from "./incremental-window";
import { GRANULARITIES, isFinal, windowEnd, windowStart } from "./window-bounds";
import type { WindowGranularity } from "./window-summary";

/**
 * The invariant of incremental windows, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: a window
 * merged from the partial states of many batches (late rows, several versions, windows computed in any
 * order between batches, a drift sample smaller than the window) stores exactly the summary a
 * recomputation from all its rows in the log gives.
 */
const operator: Principal = { kind: "operator", name: "test" };
/** Small, so the drift sample is drawn (and trimmed) with a few hundred rows. */
const K = 60;

function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe.each(testDatabaseKinds)("incremental monitoring windows on %s", (kind) => {
  let database: Database;
  let key = "";
  const versions: { id: string; version: number }[] = [];
  const base = new Date("2026-11-22T21:00:00Z"); // a Sunday: the rows span two days and two weeks

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const ops = { db: database.db, principal: operator };
    const ds = await makeScientist(database.db);
    const model = await createModel(ds, { name: "risk", task: "binary_classification", owner: "growth" });
    await database.db.insert(modelFeatures).values([
      { modelId: model.id, name: "amount", kind: "numerical" },
      { modelId: model.id, name: "score", kind: "numerical" },
      { modelId: model.id, name: "plan", kind: "categorical" },
    ]);
    for (let i = 1; i <= 3; i++)
      versions.push(
        await registerVersion(ds, "risk", { artifactUri: `s3://r/${i}`, artifactSha256: "d".repeat(64), config: {} }),
      );
    // As if partials had been stored since before these rows (the migration ran at this database's creation).
    await partialsStoredSince(database.db);
    key = (await createApiKey(ops, { name: "serving", scopes: ["predictions:write"], ownerEmail: "ds@ratchet.test" }))
      .key;
  });
  afterAll(async () => database?.close());

  async function addReference(versionId: string, seed: number) {
    const rand = lcg(seed);
    const [ref] = await database.db
      .insert(predictionReferences)
      .values({ modelVersionId: versionId, source: "upload", fileName: "train.csv", rowCount: 300 })
      .returning();
    await database.db.insert(referenceRows).values(
      Array.from({ length: 300 }, (_, i) => ({
        referenceId: ref!.id,
        rowIndex: i,
        features: { amount: Math.round(rand() * 1_000), score: rand(), plan: ["a", "b", "c"][i % 3] },
        predictionLabel: String(i % 2),
      })),
    );
    return ref!;
  }

  /** A batch of rows of every version, at times spread over `hours` hours from `from` (late ones included). */
  async function post(seed: number, n: number, from: Date, hours: number) {
    const rand = lcg(seed);
    const odd: unknown[] = [true, 7, 1e21, "", null, { k: [1, "v"] }];
    const predictions = Array.from({ length: n }, (_, i) => ({
      model: "risk",
      version: versions[i % versions.length]!.version,
      id: `s${seed}-${i}`,
      time: new Date(from.getTime() + Math.floor(rand() * hours * 3_600_000)).toISOString(),
      features: {
        amount: i % 23 === 0 ? "n/a" : Math.round(rand() * 1_400 - 200),
        ...(i % 19 === 0 ? {} : { score: rand() }),
        plan: i % 13 === 0 ? odd[i % odd.length] : ["a", "b", "c", "d"][i % 4],
      },
      prediction: rand() < 0.4 ? 1 : 0,
      ...(i % 7 === 0 ? {} : { latencyMs: Math.round(rand() * 300) / 10 }),
      arm: i % 5 === 0 ? "challenger" : "champion",
    }));
    const res = await postPredictions(key, predictions);
    expect(res.status).toBe(201);
    return predictions.map((p) => new Date(p.time));
  }

  const times: Date[] = [];
  /** Every window the rows sent so far fall in, of every version, in the given order of granularities. */
  function windowsOf(order: readonly WindowGranularity[]) {
    const out = new Map<string, { versionId: string; granularity: WindowGranularity; start: Date }>();
    for (const g of order)
      for (const t of times)
        for (const v of versions) {
          const start = windowStart(g, t);
          out.set(`${v.id}:${g}:${start.toISOString()}`, { versionId: v.id, granularity: g, start });
        }
    return [...out.values()];
  }

  async function computeAll(order: readonly WindowGranularity[], now: Date) {
    for (const w of windowsOf(order)) await computeWindow(database.db, w, { now, exactUpTo: K });
  }

  /** Compares the stored windows of these granularities (the ones computed since the last batch). */
  async function expectEqualToLog(now: Date, granularities: readonly WindowGranularity[] = GRANULARITIES) {
    const stored = await database.db.select().from(monitoringWindows);
    let compared = 0;
    for (const w of windowsOf(granularities)) {
      const row = stored.find(
        (s) =>
          s.modelVersionId === w.versionId &&
          s.granularity === w.granularity &&
          s.windowStart.getTime() === w.start.getTime(),
      );
      const current = (
        await database.db
          .select()
          .from(predictionReferences)
          .where(eq(predictionReferences.modelVersionId, w.versionId))
      ).find((r) => r.replacedAt === null);
      const range = { versionId: w.versionId, start: w.start, end: windowEnd(w.granularity, w.start) };
      const final = isFinal(w.granularity, w.start, now, DEFAULT_LATE_MS);
      const fromLog = await summaryFromLog(database.db, w.granularity, range, current ?? null, final, K);
      expect(row?.summary, `${w.granularity} ${w.start.toISOString()} of ${w.versionId}`).toEqual(
        JSON.parse(JSON.stringify(fromLog)),
      );
      compared++;
    }
    return compared;
  }

  it("a window merged from many batches equals its recomputation from the log", async () => {
    const [v1, v2] = versions;
    await addReference(v1!.id, 1);
    await addReference(v2!.id, 2);
    // The third version has no reference: its windows are recomputed from rows.
    const now = new Date(base.getTime() + 6 * 3_600_000);
    times.push(...(await post(1, 400, base, 2)));
    await computeAll(["hour", "day", "week"], now);
    // More rows, some late (in hours already computed), some in new hours across midnight and the week's end.
    times.push(...(await post(2, 500, base, 5)));
    await computeAll(["week", "day", "hour"], now);
    times.push(...(await post(3, 300, new Date(base.getTime() + 3_600_000), 4)));
    // Days and weeks before their hours: they merge the partials the hours have not folded in yet.
    await computeAll(["day", "week"], now);
    expect(await expectEqualToLog(now, ["day", "week"])).toBeGreaterThan(10);
    await computeAll(["hour", "week", "day"], now);
    expect(await expectEqualToLog(now)).toBeGreaterThan(20);
    const hours = await database.db
      .select()
      .from(monitoringWindows)
      .where(and(eq(monitoringWindows.modelVersionId, v1!.id), eq(monitoringWindows.granularity, "hour")));
    // Merged, not recomputed: each hour of a version with a reference keeps a state, and its sample is trimmed
    // to K, until the hour, its day and its week are final (the first week's are: window-cleanup.int.test.ts).
    const open = hours.filter((h) => !isFinal("week", windowStart("week", h.windowStart), now, DEFAULT_LATE_MS));
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((h) => h.state !== null)).toBe(true);
    expect(open.some((h) => h.sampleBound !== null)).toBe(true);
    expect(hours.some((h) => (h.summary as { drift: { sampled: boolean } }).drift.sampled)).toBe(true);
  });

  it("a new reference: windows binned on the old one are recomputed from rows, and still equal the log", async () => {
    const now = new Date(base.getTime() + 8 * 3_600_000);
    const [v1] = versions;
    await database.db
      .update(predictionReferences)
      .set({ replacedAt: new Date() })
      .where(eq(predictionReferences.modelVersionId, v1!.id));
    await addReference(v1!.id, 5);
    times.push(...(await post(4, 300, base, 6)));
    await computeAll(["hour", "day", "week"], now);
    expect(await expectEqualToLog(now)).toBeGreaterThan(20);
    // Hours binned on the old reference (the first five) are recomputed from rows for good: no state, no
    // sample kept or added. The sixth hour only has rows binned on the new one: merged.
    const hours = await database.db
      .select()
      .from(monitoringWindows)
      .where(and(eq(monitoringWindows.modelVersionId, v1!.id), eq(monitoringWindows.granularity, "hour")));
    const old = hours.filter((h) => h.windowStart.getTime() < base.getTime() + 5 * 3_600_000);
    expect(old.length).toBe(5);
    expect(old.every((h) => h.state === null && h.sampleBound === NO_SAMPLE)).toBe(true);
    expect(hours.filter((h) => h.state !== null)).toHaveLength(1);
    const sampled = await database.db.select().from(windowSamples).where(eq(windowSamples.modelVersionId, v1!.id));
    expect(sampled.every((r) => r.hourStart.getTime() === base.getTime() + 5 * 3_600_000)).toBe(true);
  });

  it("rows stored before partials were: windows starting earlier are recomputed from the log, those rows included", async () => {
    const [, v2] = versions;
    const hour = new Date(base.getTime() + 9 * 3_600_000);
    times.push(...(await post(5, 200, hour, 1)));
    // Those rows came before the upgrade that began storing partials (v2 was registered before it too):
    // they have none, and no sample rows.
    await database.db
      .update(modelVersions)
      .set({ createdAt: new Date(base.getTime() - 86_400_000) })
      .where(eq(modelVersions.id, v2!.id));
    await database.db
      .delete(windowPartials)
      .where(and(eq(windowPartials.modelVersionId, v2!.id), eq(windowPartials.hourStart, hour)));
    await database.db
      .delete(windowSamples)
      .where(and(eq(windowSamples.modelVersionId, v2!.id), eq(windowSamples.hourStart, hour)));
    await partialsStoredSince(database.db, new Date(hour.getTime() + 3_600_000));
    const now = new Date(hour.getTime() + 2 * 3_600_000);
    await computeAll(["hour", "day", "week"], now);
    // Merged, that hour would count none of its rows; recomputed from the log, it counts them all.
    expect(await expectEqualToLog(now)).toBeGreaterThan(20);
    const [stored] = await database.db
      .select()
      .from(monitoringWindows)
      .where(
        and(
          eq(monitoringWindows.modelVersionId, v2!.id),
          eq(monitoringWindows.granularity, "hour"),
          eq(monitoringWindows.windowStart, hour),
        ),
      );
    expect(stored!.rowCount).toBeGreaterThan(0);
    expect(stored!.state).toBeNull();
  });
});
