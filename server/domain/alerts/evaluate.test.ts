import { describe, expect, it } from "vitest";
import { createRng } from "@/server/stats/rng";
import { judgeLiveAccuracy, judgeModelAge, judgeNowtest, judgeWindow, type RuleToJudge } from "./evaluate";
import { weightedAccuracy } from "@/server/stats/feedback";
import type { AlertRuleParams } from "./params";
import { sampleWindowSummary } from "./sample-window";

const rng = createRng(7);
const normal = (n: number, mean: number, sd: number) =>
  Array.from({ length: n }, () => {
    // Box–Muller: enough for test data.
    const u = 1 - rng.nextDouble();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  });
const pick = (n: number, options: string[], weights: number[]) =>
  Array.from({ length: n }, () => {
    let r = rng.nextDouble();
    for (let i = 0; i < options.length; i++) if ((r -= weights[i]!) < 0) return options[i]!;
    return options[options.length - 1]!;
  });

const start = new Date("2026-11-29T00:00:00Z");
const reference = {
  income: normal(500, 50_000, 10_000),
  age: normal(500, 40, 10),
  region: pick(500, ["north", "south", "east"], [0.4, 0.3, 0.3]),
};
const referenceOutputs = normal(500, 0.3, 0.1);
/** income shifted by two standard deviations; age and region exactly as in the reference (no chance of a false alarm). */
const drifted = sampleWindowSummary({
  windowStart: start,
  reference,
  current: {
    income: normal(400, 70_000, 10_000),
    age: reference.age,
    region: reference.region,
  },
  outputs: { reference: referenceOutputs, current: normal(400, 0.6, 0.1) },
  latenciesMs: Array.from({ length: 100 }, (_, i) => i + 1),
});
const calm = sampleWindowSummary({
  windowStart: start,
  reference,
  current: reference,
  outputs: { reference: referenceOutputs, current: referenceOutputs },
  latenciesMs: Array.from({ length: 100 }, () => 5),
});
/** No reference: drift was not measured; no latency reported. */
const unmeasured = sampleWindowSummary({ windowStart: start, reference: null, current: { income: normal(50, 1, 1) } });

const rule = (params: AlertRuleParams, granularity: RuleToJudge["granularity"] = "day"): RuleToJudge => ({
  name: "watch",
  params,
  granularity,
});
const firing = (fs: { subject: string; firing: boolean }[]) => fs.filter((f) => f.firing).map((f) => f.subject);

