"use client";
import { versionAxis } from "./round-axis";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Which version was champion over time, as a step line. Data comes ready-shaped from reignPoints. */
export function ChampionChart({ points }: { points: { t: number; version: number }[] }) {
  if (points.length === 0) return <p className="text-sm text-slate-600">No champion on record yet.</p>;
  const axis = versionAxis(points.map((p) => p.version));
  return (
    <div className="h-56 w-full" data-testid="champion-chart">
      <ResponsiveContainer>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={day}
            fontSize={11}
          />
          <YAxis
            dataKey="version"
            domain={axis.domain}
            ticks={axis.ticks}
            tickFormatter={(v: number) => `v${v}`}
            fontSize={11}
            width={40}
          />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toISOString().replace("T", " ").slice(0, 16)}
            formatter={(v) => [`v${String(v)}`, "champion"]}
          />
          <Line
            type="stepAfter"
            dataKey="version"
            stroke="#4338ca"
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
