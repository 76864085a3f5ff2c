import { createLoader, parseAsStringLiteral, type SearchParams } from "nuqs/server";
import { ALERT_FILTERS } from "@/server/domain/alerts/schemas";
import { pageCaller } from "@/server/trpc/server-caller";
import { pageNumber, tableParams } from "../../_components/list-params";
import { Card, PageHeader } from "../../_components/ui";
import { AlertsTable } from "../models/[name]/alerts/alerts-table";
import { StatusFilter } from "../models/[name]/alerts/status-filter";

const loadParams = createLoader({
  page: tableParams.page,
  status: parseAsStringLiteral(ALERT_FILTERS).withDefault("unresolved"),
});
const PAGE_SIZE = 20;

/** Every model's alerts in one list: what the count in the sidebar opens. */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { page, status } = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  const list = await api.alerts.list({ status, offset: (pageNumber(page) - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Across all models. Rules are set per model, on its Alerts tab. An unresolved critical alert blocks that model's releases."
      />
      <Card>
        <StatusFilter base="/alerts" current={status} />
        <AlertsTable
          alerts={list.alerts}
          total={list.total}
          pageSize={PAGE_SIZE}
          showModel
          canManage={can("alerts:manage")}
          empty={status === "unresolved" ? "No unresolved alert." : "No alert."}
        />
      </Card>
    </>
  );
}
