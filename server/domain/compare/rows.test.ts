import { describe, expect, it } from "vitest";
import { benjaminiHochberg } from "@/server/stats";
import { onlineArm } from "./online";
import type { CompareReport } from "./pairing";
import { adjustPValues, intervalVerdict, onlyDifferences, storedRow, tally, type MetricRow } from "./rows";
import { operationalMetrics, requirementStatus } from "./summaries";

const iv = (value: number, lo?: number, hi?: number) => ({
  value,
  ci: lo === undefined ? null : ([lo, hi!] as [number, number]),
});

describe("verdicts from stored intervals (no shared outcomes)", () => {
  it("calls better or worse only when the intervals do not overlap, with the margin on the worse side", () => {
    expect(intervalVerdict("higher", iv(0.8, 0.78, 0.82), iv(0.85, 0.83, 0.87))).toBe("better");
    expect(intervalVerdict("higher", iv(0.8, 0.78, 0.82), iv(0.75, 0.73, 0.77))).toBe("worse");
    expect(intervalVerdict("higher", iv(0.8, 0.78, 0.82), iv(0.75, 0.73, 0.77), 0.02)).toBe("no detectable difference");
    expect(intervalVerdict("higher", iv(0.8, 0.78, 0.82), iv(0.81, 0.79, 0.83))).toBe("no detectable difference");
    expect(intervalVerdict("lower", iv(100, 90, 110), iv(70, 60, 80))).toBe("better");
    expect(intervalVerdict("lower", iv(100, 90, 110), iv(130, 120, 140), 5)).toBe("worse");
  });

  it('says "not tested" when either value has no interval: nothing was tested, so nothing was found either', () => {
    expect(intervalVerdict("higher", iv(0.8), iv(0.9, 0.88, 0.92))).toBe("not tested");
    expect(intervalVerdict("lower", iv(100, 90, 110), iv(300))).toBe("not tested");
  });

  it("states the method: intervals when both have one, point estimates otherwise", () => {
    const row = storedRow(
      "auc",
      { value: 0.8, ci: [0.78, 0.82], source: "computed" },
      { value: 0.85, ci: [0.83, 0.87], source: "computed" },
      0.005,
      "higher",
    );
    expect(row).toMatchObject({ method: "intervals", verdict: "better", difference: { ci: null }, pValue: null });
    expect(row.difference.value).toBeCloseTo(0.05, 12);
    expect(
      storedRow("latency_p95_ms", { value: 30, source: "posted" }, { value: 60, source: "posted" }, 0, "lower"),
    ).toMatchObject({ method: "point estimates", verdict: "not tested" });
  });
});

const row = (metric: string, pValue: number | null, verdict: MetricRow["verdict"]): MetricRow => ({
  metric,
  direction: "higher",
  a: iv(0),
  b: iv(0),
  difference: iv(0),
  method: "paired",
  test: null,
  pValue,
  pAdjusted: null,
  margin: 0,
  verdict,
  note: null,
});

describe("multiple testing and the differences-only switch", () => {
  it("adjusts every p-value on the page together (Benjamini–Hochberg) and leaves rows without one alone", () => {
    const groups = [
      { key: "g1", rows: [row("auc", 0.01, "better"), row("f1", null, "better")] },
      { key: "g2", rows: [row("auc", 0.04, "no detectable difference"), row("accuracy", 0.03, "worse")] },
    ];
    const out = adjustPValues(groups);
    const expected = benjaminiHochberg([0.01, 0.04, 0.03]).adjusted;
    expect(out.flatMap((g) => g.rows.map((r) => r.pAdjusted))).toEqual([expected[0], null, expected[1], expected[2]]);
    expect(groups[0]!.rows[0]!.pAdjusted).toBeNull(); // input untouched
    expect(onlyDifferences(out).map((g) => [g.key, g.rows.map((r) => r.metric)])).toEqual([
      ["g1", ["auc", "f1"]],
      ["g2", ["accuracy"]],
    ]);
    expect(tally(out.flatMap((g) => g.rows))).toEqual({ better: 2, worse: 1, same: 1, notTested: 0 });
  });

  it('keeps "not tested" rows out of the differences and counts them apart from "no detectable difference"', () => {
    const groups = [
      {
        key: "g",
        rows: [
          row("latency_p95_ms", null, "not tested"),
          row("auc", 0.2, "no detectable difference"),
          row("f1", null, "worse"),
        ],
      },
    ];
    expect(onlyDifferences(groups).flatMap((g) => g.rows.map((r) => r.metric))).toEqual(["f1"]);
    expect(tally(groups[0]!.rows)).toEqual({ better: 0, worse: 1, same: 1, notTested: 1 });
  });
});

let n = 0;
const report = (over: Partial<CompareReport>): CompareReport => ({
  id: `r${++n}`,
  kind: "backtest",
  datasetId: null,
  datasetName: null,
  datasetVersion: null,
  periodStart: null,
  periodEnd: null,
  slice: "",
  sampleSize: 500,
  outcomeCount: 0,
  contentHash: `h${n}`,
  metrics: {},
  createdAt: new Date(2026, 0, n),
  ...over,
});
const m = (value: number, ci?: [number, number]) => ({ value, ci, source: "computed" as const });
const set = {
  version: 1,
  primaryMetric: "auc",
  requiredReportKinds: [],
  requirements: [{ metric: "auc", direction: "higher" as const, floor: 0.7, target: null, reportKinds: [], slice: "" }],
};

describe("summaries beside the tables", () => {
  it("reports each version's latest latency and size, and the gate's requirement check", () => {
    const a = [
      report({
        kind: "holdout",
        outcomeCount: 500,
        confusion: { tn: 300, fp: 90, fn: 30, tp: 80 },
        metrics: { latency_p95_ms: m(30), auc: m(0.8, [0.75, 0.85]) },
      }),
    ];
    const b = [
      report({ kind: "holdout", metrics: { latency_p95_ms: m(64), model_size_mb: m(12) } }),
      report({ kind: "nowtest", metrics: { latency_p95_ms: m(61) } }),
    ];
    expect(operationalMetrics(a, b)).toEqual([
      { metric: "latency_p95_ms", a: { value: 30, kind: "holdout" }, b: { value: 61, kind: "nowtest" } },
      { metric: "model_size_mb", a: null, b: { value: 12, kind: "holdout" } },
    ]);
    expect(requirementStatus(set, 3, a)).toMatchObject({ id: "requirements", status: "pass" });
    expect(requirementStatus(null, 3, a).status).toBe("insufficient");
    // The gate's evidence rules hold on the page too: 30 outcomes are not enough.
    const thin = [
      report({
        kind: "holdout",
        outcomeCount: 30,
        confusion: { tn: 15, fp: 5, fn: 3, tp: 7 },
        metrics: { auc: m(0.9, [0.8, 0.97]) },
      }),
    ];
    expect(requirementStatus(set, 3, thin).details[0]).toMatchObject({
      status: "insufficient",
      note: "30 outcomes, needs 200",
    });
  });
});

describe("online evidence", () => {
  it("is accuracy per arm with a Wilson interval, and nothing without labels", () => {
    const arm = onlineArm("canary", 5, 45, 50)!;
    expect(arm).toMatchObject({ arm: "canary", version: 5, accuracy: 0.9 });
    expect(arm.ci[0]).toBeCloseTo(0.7864, 3); // statsmodels proportion_confint(45, 50, method="wilson")
    expect(arm.ci[1]).toBeCloseTo(0.9565, 3);
    expect(onlineArm("shadow", 5, 0, 0)).toBeNull();
  });
});
