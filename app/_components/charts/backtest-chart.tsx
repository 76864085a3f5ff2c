"use client";
import { floorLine, intervalTooltip } from "./chart-parts";
import { tickLabel } from "./round-axis";
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BacktestChartData } from "../chart-data/backtest";

const fmt = (v: number) => (Math.abs(v) >= 10 ? String(Number(v.toFixed(1))) : String(Number(v.toFixed(3))));

/**
 * A metric per back-test period: the value as a line, its 95% interval as a band, the requirement's
 * floor as a red reference line. Data comes ready-shaped from backtestChartData.
 */
export function BacktestChart({ data }: { data: BacktestChartData }) {
  if (data.points.length === 0)
    return <p className="text-sm text-slate-500">No back-test reports {data.metric} for a period yet.</p>;
  return (
    <div
      className="h-64 w-full"
      data-testid="backtest-chart"
      role="figure"
      aria-label={`${data.metric} per back-test period`}
    >
      <ResponsiveContainer>
        <ComposedChart data={data.points} margin={{ top: 12, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis domain={data.domain} ticks={data.ticks} tickFormatter={tickLabel} fontSize={11} width={52} />
          <Tooltip formatter={intervalTooltip(fmt, "95% interval")} />
          <Area dataKey="band" stroke="none" fill="#c7d2fe" fillOpacity={0.6} isAnimationActive={false} connectNulls />
          <Line
            dataKey="value"
            name={data.metric}
            stroke="#4338ca"
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          {floorLine(data.floor, fmt, data.direction)}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
