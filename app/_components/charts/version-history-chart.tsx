"use client";
import { axisNumber, floorLine, intervalTooltip } from "./chart-parts";
import { roundAxis, tickLabel } from "./round-axis";
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistoryChartData } from "../chart-data/compare";
import { knownDirection } from "@/server/domain/requirements/metric-registry";

const fmt = axisNumber;

/**
 * One metric across every version of a model, with its 95% interval as a band; the two versions being
 * compared are drawn larger. Data comes ready-shaped from historyChartData.
 */
export function VersionHistoryChart({ data }: { data: HistoryChartData }) {
  if (data.points.length === 0)
    return <p className="text-sm text-slate-500">No version reports {data.metric} on this dataset.</p>;
  const axis = roundAxis(data.domain);
  return (
    <div
      className="h-56 w-full"
      data-testid="version-history-chart"
      role="figure"
      aria-label={`${data.metric} across versions`}
    >
      <ResponsiveContainer>
        <ComposedChart data={data.points} margin={{ top: 12, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis domain={axis.domain} ticks={axis.ticks} tickFormatter={tickLabel} fontSize={11} width={56} />
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
          <Line
            dataKey="mark"
            name="compared"
            stroke="none"
            dot={{ r: 6, fill: "#4338ca" }}
            isAnimationActive={false}
            legendType="none"
          />
          {floorLine(data.floor, fmt, knownDirection(data.metric))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
