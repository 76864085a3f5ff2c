import { notFound } from "next/navigation";
import { pageCaller } from "@/server/trpc/server-caller";
import { backtestChartData, formatMetric, keyMetricNames, periodLabel } from "@/server/domain/reports/chart-data";
import { boundName, boundPhrase } from "@/server/domain/requirements/wording";
import { BacktestChart } from "../../../../../../_components/charts/backtest-chart";
import { ago, when } from "../../../../../../_components/format";
import { Badge, Card, PageHeader, Table } from "../../../../../../_components/ui";
import { UploadReportForm } from "./upload-report-form";

export default async function VersionReportsPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version: raw } = await params;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) notFound();
  const { api, can } = await pageCaller("registry:read");
  const { model, reports, requirementSet } = await api.reports.list({ model: name, version });
  const primary = requirementSet?.primaryMetric ?? null;
  const chart = backtestChartData(reports, requirementSet);
  return (
    <>
      <PageHeader
        title={<>Reports of {model.name} <a href={`/models/${model.name}/versions/${version}`} className="text-slate-500">v{version}</a></>}
        subtitle="Evaluation reports posted by pipelines or uploaded here; metrics with outcomes are computed by Ratchet, with 95% intervals."
      />
      {chart && (
        <Card title={`Back-tests: ${chart.metric} per period${chart.slice ? ` (${chart.slice})` : ""}`} className="mb-6">
          <BacktestChart data={chart} />
          {chart.floor !== null && <p className="mt-2 text-xs text-slate-500">Red line: the {boundName(chart.direction)} of the active requirement ({boundPhrase(chart.direction, formatMetric(chart.floor))}).</p>}
          {chart.omitted > 0 && <p className="mt-1 text-xs text-slate-500">{chart.omitted} back-test report(s) not drawn: no period, no {chart.metric}, or superseded for the same period.</p>}
        </Card>
      )}
      <Card title={`Reports (${reports.length})`} className="mb-6">
        <Table label="Reports">
          <thead>
            <tr><th>Kind</th><th>Dataset</th><th>Period</th><th>Slice</th><th>n</th><th>Key metrics</th><th>Posted</th></tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`/reports/${r.id}`} className="font-medium">{r.kind}{r.baseline ? ` (${r.baseline.replace("_", "-")})` : ""}</a>
                  {r.disagreements.length > 0 && <> <Badge tone="revoked">{r.disagreements.length} disagree</Badge></>}
                </td>
                <td className="whitespace-nowrap">{r.datasetName ? `${r.datasetName} v${r.datasetVersion}` : "—"}</td>
                <td className="whitespace-nowrap">{periodLabel(r.periodStart, r.periodEnd)}</td>
                <td>{r.slice || "all"}</td>
                <td className="tabular-nums">{r.sampleSize.toLocaleString("en")}</td>
                <td className="text-xs">
                  {keyMetricNames(r.metrics, primary).map((m) => (
                    <span key={m} className="mr-3 whitespace-nowrap">{m} <span className="font-mono">{formatMetric(r.metrics[m]!.value)}</span></span>
                  ))}
                </td>
                <td title={when(r.createdAt)}>{ago(r.createdAt)} · {r.author}</td>
              </tr>
            ))}
            {reports.length === 0 && <tr><td colSpan={7} className="text-center text-slate-500">No reports for this version yet.</td></tr>}
          </tbody>
        </Table>
      </Card>
      {can("reports:write") && (
        <Card title="Upload a report">
          <UploadReportForm model={model.name} version={version} />
        </Card>
      )}
    </>
  );
}
