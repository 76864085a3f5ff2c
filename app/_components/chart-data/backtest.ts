import { appliesTo, type RequirementLike } from "@/server/domain/gate/requirement-check";
import { METRIC_RANGES } from "@/server/domain/reports/schemas";
import { periodLabel } from "../format";

/**
 * Pure shaping of stored reports for the pages' charts (display, so it lives with the pages; the domain
 * returns the reports' numbers): the chart component only draws what comes out of here.
 */
export interface ChartMetric {
  value: number;
  ci?: [number, number] | null;
}

export interface ChartReport {
  id: string;
  kind: string;
  slice: string;
  periodStart: string | null;
  periodEnd: string | null;
  createdAt: Date | string;
  metrics: Record<string, ChartMetric>;
}

export interface BacktestPoint {
  /** Sort key and x value: the period's first day. */
  period: string;
  /** What the axis shows: "2026-03" for a calendar month, else "start → end". */
  label: string;
  value: number;
  /** The 95% interval, drawn as a band; null when the metric was posted without one. */
  band: [number, number] | null;
  reportId: string;
}

export interface BacktestChartData {
  metric: string;
  slice: string;
  floor: number | null;
  direction: "higher" | "lower" | null;
  points: BacktestPoint[];
  /** Back-tests left out: no period, or no value for the metric. */
  omitted: number;
  domain: [number, number];
  ticks: number[];
}

const isDerived = (name: string) => name.startsWith("baseline_");

function chooseMetric(backtests: ChartReport[], primary: string | null, reqs: RequirementLike[]): string | null {
  const has = (m: string) => backtests.some((r) => r.metrics[m] !== undefined);
  if (primary && has(primary)) return primary;
  const required = reqs
    .map((r) => r.metric)
    .filter(has)
    .sort();
  if (required[0]) return required[0];
  const counts = new Map<string, number>();
  for (const r of backtests)
    for (const m of Object.keys(r.metrics)) if (!isDerived(m)) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/** A step of 1, 2, 2.5 or 5 × 10^k giving about four intervals over the range. */
function niceStep(range: number): number {
  const raw = range / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((f) => f * power >= raw)! * power;
  return step;
}

/** An axis on round numbers that covers every value with some air, never beyond the metric's range. */
function niceAxis(values: number[], metric: string): { domain: [number, number]; ticks: number[] } {
  let lo = Math.min(...values),
    hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.1 : Math.max(Math.abs(hi) * 0.05, 0.01);
  const step = niceStep(hi - lo + 2 * pad);
  lo = Math.floor((lo - pad) / step) * step;
  hi = Math.ceil((hi + pad) / step) * step;
  const range = METRIC_RANGES[metric];
  if (range?.min !== undefined) lo = Math.max(lo, range.min);
  if (range?.max !== undefined) hi = Math.min(hi, range.max);
  const ticks: number[] = [];
  // Rounded so 0.1 + 0.2 style drift never shows as 0.30000000000000004 on the axis.
  for (let t = lo; t <= hi + step / 1e6; t += step) ticks.push(Number(t.toPrecision(12)));
  return { domain: [Number(lo.toPrecision(12)), Number(hi.toPrecision(12))], ticks };
}

/**
 * Back-tests of one slice as a series over their periods, with the floor of the requirement that
 * applies to back-tests on that slice. The metric is the one asked for, else the requirement set's
 * primary metric, else a required one, else the most reported. Null when there are no back-tests.
 * When one period was reported more than once, the newest report counts.
 */
export function backtestChartData(
  reports: ChartReport[],
  requirementSet: { primaryMetric: string; requirements: RequirementLike[] } | null,
  options: { metric?: string; slice?: string } = {},
): BacktestChartData | null {
  const slice = options.slice ?? "";
  const backtests = reports.filter((r) => r.kind === "backtest" && r.slice === slice);
  if (backtests.length === 0) return null;
  const reqs = requirementSet?.requirements ?? [];
  const metric = options.metric ?? chooseMetric(backtests, requirementSet?.primaryMetric ?? null, reqs);
  if (!metric) return null;
  const requirement = reqs.find(
    (r) => r.metric === metric && appliesTo(r, { id: "", kind: "backtest", slice, metrics: {} }),
  );

  const newest = new Map<string, ChartReport>();
  let omitted = 0;
  for (const r of backtests) {
    const period = r.periodStart ?? r.periodEnd;
    const m = r.metrics[metric];
    if (!period || !m || !Number.isFinite(m.value)) {
      omitted++;
      continue;
    }
    const seen = newest.get(period);
    if (seen && new Date(seen.createdAt) >= new Date(r.createdAt)) omitted++;
    else {
      if (seen) omitted++;
      newest.set(period, r);
    }
  }
  const points = [...newest.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, r]): BacktestPoint => {
      const m = r.metrics[metric]!;
      return {
        period,
        label: periodLabel(r.periodStart, r.periodEnd),
        value: m.value,
        band: m.ci ? [m.ci[0], m.ci[1]] : null,
        reportId: r.id,
      };
    });
  const values = points.flatMap((p) => (p.band ? [p.value, ...p.band] : [p.value]));
  if (requirement) values.push(requirement.floor);
  return {
    metric,
    slice,
    floor: requirement?.floor ?? null,
    direction: requirement?.direction ?? null,
    points,
    omitted,
    ...(values.length > 0
      ? niceAxis(values, metric)
      : { domain: [0, 1] as [number, number], ticks: [0, 0.25, 0.5, 0.75, 1] }),
  };
}
