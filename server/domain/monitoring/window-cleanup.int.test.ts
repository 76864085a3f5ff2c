import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import {
  modelFeatures,
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
import { windowEnd, windowStart } from "./window-bounds";
import type { WindowGranularity } from "./window-summary";

/**
 * A version's incremental leftovers (drift samples, partials, hour states) are dropped once nothing will
 * merge them again, also for a version whose traffic stops: its last week is freed by whichever of the
 * week's, the day's and the hour's final jobs runs last, in any order. Before that, nothing a pending
 * final merge needs is dropped.
 */
const operator: Principal = { kind: "operator", name: "test" };
const K = 40;
const WEEK = new Date("2026-11-16T00:00:00Z"); // a Monday
const ROWS_FROM = new Date("2026-11-18T10:00:00Z"); // Wednesday, three hours of rows
const DURING = new Date("2026-11-18T11:05:00Z"); // no hour of the rows is final yet
const AFTER = new Date(windowEnd("week", WEEK).getTime() + DEFAULT_LATE_MS + 60_000);

describe.each(testDatabaseKinds)("incremental leftovers of a final week on %s", (kind) => {
  let database: Database;
  let key = "";
  const versions: { id: string; version: number }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    setDatabase(database);
    const ops = { db: database.db, principal: operator };
    const ds = await makeScientist(database.db);
    const model = await createModel(ds, { name: "risk", task: "binary_classification", owner: "growth" });
    await database.db.insert(modelFeatures).values([
      { modelId: model.id, name: "amount", kind: "numerical" },
      { modelId: model.id, name: "plan", kind: "categorical" },
    ]);
    for (let i = 1; i <= 2; i++) {
      const v = await registerVersion(ds, "risk", {
        artifactUri: `s3://r/${i}`,
        artifactSha256: "d".repeat(64),
        config: {},
      });
      versions.push(v);
      const [ref] = await database.db
        .insert(predictionReferences)
        .values({ modelVersionId: v.id, source: "upload", fileName: "train.csv", rowCount: 100 })
        .returning();
      await database.db.insert(referenceRows).values(
        Array.from({ length: 100 }, (_, j) => ({
          referenceId: ref!.id,
          rowIndex: j,
          features: { amount: (j * 37) % 500, plan: ["a", "b"][j % 2] },
          predictionLabel: String(j % 2),
        })),
      );
    }
    await partialsStoredSince(database.db);
    key = (await createApiKey(ops, { name: "serving", scopes: ["predictions:write"], ownerEmail: "ds@ratchet.test" }))
      .key;
  });
  afterAll(async () => database?.close());

  async function post(tag: string, n: number, from: Date, hours: number) {
    const predictions = Array.from({ length: n }, (_, i) => ({
      model: "risk",
      version: versions[i % 2]!.version,
      id: `${tag}-${i}`,
      time: new Date(from.getTime() + ((i * 7_919_000) % (hours * 3_600_000))).toISOString(),
      features: { amount: (i * 53) % 600, plan: ["a", "b", "c"][i % 3] },
      prediction: i % 2,
      latencyMs: 1 + (i % 9),
    }));
    const res = await postPredictions(key, predictions);
    expect(res.status).toBe(201);
  }

  const hoursOfRows = [0, 1, 2].map((h) => new Date(ROWS_FROM.getTime() + h * 3_600_000));
  const windows = (versionId: string, g: WindowGranularity) =>
    g === "hour"
      ? hoursOfRows.map((start) => ({ versionId, granularity: g, start }))
      : [{ versionId, granularity: g, start: windowStart(g, ROWS_FROM) }];
  const compute = async (versionId: string, order: WindowGranularity[], now: Date) => {
    for (const g of order)
      for (const w of windows(versionId, g)) await computeWindow(database.db, w, { now, exactUpTo: K });
  };
  const leftovers = async (versionId: string) => ({
    samples: (await database.db.select().from(windowSamples).where(eq(windowSamples.modelVersionId, versionId))).length,
    partials: (await database.db.select().from(windowPartials).where(eq(windowPartials.modelVersionId, versionId)))
      .length,
    hours: await database.db
      .select()
      .from(monitoringWindows)
      .where(and(eq(monitoringWindows.modelVersionId, versionId), eq(monitoringWindows.granularity, "hour"))),
  });

  it("drops a stopped version's last week once its week, days and hours are all final, whatever their order", async () => {
    await post("a", 300, ROWS_FROM, 3);
    for (const v of versions) await compute(v.id, ["hour", "day", "week"], DURING);
    // Rows after the hours were computed: partials not folded in yet, which the final merges must still see.
    await post("b", 120, ROWS_FROM, 3);
    for (const v of versions) {
      const before = await leftovers(v.id);
      expect(before.samples).toBeGreaterThan(0);
      expect(before.partials).toBeGreaterThan(0);
      expect(before.hours.every((h) => h.state !== null)).toBe(true);
    }

    const [early, late] = [versions[0]!, versions[1]!];
    // Version 1: the week's final job first, its hours' last. Nothing may go before the hours' own final merge.
    await compute(early.id, ["week", "day"], AFTER);
    const waiting = await leftovers(early.id);
    expect(waiting.samples).toBeGreaterThan(0);
    expect(waiting.partials).toBeGreaterThan(0);
    await compute(early.id, ["hour"], AFTER);
    // Version 2: hours first, the week last.
    await compute(late.id, ["hour", "day"], AFTER);
    expect((await leftovers(late.id)).samples).toBeGreaterThan(0);
    await compute(late.id, ["week"], AFTER);

    for (const v of versions) {
      const after = await leftovers(v.id);
      expect(after).toMatchObject({ samples: 0, partials: 0 });
      expect(after.hours).toHaveLength(3);
      for (const h of after.hours) {
        expect(h.state).toBeNull();
        expect(h.sampleBound).toBe(NO_SAMPLE);
      }
      // Every final window was merged with all its rows before anything was dropped.
      const stored = await database.db
        .select()
        .from(monitoringWindows)
        .where(eq(monitoringWindows.modelVersionId, v.id));
      const [ref] = await database.db
        .select()
        .from(predictionReferences)
        .where(eq(predictionReferences.modelVersionId, v.id));
      for (const w of stored) {
        const range = { versionId: v.id, start: w.windowStart, end: w.windowEnd };
        expect(w.summary).toEqual(
          JSON.parse(JSON.stringify(await summaryFromLog(database.db, w.granularity, range, ref!, true, K))),
        );
      }
    }

    // A row later still, into the dropped week: ingest samples none of it.
    await post("c", 20, ROWS_FROM, 3);
    for (const v of versions) expect((await leftovers(v.id)).samples).toBe(0);
  });
});