describe("alert rules on a monitoring window", () => {
  it("feature drift: fires per drifted feature in scope (all, important, named) and clears the calm ones", () => {
    const all = judgeWindow(rule({ kind: "feature_drift", features: "all" }), drifted, []);
    expect(all.map((f) => f.subject).sort()).toEqual(["age", "income", "region"]);
    expect(firing(all)).toEqual(["income"]);
    expect(all.find((f) => f.subject === "income")).toMatchObject({ feature: "income", evidence: { method: "ks" } });
    expect(
      judgeWindow(rule({ kind: "feature_drift", features: "important" }), drifted, ["age"]).map((f) => f.subject),
    ).toEqual(["age"]);
    expect(firing(judgeWindow(rule({ kind: "feature_drift", features: ["region"] }), drifted, []))).toEqual([]);
    expect(firing(judgeWindow(rule({ kind: "feature_drift", features: "all" }), calm, []))).toEqual([]);
  });

  it("dataset drift: fires when at least half the features drift", () => {
    const [one] = judgeWindow(rule({ kind: "dataset_drift" }), drifted, []);
    expect(one).toMatchObject({ subject: "dataset", firing: false }); // 1 of 3
    const most = sampleWindowSummary({
      windowStart: start,
      reference,
      current: {
        income: normal(400, 70_000, 10_000),
        age: normal(400, 60, 10),
        region: reference.region,
      },
    });
    const [two] = judgeWindow(rule({ kind: "dataset_drift" }), most, []);
    expect(two).toMatchObject({ subject: "dataset", firing: true, evidence: { drifted: ["income", "age"] } });
  });

  it("data quality: missing, new-category and out-of-range shares against the limit", () => {
    const current = {
      income: [...normal(90, 50_000, 10_000), ...Array(10).fill(null)],
      age: [...normal(80, 40, 5), ...Array(20).fill(500)],
      region: [...pick(70, ["north", "south"], [0.5, 0.5]), ...Array(30).fill("west")],
    };
    const s = sampleWindowSummary({ windowStart: start, reference, current });
    const missing = judgeWindow(
      rule({ kind: "data_quality", measure: "missing_share", limit: 0.05, features: "all" }),
      s,
      [],
    );
    expect(firing(missing)).toEqual(["income"]);
    expect(missing.find((f) => f.subject === "income")!.evidence).toMatchObject({ value: 0.1, limit: 0.05 });
    const newCats = judgeWindow(
      rule({ kind: "data_quality", measure: "new_category_share", limit: 0.2, features: "all" }),
      s,
      [],
    );
    // Only categorical columns have new categories: numerical ones are not judged on them.
    expect(newCats.map((f) => f.subject)).toEqual(["region"]);
    expect(firing(newCats)).toEqual(["region"]);
    const range = judgeWindow(
      rule({ kind: "data_quality", measure: "out_of_range_share", limit: 0.1, features: ["age", "region"] }),
      s,
      [],
    );
    expect(range.map((f) => [f.subject, f.firing])).toEqual([["age", true]]);
    expect(
      firing(
        judgeWindow(rule({ kind: "data_quality", measure: "out_of_range_share", limit: 0.25, features: "all" }), s, []),
      ),
    ).toEqual([]);
  });

  it("output drift and latency p95", () => {
    expect(judgeWindow(rule({ kind: "output_drift" }), drifted, [])).toMatchObject([
      { subject: "output", firing: true },
    ]);
    expect(judgeWindow(rule({ kind: "output_drift" }), calm, [])).toMatchObject([{ subject: "output", firing: false }]);
    const [slow] = judgeWindow(rule({ kind: "latency_p95", limitMs: 90 }), drifted, []);
    expect(slow).toMatchObject({ subject: "latency", firing: true, evidence: { p95: 95.05, limitMs: 90 } });
    expect(judgeWindow(rule({ kind: "latency_p95", limitMs: 96 }), drifted, [])[0]!.firing).toBe(false);
  });

  it("not measured (no reference, no latency, no output) gives no finding: nothing opens, nothing resolves", () => {
    for (const params of [
      { kind: "feature_drift", features: "all" },
      { kind: "dataset_drift" },
      { kind: "data_quality", measure: "missing_share", limit: 0, features: "all" },
      { kind: "output_drift" },
      { kind: "latency_p95", limitMs: 1 },
    ] as AlertRuleParams[]) {
      expect(judgeWindow(rule(params), unmeasured, []), params.kind).toEqual([]);
    }
    // A column with no usable value on one side is not measured either.
    const empty = sampleWindowSummary({
      windowStart: start,
      reference,
      current: { income: Array(10).fill(null), age: normal(10, 40, 10), region: pick(10, ["north"], [1]) },
    });
    expect(judgeWindow(rule({ kind: "feature_drift", features: ["income"] }), empty, [])).toEqual([]);
  });

  it("judges only windows of the rule's granularity; age and now-test rules never judge windows", () => {
    expect(judgeWindow(rule({ kind: "feature_drift", features: "all" }, "hour"), drifted, [])).toEqual([]);
    expect(judgeWindow(rule({ kind: "model_age", maxDays: 1 }), drifted, [])).toEqual([]);
  });
});

