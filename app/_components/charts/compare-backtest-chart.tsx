"use client";
import { axisNumber, floorLine, intervalTooltip } from "./chart-parts";
import { roundAxis, tickLabel } from "./round-axis";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CompareBacktestChartData } from "../chart-data/compare";

const fmt = axisNumber;
const A = "#64748b",
  B = "#4338ca";

/**
 * Two versions' back-tests per period: each value as a line with its 95% interval as a band (grey for
 * the reference, indigo for the challenger) and the requirement's floor in red. Data comes ready-shaped
 * from compareBacktestChartData.
 */
export function CompareBacktestChart({ data }: { data: CompareBacktestChartData }) {
  if (data.points.length === 0)
    return <p className="text-sm text-slate-500">Neither version has back-tests reporting {data.metric}.</p>;
  const axis = roundAxis(data.domain);
  return (
    <div
      className="h-72 w-full"
      data-testid="compare-backtest-chart"
      role="figure"
      aria-label={`${data.metric} per back-test period, ${data.labels.a} and ${data.labels.b}`}
    >
      <ResponsiveContainer>
        <ComposedChart data={data.points} margin={{ top: 12, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis domain={axis.domain} ticks={axis.ticks} tickFormatter={tickLabel} fontSize={11} width={56} />
          <Tooltip formatter={intervalTooltip(fmt)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area
            dataKey="aBand"
            name={`${data.labels.a} 95% interval`}
            stroke="none"
            fill={A}
            fillOpacity={0.18}
            isAnimationActive={false}
            connectNulls
            legendType="none"
          />
          <Area
            dataKey="bBand"
            name={`${data.labels.b} 95% interval`}
            stroke="none"
            fill={B}
            fillOpacity={0.22}
            isAnimationActive={false}
            connectNulls
            legendType="none"
          />
          <Line
            dataKey="a"
            name={data.labels.a}
            stroke={A}
            strokeWidth={2}
            strokeDasharray="5 3"
            dot={{ r: 3 }}
            isAnimationActive={false}
            connectNulls
          />
          <Line
            dataKey="b"
            name={data.labels.b}
            stroke={B}
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
            connectNulls
          />
          {floorLine(data.floor, fmt, data.direction)}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
