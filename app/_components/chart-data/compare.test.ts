import { describe, expect, it } from "vitest";
import { compareBacktestChartData, historyChartData } from "./compare";
import type { ChartReport } from "./backtest";

let n = 0;
const report = (over: Partial<ChartReport>): ChartReport => ({
  id: `r${++n}`,
  kind: "backtest",
  periodStart: null,
  periodEnd: null,
  slice: "",
  metrics: {},
  createdAt: new Date(2026, 0, n),
  ...over,
});
const m = (value: number, ci?: [number, number]) => ({ value, ci });
const set = {
  primaryMetric: "auc",
  requirements: [{ metric: "auc", direction: "higher" as const, floor: 0.7, target: null, reportKinds: [], slice: "" }],
};

describe("chart mappers", () => {
  it("puts both versions' back-tests per period on one chart, with bands and the floor", () => {
    const a = [
      report({ periodStart: "2026-06-01", periodEnd: "2026-06-30", metrics: { auc: m(0.8, [0.78, 0.82]) } }),
      report({ periodStart: "2026-07-01", periodEnd: "2026-07-31", metrics: { auc: m(0.79) } }),
    ];
    const b = [
      report({ periodStart: "2026-07-01", periodEnd: "2026-07-31", metrics: { auc: m(0.83, [0.8, 0.86]) } }),
      report({ periodStart: "2026-08-01", periodEnd: "2026-08-31", metrics: { auc: m(0.84) } }),
    ];
    const chart = compareBacktestChartData(a, b, set, {}, { a: "v3", b: "v5" })!;
    expect(chart).toMatchObject({ metric: "auc", floor: 0.7, labels: { a: "v3", b: "v5" } });
    expect(chart.points).toEqual([
      { period: "2026-06-01", label: "2026-06", a: 0.8, aBand: [0.78, 0.82], b: null, bBand: null },
      { period: "2026-07-01", label: "2026-07", a: 0.79, aBand: null, b: 0.83, bBand: [0.8, 0.86] },
      { period: "2026-08-01", label: "2026-08", a: null, aBand: null, b: 0.84, bBand: null },
    ]);
    expect(chart.domain[0]).toBeLessThan(0.7);
    expect(chart.domain[1]).toBeLessThanOrEqual(1);
    expect(compareBacktestChartData([], [], set, {}, { a: "a", b: "b" })).toBeNull();
  });

  it("shapes one metric across versions, oldest first, marking the two compared", () => {
    const h = historyChartData(
      "auc",
      [
        { version: 5, stage: "candidate", value: 0.89, ci: [0.87, 0.91] },
        { version: 3, stage: "champion", value: 0.86, ci: null },
      ],
      0.62,
      [3, 5],
    );
    expect(h.points.map((p) => [p.label, p.band, p.highlight, p.mark])).toEqual([
      ["v3", null, true, 0.86],
      ["v5", [0.87, 0.91], true, 0.89],
    ]);
    expect(
      historyChartData("auc", [{ version: 1, stage: "retired", value: 0.7, ci: null }], null, [3]).points[0],
    ).toMatchObject({ highlight: false, mark: null });
    expect(h.domain[0]).toBeLessThan(0.62);
  });
});
