"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DistributionBar } from "../chart-data/monitoring";

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/** Reference (grey) against the current window (indigo), as shares per bin or category. */
export function DistributionChart({ bars, feature }: { bars: DistributionBar[]; feature: string }) {
  return (
    <div
      className="h-72 w-full"
      data-testid="distribution-chart"
      role="figure"
      aria-label={`${feature}: reference and current distribution`}
    >
      <ResponsiveContainer>
        <BarChart data={bars} margin={{ top: 12, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" fontSize={11} interval="preserveStartEnd" />
          <YAxis tickFormatter={pct} fontSize={11} width={56} />
          <Tooltip formatter={(v: unknown) => (typeof v === "number" ? pct(v) : "—")} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="reference" name="reference" fill="#94a3b8" isAnimationActive={false} />
          <Bar dataKey="current" name="current window" fill="#4338ca" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
