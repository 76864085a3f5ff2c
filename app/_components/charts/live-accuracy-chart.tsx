"use client";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { floorLine, intervalTooltip } from "./chart-parts";

const fmt = (v: number) => String(Number(v.toFixed(3)));
const COLORS = ["#4338ca", "#0f766e", "#b45309", "#be185d", "#475569"];
const BANDS = ["#c7d2fe", "#99f6e4", "#fde68a", "#fbcfe8", "#e2e8f0"];

export interface LiveAccuracyChartData {
  /** One point per ISO week: `v{n}` the estimate, `v{n}band` its interval, missing where not measured. */
  points: Record<string, string | number | [number, number] | null>[];
  versions: number[];
  floor: number | null;
}

/** Live accuracy per ISO week, one line per version with its 95% interval as a band, the floor in red. */
export function LiveAccuracyChart({ data }: { data: LiveAccuracyChartData }) {
  return (
    <div
      className="h-72 w-full"
      data-testid="live-accuracy-chart"
      role="figure"
      aria-label="Live accuracy per version per week"
    >
      <ResponsiveContainer>
        <ComposedChart data={data.points} margin={{ top: 12, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="week" fontSize={11} />
          <YAxis domain={[0, 1]} tickFormatter={fmt} fontSize={11} width={52} />
          <Tooltip formatter={intervalTooltip(fmt, "95% interval")} />
          <Legend />
          {data.versions.map((v, i) => (
            <Area
              key={`band-${v}`}
              dataKey={`v${v}band`}
              name={`v${v} 95% interval`}
              stroke="none"
              fill={BANDS[i % BANDS.length]}
              fillOpacity={0.5}
              isAnimationActive={false}
              legendType="none"
            />
          ))}
          {data.versions.map((v, i) => (
            <Line
              key={`line-${v}`}
              dataKey={`v${v}`}
              name={`v${v}`}
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          ))}
          {floorLine(data.floor, fmt, "higher")}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
