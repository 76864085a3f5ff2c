"use client";
import {
  CartesianGrid,
  LabelList,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from "recharts";

export interface ReliabilityPoint {
  /** Mean confidence of the bin's items. */
  confidence: number;
  /** Share of them the model got right. */
  accuracy: number;
  /** Items in the bin. */
  n: number;
  bin: string;
}

const pct = (v: number) => `${Math.round(v * 100)} %`;
/** Both axes are shares from 0 to 100 %, ticked alike, so the diagonal is a true 45° line. */
const SHARE_AXIS = {
  type: "number",
  domain: [0, 1],
  ticks: [0, 0.2, 0.4, 0.6, 0.8, 1],
  tickFormatter: pct,
  fontSize: 11,
} as const;

/**
 * A reliability diagram: one point per non-empty confidence bin at (mean confidence, accuracy), its area
 * growing with the bin's item count (also written beside it), and the diagonal where a perfectly
 * calibrated model's points would lie. Points below the diagonal: the model is over-confident there.
 */
export function ReliabilityChart({ points, label }: { points: ReliabilityPoint[]; label: string }) {
  return (
    <div className="h-72 w-full" data-testid="reliability-chart" role="figure" aria-label={label}>
      <ResponsiveContainer>
        <ScatterChart margin={{ top: 16, right: 24, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis
            {...SHARE_AXIS}
            dataKey="confidence"
            name="Mean confidence"
            label={{ value: "Model's confidence", position: "insideBottom", offset: -8, fontSize: 11 }}
          />
          <YAxis {...SHARE_AXIS} dataKey="accuracy" name="Accuracy" width={48} />
          <ZAxis type="number" dataKey="n" range={[40, 400]} name="Items" />
          <ReferenceLine
            segment={[
              { x: 0, y: 0 },
              { x: 1, y: 1 },
            ]}
            stroke="#64748b"
            strokeDasharray="6 3"
            label={{ value: "perfect calibration", position: "insideTopLeft", fill: "#475569", fontSize: 11 }}
            ifOverflow="extendDomain"
          />
          <Tooltip
            formatter={(value: unknown, name: unknown) =>
              name === "Items" ? [String(value), "Items"] : [pct(Number(value)), String(name)]
            }
          />
          <Scatter name="Bins" data={points} fill="#4338ca" fillOpacity={0.75} isAnimationActive={false}>
            <LabelList dataKey="n" position="top" fontSize={10} formatter={(v: unknown) => `n=${String(v)}`} />
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
