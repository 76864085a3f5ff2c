import { describe, expect, it } from "vitest";
import { keyMetricNames } from "@/server/domain/reports/metric-names";
import { formatMetric, periodLabel } from "../format";
import { backtestChartData, type ChartMetric as MetricValue, type ChartReport } from "./backtest";

let next = 0;
const report = (over: Partial<ChartReport> & { metrics: Record<string, MetricValue> }): ChartReport => ({
  id: `r${++next}`,
  kind: "backtest",
  slice: "",
  periodStart: null,
  periodEnd: null,
  createdAt: "2026-06-01T00:00:00Z",
  ...over,
});
const m = (value: number, ci?: [number, number]): MetricValue => ({ value, ...(ci && { ci }) });
const month = (ym: string, metrics: Record<string, MetricValue>, over: Partial<ChartReport> = {}) => {
  const [y, mo] = ym.split("-").map(Number) as [number, number];
  const end = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
  return report({ periodStart: `${ym}-01`, periodEnd: end, metrics, ...over });
};
const set = {
  primaryMetric: "auc",
  requirements: [
    { metric: "auc", direction: "higher" as const, floor: 0.7, target: null, reportKinds: [], slice: "" },
    {
      metric: "auc",
      direction: "higher" as const,
      floor: 0.65,
      target: null,
      reportKinds: ["backtest"],
      slice: "region=EU",
    },
    { metric: "rmse", direction: "lower" as const, floor: 3, target: null, reportKinds: ["holdout"], slice: "" },
  ],
};

describe("backtestChartData", () => {
  it("orders periods, labels months, carries intervals and the floor of the applicable requirement", () => {
    const data = backtestChartData(
      [
        month("2026-03", { auc: m(0.74, [0.71, 0.77]) }),
        month("2026-01", { auc: m(0.78, [0.75, 0.8]) }),
        month("2026-02", { auc: m(0.69) }),
      ],
      set,
    );
    expect(data).toMatchObject({ metric: "auc", slice: "", floor: 0.7, direction: "higher", omitted: 0 });
    expect(data!.points.map((p) => [p.label, p.value, p.band])).toEqual([
      ["2026-01", 0.78, [0.75, 0.8]],
      ["2026-02", 0.69, null],
      ["2026-03", 0.74, [0.71, 0.77]],
    ]);
    // The axis covers values, bands and the floor with some air, on round ticks.
    expect(data!.domain).toEqual([0.65, 0.85]);
    expect(data!.ticks).toEqual([0.65, 0.7, 0.75, 0.8, 0.85]);
  });

  it("uses the slice's own requirement, and no floor when none applies", () => {
    const eu = backtestChartData([month("2026-01", { auc: m(0.7) }, { slice: "region=EU" })], set, {
      slice: "region=EU",
    });
    expect(eu?.floor).toBe(0.65);
    const rmse = backtestChartData([month("2026-01", { rmse: m(2.5) })], set, { metric: "rmse" });
    expect(rmse).toMatchObject({ metric: "rmse", floor: null, direction: null }); // rmse's requirement is for holdouts only
  });

  it("keeps the newest report of a period and counts what it leaves out", () => {
    const data = backtestChartData(
      [
        month("2026-01", { auc: m(0.7) }, { createdAt: "2026-06-01T00:00:00Z" }),
        month("2026-01", { auc: m(0.72) }, { createdAt: "2026-06-02T00:00:00Z" }),
        report({ metrics: { auc: m(0.9) } }), // no period
        month("2026-02", { f1: m(0.5) }), // no auc
        month("2026-03", { auc: m(0.8) }, { kind: "holdout" }), // not a back-test
      ],
      set,
    );
    expect(data!.points.map((p) => p.value)).toEqual([0.72]);
    expect(data!.omitted).toBe(3);
  });

  it("never draws an axis beyond the metric's range", () => {
    const data = backtestChartData(
      [month("2026-01", { accuracy: m(0.99, [0.98, 1]) }), month("2026-02", { accuracy: m(0.97) })],
      null,
      { metric: "accuracy" },
    );
    expect(data!.domain[1]).toBe(1);
    expect(data!.ticks.at(-1)).toBe(1);
    const latency = backtestChartData(
      [month("2026-01", { latency_p95_ms: m(0.2) }), month("2026-02", { latency_p95_ms: m(120) })],
      null,
    );
    expect(latency!.domain[0]).toBe(0);
    expect(latency!.ticks).toEqual([0, 50, 100, 150]);
  });

  it("picks a metric without requirements: the most reported one", () => {
    const data = backtestChartData(
      [month("2026-01", { f1: m(0.5), accuracy: m(0.8) }), month("2026-02", { accuracy: m(0.82) })],
      null,
    );
    expect(data).toMatchObject({ metric: "accuracy", floor: null });
  });

  it("is null without back-tests", () => {
    expect(backtestChartData([report({ kind: "holdout", metrics: { auc: m(0.8) } })], set)).toBeNull();
  });
});

describe("report presentation helpers", () => {
  it("lists key metrics primary first, without derived baselines", () => {
    const metrics = {
      latency_p95_ms: m(30),
      accuracy: m(0.9),
      auc: m(0.8),
      f1: m(0.7),
      baseline_zero_rule_accuracy: m(0.7),
      brier: m(0.1),
    };
    expect(keyMetricNames(metrics, "f1")).toEqual(["f1", "auc", "accuracy", "brier"]);
    expect(keyMetricNames(metrics, null, 10)).toEqual(["auc", "accuracy", "f1", "brier", "latency_p95_ms"]);
  });

  it("formats metrics and periods", () => {
    expect(formatMetric(0.91234)).toBe("0.912");
    expect(formatMetric(31.456)).toBe("31.46");
    expect(formatMetric(254300.4)).toBe("254,300");
    expect(periodLabel("2026-02-01", "2026-02-28")).toBe("2026-02");
    expect(periodLabel("2024-02-01", "2024-02-29")).toBe("2024-02");
    expect(periodLabel("2026-02-01", "2026-02-27")).toBe("2026-02-01 → 2026-02-27");
    expect(periodLabel(null, null)).toBe("—");
  });
});
