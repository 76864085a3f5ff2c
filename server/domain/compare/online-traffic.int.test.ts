import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { predictions } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { percentileCont } from "@/server/demo/window-summaries";
import { wilsonInterval } from "@/server/stats";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { makeUser } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";

/**
 * The comparison page's online panel from production traffic: the challenger's shadow answers against
 * the champion's on the same external ids, in the window up to the challenger's newest prediction.
 * Expected numbers are computed here from the rows as inserted, independently of the SQL.
 */
type Row = { id: string; label: string; latency: number | null; minutesAgo: number; value?: number };

describe.each(testDatabaseKinds)("online evidence from shadow traffic on %s", (kind) => {
  let database: Database;
  let viewer: Principal;
  const newest = new Date("2026-11-30T12:00:00Z");
  const champion: Row[] = [];
  const shadow: Row[] = [];

  const insert = async (
    model: string,
    version: number,
    arm: "champion" | "shadow",
    rows: Row[],
    regression = false,
  ) => {
    const [{ id }] = (
      await database.db.execute<{ id: string }>(
        sql`select v.id from model_versions v join models m on m.id = v.model_id where m.name = ${model} and v.version = ${version}`,
      )
    ).rows as [{ id: string }];
    await database.db.insert(predictions).values(
      rows.map((r) => ({
        modelVersionId: id,
        externalId: r.id,
        time: new Date(newest.getTime() - r.minutesAgo * 60_000),
        features: {},
        predictionLabel: regression ? null : r.label,
        predictionNumber: regression ? r.value! : null,
        latencyMs: r.latency,
        arm,
      })),
    );
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const scientist = await makeUser(database.db, "ds@ratchet.test", ["data_scientist"]);
    viewer = await makeUser(database.db, "viewer@ratchet.test", ["viewer"]);
    const ds = { db: database.db, principal: scientist };
    for (const [name, task] of [
      ["churn", "binary_classification"],
      ["price", "regression"],
      ["quiet", "binary_classification"],
    ] as const) {
      await createModel(ds, { name, task, owner: "team", labels: task === "regression" ? [] : ["0", "1"] });
      for (const v of [1, 2])
        await registerVersion(ds, name, { artifactUri: `s3://m/${v}`, artifactSha256: "b".repeat(64), config: {} });
      await database.db.execute(sql`
        update model_versions set stage = case version when 1 then 'champion'::version_stage else 'challenger'::version_stage end
        where model_id = (select id from models where name = ${name})`);
    }
    // 120 requests answered by the champion; the shadow answered 100 of them plus 10 of its own.
    for (let i = 0; i < 120; i++)
      champion.push({ id: `req-${i}`, label: i % 3 === 0 ? "1" : "0", latency: 2 + (i % 7), minutesAgo: i * 5 });
    for (const i of [...Array(100).keys(), ...Array.from({ length: 10 }, (_, k) => 200 + k)])
      shadow.push({
        id: `req-${i}`,
        label: i % 4 === 0 ? "1" : "0",
        latency: i % 10 === 0 ? null : 5 + (i % 11),
        minutesAgo: i * 5,
      });
    // Outside the window (more than 24 hours before the shadow's newest answer): left out on both sides.
    champion.push({ id: "req-old", label: "1", latency: 1, minutesAgo: 25 * 60 });
    shadow.push({ id: "req-old", label: "0", latency: 1, minutesAgo: 25 * 60 });
    await insert("churn", 1, "champion", champion);
    await insert("churn", 2, "shadow", shadow);
    await insert(
      "price",
      1,
      "champion",
      [0, 1, 2].map((i) => ({ id: `p${i}`, label: "", value: 100 + i, latency: 1, minutesAgo: i })),
      true,
    );
    await insert(
      "price",
      2,
      "shadow",
      [0, 1, 2].map((i) => ({ id: `p${i}`, label: "", value: 100 + i * 2, latency: 1, minutesAgo: i })),
      true,
    );
    await insert("quiet", 1, "champion", [{ id: "q", label: "1", latency: 1, minutesAgo: 0 }]);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  const api = () => createCaller({ db: database.db, principal: viewer });
  const inWindow = (rows: Row[]) => rows.filter((r) => r.minutesAgo < 24 * 60);

  it("counts disagreements with the champion on the same requests only, with a Wilson interval", async () => {
    const { online } = await api().compare.versions({ model: "churn", a: 1, b: 2 });
    const traffic = online!.traffic!;
    expect(traffic.window.to.getTime()).toBe(newest.getTime() + 1);
    expect(traffic.window.from.getTime()).toBe(newest.getTime() + 1 - 24 * 3_600_000);
    const champ = new Map(inWindow(champion).map((r) => [r.id, r.label]));
    const both = inWindow(shadow).filter((r) => champ.has(r.id));
    const disagreements = both.filter((r) => champ.get(r.id) !== r.label).length;
    expect(both.length).toBe(100);
    expect(traffic.agreement).toEqual([
      {
        arm: "shadow",
        matched: 100,
        disagreements,
        disagreementRate: disagreements / 100,
        ci: wilsonInterval(disagreements, 100),
        meanAbsDifference: null,
      },
    ]);
    // Labeled accuracy is the feedback capability's: not measured yet.
    expect(online!.arms).toEqual([]);
  });

  it("gives each arm its row count, class shares and latency percentiles in the window", async () => {
    const { online } = await api().compare.versions({ model: "churn", a: 1, b: 2 });
    const byArm = Object.fromEntries(online!.traffic!.arms.map((a) => [a.arm, a]));
    for (const [arm, rows, version] of [
      ["champion", inWindow(champion), 1],
      ["shadow", inWindow(shadow), 2],
    ] as const) {
      const latencies = rows.flatMap((r) => (r.latency === null ? [] : [r.latency]));
      const ones = rows.filter((r) => r.label === "1").length;
      expect(byArm[arm]!.version).toBe(version);
      expect(byArm[arm]!.rows).toBe(rows.length);
      expect(byArm[arm]!.latency.measured).toBe(latencies.length);
      expect(byArm[arm]!.latency.p50).toBeCloseTo(percentileCont(latencies, 0.5)!, 9);
      expect(byArm[arm]!.latency.p95).toBeCloseTo(percentileCont(latencies, 0.95)!, 9);
      expect(byArm[arm]!.output).toEqual({
        kind: "classes",
        shares: { "0": (rows.length - ones) / rows.length, "1": ones / rows.length },
      });
    }
  });

  it("measures a regression's challenger by its mean absolute difference from the champion", async () => {
    const { online } = await api().compare.versions({ model: "price", a: 1, b: 2 });
    expect(online!.traffic!.agreement).toEqual([
      { arm: "shadow", matched: 3, disagreements: null, disagreementRate: null, ci: null, meanAbsDifference: 1 },
    ]);
    const shadowArm = online!.traffic!.arms.find((a) => a.arm === "shadow")!;
    expect(shadowArm.output).toEqual({ kind: "numbers", mean: 102, p50: 102, p95: 103.8 });
  });

  it("has no online evidence when the challenger served no shadow or canary traffic", async () => {
    const { online } = await api().compare.versions({ model: "quiet", a: 1, b: 2 });
    expect(online).toBeNull();
  });
});
