import Link from "next/link";
import { notFound } from "next/navigation";
import { createLoader, type SearchParams } from "nuqs/server";
import { pageCaller } from "@/server/trpc/server-caller";
import { keyMetricNames } from "@/server/domain/reports/metric-names";
import { backtestChartData } from "../../../../../../_components/chart-data/backtest";
import { boundName, boundPhrase } from "@/server/domain/requirements/wording";
import { BacktestChart } from "../../../../../../_components/charts/backtest-chart";
import { formatMetric, periodLabel } from "../../../../../../_components/format";
import { Card, PageHeader } from "../../../../../../_components/ui";
import { pageNumber, tableParams } from "../../../../../../_components/list-params";
import { ReportsTable } from "./reports-table";
import { UploadReportForm } from "./upload-report-form";

const loadParams = createLoader({ page: tableParams.page });
const PAGE_SIZE = 20;

export default async function VersionReportsPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string; version: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { name, version: raw } = await params;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) notFound();
  const { page } = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  const { model, reports, total, backtests, requirementSet } = await api.reports.list({
    model: name,
    version,
    offset: (pageNumber(page) - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const primary = requirementSet?.primaryMetric ?? null;
  // Every back-test of the version, not only those on the table's page.
  const chart = backtestChartData(backtests, requirementSet);
  return (
    <>
      <PageHeader
        title={
          <>
            Reports of {model.name}{" "}
            <Link href={`/models/${model.name}/versions/${version}`} className="text-slate-500">
              v{version}
            </Link>
          </>
        }
        subtitle="Evaluation reports posted by pipelines or uploaded here; metrics with outcomes are computed by Ratchet, with 95% intervals."
      />
      {chart && (
        <Card
          title={`Back-tests: ${chart.metric} per period${chart.slice ? ` (${chart.slice})` : ""}`}
          className="mb-6"
        >
          <BacktestChart data={chart} />
          {chart.floor !== null && (
            <p className="mt-2 text-xs text-slate-500">
              Red line: the {boundName(chart.direction)} of the active requirement (
              {boundPhrase(chart.direction, formatMetric(chart.floor))}).
            </p>
          )}
          {chart.omitted > 0 && (
            <p className="mt-1 text-xs text-slate-500">
              {chart.omitted} back-test report(s) not drawn: no period, no {chart.metric}, or superseded for the same
              period.
            </p>
          )}
        </Card>
      )}
      <Card title={`Reports (${total})`} className="mb-6">
        <ReportsTable
          total={total}
          pageSize={PAGE_SIZE}
          rows={reports.map((r) => ({
            ...r,
            period: periodLabel(r.periodStart, r.periodEnd),
            keyMetrics: keyMetricNames(r.metrics, primary).map((m) => ({
              name: m,
              value: formatMetric(r.metrics[m]!.value),
            })),
          }))}
        />
      </Card>
      {can("reports:write") && (
        <Card title="Upload a report">
          <UploadReportForm model={model.name} version={version} />
        </Card>
      )}
    </>
  );
}
