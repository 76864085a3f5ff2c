import Link from "next/link";
import type { ColumnQuality, CorrelationChange } from "@/server/stats/drift";
import { formatMetric } from "../../../../_components/format";
import { Table } from "../../../../_components/ui";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const num = (x: number | null | undefined) => (x === null || x === undefined ? "—" : formatMetric(x));

/** One row per feature: missing shares, NaN/∞ and wrong types, new categories, out-of-range values, mean and std shift. */
export function QualityTable({ rows, hrefFor }: { rows: ColumnQuality[]; hrefFor: (feature: string) => string }) {
  return (
    <Table label="Data quality per feature">
      <thead>
        <tr>
          <th>Feature</th>
          <th>Missing (ref → now)</th>
          <th>NaN / ∞ / wrong type</th>
          <th>New categories</th>
          <th>Out of range</th>
          <th>Mean shift</th>
          <th>Std ratio</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((q) => (
          <tr key={q.column} data-testid={`quality-${q.column}`}>
            <td>
              <Link href={hrefFor(q.column)} scroll={false}>
                {q.column}
              </Link>
            </td>
            <td className="tabular-nums">
              {pct(q.reference.missingShare)} → {pct(q.current.missingShare)}
            </td>
            <td className="tabular-nums">
              {q.current.nan} / {q.current.infinite} / {q.current.wrongType}
            </td>
            <td className="text-xs">
              {q.type === "categorical"
                ? q.newCategories.length
                  ? `${q.newCategories.slice(0, 5).join(", ")}${q.newCategories.length > 5 ? " …" : ""} (${pct(q.newCategoryShare)})`
                  : "none"
                : "—"}
            </td>
            <td className="tabular-nums">{q.numerical ? pct(q.numerical.outOfRangeShare) : "—"}</td>
            <td className="tabular-nums">{q.numerical ? num(q.numerical.meanShift) : "—"}</td>
            <td className="tabular-nums">{q.numerical ? num(q.numerical.stdRatio) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The largest change of a pairwise correlation, and the full current − reference matrix. */
export function CorrelationPanel({ change }: { change: CorrelationChange }) {
  const n = change.columns.length;
  return (
    <div className="space-y-2" data-testid="correlation-change">
      <p className="text-sm text-slate-700">
        {change.pair && change.maxAbsChange !== null ? (
          <>
            Largest change: <strong>{change.pair.join(" × ")}</strong>, |Δr| = {formatMetric(change.maxAbsChange)}.
          </>
        ) : (
          "No pair of numerical features has a correlation on both sides."
        )}
      </p>
      <Table label="Correlation change (current − reference)">
        <thead>
          <tr>
            <th />
            {change.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {change.columns.map((row, i) => (
            <tr key={row}>
              <th scope="row" className="text-left">
                {row}
              </th>
              {Array.from({ length: n }, (_, j) => {
                const a = change.reference[i]?.[j],
                  b = change.current[i]?.[j];
                const d = i === j || a === null || b === null || a === undefined || b === undefined ? null : b - a;
                return (
                  <td key={j} className="text-xs tabular-nums">
                    {d === null ? "—" : `${d >= 0 ? "+" : ""}${d.toFixed(2)}`}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
