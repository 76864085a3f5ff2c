import { and, eq, inArray } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { alertRules, alerts, auditLog, models, outboxEvents, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Principal } from "@/server/authz/policy";
import { insertReport, makeUser } from "@/server/testing/fixtures";
import { openTestDatabase, testDatabaseKinds } from "@/server/testing/databases";
import { createRng } from "@/server/stats/rng";
import { ConflictError, ForbiddenError, InvalidInputError } from "../errors";
import { evaluateGate } from "../gate/evaluate";
import { createModel } from "../registry/models";
import { registerVersion } from "../registry/versions";
import { decideRelease } from "../releases/decide";
import { requestRelease } from "../releases/request";
import { proposeRequirementSet } from "../requirements/sets";
import { acknowledgeAlert, resolveAlert } from "./lifecycle";
import { checkModelAlerts } from "./periodic";
import { listAlerts, unresolvedAlertCounts } from "./queries";
import { monitoringPage } from "../monitoring/page";
import { saveAlertRule } from "./rules";
import { sampleWindowSummary } from "./sample-window";
import { evaluateAlertsForWindow } from "./window";

const rng = createRng(11);
const normal = (n: number, mean: number) =>
  Array.from(
    { length: n },
    () => mean + Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble()),
  );
const reference = { income: normal(300, 0), tenure: normal(300, 5) };
const windowAt = (day: number, current: typeof reference | null, latency?: number[]) =>
  sampleWindowSummary({
    windowStart: new Date(Date.UTC(2026, 10, day)),
    reference: current ? reference : null,
    current: current ?? { income: normal(10, 0), tenure: normal(10, 5) },
    latenciesMs: latency,
  });
/** income shifted by three standard deviations; tenure as in the reference. */
const driftedIncome = () => windowAt(20, { income: normal(200, 3), tenure: reference.tenure });
const calm = () => windowAt(21, reference);
const notMeasured = () => windowAt(22, null);