describe("alert rules checked periodically", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  it("model age: fires past the limit, not at it; no champion gives no finding", () => {
    const age = rule({ kind: "model_age", maxDays: 30 });
    const since = (days: number) => new Date(now.getTime() - days * 86_400_000);
    expect(judgeModelAge(age, { version: 3, since: since(31) }, now)).toMatchObject([
      { subject: "champion", firing: true, evidence: { days: 31 } },
    ]);
    expect(judgeModelAge(age, { version: 3, since: since(30) }, now)[0]!.firing).toBe(false);
    expect(judgeModelAge(age, null, now)).toEqual([]);
  });

  it("now-test: below a floor (or above a ceiling) fires, judged on the pessimistic end of the interval", () => {
    const nowtest = rule({ kind: "nowtest_floor" });
    const reqs = [
      { metric: "auc", direction: "higher" as const, floor: 0.8, target: null, reportKinds: [], slice: "" },
      {
        metric: "latency_p95_ms",
        direction: "lower" as const,
        floor: 50,
        target: null,
        reportKinds: ["nowtest"],
        slice: "",
      },
      { metric: "auc", direction: "higher" as const, floor: 0.7, target: null, reportKinds: ["backtest"], slice: "" },
    ];
    const report = (metrics: Record<string, { value: number; ci?: [number, number] }>) => ({
      id: "r1",
      kind: "nowtest",
      slice: "",
      version: 4,
      metrics: Object.fromEntries(
        Object.entries(metrics).map(([k, m]) => [
          k,
          { ...m, source: m.ci ? ("computed" as const) : ("posted" as const) },
        ]),
      ),
    });
    const out = judgeNowtest(nowtest, reqs, [
      report({ auc: { value: 0.82, ci: [0.78, 0.86] }, latency_p95_ms: { value: 40 } }),
    ]);
    expect(out.map((f) => [f.subject, f.firing])).toEqual([
      ["auc", true],
      ["latency_p95_ms", false],
    ]);
    expect(out[0]!.evidence).toMatchObject({ value: 0.82, judged: 0.78, floor: 0.8 });
    // A metric the report lacks is not measured; no now-test at all, nothing.
    expect(judgeNowtest(nowtest, reqs, [report({ auc: { value: 0.9 } })]).map((f) => [f.subject, f.firing])).toEqual([
      ["auc", false],
    ]);
    expect(judgeNowtest(nowtest, reqs, [])).toEqual([]);
  });
});

describe("live accuracy against the accuracy floor", () => {
  const rule: RuleToJudge = { name: "Live", params: { kind: "live_accuracy", lastLabels: 200 }, granularity: "day" };
  const labels = (right: number, wrong: number) => ({
    accuracy: weightedAccuracy([
      ...Array.from({ length: right }, () => ({ correct: true, inclusionProbability: 1 })),
      ...Array.from({ length: wrong }, () => ({ correct: false, inclusionProbability: 1 })),
    ]),
    from: null,
    to: null,
  });
  const floor = { floor: 0.8, requirementSetVersion: 2 };
  it("fires only when the whole interval is below the floor", () => {
    // 70 of 100: even the upper bound (≈ 0.79) is below 0.8.
    expect(judgeLiveAccuracy(rule, { version: 3 }, labels(70, 30), floor)[0]!.firing).toBe(true);
    // 7 of 10: the same estimate, a wide interval that reaches the floor: not (yet) evidence.
    expect(judgeLiveAccuracy(rule, { version: 3 }, labels(7, 3), floor)[0]!.firing).toBe(false);
    expect(judgeLiveAccuracy(rule, { version: 3 }, labels(95, 5), floor)[0]).toMatchObject({
      subject: "live_accuracy",
      firing: false,
      evidence: { labels: 100, floor: 0.8, requirementSetVersion: 2 },
    });
  });
  it("judges nothing without labels, without a floor, or without a champion", () => {
    expect(judgeLiveAccuracy(rule, { version: 3 }, labels(0, 0), floor)).toEqual([]);
    expect(judgeLiveAccuracy(rule, { version: 3 }, labels(1, 9), null)).toEqual([]);
    expect(judgeLiveAccuracy(rule, null, labels(1, 9), floor)).toEqual([]);
  });
});
