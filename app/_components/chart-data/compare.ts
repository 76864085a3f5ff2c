import type { RequirementLike } from "@/server/domain/gate/requirement-check";
import { METRIC_RANGES } from "@/server/domain/reports/schemas";
import type { HistoryPoint } from "@/server/domain/compare/history";
import { backtestChartData, type ChartReport } from "./backtest";

/** Pure shaping for the comparison page's charts: the chart components only draw what comes out. */
export interface CompareBacktestPoint {
  period: string;
  label: string;
  a: number | null;
  aBand: [number, number] | null;
  b: number | null;
  bBand: [number, number] | null;
}

export interface CompareBacktestChartData {
  metric: string;
  slice: string;
  floor: number | null;
  direction: "higher" | "lower" | null;
  /** Series names, e.g. "v3 (champion)". */
  labels: { a: string; b: string };
  points: CompareBacktestPoint[];
  domain: [number, number];
}

/** Pads a range by a tenth (or a little, when flat) and keeps it inside the metric's possible values. */
export function paddedDomain(values: number[], metric: string): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values),
    hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.1 : Math.max(Math.abs(hi) * 0.05, 0.01);
  lo -= pad;
  hi += pad;
  const range = METRIC_RANGES[metric];
  if (range?.min !== undefined) lo = Math.max(lo, range.min);
  if (range?.max !== undefined) hi = Math.min(hi, range.max);
  return [lo, hi];
}

/**
 * Both versions' back-tests on one chart: per period the two values and their intervals, with the floor
 * of the requirement that applies to back-tests. The metric is the one asked for, else the one the
 * single-version chart would choose (primary metric first). Null when neither has back-tests.
 */
export function compareBacktestChartData(
  aReports: ChartReport[],
  bReports: ChartReport[],
  requirementSet: { primaryMetric: string; requirements: RequirementLike[] } | null,
  options: { metric?: string; slice?: string },
  labels: { a: string; b: string },
): CompareBacktestChartData | null {
  const both = backtestChartData([...aReports, ...bReports], requirementSet, options);
  if (!both) return null;
  const opts = { metric: both.metric, slice: both.slice };
  const [sa, sb] = [
    backtestChartData(aReports, requirementSet, opts),
    backtestChartData(bReports, requirementSet, opts),
  ];
  const byPeriod = new Map<string, CompareBacktestPoint>();
  const slot = (period: string, label: string) => {
    let p = byPeriod.get(period);
    if (!p) byPeriod.set(period, (p = { period, label, a: null, aBand: null, b: null, bBand: null }));
    return p;
  };
  for (const p of sa?.points ?? []) Object.assign(slot(p.period, p.label), { a: p.value, aBand: p.band });
  for (const p of sb?.points ?? []) Object.assign(slot(p.period, p.label), { b: p.value, bBand: p.band });
  const points = [...byPeriod.values()].sort((x, y) => x.period.localeCompare(y.period));
  const values = points
    .flatMap((p) => [p.a, p.b, ...(p.aBand ?? []), ...(p.bBand ?? [])])
    .filter((v): v is number => v !== null);
  if (both.floor !== null) values.push(both.floor);
  return {
    metric: both.metric,
    slice: both.slice,
    floor: both.floor,
    direction: both.direction,
    labels,
    points,
    domain: paddedDomain(values, both.metric),
  };
}

export interface HistoryChartData {
  metric: string;
  floor: number | null;
  /** `mark` repeats the value for the compared versions only, so the chart can draw them larger. */
  points: {
    label: string;
    version: number;
    stage: string;
    value: number;
    band: [number, number] | null;
    highlight: boolean;
    mark: number | null;
  }[];
  domain: [number, number];
}

/** One metric across every version, oldest first; the two versions being compared are highlighted. */
export function historyChartData(
  metric: string,
  points: HistoryPoint[],
  floor: number | null,
  highlight: number[] = [],
): HistoryChartData {
  const sorted = [...points].sort((x, y) => x.version - y.version);
  const values = sorted.flatMap((p) => [p.value, ...(p.ci ?? [])]);
  if (floor !== null) values.push(floor);
  return {
    metric,
    floor,
    points: sorted.map((p) => {
      const on = highlight.includes(p.version);
      return {
        label: `v${p.version}`,
        version: p.version,
        stage: p.stage,
        value: p.value,
        band: p.ci,
        highlight: on,
        mark: on ? p.value : null,
      };
    }),
    domain: paddedDomain(values, metric),
  };
}
