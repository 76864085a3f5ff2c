import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { binaryOutcomes } from "@/server/demo/synthetic";
import type { Principal } from "@/server/authz/policy";
import { makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { createReport } from "../reports/create";
import { proposeRequirementSet } from "../requirements/sets";
import { previewGate } from "./preview";

/** The README's three-example report, and a posted AUC, are claims, not evidence. */
describe.each(testDatabaseKinds)("gate evidence on %s", (kind) => {
  let database: Database;
  let scientist: Principal;
  const as = () => ({ db: database.db, principal: scientist });
  const requirementCheck = async (version: number) =>
    (await previewGate(as(), "scoring", version)).gate.checks.find((c) => c.id === "requirements")!;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    await createModel(as(), { name: "scoring", task: "binary_classification", owner: "risk" });
    for (let v = 1; v <= 3; v++)
      await registerVersion(as(), "scoring", {
        artifactUri: `s3://m/${v}`,
        artifactSha256: "f".repeat(64),
        config: { v },
      });
    await proposeRequirementSet(as(), {
      model: "scoring",
      primaryMetric: "auc",
      requiredReportKinds: ["holdout"],
      requirements: [
        { metric: "auc", direction: "higher", floor: 0.6 },
        { metric: "latency_p95_ms", direction: "lower", floor: 50, reportKinds: ["holdout"] },
      ],
      rationale: "launch",
    });
  });
  afterAll(async () => database?.close());

  it("does not count three outcomes with AUC 1 and interval [1, 1]", async () => {
    const { report } = await createReport(as(), {
      model: "scoring",
      version: 1,
      kind: "holdout",
      sampleSize: 3,
      metrics: { latency_p95_ms: 31 },
      outcomes: [
        { id: "a1", label: 1, prediction: 1, score: 0.91 },
        { id: "a2", label: 0, prediction: 0, score: 0.12 },
        { id: "a3", label: 1, prediction: 0, score: 0.44 },
      ],
    });
    expect(report.metrics.auc).toMatchObject({ value: 1, source: "computed" });
    const check = await requirementCheck(1);
    expect(check.status).toBe("insufficient");
    expect(check.details.find((d) => d.metric === "auc")).toMatchObject({
      status: "insufficient",
      note: "3 outcomes, needs 200",
      evidence: expect.stringContaining("n=3 computed"),
    });
    expect(check.details.find((d) => d.metric === "latency_p95_ms")).toMatchObject({ status: "pass" });
  });

  it("does not count a posted AUC, whatever sample size it claims", async () => {
    await createReport(as(), {
      model: "scoring",
      version: 2,
      kind: "holdout",
      sampleSize: 100_000,
      metrics: { auc: 0.97, latency_p95_ms: 20 },
    });
    const check = await requirementCheck(2);
    expect(check.status).toBe("insufficient");
    expect(check.details.find((d) => d.metric === "auc")?.note).toMatch(/posted, not computed from outcomes/);
  });

  it("counts enough computed outcomes, and follows the set's minimum when it is raised", async () => {
    await createReport(as(), {
      model: "scoring",
      version: 3,
      kind: "holdout",
      sampleSize: 400,
      metrics: { latency_p95_ms: 20 },
      outcomes: binaryOutcomes(7, 400, 1.2, 0.3, 70),
    });
    const check = await requirementCheck(3);
    expect(check.status).toBe("pass");
    expect(check.details.find((d) => d.metric === "auc")?.evidence).toMatch(
      /^holdout · n=400 computed · report [0-9a-f]{8}$/,
    );
    const raised = await proposeRequirementSet(as(), {
      model: "scoring",
      primaryMetric: "auc",
      requiredReportKinds: ["holdout"],
      minOutcomes: 1000,
      requirements: [
        { metric: "auc", direction: "higher", floor: 0.6 },
        { metric: "latency_p95_ms", direction: "lower", floor: 50, reportKinds: ["holdout"] },
      ],
      rationale: "more evidence",
    });
    expect(raised.status).toBe("active"); // more evidence is a tightening
    expect((await requirementCheck(3)).details.find((d) => d.metric === "auc")).toMatchObject({
      status: "insufficient",
      note: "400 outcomes, needs 1000",
    });
  });
});
