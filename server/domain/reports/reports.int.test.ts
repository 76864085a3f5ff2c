import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { ZodError } from "zod";
import type { Database } from "@/db/client";
import {
  auditLog,
  evaluationReports,
  models,
  outcomeUploads,
  reportOutcomeChunks,
  requirements,
  requirementSets,
} from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import {
  accuracy,
  bootstrapAccuracy,
  bootstrapAuc,
  bootstrapBrier,
  bootstrapF1,
  bootstrapLogLoss,
  bootstrapMae,
  bootstrapMetric,
  bootstrapRmse,
  brierScore,
  createRng,
  f1,
  logLoss,
  mae,
  precision,
  r2,
  recall,
  rmse,
  rocAuc,
} from "@/server/stats";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { createUser } from "../admin/users";
import { ForbiddenError, InvalidInputError, NotFoundError } from "../errors";
import { createModel } from "../registry/models";
import { registerDataset } from "../registry/datasets";
import { registerVersion } from "../registry/versions";
import { REPORT_BOOTSTRAP } from "./compute";
import { createReport } from "./create";
import { readNdjsonReport } from "./ndjson";
import { CHUNK_ROWS, float64ToBytes, readOutcomeChunks, readOutcomes } from "./outcomes";
import { getReport, listReports } from "./queries";
import type { OutcomeRow } from "./schemas";

const scientist: Principal = {
  kind: "user",
  id: "",
  email: "scientist@ratchet.dev",
  name: "S",
  roles: ["data_scientist"],
};
const viewer: Principal = { kind: "user", id: "", email: "viewer@ratchet.dev", name: "V", roles: ["viewer"] };
const opts = { seed: REPORT_BOOTSTRAP.seed, resamples: REPORT_BOOTSTRAP.resamples };

function binaryRows(n: number, seed = 1, prefix = "ex"): OutcomeRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = rng.nextDouble() < 0.3 ? 1 : 0;
    const score = Math.min(1, Math.max(0, 0.35 * label + 0.65 * rng.nextDouble()));
    return { id: `${prefix}-${i}`, label, prediction: score >= 0.45 ? 1 : 0, score };
  });
}
const columns = (rows: OutcomeRow[]) => ({
  y: Float64Array.from(rows, (r) => r.label),
  p: Float64Array.from(rows, (r) => r.prediction),
  s: Float64Array.from(rows, (r) => r.score ?? 0),
});
const streamOf = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      c.close();
    },
  });

