"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisNumber } from "./chart-parts";

const COLORS = ["#4338ca", "#0f766e", "#b45309", "#be123c", "#64748b", "#7c3aed", "#0369a1", "#4d7c0f"];

/** The model's output per arm and version, one line each, over the page's windows. */
export function OutputChart({
  points,
  series,
  share,
}: {
  points: Record<string, number | string>[];
  series: string[];
  /** Shares of a class (percent axis) rather than mean outputs. */
  share: boolean;
}) {
  const fmt = share ? (v: number) => `${(v * 100).toFixed(1)} %` : axisNumber;
  return (
    <div className="h-72 w-full" data-testid="output-chart" role="figure" aria-label="Output per arm over time">
      <ResponsiveContainer>
        <LineChart data={points} margin={{ top: 12, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis tickFormatter={fmt} fontSize={11} width={56} domain={share ? [0, "auto"] : ["auto", "auto"]} />
          <Tooltip formatter={(v: unknown) => (typeof v === "number" ? fmt(v) : "—")} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((key, i) => (
            <Line
              key={key}
              dataKey={key}
              name={key}
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
