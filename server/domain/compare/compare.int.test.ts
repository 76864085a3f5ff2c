import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideRequirementSet, proposeRequirementSet, requirementHistory } from "@/server/domain/requirements/sets";
import type { Database } from "@/db/client";
import { seedDemoData } from "@/server/demo/demo";
import type { Principal } from "@/server/authz/policy";
import { runCompareCli, SCORE_METRICS, type CompareMetric, type CompareResult } from "@/server/stats";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { principalFor } from "@/server/testing/fixtures";
import { createCaller } from "@/server/trpc/root";
import { previewGate } from "../gate/preview";
import { readOutcomes } from "../reports/outcomes";

/**
 * The page's numbers are the CLI's numbers: for every paired metric row the procedure returns, write
 * the two reports' outcomes (joined by id here, independently of the domain's matcher) to a CSV, run
 * `ratchet compare --json` on it, and expect the same values, intervals, p-value and verdict.
 */
async function cli(file: string, metric: string, margin: number): Promise<CompareResult> {
  let out = "";
  const code = await runCompareCli(
    ["compare", "--outcomes", file, "--metric", metric, "--margin", String(margin), "--json"],
    {
      readFile: (p) => readFile(p, "utf8"),
      stdout: (s) => {
        out += s;
      },
      stderr: (s) => {
        throw new Error(s);
      },
    },
  );
  expect(code).toBe(0);
  return JSON.parse(out) as CompareResult;
}