describe.each(testDatabaseKinds)("evaluation reports on %s", (kind) => {
  let database: Database;
  const as = (principal: Principal) => ({ db: database.db, principal });
  const counts = async () => ({
    reports: await database.db.$count(evaluationReports),
    chunks: await database.db.$count(reportOutcomeChunks),
    audits: await database.db.$count(auditLog, eq(auditLog.action, "report.created")),
  });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // Own users and models rather than the demo data: these tests should not depend on what the demo shows.
    const operator: Principal = { kind: "operator", name: "test" };
    for (const p of [scientist, viewer]) {
      if (p.kind !== "user") continue;
      p.id = (
        await createUser(
          { db: database.db, principal: operator },
          { email: p.email, password: "a long test password", roles: [...p.roles] },
        )
      ).id;
    }
    const sha = "c".repeat(64);
    await createModel(as(scientist), { name: "rep-bin", task: "binary_classification", owner: "test" });
    await createModel(as(scientist), { name: "rep-reg", task: "regression", owner: "test" });
    await createModel(as(scientist), { name: "rep-other", task: "binary_classification", owner: "test" });
    for (let i = 0; i < 3; i++)
      await registerVersion(as(scientist), "rep-bin", { artifactUri: `s3://b/${i}`, artifactSha256: sha, config: {} });
    await registerVersion(as(scientist), "rep-reg", { artifactUri: "s3://r/1", artifactSha256: sha, config: {} });
    await registerVersion(as(scientist), "rep-other", { artifactUri: "s3://o/1", artifactSha256: sha, config: {} });
    await registerDataset(as(scientist), {
      name: "rep-holdout",
      role: "test",
      rowCount: 3000,
      hash: "sha256:rep-holdout",
      uri: "s3://d/h",
    });
  });
  afterAll(async () => database?.close());

  it("computes binary metrics with the engine's numbers and intervals, confusion, baselines, and audits without outcomes", async () => {
    const rows = binaryRows(3000);
    const { y, p, s } = columns(rows);
    const before = await database.db
      .select({ at: models.lastActivityAt })
      .from(models)
      .where(eq(models.name, "rep-bin"));
    const { report, created } = await createReport(as(scientist), {
      model: "rep-bin",
      version: 1,
      kind: "holdout",
      dataset: { name: "rep-holdout", version: 1 },
      sampleSize: 3000,
      metrics: { latency_p95_ms: 31 },
      outcomes: rows,
    });
    expect(created).toBe(true);
    const expected = {
      accuracy: [accuracy(y, p), bootstrapAccuracy(y, p, opts)],
      f1: [f1(y, p), bootstrapF1(y, p, opts)],
      auc: [rocAuc(y, s), bootstrapAuc(y, s, opts)],
      log_loss: [logLoss(y, s), bootstrapLogLoss(y, s, opts)],
      brier: [brierScore(y, s), bootstrapBrier(y, s, opts)],
    } as const;
    for (const [name, [value, iv]] of Object.entries(expected)) {
      expect(report.metrics[name], name).toEqual({ value, ci: [iv.lo, iv.hi], source: "computed" });
    }
    expect(report.metrics.precision?.value).toBe(precision(y, p));
    expect(report.metrics.recall?.value).toBe(recall(y, p));
    // Precision and recall go through the same count path; check them against the generic bootstrap.
    for (const [name, metric] of [
      ["precision", precision],
      ["recall", recall],
    ] as const) {
      const generic = bootstrapMetric((a, b) => metric(a, b), [y, p], opts);
      const [lo, hi] = report.metrics[name]!.ci!;
      expect(Math.abs(lo - generic.lo), name).toBeLessThan(0.15 * (generic.hi - generic.lo));
      expect(Math.abs(hi - generic.hi), name).toBeLessThan(0.15 * (generic.hi - generic.lo));
    }
    expect(report.metrics.latency_p95_ms).toEqual({ value: 31, source: "posted" });
    const positives = y.reduce((a, b) => a + b, 0) / y.length;
    expect(report.metrics.baseline_zero_rule_accuracy?.value).toBeCloseTo(1 - positives, 12);
    expect(report.metrics.baseline_random_accuracy?.value).toBeCloseTo(positives ** 2 + (1 - positives) ** 2, 12);
    expect(report.metrics.baseline_zero_rule_auc?.value).toBe(0.5);
    const cm = report.confusion!;
    expect(cm.tn + cm.fp + cm.fn + cm.tp).toBe(3000);
    expect((cm.tp + cm.tn) / 3000).toBe(accuracy(y, p));
    expect(report.outcomeCount).toBe(3000);
    expect(report.disagreements).toEqual([]);

    const [audit] = await database.db.select().from(auditLog).where(eq(auditLog.entityId, report.id));
    expect(audit).toMatchObject({ action: "report.created", actorLabel: scientist.email });
    expect(JSON.stringify(audit?.after)).not.toContain("ex-17");
    const [after] = await database.db
      .select({ at: models.lastActivityAt })
      .from(models)
      .where(eq(models.name, "rep-bin"));
    expect(after!.at.getTime()).toBeGreaterThanOrEqual(before[0]!.at.getTime());
  });

  it("computes regression metrics: RMSE and MAE as the engine does, R² with a matching interval", async () => {
    const rng = createRng(7);
    const rows = Array.from({ length: 2000 }, (_, i) => {
      const label = 250_000 + 80_000 * rng.nextDouble();
      return { id: `h${i}`, label, prediction: label + 20_000 * (rng.nextDouble() - 0.5) + 3000 };
    });
    const y = Float64Array.from(rows, (r) => r.label),
      p = Float64Array.from(rows, (r) => r.prediction);
    const { report } = await createReport(as(scientist), {
      model: "rep-reg",
      version: 1,
      kind: "holdout",
      sampleSize: 2000,
      outcomes: rows,
    });
    const rm = bootstrapRmse(y, p, opts),
      ma = bootstrapMae(y, p, opts);
    expect(report.metrics.rmse).toEqual({ value: rmse(y, p), ci: [rm.lo, rm.hi], source: "computed" });
    expect(report.metrics.mae).toEqual({ value: mae(y, p), ci: [ma.lo, ma.hi], source: "computed" });
    expect(report.metrics.r2?.value).toBe(r2(y, p));
    const generic = bootstrapMetric((a, b) => r2(a, b), [y, p], opts);
    const [lo, hi] = report.metrics.r2!.ci!;
    expect(Math.abs(lo - generic.lo)).toBeLessThan(0.15 * (generic.hi - generic.lo));
    expect(Math.abs(hi - generic.hi)).toBeLessThan(0.15 * (generic.hi - generic.lo));
    expect(report.metrics.baseline_zero_rule_rmse?.value).toBeGreaterThan(report.metrics.rmse!.value);
    expect(report.confusion).toBeNull();
  });

  it("flags posted metrics that disagree with the outcomes, keeps those that agree", async () => {
    const rows = binaryRows(400, 3, "dis");
    const { y, p } = columns(rows);
    const acc = accuracy(y, p);
    const { report } = await createReport(as(scientist), {
      model: "rep-bin",
      version: 2,
      kind: "holdout",
      sampleSize: 400,
      outcomes: rows,
      metrics: { accuracy: Math.min(1, acc + 0.05), f1: f1(y, p) + 0.0005, auc: 0.99 },
    });
    expect(report.disagreements).toEqual([
      { metric: "accuracy", posted: Math.min(1, acc + 0.05), computed: acc },
      { metric: "auc", posted: 0.99, computed: report.metrics.auc!.value },
    ]);
    expect(report.metrics.accuracy).toMatchObject({ value: acc, source: "computed", posted: Math.min(1, acc + 0.05) });
    expect(report.metrics.f1?.posted).toBeUndefined();
    const listed = await listReports(as(viewer), "rep-bin", 2);
    expect(listed.reports.map((r) => r.disagreements.length)).toEqual([2]);
  });

  it("refuses bad reports with a clear error and stores nothing", async () => {
    const before = await counts();
    const base = { model: "rep-bin", version: 1, kind: "holdout" as const, sampleSize: 3, metrics: { accuracy: 0.5 } };
    const rows = [
      { id: "a", label: 1, prediction: 1 },
      { id: "b", label: 0, prediction: 0 },
      { id: "a", label: 0, prediction: 1 },
    ];
    const refusal = async (p: Promise<unknown>) =>
      p.then(
        () => "stored",
        (e: unknown) => e,
      );

    const dup = await refusal(createReport(as(scientist), { ...base, outcomes: rows }));
    expect(dup).toBeInstanceOf(InvalidInputError);
    expect(dup).toMatchObject({
      field: "outcomes.2.id",
      reason: expect.stringContaining('"a" repeats the id of outcomes.0'),
    });

    const ndjson = await readNdjsonReport(
      streamOf(`${JSON.stringify(base)}\n${rows.map((r) => JSON.stringify(r)).join("\n")}\n`),
    );
    expect(await refusal(createReport(as(scientist), ndjson.header as typeof base, ndjson.outcomes))).toMatchObject({
      field: "line 4",
      reason: expect.stringContaining("repeats the id of line 2"),
    });

    expect(await refusal(createReport(as(scientist), { ...base, model: "rep-other", version: 3 }))).toMatchObject({
      field: "version",
      reason: expect.stringContaining("rep-other has no version 3"),
    });
    expect(await refusal(createReport(as(scientist), { ...base, model: "no-such-model" }))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await refusal(createReport(as(scientist), { ...base, dataset: { name: "rep-holdout", version: 9 } })),
    ).toMatchObject({ field: "dataset" });
    expect(await refusal(createReport(as(scientist), { ...base, metrics: { accuracy: Number.NaN } }))).toBeInstanceOf(
      ZodError,
    );
    expect(
      await refusal(createReport(as(scientist), { ...base, metrics: { auc: Number.POSITIVE_INFINITY } })),
    ).toBeInstanceOf(ZodError);
    expect(await refusal(createReport(as(scientist), { ...base, metrics: { accuracy: 1.01 } }))).toBeInstanceOf(
      ZodError,
    );
    expect(await refusal(createReport(as(scientist), { ...base, metrics: { rmse: -0.2 } }))).toBeInstanceOf(ZodError);
    expect(
      await refusal(createReport(as(scientist), { ...base, sampleSize: 5, outcomes: rows.slice(0, 2) })),
    ).toMatchObject({ field: "sampleSize" });
    expect(
      await refusal(
        createReport(as(scientist), { ...base, outcomes: [{ id: "x", label: 3, prediction: 1 }], sampleSize: 1 }),
      ),
    ).toMatchObject({ field: "outcomes.0.label" });
    expect(await refusal(createReport(as(viewer), base))).toBeInstanceOf(ForbiddenError);
    expect(await counts()).toEqual(before);
  });

  it("returns the stored report for a repeat, posted as JSON or as NDJSON", async () => {
    const rows = binaryRows(500, 5, "idem");
    const body = {
      model: "rep-bin",
      version: 3,
      kind: "backtest" as const,
      periodStart: "2026-01-01",
      periodEnd: "2026-01-31",
      sampleSize: 500,
      metrics: { latency_p95_ms: 20 },
    };
    const first = await createReport(as(scientist), { ...body, outcomes: rows });
    const before = await counts();
    const again = await createReport(as(scientist), { ...body, outcomes: rows });
    expect(again).toMatchObject({ created: false, report: { id: first.report.id } });
    // Key order and transport do not matter: the content hash is of the canonical report.
    const { model, ...rest } = body;
    const ndjson = await readNdjsonReport(
      streamOf(`${JSON.stringify({ ...rest, model })}\n${rows.map((r) => JSON.stringify(r)).join("\n")}`),
    );
    const viaLines = await createReport(as(scientist), ndjson.header as typeof body, ndjson.outcomes);
    expect(viaLines).toMatchObject({ created: false, report: { id: first.report.id } });
    expect(await counts()).toEqual(before);
    const changed = await createReport(as(scientist), {
      ...body,
      outcomes: rows.map((r, i) => (i === 0 ? { ...r, score: 0.5 } : r)),
    });
    expect(changed.created).toBe(true);
  });

  it("stores outcomes in chunks that readOutcomes gives back exactly", async () => {
    const n = CHUNK_ROWS + 1234;
    const rows = binaryRows(n, 9, "rt");
    const { report } = await createReport(as(scientist), {
      model: "rep-bin",
      version: 3,
      kind: "holdout",
      sampleSize: n,
      outcomes: rows,
    });
    const chunks = await readOutcomeChunks(database.db, report.id);
    expect(chunks.map((c) => c.rows).sort((a, b) => b - a)).toEqual([CHUNK_ROWS, 1234]);
    const back = await readOutcomes(database.db, report.id);
    const { y, p, s } = columns(rows);
    expect(back.ids).toEqual(rows.map((r) => r.id));
    expect(back.labels).toEqual(y);
    expect(back.predictions).toEqual(p);
    expect(back.scores).toEqual(s);
    const none = await createReport(as(scientist), {
      model: "rep-bin",
      version: 3,
      kind: "online",
      sampleSize: 10,
      metrics: { accuracy: 0.8 },
    });
    expect(await readOutcomes(database.db, none.report.id)).toEqual({
      ids: [],
      labels: new Float64Array(0),
      predictions: new Float64Array(0),
      scores: null,
    });
  });

  it("reads back reports stored in the earlier 50,000-row chunks", async () => {
    const rows = binaryRows(51_234, 10, "old");
    const { y, p, s } = columns(rows);
    const { report } = await createReport(as(scientist), {
      model: "rep-bin",
      version: 3,
      kind: "online",
      sampleSize: rows.length,
      metrics: { accuracy: 0.8 },
    });
    const parts = [
      [0, 50_000],
      [50_000, rows.length],
    ] as const;
    const [upload] = await database.db.insert(outcomeUploads).values({}).returning();
    await database.db.insert(reportOutcomeChunks).values(
      parts.map(([from, to], chunk) => ({
        uploadId: upload!.id,
        chunk,
        rows: to - from,
        ids: rows
          .slice(from, to)
          .map((r) => r.id)
          .join("\n"),
        labels: float64ToBytes(y.subarray(from, to)),
        predictions: float64ToBytes(p.subarray(from, to)),
        scores: float64ToBytes(s.subarray(from, to)),
      })),
    );
    await database.db
      .update(evaluationReports)
      .set({ outcomeUploadId: upload!.id })
      .where(eq(evaluationReports.id, report.id));
    const back = await readOutcomes(database.db, report.id);
    expect(back.ids).toEqual(rows.map((r) => r.id));
    expect([back.labels, back.predictions, back.scores]).toEqual([y, p, s]);
  });

  it("judges a report against the active requirements that apply to it", async () => {
    const [model] = await database.db.select().from(models).where(eq(models.name, "rep-bin"));
    const [set] = await database.db
      .insert(requirementSets)
      .values({
        modelId: model!.id,
        version: 1,
        status: "active",
        primaryMetric: "auc",
        rationale: "test",
        proposedByLabel: "test",
      })
      .returning();
    await database.db.insert(requirements).values([
      { setId: set!.id, metric: "auc", direction: "higher", floor: 0.5 },
      { setId: set!.id, metric: "latency_p95_ms", direction: "lower", floor: 25, reportKinds: ["holdout"] },
      { setId: set!.id, metric: "recall", direction: "higher", floor: 0.1, slice: "region=EU" },
    ]);
    const [holdout] = (await listReports(as(viewer), "rep-bin", 1)).reports;
    const { report, checks, requirementSet } = await getReport(as(viewer), holdout!.id);
    expect(report).toMatchObject({ modelName: "rep-bin", version: 1, datasetName: "rep-holdout", kind: "holdout" });
    expect(requirementSet).toEqual({ version: 1, primaryMetric: "auc" });
    expect(checks.map((c) => [c.requirement.metric, c.result.status, c.result.usedInterval])).toEqual([
      ["auc", "pass", true],
      ["latency_p95_ms", "fail", false],
    ]);
    expect(checks[0]!.result.judged).toBe(report.metrics.auc!.ci![0]);
    const listed = await listReports(as(viewer), "rep-bin", 3);
    expect(listed.requirementSet?.requirements.map((r) => r.metric)).toEqual(["auc", "latency_p95_ms", "recall"]);
    await expect(getReport(as(viewer), "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
    await expect(listReports(as(viewer), "rep-bin", 99)).rejects.toBeInstanceOf(NotFoundError);
  });
});
