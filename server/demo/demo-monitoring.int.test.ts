import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createModel } from "@/server/domain/registry/models";
import { registerVersion } from "@/server/domain/registry/versions";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { DEMO_DRIFT_STARTS_DAYS_AGO, seedDemoMonitoring } from "./demo-monitoring";
import { buildWindowSummary, storeWindow } from "./window-summaries";

/** The demo's monitoring windows: complete windows up to now, and drift that starts on a known day. */
describe.each(testDatabaseKinds)("demo monitoring windows on %s", (kind) => {
  let database: Database;
  const now = new Date("2026-11-30T15:30:00Z");
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const ds = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    await createModel(
      { db: database.db, principal: ds },
      { name: "churn", task: "binary_classification", owner: "growth", labels: ["stays", "churns"] },
    );
    await registerVersion({ db: database.db, principal: ds }, "churn", {
      artifactUri: "s3://m/1",
      artifactSha256: "c".repeat(64),
      config: {},
    });
    await database.db.execute(sql`update model_versions set stage = 'champion'`);
    const began = performance.now();
    await seedDemoMonitoring(database.db, now);
    console.info(`seedDemoMonitoring on ${kind}: ${(performance.now() - began).toFixed(0)} ms`);
  }, 120_000);
  afterAll(async () => database?.close());

  it("stores complete hour, day and week windows ending before now", async () => {
    const { rows } = await database.db.execute<{ granularity: string; n: number; last_end: Date | string }>(
      sql`select granularity, count(*)::int as n, max(window_end) as last_end from monitoring_windows group by granularity order by granularity`,
    );
    expect(rows.map((r) => [r.granularity, Number(r.n), new Date(r.last_end).toISOString()])).toEqual([
      ["hour", 24, "2026-11-30T15:00:00.000Z"],
      ["day", 14, "2026-11-30T00:00:00.000Z"],
      ["week", 6, "2026-11-30T00:00:00.000Z"],
    ]);
  });

  it("shows income drifting from the known day on, and not before", async () => {
    const page = await createCaller({ db: database.db, principal: { kind: "operator", name: "test" } }).monitoring.page(
      {
        model: "churn",
        granularity: "day",
      },
    );
    const drifted = page.heatmap.cells.income!.map((c) => c!.drifted);
    expect(drifted).toEqual([
      ...Array(14 - DEMO_DRIFT_STARTS_DAYS_AGO).fill(false),
      ...Array(DEMO_DRIFT_STARTS_DAYS_AGO).fill(true),
    ]);
    expect(page.feature!.name).toBe("income");
    expect(page.feature!.reference).not.toBeNull();
  });

  it("carries churn's plan prices: new ones since the drift started, where its pricing alert links", async () => {
    const page = await createCaller({ db: database.db, principal: { kind: "operator", name: "test" } }).monitoring.page(
      { model: "churn", granularity: "day", feature: "plan_price" },
    );
    expect(page.heatmap.cells.plan_price!.map((c) => c!.drifted)).toEqual([
      ...Array(14 - DEMO_DRIFT_STARTS_DAYS_AGO).fill(false),
      ...Array(DEMO_DRIFT_STARTS_DAYS_AGO).fill(true),
    ]);
    expect(page.feature).toMatchObject({ name: "plan_price", known: true });
    expect(page.feature!.reference).not.toBeNull();
    expect(page.feature!.drift!.newCategories).toEqual(["12.99", "17.99"]);
  });

  it("draws a feature the newest window did not measure from the newest window that did, saying so", async () => {
    // Today's window so far holds traffic of another shape: no plan_price in it.
    const { rows } = await database.db.execute<{ id: string; reference: string }>(
      sql`select model_version_id as id, id as reference from prediction_references`,
    );
    const start = new Date("2026-11-30T00:00:00Z");
    await storeWindow(
      database.db,
      rows[0]!.id,
      buildWindowSummary({
        granularity: "day",
        start,
        end: new Date("2026-12-01T00:00:00Z"),
        reference: { id: rows[0]!.reference, features: { tenure: [1, 2, 3, 4, 5, 6, 7] } },
        current: { tenure: [1, 2, 3, 4, 5, 6, 8] },
        outputs: {},
        latencies: [],
      }),
    );
    const api = createCaller({ db: database.db, principal: { kind: "operator", name: "test" } });
    const page = await api.monitoring.page({ model: "churn", granularity: "day", feature: "plan_price" });
    expect(page.windows.at(-1)!.start).toEqual(start);
    expect(page.feature).toMatchObject({
      name: "plan_price",
      olderWindow: true,
      window: { start: new Date("2026-11-29T00:00:00Z") },
      drift: { drifted: true },
    });
    expect(page.feature!.current).not.toBeNull();
    // A feature the newest window measured is drawn from it.
    const tenure = await api.monitoring.page({ model: "churn", granularity: "day", feature: "tenure" });
    expect(tenure.feature).toMatchObject({ olderWindow: false, window: { start } });
  });
});
