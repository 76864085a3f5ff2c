import { sql } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { syntheticTraffic, type SyntheticTraffic } from "@/server/demo/synthetic-traffic";
import { buildWindowSummary, percentileCont, storeReference, storeWindow } from "@/server/demo/window-summaries";
import {
  columnQuality,
  driftColumn,
  histogramCounts,
  preparePair,
  type ColumnValues,
  type Table,
} from "@/server/stats/drift";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import type { WindowGranularity } from "./window-summary";

/**
 * The monitoring page's data from stored windows (made here with the real drift engine on synthetic
 * traffic), on PGlite and (with TEST_DATABASE_URL) PostgreSQL: each number the page shows is the
 * engine's for the right window, the reference's distribution is aggregated in SQL on the window's
 * bins, and what was never measured says so.
 */
const DAY = 86_400_000;
const start0 = Date.UTC(2026, 10, 20);

describe.each(testDatabaseKinds)("monitoring page data on %s", (kind) => {
  let database: Database;
  let viewer: Principal;
  const ids: Record<string, string> = {};
  let reference: SyntheticTraffic;
  const days: SyntheticTraffic[] = [];
  let hour: SyntheticTraffic;
  let shadow: SyntheticTraffic;
  const api = (principal: Principal | null = viewer) => createCaller({ db: database.db, principal });

  const versionId = async (model: string, version: number) =>
    (
      await database.db.execute<{ id: string }>(
        sql`select v.id from model_versions v join models m on m.id = v.model_id where m.name = ${model} and v.version = ${version}`,
      )
    ).rows[0]!.id;

  const store = async (
    id: string,
    granularity: WindowGranularity,
    start: number,
    length: number,
    t: SyntheticTraffic,
    ref: { id: string; features: Table; output?: ColumnValues } | null,
    extra: Partial<Record<"shadow", ColumnValues>> = {},
  ) =>
    storeWindow(
      database.db,
      id,
      buildWindowSummary({
        granularity,
        start: new Date(start),
        end: new Date(start + length),
        reference: ref,
        current: t.features,
        outputs: { champion: t.outputs, ...extra },
        latencies: t.latencies,
      }),
    );

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    viewer = await makeUser(database.db, "viewer@ratchet.test", ["viewer"]);
    const ds = { db: database.db, principal: scientist };
    for (const name of ["credit-default", "no-reference", "silent"]) {
      await createModel(ds, { name, task: "binary_classification", owner: "risk", labels: ["0", "1"] });
      for (const v of [1, 2])
        await registerVersion(ds, name, { artifactUri: `s3://m/${v}`, artifactSha256: "a".repeat(64), config: {} });
      // Which version serves is set up here, not under test (releases have their own tests).
      await database.db.execute(
        sql`update model_versions set stage = 'champion' where version = 1 and model_id = (select id from models where name = ${name})`,
      );
      ids[`${name}/1`] = await versionId(name, 1);
      ids[`${name}/2`] = await versionId(name, 2);
    }
    // 800 reference rows: the engine's small-reference tests (KS, chi-square) apply.
    reference = syntheticTraffic(1, 800, 0);
    const refId = await storeReference(database.db, ids["credit-default/1"]!, reference.features, reference.outputs);
    const ref = { id: refId, features: reference.features, output: reference.outputs };
    // Five days: three as in training, then the world shifts.
    for (let d = 0; d < 5; d++) {
      days.push(syntheticTraffic(100 + d, 600, d < 3 ? 0 : 1.5));
      await store(ids["credit-default/1"]!, "day", start0 + d * DAY, DAY, days[d]!, ref);
    }
    // v2 in shadow on the last day: its own windows carry the shadow arm.
    shadow = syntheticTraffic(300, 400, 1.5);
    await storeWindow(
      database.db,
      ids["credit-default/2"]!,
      buildWindowSummary({
        granularity: "day",
        start: new Date(start0 + 4 * DAY),
        end: new Date(start0 + 5 * DAY),
        reference: null,
        current: shadow.features,
        outputs: { shadow: shadow.outputs },
        latencies: shadow.latencies,
      }),
    );
    // The newest window of all: an hour late on the last day.
    hour = syntheticTraffic(200, 300, 1.5);
    await store(ids["credit-default/1"]!, "hour", start0 + 4 * DAY + 20 * 3_600_000, 3_600_000, hour, ref);
    // Windows without a reference: drift not measured.
    for (let d = 0; d < 2; d++)
      await store(ids["no-reference/1"]!, "day", start0 + d * DAY, DAY, syntheticTraffic(400 + d, 200, 0), null);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  it("draws every feature × day cell from the engine's verdict on that day, oldest day first", async () => {
    const page = await api().monitoring.page({ model: "credit-default", granularity: "day" });
    expect(page.monitored).toEqual({ version: 1, stage: "champion" });
    expect(page.windows.map((w) => w.start.getTime())).toEqual([0, 1, 2, 3, 4].map((d) => start0 + d * DAY));
    expect(page.heatmap.features).toEqual(["age", "income", "region", "tenure"]);
    for (const feature of page.heatmap.features) {
      const expected = days.map((d) => driftColumn(reference.features[feature]!, d.features[feature]!).drifted);
      expect(
        page.heatmap.cells[feature]!.map((c) => c?.drifted),
        feature,
      ).toEqual(expected);
    }
    // The shifted days drift in income and region (at p ≤ 0.05 a day as in training may drift by chance).
    expect(page.heatmap.cells.income!.slice(3).map((c) => c!.drifted)).toEqual([true, true]);
    expect(page.heatmap.cells.region!.slice(3).map((c) => c!.drifted)).toEqual([true, true]);
    expect(page.notMeasured).toEqual({ windows: false, drift: false, newestDrift: false });
  });

  it("compares a numerical feature's reference and current counts on the same bins", async () => {
    const page = await api().monitoring.page({ model: "credit-default", granularity: "day", feature: "income" });
    const f = page.feature!;
    expect(f.name).toBe("income");
    const current = f.current!;
    if (current.kind !== "numerical" || f.reference?.kind !== "numerical") throw new Error("numerical expected");
    const finite = (values: ColumnValues) =>
      Float64Array.from([...values].filter((v): v is number => typeof v === "number"));
    const edges = Float64Array.from(current.edges);
    expect(current.counts).toEqual([...histogramCounts(finite(days[4]!.features.income!), edges)]);
    expect(f.reference.counts).toEqual([...histogramCounts(finite(reference.features.income!), edges)]);
    expect(f.reference.missing).toBe(reference.features.income!.filter((v) => v === null).length);
    expect(f.drift!.drifted).toBe(true);
    expect(f.quality).toEqual(
      columnQuality("income", preparePair(reference.features.income!, days[4]!.features.income!)),
    );
  });

  it("selects a categorical feature by name (?feature=region) with the new category on the current side only", async () => {
    const page = await api().monitoring.page({ model: "credit-default", granularity: "day", feature: "region" });
    const count = (values: ColumnValues) => {
      const out: Record<string, number> = {};
      for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
      return out;
    };
    expect(page.feature!.current).toEqual({
      kind: "categorical",
      counts: count(days[4]!.features.region!),
      missing: 0,
    });
    expect(page.feature!.reference).toEqual({
      kind: "categorical",
      counts: count(reference.features.region!),
      missing: 0,
    });
    expect(page.feature!.drift!.newCategories).toEqual(["central"]);
  });

  it("says a feature it does not know is not there, instead of drawing something else", async () => {
    const page = await api().monitoring.page({ model: "credit-default", feature: "zip_code" });
    expect(page.feature).toMatchObject({ name: "zip_code", known: false, current: null, reference: null });
  });

  it("takes the tiles from the newest window (the late hour), and the champion's age from when it became champion", async () => {
    const page = await api().monitoring.page({ model: "credit-default", granularity: "week" });
    expect(page.tiles.traffic!.perMinute).toBeCloseTo(300 / 60, 9);
    expect(page.tiles.traffic!.window.granularity).toBe("hour");
    expect(page.tiles.latency).toMatchObject({
      p50: percentileCont(hour.latencies, 0.5),
      p95: percentileCont(hour.latencies, 0.95),
      measured: 300,
    });
    expect(page.tiles.champion!.version).toBe(1);
    expect(page.tiles.champion!.ageDays).toBeGreaterThanOrEqual(0);
    expect(page.tiles.champion!.ageDays).toBeLessThan(1); // registered by this test; no release made it champion later
    // No week window was computed: nothing to draw, and the page says why rather than "no drift".
    expect(page.notMeasured.windows).toBe(true);
    expect(page.heatmap.features).toEqual([]);
  });

  it("plots the output per arm and version: the champion's and the shadow's share of class 1", async () => {
    const page = await api().monitoring.page({ model: "credit-default", granularity: "day" });
    const share = (outputs: string[]) => outputs.filter((o) => o === "1").length / outputs.length;
    expect(page.output.series.map((s) => s.key)).toEqual(["champion v1: 1", "shadow v2: 1"]);
    expect(page.output.points.map((p) => p["champion v1: 1"])).toEqual(days.map((d) => share(d.outputs)));
    expect(page.output.points.at(-1)!["shadow v2: 1"]).toBe(share(shadow.outputs));
    expect(page.output.drift!.column).toBe("prediction");
  });

  it("lists data quality and the correlation change of the newest window", async () => {
    const page = await api().monitoring.page({ model: "credit-default", granularity: "day" });
    expect(page.quality!.map((q) => q.column)).toEqual(["income", "age", "tenure", "region"]);
    expect(page.correlation!.columns).toEqual(["income", "age", "tenure"]);
    // Tenure stops tracking age in the shifted world: that pair changes most.
    expect(page.correlation!.pair).toEqual(["age", "tenure"]);
    expect(page.sampling).toEqual({ exactUpTo: 1_000_000, sampled: false });
  });

  it("says drift, quality and reference are not measured for a version without reference data", async () => {
    const page = await api().monitoring.page({ model: "no-reference", granularity: "day" });
    expect(page.notMeasured).toEqual({ windows: false, drift: true, newestDrift: true });
    expect(page.windows.every((w) => w.drift === null)).toBe(true);
    expect(page.heatmap.features).toEqual(["age", "income", "region", "tenure"]);
    expect(
      Object.values(page.heatmap.cells)
        .flat()
        .every((c) => c === null),
    ).toBe(true);
    expect(page.feature).toMatchObject({ name: "age", drift: null, reference: null, quality: null });
    expect(page.feature!.current!.kind).toBe("numerical");
    expect(page.quality).toBeNull();
    expect(page.correlation).toBeNull();
    expect(page.output.drift).toBeNull();
  });

  it("says nothing was measured for a model whose predictions never arrived", async () => {
    const page = await api().monitoring.page({ model: "silent" });
    expect(page.notMeasured.windows).toBe(true);
    expect(page.tiles.traffic).toBeNull();
    expect(page.tiles.latency).toBeNull();
    expect(page.feature).toBeNull();
    expect(page.output.series).toEqual([]);
  });

  it("shows a window stored after a first view on the next request (the cache checks freshness every time)", async () => {
    const before = await api().monitoring.page({ model: "silent", granularity: "day" });
    expect(before.notMeasured.windows).toBe(true);
    await store(ids["silent/1"]!, "day", start0, DAY, syntheticTraffic(500, 100, 0), null);
    const after = await api().monitoring.page({ model: "silent", granularity: "day" });
    expect(after.windows.map((w) => w.rowCount)).toEqual([100]);
    // A new champion is noticed too.
    await database.db.execute(sql`
      update model_versions set stage = case version when 1 then 'retired'::version_stage else 'champion'::version_stage end
      where model_id = (select id from models where name = 'silent')`);
    const promoted = await api().monitoring.page({ model: "silent", granularity: "day" });
    expect(promoted.monitored).toEqual({ version: 2, stage: "champion" });
    expect(promoted.notMeasured.windows).toBe(true);
  });

  it("refuses the signed-out and keys without registry:read, and names bad input", async () => {
    await expect(api(null).monitoring.page({ model: "credit-default" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const loggingKey: Principal = {
      kind: "apiKey",
      id: "00000000-0000-0000-0000-000000000001",
      name: "serving",
      scopes: ["predictions:write"],
      ownerUserId: viewer.kind === "user" ? viewer.id : "",
    };
    await expect(api(loggingKey).monitoring.page({ model: "credit-default" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(api().monitoring.page({ model: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api().monitoring.page({ model: "credit-default", version: 9 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const bad = await api()
      .monitoring.page({ model: "credit-default", granularity: "month" as "day" })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toContain("granularity");
  });
});