describe.each(testDatabaseKinds)("alerts on %s", (kind) => {
  let database: Database;
  let scientist: Principal, manager: Principal, manager2: Principal, viewer: Principal;
  let championId: string, challengerId: string, modelId: string;
  const as = (p: Principal) => ({ db: database.db, principal: p });
  const unresolved = async (ruleId: string) =>
    database.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.ruleId, ruleId), inArray(alerts.status, ["open", "acknowledged"])));

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    scientist = await makeUser(database.db, "scientist@test.dev", ["data_scientist"]);
    manager = await makeUser(database.db, "manager@test.dev", ["manager"]);
    manager2 = await makeUser(database.db, "manager2@test.dev", ["manager"]);
    viewer = await makeUser(database.db, "viewer@test.dev", ["viewer"]);
    await createModel(as(scientist), { name: "loans", task: "binary_classification", owner: "risk" });
    for (const v of [1, 2]) {
      await registerVersion(as(scientist), "loans", {
        artifactUri: `s3://m/${v}`,
        artifactSha256: "d".repeat(64),
        config: { v },
      });
    }
    await proposeRequirementSet(as(scientist), {
      model: "loans",
      primaryMetric: "auc",
      requiredReportKinds: ["holdout"],
      requirements: [{ metric: "auc", direction: "higher", floor: 0.7 }],
      rationale: "agreed in the launch review",
    });
    await insertReport(database.db, "loans", 1, "holdout", { auc: [0.75, 0.73, 0.77], baseline_zero_rule_auc: 0.5 });
    await insertReport(database.db, "loans", 2, "holdout", { auc: [0.78, 0.76, 0.8], baseline_zero_rule_auc: 0.5 });
    const first = await requestRelease(as(scientist), {
      model: "loans",
      version: 1,
      strategy: "full",
      rationale: "first launch of the model",
    });
    await decideRelease(as(manager), { releaseId: first.id, decision: "approve", note: "go ahead" });
    const [m] = await database.db.select().from(models).where(eq(models.name, "loans"));
    modelId = m!.id;
    const versions = await database.db.execute<{ id: string; version: number }>(
      `select id, version from model_versions where model_id = '${modelId}' order by version`,
    );
    championId = versions.rows[0]!.id;
    challengerId = versions.rows[1]!.id;
    await database.db.insert(webhookEndpoints).values({
      url: "https://receiver.example/hooks",
      secret: "s",
      events: ["alert.opened", "alert.resolved"],
    });
  });
  afterAll(async () => database?.close());

  it("lets only data scientists edit rules, audits each edit, and refuses bad settings storing nothing", async () => {
    const params = { kind: "latency_p95" as const, limitMs: 100 };
    for (const p of [manager, viewer]) {
      await expect(
        saveAlertRule(as(p), { model: "loans", name: "slow", severity: "warning", params }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    const bad = await saveAlertRule(as(scientist), {
      model: "loans",
      name: "slow",
      severity: "warning",
      params: { kind: "latency_p95", limitMs: -5 },
    }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ZodError);
    expect((bad as ZodError).issues[0]).toMatchObject({ path: ["params", "limitMs"], message: "more than 0 ms" });
    expect(await database.db.select().from(alertRules)).toHaveLength(0);

    const rule = await saveAlertRule(as(scientist), { model: "loans", name: "slow", severity: "warning", params });
    await saveAlertRule(as(scientist), {
      model: "loans",
      id: rule.id,
      name: "slow",
      severity: "critical",
      params: { kind: "latency_p95", limitMs: 80 },
    });
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.entityId, rule.id));
    expect(entries.map((e) => e.action)).toEqual(["alert_rule.created", "alert_rule.updated"]);
    expect(entries[1]!.before).toMatchObject({ severity: "warning", params: { limitMs: 100 } });
    expect(entries[1]!.after).toMatchObject({ severity: "critical", params: { limitMs: 80 } });
  });

  it("opens one alert per rule and subject however often (or however concurrently) the condition is seen", async () => {
    const rule = await saveAlertRule(as(scientist), {
      model: "loans",
      name: "Income drift",
      severity: "warning",
      params: { kind: "feature_drift", features: "all" },
    });
    const first = await evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: driftedIncome() });
    expect(first.opened).toHaveLength(1);
    await Promise.all([
      evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: driftedIncome() }),
      evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: driftedIncome() }),
    ]);
    const open = await unresolved(rule.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ subject: "income", feature: "income", status: "open", severity: "warning" });
    // The database itself refuses a second unresolved alert for the same rule and subject.
    await expect(
      database.db.insert(alerts).values({ ...open[0]!, id: undefined, openedAt: new Date(), lastSeenAt: new Date() }),
    ).rejects.toThrow();
    // Alerts watch the champion: a challenger's window is not judged.
    expect(
      await evaluateAlertsForWindow(database.db, { modelVersionId: challengerId, summary: driftedIncome() }),
    ).toMatchObject({ skipped: "not the champion", opened: [] });
  });

  it("never resolves on a window where drift was not measured; resolves itself once a measured window is calm", async () => {
    const [rule] = await database.db.select().from(alertRules).where(eq(alertRules.name, "Income drift"));
    const notJudged = await evaluateAlertsForWindow(database.db, {
      modelVersionId: championId,
      summary: notMeasured(),
    });
    expect(notJudged).toMatchObject({ opened: [], resolved: [] });
    expect(await unresolved(rule!.id)).toHaveLength(1);
    const cleared = await evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: calm() });
    expect(cleared.resolved).toHaveLength(1);
    const [done] = await database.db.select().from(alerts).where(eq(alerts.id, cleared.resolved[0]!));
    expect(done).toMatchObject({ status: "resolved", resolvedByLabel: "auto", resolvedBy: null });
    expect(done!.resolveNote).toMatch(/^The condition cleared/);
    // Drifting again opens a new alert; the resolved one stays in the history.
    expect(
      (await evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: driftedIncome() })).opened,
    ).toHaveLength(1);
    expect(await database.db.select().from(alerts).where(eq(alerts.ruleId, rule!.id))).toHaveLength(2);
  });

  it("leaves the alert open when the rule does not resolve by itself, and on not-measured latency", async () => {
    const rule = await saveAlertRule(as(scientist), {
      model: "loans",
      name: "Latency",
      severity: "warning",
      autoResolve: false,
      params: { kind: "latency_p95", limitMs: 50 },
    });
    // Windows without a reference (drift not measured) leave the drift alerts above as they are.
    const slow = windowAt(
      23,
      null,
      Array.from({ length: 20 }, (_, i) => 40 + i * 2),
    );
    expect(
      (await evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: slow })).opened.length,
    ).toBeGreaterThan(0);
    await evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: windowAt(24, null, [5, 6]) });
    await evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: windowAt(25, null) });
    expect(await unresolved(rule.id)).toHaveLength(1);
  });

  it("acknowledges and resolves with who, when and a note; refuses viewers and a second acknowledgement", async () => {
    const [open] = await database.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.subject, "income"), eq(alerts.status, "open")));
    await expect(acknowledgeAlert(as(viewer), { alertId: open!.id, note: "seen it" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(acknowledgeAlert(as(manager), { alertId: open!.id, note: "" })).rejects.toBeInstanceOf(ZodError);
    const acked = await acknowledgeAlert(as(manager), { alertId: open!.id, note: "looking at the income feed" });
    expect(acked).toMatchObject({
      status: "acknowledged",
      acknowledgedByLabel: "manager@test.dev",
      acknowledgeNote: "looking at the income feed",
    });
    expect(acked.acknowledgedAt).toBeInstanceOf(Date);
    await expect(acknowledgeAlert(as(scientist), { alertId: open!.id, note: "me too" })).rejects.toThrow(
      /already acknowledged by manager@test.dev/,
    );
    const done = await resolveAlert(as(scientist), { alertId: open!.id, note: "upstream fixed the unit" });
    expect(done).toMatchObject({
      status: "resolved",
      resolvedByLabel: "scientist@test.dev",
      resolveNote: "upstream fixed the unit",
    });
    await expect(resolveAlert(as(manager), { alertId: open!.id, note: "again" })).rejects.toBeInstanceOf(ConflictError);
    const trail = await database.db.select().from(auditLog).where(eq(auditLog.entityId, open!.id));
    expect(trail.map((e) => [e.action, e.actorLabel])).toEqual([
      ["alert.opened", "system:alerts"],
      ["alert.acknowledged", "manager@test.dev"],
      ["alert.resolved", "scientist@test.dev"],
    ]);
    expect(trail[2]!.after).toMatchObject({ note: "upstream fixed the unit", status: "resolved" });
  });

  it("sends alert.opened and alert.resolved through the webhook outbox (not acknowledgements)", async () => {
    const events = await database.db
      .select()
      .from(outboxEvents)
      .where(inArray(outboxEvents.type, ["alert.opened", "alert.resolved"]));
    const opened = events.filter((e) => e.type === "alert.opened");
    const resolved = events.filter((e) => e.type === "alert.resolved");
    // income opened twice (resolved by itself, then by a person) and latency once.
    expect(opened).toHaveLength(3);
    expect(resolved).toHaveLength(2);
    expect(opened[0]!.payload).toMatchObject({
      model: "loans",
      rule: "Income drift",
      subject: "income",
      severity: "warning",
    });
    const deliveries = await database.db.select().from(webhookDeliveries);
    expect(deliveries).toHaveLength(events.length);
  });

  it("lists alerts per model by status and counts the unresolved ones for the sidebar", async () => {
    const all = await listAlerts(as(viewer), { model: "loans", status: "all" });
    expect(all.total).toBe(3);
    expect((await listAlerts(as(viewer), { model: "loans", status: "resolved" })).alerts.map((a) => a.status)).toEqual([
      "resolved",
      "resolved",
    ]);
    const open = await listAlerts(as(viewer), { status: "unresolved" });
    expect(open.alerts.map((a) => [a.model, a.rule.name])).toEqual([["loans", "Latency"]]);
    expect(await unresolvedAlertCounts(as(viewer))).toEqual({ critical: 0, warning: 1, total: 1 });
  });

  it("blocks a release while a critical alert is unresolved, acknowledged or not, naming it; resolving unblocks", async () => {
    const rule = await saveAlertRule(as(scientist), {
      model: "loans",
      name: "Tenure drift",
      severity: "critical",
      params: { kind: "feature_drift", features: ["tenure"] },
    });
    const tenureDrift = windowAt(26, { income: reference.income, tenure: normal(200, 9) });
    await evaluateAlertsForWindow(database.db, { modelVersionId: championId, summary: tenureDrift });
    const opened = (await unresolved(rule.id)).map((a) => a.id);
    expect(opened).toHaveLength(1);
    // The monitoring page's tile counts the model's unresolved alerts, read afresh on each view.
    const tile = async () => (await monitoringPage(as(viewer), { model: "loans" })).tiles.alerts;
    const { unresolved: n } = await tile();
    expect(await tile()).toEqual({ unresolved: n, critical: 1, acknowledged: 0 });
    // The warnings still open from earlier cases are counted too, but do not block.
    expect(n).toBe((await listAlerts(as(viewer), { model: "loans", status: "unresolved" })).total);
    const req = await requestRelease(as(scientist), {
      model: "loans",
      version: 2,
      strategy: "full",
      rationale: "better AUC on the holdout",
    });
    const check = (
      req.gateAtRequest as { checks: { id: string; status: string; details: { title: string }[] }[] }
    ).checks.find((c) => c.id === "alerts")!;
    expect(check.status).toBe("fail");
    expect(check.details[0]!.title).toMatch(/^Tenure drift: drift in tenure \(open\)$/);
    await expect(
      decideRelease(as(manager2), { releaseId: req.id, decision: "approve", note: "looks fine" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await acknowledgeAlert(as(manager), { alertId: opened[0]!, note: "on it" });
    expect(await tile()).toEqual({ unresolved: n, critical: 1, acknowledged: 1 });
    await expect(
      decideRelease(as(manager2), { releaseId: req.id, decision: "approve", note: "looks fine" }),
    ).rejects.toThrow(/the gate does not pass/);
    await resolveAlert(as(manager), { alertId: opened[0]!, note: "tenure source fixed" });
    expect(await unresolved(rule.id)).toHaveLength(0);
    expect(await tile()).toEqual({ unresolved: n - 1, critical: 0, acknowledged: 0 });
    // The alert is not evidence: resolving it leaves the request's evidence unchanged, so no fresh request is needed.
    // (The warning-level alerts still open on this model do not block: only critical ones do.)
    const approved = await decideRelease(as(manager2), { releaseId: req.id, decision: "approve", note: "ok now" });
    expect(approved.status).toBe("approved");
  });

  it("checks champion age and now-test floors periodically (and when the rule is saved)", async () => {
    const age = await saveAlertRule(as(scientist), {
      model: "loans",
      name: "Stale champion",
      severity: "warning",
      params: { kind: "model_age", maxDays: 30 },
    });
    expect(await unresolved(age.id)).toHaveLength(0); // v2 just took office
    const later = new Date(Date.now() + 45 * 86_400_000);
    expect((await checkModelAlerts(database.db, modelId, later)).opened).toHaveLength(1);
    expect((await unresolved(age.id))[0]).toMatchObject({ subject: "champion", evidence: { version: 2, days: 45 } });
    expect((await checkModelAlerts(database.db, modelId, new Date())).resolved).toHaveLength(1);

    await insertReport(database.db, "loans", 2, "nowtest", { auc: [0.69, 0.66, 0.72] });
    const nowtest = await saveAlertRule(as(scientist), {
      model: "loans",
      name: "Now-test",
      severity: "critical",
      params: { kind: "nowtest_floor" },
    });
    const [fired] = await unresolved(nowtest.id);
    expect(fired).toMatchObject({
      subject: "auc",
      severity: "critical",
      evidence: { value: 0.69, judged: 0.66, floor: 0.7 },
    });
    const { gate } = await evaluateGate(
      database.db,
      (await database.db.select().from(models).where(eq(models.id, modelId)))[0]!,
      (await database.db.execute(`select * from model_versions where id = '${championId}'`)).rows[0] as never,
    );
    expect(gate.checks.find((c) => c.id === "alerts")!.details).toEqual([
      { title: "Now-test: now-test auc of v2 beyond its floor 0.7 (open)" },
    ]);
  });
});
