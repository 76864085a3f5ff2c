import type { PairView } from "@/server/domain/compare/compare-versions";
import type { MetricRow } from "@/server/domain/compare/rows";
import { formatMetric, periodLabel } from "../../../../_components/format";
import { Badge, Card, Table } from "../../../../_components/ui";

/** One dataset (kind, dataset, period, slice) both versions were evaluated on: every shared metric. */
const fmtDiff = (d: number) => {
  const s = Math.abs(d) >= 10 ? formatMetric(Math.abs(d)) : Math.abs(d).toFixed(4);
  return `${d > 0 ? "+" : d < 0 ? "−" : "±"}${s}`;
};
const fmtCi = (ci: [number, number] | null, f: (x: number) => string = formatMetric) =>
  ci ? `[${f(ci[0])}, ${f(ci[1])}]` : "";
export const fmtP = (p: number | null) => (p === null ? "—" : p < 1e-4 ? "< 0.0001" : p.toFixed(4));

const VERDICT_TONE = {
  better: "champion",
  worse: "revoked",
  "no detectable difference": "retired",
  "not tested": "challenger",
} as const;

export function VerdictBadge({ verdict }: { verdict: MetricRow["verdict"] }) {
  return <Badge tone={VERDICT_TONE[verdict]}>{verdict}</Badge>;
}

export function pairTitle(p: PairView): string {
  const parts = [p.kind, p.dataset ? `${p.dataset.name} v${p.dataset.version}` : "unregistered dataset"];
  if (p.periodStart || p.periodEnd) parts.push(periodLabel(p.periodStart, p.periodEnd));
  parts.push(p.slice || "all examples");
  return parts.join(" · ");
}

function method(row: MetricRow): string {
  if (row.method === "paired") return `paired ${row.test}`;
  return row.note ? `${row.method} (${row.note})` : row.method;
}

export function PairCard({ pair, a, b }: { pair: PairView; a: number; b: number }) {
  const title = pairTitle(pair);
  const evidence = pair.outcomes
    ? `${pair.outcomes.matched.toLocaleString("en")} examples matched by id${pair.outcomes.onlyA + pair.outcomes.onlyB > 0 ? ` (${pair.outcomes.onlyA} only in v${a}, ${pair.outcomes.onlyB} only in v${b} left out)` : ""}${pair.outcomes.labelMismatches ? `, ${pair.outcomes.labelMismatches} with conflicting labels left out` : ""}: paired tests`
    : `no shared outcomes (n = ${pair.sampleSize.a.toLocaleString("en")} and ${pair.sampleSize.b.toLocaleString("en")}): verdicts only where both stored values have intervals that do not overlap`;
  return (
    <Card title={title} className="mb-4">
      <p className="mb-2 text-xs text-slate-500">{evidence}</p>
      <Table label={title}>
        <thead>
          <tr>
            <th>Metric</th>
            <th>v{a}</th>
            <th>v{b}</th>
            <th>
              Difference (v{b} − v{a})
            </th>
            <th>p</th>
            <th>adj. p</th>
            <th>Method</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {pair.rows.map((r) => (
            <tr key={r.metric}>
              <td className="font-medium">
                {r.metric}
                <span className="block text-xs font-normal text-slate-500">
                  {r.direction} is better{r.margin > 0 ? ` · margin ${r.margin}` : ""}
                </span>
              </td>
              <td className="font-mono text-xs">
                {formatMetric(r.a.value)} <span className="text-slate-500">{fmtCi(r.a.ci)}</span>
              </td>
              <td className="font-mono text-xs">
                {formatMetric(r.b.value)} <span className="text-slate-500">{fmtCi(r.b.ci)}</span>
              </td>
              <td className="font-mono text-xs">
                {fmtDiff(r.difference.value)} <span className="text-slate-500">{fmtCi(r.difference.ci, fmtDiff)}</span>
              </td>
              <td className="font-mono text-xs whitespace-nowrap">{fmtP(r.pValue)}</td>
              <td className="font-mono text-xs whitespace-nowrap">{fmtP(r.pAdjusted)}</td>
              <td className="text-xs">{method(r)}</td>
              <td>
                <VerdictBadge verdict={r.verdict} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