describe.each(testDatabaseKinds)("champion versus challenger on %s", (kind) => {
  let database: Database;
  let manager: Principal;
  let dir: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await seedDemoData(database.db);
    manager = await principalFor(database.db, "manager@ratchet.dev");
    dir = await mkdtemp(path.join(tmpdir(), "ratchet-compare-"));
  }, 300_000); // the whole demo, back-test outcomes included, on a busy machine
  afterAll(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const api = () => createCaller({ db: database.db, principal: manager });

  it("defaults to champion v3 against the newest candidate v5, and its paired numbers equal the CLI's", async () => {
    const started = performance.now();
    const result = await api().compare.versions({ model: "churn" });
    console.info(`compare.versions churn v3 vs v5 on ${kind}: ${(performance.now() - started).toFixed(0)} ms`);
    expect([result.a.version, result.a.stage, result.b.version]).toEqual([3, "champion", 5]);
    const paired = result.pairs.filter((p) => p.outcomes);
    // Back-tests carry outcomes too (the gate counts the primary metric only when computed): all eight pairs are paired.
    expect(paired.map((p) => `${p.kind}/${p.slice || "all"}`)).toEqual([
      "holdout/all",
      "nowtest/all",
      "nowtest/plan=annual",
      ...Array(5).fill("backtest/all"),
    ]);
    let checked = 0;
    for (const pair of paired) {
      const [a, b] = await Promise.all([
        readOutcomes(database.db, pair.reports.a),
        readOutcomes(database.db, pair.reports.b),
      ]);
      const inB = new Map(b.ids.map((id, j) => [id, j]));
      expect(pair.outcomes).toEqual({
        matched: a.ids.filter((id) => inB.has(id)).length,
        onlyA: 0,
        onlyB: 0,
        labelMismatches: 0,
      });
      for (const row of pair.rows.filter((r) => r.method === "paired")) {
        const scores = SCORE_METRICS.includes(row.metric as CompareMetric);
        const lines = ["id,label,champion,challenger"];
        a.ids.forEach((id, i) => {
          const j = inB.get(id);
          if (j === undefined) return;
          lines.push(
            [id, a.labels[i], (scores ? a.scores! : a.predictions)[i], (scores ? b.scores! : b.predictions)[j]].join(
              ",",
            ),
          );
        });
        const file = path.join(
          dir,
          `${pair.kind}-${pair.periodStart ?? "all"}-${pair.slice || "all"}-${row.metric}.csv`,
        );
        await writeFile(file, `${lines.join("\n")}\n`);
        const expected = await cli(file, row.metric, row.margin);
        expect(row.a).toEqual(expected.champion);
        expect(row.b).toEqual(expected.challenger);
        expect(row.difference).toEqual(expected.difference);
        expect(row.verdict).toBe(expected.verdict);
        expect(row.pValue).toBe(expected.mcnemar?.pValue ?? expected.delong?.pValue ?? null);
        checked++;
      }
    }
    // Every metric the reports computed is compared paired: accuracy, precision, recall, F1, AUC, log loss
    // and Brier on each of the eight datasets.
    expect(checked).toBe(56);
    expect(new Set(paired.flatMap((p) => p.rows.filter((r) => r.method === "paired").map((r) => r.metric)))).toEqual(
      new Set(["accuracy", "precision", "recall", "f1", "auc", "log_loss", "brier"]),
    );
    expect(result.settings).toMatchObject({ seed: 20240601, resamples: 2000, confidence: 0.95 });
  });

  it("finds v5 better on AUC overall and worse on annual plans, adjusts p-values together, and filters to differences", async () => {
    const result = await api().compare.versions({ model: "churn", a: 3, b: 5 });
    const auc = (slice: string, kindOf = "nowtest") =>
      result.pairs.find((p) => p.kind === kindOf && p.slice === slice)!.rows.find((r) => r.metric === "auc")!;
    expect(auc("", "holdout")).toMatchObject({ verdict: "better", test: "DeLong", method: "paired" });
    expect(auc("plan=annual")).toMatchObject({ verdict: "worse", test: "DeLong" });
    const rows = result.pairs.flatMap((p) => p.rows);
    expect(rows.filter((r) => r.pValue !== null).every((r) => r.pAdjusted !== null && r.pAdjusted >= r.pValue!)).toBe(
      true,
    );
    expect(result.summary.worse).toBeGreaterThan(0);
    expect(result.config.config.some((c) => c.path === "trees")).toBe(true);
    expect(result.a.requirements.status).toBe("pass");
    // The demo's churn v5 answers in shadow (the review queue's traffic): the online panel compares it on
    // the same requests, and the demo's reviewers labeled some of them: both accuracies on that shared
    // traffic, with the paired difference.
    expect(result.online?.arms).toEqual([]);
    const shared = result.online!.shared!;
    expect(shared.labeled).toBeGreaterThan(0);
    expect(shared.difference!.estimate).toBeCloseTo(shared.b!.accuracy.estimate - shared.a!.accuracy.estimate, 12);
    const shadow = result.online?.traffic?.agreement.find((a) => a.arm === "shadow");
    expect(shadow?.matched).toBeGreaterThan(0);
    expect(shadow!.disagreements).toBeLessThanOrEqual(shadow!.matched);
    // The back-tests' numbers for the page's chart (app/_components/chart-data shapes them): five months each.
    expect([result.backtestReports.a.length, result.backtestReports.b.length]).toEqual([5, 5]);
    expect(result.requirementSet).toMatchObject({
      primaryMetric: "auc",
      requirements: expect.arrayContaining([expect.objectContaining({ metric: "auc", floor: 0.62 })]),
    });

    const diffs = await api().compare.versions({ model: "churn", a: 3, b: 5, differencesOnly: true });
    const kept = diffs.pairs.flatMap((p) => p.rows);
    expect(kept.length).toBe(result.summary.better + result.summary.worse);
    expect(kept.every((r) => r.verdict === "better" || r.verdict === "worse")).toBe(true);
    // Adjusted over every test on the page, not only the rows shown.
    expect(kept.find((r) => r.metric === "auc" && r.verdict === "worse")!.pAdjusted).toBe(auc("plan=annual").pAdjusted);
  });

  it('says "not tested" for a metric posted without an interval, never "no detectable difference"', async () => {
    const result = await api().compare.versions({ model: "churn", a: 3, b: 5 });
    const latency = result.pairs.find((p) => p.kind === "holdout")!.rows.find((r) => r.metric === "latency_p95_ms")!;
    expect(latency).toMatchObject({ method: "point estimates", verdict: "not tested", pValue: null });
    expect(result.summary.notTested).toBeGreaterThanOrEqual(1);
    const diffs = await api().compare.versions({ model: "churn", a: 3, b: 5, differencesOnly: true });
    expect(diffs.pairs.flatMap((p) => p.rows).some((r) => r.verdict === "not tested")).toBe(false);
  });

  it("compares a regression model's RMSE and MAE paired, and R² on its stored intervals", async () => {
    const result = await api().compare.versions({ model: "house-price", a: 2, b: 3 });
    const holdout = result.pairs.find((p) => p.kind === "holdout")!;
    expect(holdout.outcomes?.matched).toBe(1500);
    const byMetric = Object.fromEntries(holdout.rows.map((r) => [r.metric, r]));
    expect(byMetric.rmse).toMatchObject({ method: "paired", test: "bootstrap" });
    expect(byMetric.mae).toMatchObject({ method: "paired", test: "bootstrap" });
    expect(byMetric.r2).toMatchObject({ method: "intervals" });
    expect(byMetric.latency_p95_ms).toMatchObject({ verdict: "not tested" });
  });

  it("puts up to four versions on one metric table against the champion, with the two-version comparison's verdicts", async () => {
    const table = await api().compare.many({ model: "churn", versions: [5, 3, 4, 1] });
    expect(table.reference).toEqual({ version: 3, stage: "champion" });
    expect(table.dataset).toMatch(/^holdout\|/);
    const auc = table.rows.find((r) => r.metric === "auc")!;
    expect(auc.cells.map((c) => c.version)).toEqual([3, 5, 4, 1]);
    expect(auc.cells[0]!.verdict).toBeNull();
    const pair = (await api().compare.versions({ model: "churn", a: 3, b: 5 })).pairs
      .find((p) => p.kind === "holdout")!
      .rows.find((r) => r.metric === "auc")!;
    expect(auc.cells[1]).toMatchObject({
      verdict: pair.verdict,
      value: pair.b,
      difference: pair.difference,
      method: "paired",
      test: "DeLong",
    });
    expect(
      table.rows
        .find((r) => r.metric === "brier")!
        .cells.slice(1)
        .every((c) => c.method === "paired"),
    ).toBe(true);
    expect(
      table.rows
        .find((r) => r.metric === "latency_p95_ms")!
        .cells.slice(1)
        .map((c) => c.verdict),
    ).toEqual(["not tested", "not tested", "not tested"]);
    // On annual plans only v3, v4 and v5 were evaluated: v1 has no cell there, rather than a made-up verdict.
    const annual = table.datasets.find((d) => d.slice === "plan=annual")!;
    const onAnnual = await api().compare.many({ model: "churn", versions: [5, 3, 4, 1], dataset: annual.key });
    expect(onAnnual.rows.find((r) => r.metric === "auc")!.cells.map((c) => [c.version, c.verdict])).toEqual([
      [3, null],
      [5, "worse"],
      [4, "worse"],
      [1, null],
    ]);
    await expect(api().compare.many({ model: "churn", versions: [1, 2, 3, 4, 5] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api().compare.many({ model: "churn", versions: [3, 3] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api().compare.many({ model: "churn", versions: [3, 42] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("takes non-inferiority margins from the request", async () => {
    const wide = await api().compare.versions({ model: "churn", a: 3, b: 5, margins: { auc: 0.2 } });
    const annual = wide.pairs.find((p) => p.slice === "plan=annual")!.rows.find((r) => r.metric === "auc")!;
    expect(annual).toMatchObject({ margin: 0.2, verdict: "no detectable difference" });
    expect(wide.settings.margins).toMatchObject({ auc: 0.2, accuracy: 0.005, rmse: 0 });
  });

  it("refuses the same version twice, unknown versions and bad margins", async () => {
    await expect(api().compare.versions({ model: "churn", a: 3, b: 3 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api().compare.versions({ model: "churn", a: 3, b: 42 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api().compare.versions({ model: "churn", margins: { auc: -1 } })).rejects.toBeInstanceOf(TRPCError);
  });

  it("the gate uses the same paired test: v5 fails 'beats the champion' on annual plans, with the page's numbers", async () => {
    const { gate } = await previewGate({ db: database.db, principal: manager }, "churn", 5);
    const check = gate.checks.find((c) => c.id === "champion")!;
    expect(check.status).toBe("fail");
    expect(check.summary).toBe("Worse than the champion on 1 of 8 datasets (paired test on 8).");
    const annual = check.details.find((d) => d.slice === "plan=annual")!;
    const page = (await api().compare.versions({ model: "churn", a: 3, b: 5 })).pairs
      .find((p) => p.slice === "plan=annual")!
      .rows.find((r) => r.metric === "auc")!;
    expect(annual).toMatchObject({
      notWorse: false,
      verdict: "worse",
      difference: page.difference.value,
      ciLow: page.difference.ci![0],
      ciHigh: page.difference.ci![1],
      pValue: page.pValue,
    });
    expect(annual.method).toBe("paired DeLong on 300 matched examples, margin 0.005");
  });

  it("charts one metric across every version from the same dataset", async () => {
    const history = await api().compare.metricHistory({ model: "churn", metric: "auc" });
    expect(history).toMatchObject({ kind: "holdout", floor: 0.62, dataset: { name: "churn-holdout", version: 1 } });
    expect(history.points.map((p) => p.version)).toEqual([1, 2, 3, 4, 5]);
    expect(history.points.every((p) => p.ci !== null)).toBe(true);
    const annual = await api().compare.metricHistory({
      model: "churn",
      metric: "auc",
      kind: "nowtest",
      slice: "plan=annual",
    });
    expect(annual.points.map((p) => p.version)).toEqual([3, 4, 5]);
  });
  it("uses the margin agreed in the requirement set; widening it waits for a manager like any loosening", async () => {
    const scientist = await principalFor(database.db, "scientist@ratchet.dev");
    const lead = await principalFor(database.db, "lead@ratchet.dev");
    const { sets } = await requirementHistory({ db: database.db, principal: manager }, "churn");
    const active = sets.find((s) => s.status === "active")!;
    const base = {
      model: "churn",
      primaryMetric: active.primaryMetric,
      requiredReportKinds: active.requiredReportKinds as ("holdout" | "nowtest")[],
      requirements: active.requirements.map((r) => ({
        metric: r.metric,
        direction: r.direction,
        floor: r.floor,
        target: r.target,
        reportKinds: r.reportKinds as "holdout"[],
        slice: r.slice,
      })),
    };
    const wider = await proposeRequirementSet(
      { db: database.db, principal: scientist },
      { ...base, comparisonMargins: { auc: 0.2 }, rationale: "annual plans are a small slice" },
    );
    expect(wider.status).toBe("pending");
    expect((await api().compare.versions({ model: "churn", a: 3, b: 5 })).settings.margins.auc).toBe(0.005);
    await decideRequirementSet(
      { db: database.db, principal: lead },
      { setId: wider.id, approve: true, note: "agreed for the annual slice" },
    );
    const page = await api().compare.versions({ model: "churn", a: 3, b: 5 });
    expect(page.settings.margins.auc).toBe(0.2);
    const { gate } = await previewGate({ db: database.db, principal: manager }, "churn", 5);
    const annual = gate.checks.find((c) => c.id === "champion")!.details.find((d) => d.slice === "plan=annual");
    expect(annual).toMatchObject({ notWorse: true, method: expect.stringContaining("margin 0.2") });
  });
});
